"""Every fixture phrase parses to its expected value and issues (phrases.yaml)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from roadmap_rules.deadlines import (
    DEADLINE_CHECKS,
    DeadlineContext,
    deadline_issues,
    describe,
    parse_deadline,
    render,
)

FIXTURE = Path(__file__).with_name("phrases.yaml")
DATA: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def _context(spec: dict[str, Any]) -> DeadlineContext:
    period = spec.get("period") or (None, None)
    return DeadlineContext(period[0], period[1], spec.get("approved"))


CONTEXTS = {name: _context(spec) for name, spec in DATA["contexts"].items()}
CASES = DATA["cases"]


def _iso(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@pytest.mark.parametrize("case", CASES, ids=[f"{c['context']}:{c['phrase']}" for c in CASES])
def test_phrase(case: dict[str, Any]) -> None:
    context = CONTEXTS[case["context"]]
    deadline = parse_deadline(case["phrase"], context)
    got = [
        [i.start.isoformat(), i.end.isoformat(), i.precision.value] + (["backwards"] if i.backwards else [])
        for i in deadline.intervals
    ]
    expected = [[_iso(x) for x in row] for row in case["intervals"]]
    assert got == expected
    recurrence = deadline.recurrence
    assert (None if recurrence is None else {"frequency": recurrence.frequency, "count": recurrence.count}) == case[
        "recurrence"
    ]
    assert list(deadline.external) == case["external"]
    assert deadline.vague == case["vague"]
    if "notes" in case:
        assert list(deadline.notes) == case["notes"]
    assert [issue.code for issue in deadline_issues(deadline, context)] == case["issues"]


def test_every_seed_file_is_covered() -> None:
    sources = {c["where"].split(" ")[0] for c in CASES if "where" in c}
    assert sources == {
        "ulyanovsk-regional-2024.txt",
        "ulan-ude-municipal-2023.txt",
        "borovsk-municipal-2020.txt",
        "smolensk-school5-2024.txt",
    }


def test_enough_unseen_phrasings() -> None:
    assert sum("where" not in c for c in CASES) >= 40


def test_every_code_is_exercised_by_a_fixture() -> None:
    seen = {code for c in CASES for code in c["issues"]}
    assert seen == {info.code for info in DEADLINE_CHECKS}


def test_issue_messages_are_bilingual_and_show_values() -> None:
    context = CONTEXTS["smolensk"]
    (issue,) = deadline_issues(parse_deadline("ноябрь-октябрь 2024", context), context)
    assert issue.code == "D004"
    assert "ноябрь-октябрь 2024" in issue.message.ru
    assert "runs backwards" in issue.message.en
    assert issue.hint is not None
    assert "01.11.2024–31.10.2025" in issue.hint.ru


def test_catalog_entries_are_complete() -> None:
    codes = [info.code for info in DEADLINE_CHECKS]
    assert codes == [f"D00{n}" for n in range(1, 9)]
    for info in DEADLINE_CHECKS:
        assert info.name.startswith("deadline-")
        assert all((info.title.ru, info.title.en, info.rationale.ru, info.rationale.en))


def test_describe_is_json_ready() -> None:
    context = CONTEXTS["ulan-ude"]
    data = describe(parse_deadline("Ежегодно, март - апрель", context))
    assert data["intervals"] == [
        {
            "start": "2023-03-01",
            "end": "2023-04-30",
            "precision": "month",
            "text": "март - апрель",
            "backwards": False,
        }
    ]
    assert data["recurrence"]["frequency"] == "annually"
    assert data["recurrence"]["window"] == data["intervals"]
    assert (data["start"], data["end"]) == ("2023-03-01", "2023-04-30")


def test_render_in_both_languages() -> None:
    deadline = parse_deadline("Декабрь-январь 2020 года", CONTEXTS["borovsk"])
    assert "01.12.2020–31.01.2021" in render(deadline)
    assert "runs backwards" in render(deadline, "en")
    assert "не распознан" in render(parse_deadline("как получится"))


def test_parse_is_memoised() -> None:
    context = CONTEXTS["ulyanovsk"]
    assert parse_deadline("март 2024", context) is parse_deadline("март 2024", context)
