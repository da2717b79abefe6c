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
checks.py and render.py read those values. shortcuts.py reads the commonest
sequences of tokens (a date, "до" a date, a range of dates or months) straight
to the same values.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from roadmap_rules.deadlines import shortcuts
from roadmap_rules.deadlines.checks import DEADLINE_CHECKS, deadline_issues
from roadmap_rules.deadlines.lexer import clear_shapes, tokenize_typed
from roadmap_rules.deadlines.model import (
    NO_CONTEXT,
    Deadline,
    DeadlineContext,
    DeadlineIssue,
    Interval,
    Precision,
    Recurrence,
)
from roadmap_rules.deadlines.parser import Parsed, parse_lexemes
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
    "learnt",
    "parse_deadline",
    "prepare",
    "remember",
    "render",
    "render_phrase",
]


_lexed = functools.lru_cache(maxsize=4096)(tokenize_typed)
"""The tokens of a phrase do not depend on its roadmap: the same phrase in a
thousand roadmaps with different periods is tokenized once while it is in use.
The cache is small on purpose: a phrase of a known shape re-tokenizes in a few
microseconds (lexer.py keeps scan shapes), while every token list kept alive is
more work for the garbage collector on a run over new documents."""


@functools.lru_cache(maxsize=4096)
def _syntax(phrase: str) -> Parsed:
    """The parse of a phrase the shortcuts do not read; like its tokens, the same in every roadmap."""
    return parse_lexemes(_lexed(phrase)[0])


def _parse_uncached(phrase: str, context: DeadlineContext) -> Deadline:
    try:
        lexemes, types = _lexed(phrase)
        deadline = shortcuts.read(phrase, lexemes, types, context)
        return interpret(phrase, _syntax(phrase), context) if deadline is None else deadline
    except Exception:  # a bug must cost one deadline, not the whole run
        return Deadline(phrase, (), None, (), None, (), parsed=False)


_MAX_PARSES = 65536


@dataclass(slots=True)
class _Memo:
    """Memoised parses by reading context, then by phrase.

    The engine asks about every measure of a roadmap with one context object, so
    `recent` (that object, its reading context and their parses, swapped as one
    tuple) makes most calls one identity test and one lookup by phrase, whose
    hash Python keeps: hashing a DeadlineContext costs more than that.
    """

    tables: dict[DeadlineContext, dict[str, Deadline]] = field(default_factory=dict)
    size: int = 0
    recent: tuple[DeadlineContext | None, DeadlineContext, dict[str, Deadline]] = (None, NO_CONTEXT, {})

    def forget(self) -> None:
        """Everything at once, rather than keep a recency order."""
        self.tables.clear()
        self.size = 0
        self.recent = (None, NO_CONTEXT, {})


_memo = _Memo()


def _reading_context(context: DeadlineContext) -> DeadlineContext:
    """The part of `context` a phrase's meaning depends on.

    semantics.py reads the approval date only when the plan has no valid period,
    so plans with the same period share their parses whatever their approval dates.
    """
    start, end = context.period_start, context.period_end
    if start and end and start <= end and context.approved is not None:
        return DeadlineContext(start, end)
    return context


def parse_deadline(phrase: str, context: DeadlineContext = NO_CONTEXT) -> Deadline:
    """What `phrase` means in the roadmap described by `context`; never raises.

    Memoised on the phrase and the part of the context it depends on: a national
    run sees the same few hundred phrases hundreds of thousands of times.
    """
    if not isinstance(phrase, str):
        phrase = str(phrase)
    recent = _memo.recent
    if recent[0] is not context:
        reading = _reading_context(context)
        recent = _memo.recent = (context, reading, _memo.tables.setdefault(reading, {}))
    deadline = recent[2].get(phrase)
    if deadline is None:
        deadline = _parse_uncached(phrase, recent[1])
        if _memo.size >= _MAX_PARSES:
            _memo.forget()
            recent = _memo.recent = (context, recent[1], _memo.tables.setdefault(recent[1], {}))
        recent[2][phrase] = deadline
        _memo.size += 1
    return deadline


def learnt(context: DeadlineContext, phrases: Iterable[str]) -> tuple[DeadlineContext, dict[str, Deadline]]:
    """The memoised parses of `phrases` in `context`, to hand to another process (`remember`)."""
    reading = _reading_context(context)
    table = _memo.tables.get(reading, {})
    return reading, {phrase: table[phrase] for phrase in phrases if phrase in table}


def remember(reading: DeadlineContext, parses: dict[str, Deadline]) -> None:
    """Take parses made in a worker process, so that rules reading deadlines here find them."""
    if _memo.size + len(parses) > _MAX_PARSES:  # bounded as `parse_deadline` bounds it
        _memo.forget()
    table = _memo.tables.setdefault(reading, {})
    before = len(table)
    table.update(parses)
    _memo.size += len(table) - before


def prepare() -> None:
    """Build the grammar now, before worker processes fork, so that each does not build it again."""
    from roadmap_rules.deadlines.parser import _lark

    _lark()


def clear_cache() -> None:
    """Forget memoised parses and learnt phrase shapes (for benchmarks measuring cold parsing)."""
    _memo.forget()
    _lexed.cache_clear()
    _syntax.cache_clear()
    clear_shapes()
