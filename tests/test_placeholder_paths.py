"""A placeholder that is a field path is read without lark, into the very tree lark gives."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import UnexpectedInput

from roadmap_rules.rules import parse
from roadmap_rules.rules.ast import Expr, ToAst

ROOT = Path(__file__).resolve().parent.parent
WORDS = [*sorted(parse._keywords()), "m", "x", "today", "previous", "number_key", "a1", "_x", "t2_b"]


def by_lark(text: str) -> Expr | None:
    try:
        return ToAst().transform(parse.parser().parse(text, start="expr"))  # type: ignore[no-any-return]
    except UnexpectedInput:
        return None


def test_every_placeholder_of_the_builtin_rulesets() -> None:
    placeholders = {
        piece
        for path in (ROOT / "rulesets").glob("*.rules")
        for piece in re.findall(r"\{([^{}]+)\}", path.read_text(encoding="utf-8"))
    }
    assert len(placeholders) > 30
    paths = [p for p in placeholders if parse._field_path(p) is not None]
    assert len(paths) > 30
    for placeholder in placeholders:
        assert parse.parse_expression(placeholder) == by_lark(placeholder), placeholder


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
def test_any_dotted_path_of_words_and_keywords(words: list[str]) -> None:
    text = ".".join(words)
    fast = parse._field_path(text)
    if fast is not None:
        assert fast == by_lark(text), text
