"""The syntax tree of a deadline phrase: what was written, not yet what it means.

Nodes keep the character span they came from, so that every interval can show
the piece of the phrase it was read from. Years are left as written (possibly
missing); semantics.py carries them across ranges and lists and fills the rest
from the roadmap's context.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["day", "month", "quarter", "half", "year", "plan"]


@dataclass(frozen=True, slots=True)
class YearRef:
    """A written year: "2024", "2023-2024 гг." (first < last) or "2020/21 учебный год"."""

    first: int
    last: int
    school: bool
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Point:
    """One written calendar unit, perhaps without its year (or, for days, its month).

    `first`/`last` are the day of month, or the quarter or half-year number
    ("1-2 квартал" has first=1, last=2); `unit == "plan"` is "учебный год" alone.
    """

    unit: Unit
    first: int | None
    last: int | None
    month: int | None
    year: YearRef | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Span:
    """A point, or a range from `first` to `last` ("март - апрель 2024")."""

    first: Point
    last: Point | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Until:
    """Until X: "до X", "не позднее X", "по X"; point None for "до конца года"."""

    point: Point | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Since:
    """From X with no end ("с X"): from X to the end of the plan."""

    point: Point
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class During:
    """During X ("в течение X"); point None, `unit` set for "в течение года/месяца"."""

    point: Point | None
    unit: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Whole:
    """The whole period: "весь период" (point None) or "весь период 2023 г."."""

    point: Point | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Recur:
    """A repetition: frequency word, or a count per unit."""

    frequency: str | None
    count: int | None
    unit: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class External:
    """A calendar the deadline defers to: lemma of the noun and its qualifier."""

    calendar: str
    qualifier: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Vague:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paren:
    items: tuple[Item, ...]
    start: int
    end: int


Item = Span | Until | Since | During | Whole | Recur | External | Vague | Note | Paren
