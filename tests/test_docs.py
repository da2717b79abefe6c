"""The rule language guide quotes real rules: every ```rules block must still be in a rule or fixture file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "rules.md"
BLOCKS = re.findall(r"```rules\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
SOURCES = [
    p.read_text(encoding="utf-8") for p in [*ROOT.glob("rulesets/*.rules"), *ROOT.glob("rulesets/fixtures/**/*.yaml")]
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _quoted(block: str, source: str) -> bool:
    want, have = _lines(block), _lines(source)
    return any(have[i : i + len(want)] == want for i in range(len(have) - len(want) + 1))


@pytest.mark.parametrize("block", BLOCKS, ids=[_lines(b)[0][:40] for b in BLOCKS])
def test_guide_example_is_quoted_from_a_real_rule(block: str) -> None:
    assert any(_quoted(block, source) for source in SOURCES), "docs/rules.md has drifted from the rules"


def test_the_guide_has_examples() -> None:
    assert len(BLOCKS) >= 15


FORMAT = ROOT / "docs" / "format.md"
FORMAT_BLOCKS = [
    b for b in re.findall(r"```yaml\n(.*?)```", FORMAT.read_text(encoding="utf-8"), flags=re.S) if "kind:" in b
]


@pytest.mark.parametrize("block", FORMAT_BLOCKS, ids=[f"format-{i}" for i in range(len(FORMAT_BLOCKS))])
def test_format_examples_are_valid_files(block: str) -> None:
    """The format guide's examples load and validate: no Y (reading) or S (format) finding."""
    from roadmap_rules.loading import read_source
    from roadmap_rules.validation import validate

    doc = read_source("example.yaml", block.encode("utf-8"))
    model, problems = validate(doc)
    assert not doc.problems
    assert not problems
    assert model is not None
