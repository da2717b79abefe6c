"""The syntax tree of a deadline phrase: what was written, not yet what it means.

Nodes keep the character span they came from, so that every interval can show
the piece of the phrase it was read from. They are named tuples: cheap to create,
immutable, and (holding only numbers and strings) left alone by the garbage
collector once cached, which a run over thousands of phrases notices. Years are left as written (possibly
missing); semantics.py carries them across ranges and lists and fills the rest
from the roadmap's context.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Unit = Literal["day", "month", "quarter", "half", "term", "trimester", "year", "plan"]


class YearRef(NamedTuple):
    """A written year: "2024", "2023-2024 гг." (first < last) or "2020/21 учебный год"."""

    first: int
    last: int
    school: bool
    start: int
    end: int


class Point(NamedTuple):
    """One written calendar unit, perhaps without its year (or, for days, its month).

    `first`/`last` are the day of month, or the quarter, half-year or school term number
    ("1-2 квартал" has first=1, last=2); `unit == "plan"` is "учебный год" alone.
    """

    unit: Unit
    first: int | None
    last: int | None
    month: int | None
    year: YearRef | None
    start: int
    end: int


class Span(NamedTuple):
    """A point, or a range from `first` to `last` ("март - апрель 2024")."""

    first: Point
    last: Point | None
    start: int
    end: int


class Until(NamedTuple):
    """Until X: "до X", "не позднее X", "по X"; point None for "до конца года"."""

    point: Point | None
    start: int
    end: int


class UntilStart(NamedTuple):
    """Until X begins: "к началу учебного года", "до начала 2025 года"."""

    point: Point
    start: int
    end: int


class After(NamedTuple):
    """Upon the end of X: "по итогам I четверти", "по окончании учебного года"."""

    point: Point
    start: int
    end: int


class Relative(NamedTuple):
    """A deadline tied to an event the reader cannot date: "в течение недели после проведения"."""

    text: str
    start: int
    end: int


class Since(NamedTuple):
    """From X with no end ("с X"): from X to the end of the plan."""

    point: Point
    start: int
    end: int


class During(NamedTuple):
    """During X ("в течение X"); point None, `unit` set for "в течение года/месяца"."""

    point: Point | None
    unit: str | None
    start: int
    end: int


class Whole(NamedTuple):
    """The whole period: "весь период" (point None) or "весь период 2023 г."."""

    point: Point | None
    start: int
    end: int


class Recur(NamedTuple):
    """A repetition: frequency word, or a count per unit."""

    frequency: str | None
    times: int | None  # the count ("2 раза в год"); a tuple's own count() keeps its name
    unit: str | None
    start: int
    end: int


class External(NamedTuple):
    """A calendar the deadline defers to: lemma of the noun and its qualifier."""

    calendar: str
    qualifier: str
    start: int
    end: int


class Vague(NamedTuple):
    text: str
    start: int
    end: int


class Note(NamedTuple):
    text: str
    start: int
    end: int


class Paren(NamedTuple):
    items: tuple[Item, ...]
    start: int
    end: int


Item = Span | Until | UntilStart | After | Relative | Since | During | Whole | Recur | External | Vague | Note | Paren
