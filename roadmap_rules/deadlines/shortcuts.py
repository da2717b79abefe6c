"""The commonest phrases read straight from their lexemes, skipping the parse and the general reader.

Most deadlines are one written date or month, perhaps after "до" or as a range:
"до 15.05.2024", "Январь – февраль 2025 года", "с 08.12.2024 по 14.12.2024". The
LALR parser reads a sequence of token types one way only, so each sequence listed
here always has the same syntax tree, and `read` gives what semantics.interpret
makes of that tree. It does so only where the reading needs none of the general
reader's judgement (years written, or carried from a range's end; valid dates; a
range that runs forwards) and returns None otherwise, leaving the phrase to the
grammar. tests/deadlines/test_shortcuts.py compares the two paths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Final

from roadmap_rules.deadlines import dates
from roadmap_rules.deadlines.lexer import Lexeme
from roadmap_rules.deadlines.model import (
    Deadline,
    DeadlineContext,
    Precision,
    coarser,
    make_deadline,
    make_interval,
)
from roadmap_rules.deadlines.semantics import _clean, _period

_Read = tuple[date, date, Precision]
_PointReader = Callable[[Sequence[Lexeme], int | None], _Read | None]
"""A point's reader: its lexemes and the year a range's end carries to it."""
_Reader = Callable[[str, Sequence[Lexeme], int, DeadlineContext], Deadline | None]
"""A form's reader: the phrase, its lexemes, how many lead as a note (0 or 1), the context."""


def _date(lexemes: Sequence[Lexeme], carried: int | None) -> _Read | None:
    """ "15.05.2024"; a date without its year is left to the general reader."""
    day, month, year = lexemes[0].data
    bounds = None if year is None else dates.day_bounds(year, month, day or 0)
    return None if bounds is None else (*bounds, Precision.DAY)


def _day(lexemes: Sequence[Lexeme], carried: int | None) -> _Read | None:
    """ "15 мая 2024", or "15 мая" at the start of a range."""
    day, month = lexemes[0].data, lexemes[1].data
    year = int(lexemes[2].data) if len(lexemes) > 2 else carried
    if year is None or type(month) is not int:
        return None
    bounds = dates.day_bounds(year, month, int(day) or 0)
    return None if bounds is None else (*bounds, Precision.DAY)


def _month(lexemes: Sequence[Lexeme], carried: int | None) -> _Read | None:
    """ "май 2024", or "май" at the start of a range."""
    month = lexemes[0].data
    year = int(lexemes[1].data) if len(lexemes) > 1 else carried
    if year is None or type(month) is not int:
        return None
    bounds = dates.months_bounds(year, month, month)
    return None if bounds is None else (*bounds, Precision.MONTH)


# Points that write their year, and those that may take it from the end of a range.
_DATED: Final[dict[tuple[str, ...], _PointReader]] = {
    ("DATE",): _date,
    ("NUM", "MONTH", "YEAR"): _day,
    ("MONTH", "YEAR"): _month,
}
_STARTS: Final[dict[tuple[str, ...], _PointReader]] = {**_DATED, ("NUM", "MONTH"): _day, ("MONTH",): _month}


def _deadline(phrase: str, lexemes: Sequence[Lexeme], noted: int, lo: date, hi: date, precision: Precision) -> Deadline:
    """One interval, read from every lexeme after the leading note, if any (which is kept)."""
    text = _clean(phrase[lexemes[noted].start_pos : lexemes[-1].end_pos])
    note = _clean(str(lexemes[0].data)) if noted else ""
    interval = make_interval(lo, hi, precision, text)
    return make_deadline(phrase, (interval,), None, (), None, (note,) if note else (), True)


def _point(read: _PointReader) -> _Reader:
    """ "X" alone."""

    def point(phrase: str, lexemes: Sequence[Lexeme], noted: int, ctx: DeadlineContext) -> Deadline | None:
        found = read(lexemes[noted:], None)
        return None if found is None else _deadline(phrase, lexemes, noted, *found)

    return point


def _until(read: _PointReader) -> _Reader:
    """ "до X": from the plan's start (when it comes first) to the end of X."""

    def until(phrase: str, lexemes: Sequence[Lexeme], noted: int, ctx: DeadlineContext) -> Deadline | None:
        found = read(lexemes[noted + 1 :], None)
        if found is None:
            return None
        lo, hi, precision = found
        period = _period(ctx)
        if period is not None and period[0] <= hi:
            lo = min(lo, period[0])
        return _deadline(phrase, lexemes, noted, lo, hi, precision)

    return until


def _range(first: _PointReader, size: int, last: _PointReader, lead: int) -> _Reader:
    """ "X - Y" (lead 0), "с X по Y" (lead 1): X of `size` lexemes takes Y's year if it has none."""

    def span(phrase: str, lexemes: Sequence[Lexeme], noted: int, ctx: DeadlineContext) -> Deadline | None:
        start = noted + lead
        b = last(lexemes[start + size + 1 :], None)
        if b is None:
            return None
        a = first(lexemes[start : start + size], b[1].year)  # Y lies within its written year
        if a is None or b[1] < a[0]:  # a range running backwards needs the general reader
            return None
        return _deadline(phrase, lexemes, noted, a[0], b[1], coarser(a[2], b[2]))

    return span


def _forms() -> dict[tuple[str, ...], tuple[int, _Reader]]:
    """Each listed sequence of token types -> (lexemes leading as a note, reader)."""
    forms: dict[tuple[str, ...], _Reader] = {}
    for types, read in _DATED.items():
        forms[types] = _point(read)
        forms[("UNTIL", *types)] = _until(read)
        for first_types, first in _STARTS.items():
            forms[(*first_types, "DASH", *types)] = _range(first, len(first_types), read, 0)
            forms[("FROM", *first_types, "PO", *types)] = _range(first, len(first_types), read, 1)
    noted = {("TEXT", *types): (1, reader) for types, reader in forms.items()}
    return {**{types: (0, reader) for types, reader in forms.items()}, **noted}


_FORMS: Final = _forms()


def read(phrase: str, lexemes: Sequence[Lexeme], types: tuple[str, ...], ctx: DeadlineContext) -> Deadline | None:
    """What interpret(phrase, <the parse of `lexemes`>, ctx) gives, for the listed sequences; else None."""
    form = _FORMS.get(types)
    if form is None:
        return None
    noted, reader = form
    return reader(phrase, lexemes, noted, ctx)
