"""Every check is tested by its fixture files: input YAML plus expected findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_rules.engine import Engine
from roadmap_rules.fixtures import Case, Fixture, collect, run_case

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIRS = [ROOT / "tests" / "fixtures", ROOT / "rulesets" / "fixtures"]
FIXTURES = collect([str(d) for d in FIXTURE_DIRS if d.is_dir()])
CASES = [(f, c) for f in FIXTURES for c in f.cases]


@pytest.mark.parametrize(("fixture", "case"), CASES, ids=[f"{Path(f.path).stem}:{c.name}" for f, c in CASES])
def test_fixture_case(fixture: Fixture, case: Case) -> None:
    problems = run_case(fixture, case)
    assert not problems, "\n".join(problems)


def test_every_rule_has_failing_and_passing_fixture() -> None:
    """A rule without both kinds of case is untested: a failing case proves it fires, a passing one that it is quiet."""
    covered: dict[str, tuple[bool, bool]] = {}
    for fixture in FIXTURES:
        for code in fixture.codes:
            fail, ok = covered.get(code, (False, False))
            covered[code] = (fail or bool(fixture.failing), ok or bool(fixture.passing))
    engine = Engine()
    rule_codes = [code for code, info in engine.catalog.items() if info.origin != "builtin"]
    missing = [code for code in rule_codes if covered.get(code) != (True, True)]
    assert not missing, f"rules without a failing and a passing fixture: {missing}"
