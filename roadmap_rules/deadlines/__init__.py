"""Deadline phrases of roadmaps: parse them, check them, render them.

    >>> from datetime import date
    >>> ctx = DeadlineContext(date(2024, 1, 1), date(2024, 12, 31), date(2023, 12, 29))
    >>> d = parse_deadline("Декабрь 2023 - май 2024 года", ctx)
    >>> (d.start.isoformat(), d.end.isoformat())
    ('2023-12-01', '2024-05-31')
    >>> [issue.code for issue in deadline_issues(d, ctx)]
    ['D007']

Pipeline: lexer.py (normalising tokenizer) -> parser.py (LALR over grammar.lark,
builds nodes.py) -> semantics.py (years, context) -> model.py values;
checks.py and render.py read those values.
"""

from __future__ import annotations

import functools

from roadmap_rules.deadlines.checks import DEADLINE_CHECKS, deadline_issues
from roadmap_rules.deadlines.lexer import clear_templates
from roadmap_rules.deadlines.model import (
    NO_CONTEXT,
    Deadline,
    DeadlineContext,
    DeadlineIssue,
    Interval,
    Precision,
    Recurrence,
)
from roadmap_rules.deadlines.parser import parse_phrase
from roadmap_rules.deadlines.render import describe, render, render_phrase
from roadmap_rules.deadlines.semantics import interpret

__all__ = [
    "DEADLINE_CHECKS",
    "Deadline",
    "DeadlineContext",
    "DeadlineIssue",
    "Interval",
    "Precision",
    "Recurrence",
    "clear_cache",
    "deadline_issues",
    "describe",
    "parse_deadline",
    "render",
    "render_phrase",
]


_syntax = functools.lru_cache(maxsize=4096)(parse_phrase)
"""The parse of a phrase does not depend on its roadmap: the same phrase in a
thousand roadmaps with different periods is tokenized and parsed once while it
is in use. The cache is small on purpose: a phrase of a known shape re-parses in
a few microseconds (lexer.py keeps shape templates), while every parse kept
alive is more work for the garbage collector on a run over new documents."""


def _parse_uncached(phrase: str, context: DeadlineContext) -> Deadline:
    try:
        return interpret(phrase, _syntax(phrase), context)
    except Exception:  # a bug must cost one deadline, not the whole run
        return Deadline(phrase, (), None, (), None, (), parsed=False)


_parse_cached = functools.lru_cache(maxsize=65536)(_parse_uncached)


def parse_deadline(phrase: str, context: DeadlineContext = NO_CONTEXT) -> Deadline:
    """What `phrase` means in the roadmap described by `context`; never raises.

    Memoised on (phrase, context): a national run sees the same few hundred
    phrases hundreds of thousands of times.
    """
    if not isinstance(phrase, str):
        phrase = str(phrase)
    return _parse_cached(phrase, context)


def clear_cache() -> None:
    """Forget memoised parses and learnt phrase shapes (for benchmarks measuring cold parsing)."""
    _parse_cached.cache_clear()
    _syntax.cache_clear()
    clear_templates()
