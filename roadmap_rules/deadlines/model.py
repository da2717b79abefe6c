"""The values a deadline phrase turns into.

A deadline in a roadmap is a phrase, not a date. These frozen types are what the
rest of roadmap-check sees of it: calendar intervals in written order, a
recurrence, the external calendars it defers to, the vague wording it hides
behind, and the notes a reader would keep. They are hashable so that parsed
phrases can be cached and compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from roadmap_rules.diagnostics import Message


@dataclass(frozen=True, slots=True)
class DeadlineContext:
    """What a phrase is read against: the plan's period and its approval date.

    Hashable because it is half of the parse cache key.
    """

    period_start: date | None = None
    period_end: date | None = None
    approved: date | None = None


NO_CONTEXT = DeadlineContext()


class Precision(StrEnum):
    """How coarse the written unit was, finest first.

    PERIOD marks an interval that was not written but taken from the plan
    (for "в течение года", "весь период", "учебный год" alone).
    """

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"
    SCHOOL_YEAR = "school_year"
    PERIOD = "period"

    @property
    def rank(self) -> int:
        return _PRECISION_ORDER.index(self)


_PRECISION_ORDER = tuple(Precision)


def coarser(a: Precision, b: Precision) -> Precision:
    """The coarser of two precisions: a range is only as precise as its vaguer end."""
    return a if a.rank >= b.rank else b


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed calendar interval and the piece of the phrase it was read from.

    `backwards` is set when the written range ran backwards; the dates then hold
    the plausible reading (the end rolled into the following year), so
    ``start <= end`` always holds.
    """

    start: date
    end: date
    precision: Precision
    text: str
    backwards: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by its fields and built by `make_interval` (parses travel home from worker processes)."""
        return make_interval, (self.start, self.end, self.precision, self.text, self.backwards)


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A repeating deadline: "ежемесячно", "2 раза в год", "ежегодно, март - апрель".

    `frequency` is one of "daily", "weekly", "monthly", "quarterly",
    "semiannually", "annually", "termly" (count None or 1) or
    "times_per_<unit>" with a count; `window` holds the dated intervals the
    repetition is tied to, if any.
    """

    frequency: str
    count: int | None
    window: tuple[Interval, ...] = ()


@dataclass(frozen=True, slots=True)
class Deadline:
    """Everything understood from one deadline phrase, in its roadmap's context."""

    phrase: str
    intervals: tuple[Interval, ...]
    recurrence: Recurrence | None
    external: tuple[str, ...]
    vague: str | None
    notes: tuple[str, ...]
    parsed: bool

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled by its fields and built by `make_deadline`, as `Interval`."""
        fields = (self.phrase, self.intervals, self.recurrence, self.external, self.vague, self.notes, self.parsed)
        return make_deadline, fields

    @property
    def start(self) -> date | None:
        return min((i.start for i in self.intervals), default=None)

    @property
    def end(self) -> date | None:
        return max((i.end for i in self.intervals), default=None)


@dataclass(frozen=True, slots=True)
class DeadlineIssue:
    """A problem with one deadline; the engine adds file, position and severity."""

    code: str
    message: Message
    hint: Message | None = None


# --- fast construction ------------------------------------------------------------------------
#
# The generated __init__ of a frozen dataclass sets each field through object.__setattr__,
# which costs more than the rest of reading a short phrase. The parser builds intervals and
# deadlines through these functions instead: they set the same slots directly (a slot's
# descriptor ignores the class's frozen __setattr__), so the objects are the same in every
# respect; tests/deadlines/test_properties.py compares them with the normal constructors.

_new = object.__new__
_INTERVAL_SLOTS = tuple(Interval.__dict__[name].__set__ for name in Interval.__slots__)
_DEADLINE_SLOTS = tuple(Deadline.__dict__[name].__set__ for name in Deadline.__slots__)


def make_interval(start: date, end: date, precision: Precision, text: str, backwards: bool = False) -> Interval:
    """`Interval(start, end, precision, text, backwards)`, built faster."""
    interval: Interval = _new(Interval)
    set_start, set_end, set_precision, set_text, set_backwards = _INTERVAL_SLOTS
    set_start(interval, start)
    set_end(interval, end)
    set_precision(interval, precision)
    set_text(interval, text)
    set_backwards(interval, backwards)
    return interval


def make_deadline(
    phrase: str,
    intervals: tuple[Interval, ...],
    recurrence: Recurrence | None,
    external: tuple[str, ...],
    vague: str | None,
    notes: tuple[str, ...],
    parsed: bool,
) -> Deadline:
    """`Deadline(...)` with the same arguments, built faster."""
    deadline: Deadline = _new(Deadline)
    set_phrase, set_intervals, set_recurrence, set_external, set_vague, set_notes, set_parsed = _DEADLINE_SLOTS
    set_phrase(deadline, phrase)
    set_intervals(deadline, intervals)
    set_recurrence(deadline, recurrence)
    set_external(deadline, external)
    set_vague(deadline, vague)
    set_notes(deadline, notes)
    set_parsed(deadline, parsed)
    return deadline
