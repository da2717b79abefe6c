"""The G001–G005 fixtures, run through the real loader and validator without the engine.

The shared runner (`roadmap_rules.fixtures`) runs the same files through the
whole engine; this test keeps the graph checks testable on their own and
fails with a readable diff of what was expected and what was found.
"""

from __future__ import annotations

from typing import Any

import pytest
from graph_helpers import fixture_cases, run_fixture_case

CASES = fixture_cases()


def _matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    for key, value in expected.items():
        if key == "related":
            if len(value) != len(actual["related"]):
                return False
            if any(
                any(got.get(k) != v for k, v in want.items())
                for want, got in zip(value, actual["related"], strict=True)
            ):
                return False
        elif key == "message_contains":
            if str(value) not in actual["message"]:
                return False
        elif actual.get(key) != value:
            return False
    return True


@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{code}: {case['name']}" for code, case in CASES])
def test_fixture_case(code: str, case: dict[str, Any]) -> None:
    actual = run_fixture_case(code, case["files"])
    unmatched = list(actual)
    missing = []
    for expected in case["expect"]:
        found = next((a for a in unmatched if _matches(expected, a)), None)
        if found is None:
            missing.append(expected)
        else:
            unmatched.remove(found)
    assert (missing, unmatched) == ([], []), f"missing: {missing}\nunexpected: {unmatched}"


@pytest.mark.parametrize("code", ["G001", "G002", "G003", "G004", "G005"])
def test_every_code_has_failing_and_passing_cases(code: str) -> None:
    cases = [case for c, case in CASES if c == code]
    assert any(case["expect"] for case in cases), f"{code}: no failing case"
    assert any(not case["expect"] for case in cases), f"{code}: no passing case"


def test_every_g001_link_is_broken_once() -> None:
    names = " ".join(case["name"] for code, case in CASES if code == "G001")
    for link in (
        "roadmap.implements",
        "roadmap.organisation",
        "measure.implements",
        "depends_on",
        "organisation.parent",
        "person.organisation",
        "mentors.mentor",
        "mentors.school",
        "curators.curator",
        "coordinators.municipality",
        "documents.school",
    ):
        assert link in names, link
