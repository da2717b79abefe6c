"""Syntax tree + roadmap context -> `Deadline`.

What a careful reader does with a deadline phrase:

* a year written once serves everything before it: "март - апрель 2024",
  "Апрель-май; ноябрь-декабрь 2023 г." (carried right to left, across ranges
  and lists);
* a year never written comes from the plan: the year that puts the unit inside
  the plan period (for a school-year plan Sept 2024 – Aug 2025, "сентябрь" is
  2024 and "май" 2025); with no context it stays unknown and the date is not
  understood;
* a range that runs backwards ("ноябрь-октябрь 2024") keeps its plausible
  reading, the end rolled into the next year, and is flagged;
* "в течение года", "весь период", "учебный год" mean the plan itself: they
  yield the plan's interval (precision PERIOD) and count as vague wording.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from roadmap_rules.deadlines import dates
from roadmap_rules.deadlines import lexicon as lx
from roadmap_rules.deadlines.model import (
    Deadline,
    DeadlineContext,
    Interval,
    Precision,
    Recurrence,
    coarser,
)
from roadmap_rules.deadlines.nodes import (
    During,
    External,
    Item,
    Note,
    Paren,
    Point,
    Recur,
    Since,
    Span,
    Until,
    Vague,
    Whole,
    YearRef,
)
from roadmap_rules.deadlines.parser import Parsed

# Vague wordings by strength: an explicit "по мере необходимости" beats "в течение
# года", which beats a bare "по плану".
_STRONG, _PLAN_WIDE, _BARE_PLAN = 3, 2, 1
_PUNCTUATION: Final = frozenset(("SEP", "DASH", "LPAR", "RPAR"))
_PRECISION: Final[dict[str, Precision]] = {
    "day": Precision.DAY,
    "month": Precision.MONTH,
    "quarter": Precision.QUARTER,
    "half": Precision.HALF_YEAR,
    "year": Precision.YEAR,
    "plan": Precision.PERIOD,
}


@dataclass(frozen=True, slots=True)
class _Read:
    """A point resolved to dates; `year` is the calendar year used (None for year units)."""

    bounds: dates.Bounds
    precision: Precision
    year: int | None


@dataclass(slots=True)
class _Acc:
    """What the reading of one phrase accumulates, in written order."""

    intervals: list[Interval]
    recurrences: list[Recurrence]
    external: list[str]
    vague: list[tuple[int, int, str]]  # (strength, position, wording)
    notes: list[str]


def _clean(text: str) -> str:
    """Whitespace collapsed, quotes and edge punctuation dropped: "«20» декабря" -> "20 декабря"."""
    return " ".join(text.translate(_QUOTES).split()).strip(" ,;:-–—")


_QUOTES: Final = str.maketrans("", "", '«»"„“”')


# --- context --------------------------------------------------------------------------------


def _period(ctx: DeadlineContext) -> dates.Bounds | None:
    if ctx.period_start and ctx.period_end and ctx.period_start <= ctx.period_end:
        return ctx.period_start, ctx.period_end
    return None


def _plan_school_year(ctx: DeadlineContext) -> dates.Bounds | None:
    """The plan's school year if the period lies within one, else the period."""
    period = _period(ctx)
    anchor = period[0] if period else ctx.approved
    if anchor is None:
        return None
    school = dates.school_year_bounds(dates.school_year_of(anchor))
    if period is None or (school and period[1] <= school[1]):
        return school
    return period


def _infer_year(at: Callable[[int], dates.Bounds | None], ctx: DeadlineContext) -> int | None:
    """The year that puts a yearless unit inside the plan period (or after approval)."""
    period = _period(ctx)
    if period is not None:
        best: tuple[tuple[bool, int, int], int] | None = None
        for year in range(period[0].year - 1, period[1].year + 2):
            bounds = at(year)
            if bounds is None:
                continue
            inside = bounds[0] >= period[0] and bounds[1] <= period[1]
            key = (not inside, dates.distance(bounds, period), year)
            if best is None or key < best[0]:
                best = (key, year)
        return best[1] if best else None
    if ctx.approved is not None:
        for year in (ctx.approved.year, ctx.approved.year + 1):
            bounds = at(year)
            if bounds is not None and bounds[1] >= ctx.approved:
                return year
    return None


# --- points ---------------------------------------------------------------------------------


def _first_month(point: Point) -> int:
    if point.unit in ("day", "month"):
        return point.month or 1
    if point.unit == "quarter":
        return 3 * (point.first or 1) - 2
    if point.unit == "half":
        return 6 * (point.first or 1) - 5
    return 1


def _at(point: Point, year: int) -> dates.Bounds | None:
    """Bounds of a day/month/quarter/half point in a calendar year."""
    first, last = point.first or 0, point.last or point.first or 0
    if point.unit == "day" and point.month is not None:
        return dates.day_bounds(year, point.month, first)
    if point.unit == "month" and point.month is not None:
        return dates.months_bounds(year, point.month, point.month)
    if point.unit == "quarter":
        return dates.quarter_bounds(year, first, last)
    if point.unit == "half":
        return dates.half_bounds(year, first, last)
    return None


def _read(point: Point, ctx: DeadlineContext) -> _Read | None:
    """Dates of a point whose year is written, carried, or to be inferred."""
    precision = _PRECISION[point.unit]
    ref = point.year
    first, last = point.first or 0, point.last or point.first or 0
    if point.unit == "plan":
        plan = _plan_school_year(ctx)
        return _Read(plan, precision, None) if plan else None
    if point.unit == "year":
        if ref is None:
            return None
        if ref.school:
            bounds = dates.school_year_bounds(ref.first)
            return _Read(bounds, Precision.SCHOOL_YEAR, None) if bounds else None
        bounds = dates.years_bounds(ref.first, ref.last)
        return _Read(bounds, Precision.YEAR, None) if bounds else None
    if point.unit == "half" and (ref.school if ref else _school_plan(ctx)):
        school_year = ref.first if ref else dates.school_year_of(ctx.period_start or date.min)
        bounds = dates.school_half_bounds(school_year, first, last)
        return _Read(bounds, precision, None) if bounds else None
    if ref is not None:
        year = ref.first
        if ref.school and _first_month(point) < dates.SCHOOL_YEAR_START_MONTH:
            year = ref.last
    else:
        inferred = _infer_year(lambda y: _at(point, y), ctx)
        if inferred is None:
            return None
        year = inferred
    bounds = _at(point, year)
    return _Read(bounds, precision, year) if bounds else None


def _school_plan(ctx: DeadlineContext) -> bool:
    period = _period(ctx)
    return period is not None and dates.is_school_year(*period)


def _points(items: list[Item]) -> Iterator[Point]:
    for item in items:
        if isinstance(item, Span):
            yield item.first
            if item.last is not None:
                yield item.last
        elif isinstance(item, Until | Since | During | Whole) and item.point is not None:
            yield item.point
        elif isinstance(item, Paren):
            yield from _points(list(item.items))


def _carry(items: list[Item]) -> dict[int, Point]:
    """Give yearless points the year written after them (and days their month).

    Keyed by id() of the original point; the tree lives only for this call.
    """
    carried: dict[int, Point] = {}
    year: YearRef | None = None
    month: int | None = None
    for point in reversed(list(_points(items))):
        new = point
        if point.unit == "day" and point.month is None and month is not None:
            new = replace(new, month=month)
        if point.year is not None:
            if point.unit != "plan":
                year = point.year
        elif year is not None and point.unit in ("day", "month", "quarter", "half"):
            new = replace(new, year=year)
        month = point.month if point.unit in ("day", "month") else None
        carried[id(point)] = new
    return carried


# --- items ----------------------------------------------------------------------------------


class _Reader:
    """Turns the items of one phrase into an accumulated reading."""

    def __init__(self, phrase: str, ctx: DeadlineContext, items: list[Item]) -> None:
        self.phrase = phrase
        self.ctx = ctx
        self.carried = _carry(items)
        self.acc = _Acc([], [], [], [], [])

    def text(self, start: int, end: int) -> str:
        return _clean(self.phrase[start:end])

    def point(self, point: Point) -> Point:
        return self.carried.get(id(point), point)

    def unresolved(self, start: int, end: int) -> None:
        self.acc.notes.append(self.text(start, end))

    def interval(self, read: _Read, start: int, end: int, *, backwards: bool = False) -> None:
        lo, hi = read.bounds
        text = self.text(start, end)
        self.acc.intervals.append(Interval(lo, hi, read.precision, text, backwards))

    def plan_wide(self, item_start: int, item_end: int, bounds: dates.Bounds | None, wording: str = "") -> None:
        """Wordings like "в течение года", "весь период": the plan itself, vaguely."""
        wording = wording or self.text(item_start, item_end).lower()
        self.acc.vague.append((_PLAN_WIDE, item_start, wording))
        if bounds is not None:
            self.interval(_Read(bounds, Precision.PERIOD, None), item_start, item_end)

    def item(self, item: Item) -> None:
        if isinstance(item, Span):
            self.span(item)
        elif isinstance(item, Until):
            self.until(item)
        elif isinstance(item, Since):
            self.since(item)
        elif isinstance(item, During):
            self.during(item)
        elif isinstance(item, Whole):
            self.whole(item)
        elif isinstance(item, Recur):
            self.recur(item)
        elif isinstance(item, External):
            self.external(item)
        elif isinstance(item, Vague):
            self.acc.vague.append((_STRONG, item.start, _clean(item.text).lower()))
        elif isinstance(item, Note):
            self.acc.notes.append(_clean(item.text))
        elif isinstance(item, Paren):
            if all(isinstance(i, Note) for i in item.items):
                self.acc.notes.append(self.text(item.start + 1, item.end - 1))
            else:
                for inner in item.items:
                    self.item(inner)

    def span(self, item: Span) -> None:
        first = self.point(item.first)
        if item.last is None:
            if first.unit == "plan":
                self.plan_wide(item.start, item.end, _plan_school_year(self.ctx))
                return
            read = _read(first, self.ctx)
            if read is None:
                self.unresolved(item.start, item.end)
            else:
                self.interval(read, item.start, item.end)
            return
        last = self.point(item.last)
        self.range(first, last, item.start, item.end)

    def range(self, first: Point, last: Point, start: int, end: int) -> None:
        a = _read(first, self.ctx)
        if a is None:
            self.unresolved(start, end)
            return
        written_end_year = last.year is not None
        if last.year is None and a.year is not None and last.unit in ("day", "month"):
            last = replace(last, year=YearRef(a.year, a.year, False, last.start, last.end))
        b = _read(last, self.ctx)
        if b is None:
            self.unresolved(start, end)
            return
        backwards = False
        if b.bounds[1] < a.bounds[0]:
            backwards = written_end_year
            rolled = _at(last, b.year + 1) if b.year is not None else None
            if rolled is not None and rolled[1] >= a.bounds[0]:
                b = _Read(rolled, b.precision, b.year + 1 if b.year else None)
            else:
                a, b = b, a
        bounds = (a.bounds[0], b.bounds[1])
        self.interval(_Read(bounds, coarser(a.precision, b.precision), None), start, end,
                      backwards=backwards)  # fmt: skip

    def until(self, item: Until) -> None:
        period = _period(self.ctx)
        if item.point is None:  # "до конца года"
            if period is not None:
                self.interval(_Read(period, Precision.PERIOD, None), item.start, item.end)
            else:
                self.plan_wide(item.start, item.end, None)
            return
        read = _read(self.point(item.point), self.ctx)
        if read is None:
            self.unresolved(item.start, item.end)
            return
        lo, hi = read.bounds
        if period is not None and period[0] <= hi:
            lo = min(lo, period[0])
        self.interval(_Read((lo, hi), read.precision, None), item.start, item.end)

    def since(self, item: Since) -> None:
        read = _read(self.point(item.point), self.ctx)
        if read is None:
            self.unresolved(item.start, item.end)
            return
        lo, hi = read.bounds
        period = _period(self.ctx)
        if period is not None and period[1] >= lo:
            hi = max(hi, period[1])
        self.interval(_Read((lo, hi), read.precision, None), item.start, item.end)

    def during(self, item: During) -> None:
        if item.point is None:
            bounds = _period(self.ctx) if item.unit == "year" else None
            self.plan_wide(item.start, item.end, bounds)
            return
        point = self.point(item.point)
        if point.unit == "plan":
            self.plan_wide(item.start, item.end, _plan_school_year(self.ctx))
            return
        read = _read(point, self.ctx)
        if read is None:
            self.unresolved(item.start, item.end)
        else:
            self.interval(read, item.start, item.end)

    def whole(self, item: Whole) -> None:
        if item.point is None:  # "весь период", "в течение всего периода"
            self.plan_wide(item.start, item.end, _period(self.ctx), "весь период")
            return
        self.during(During(item.point, None, item.start, item.end))

    def recur(self, item: Recur) -> None:
        if item.frequency is not None:
            frequency = item.frequency
        elif item.unit is not None:
            single, several = lx.FREQUENCY_BY_UNIT.get(item.unit, ("", ""))
            frequency = several if item.count and item.count > 1 else single
        else:
            frequency = "times_per_period"
        if frequency:
            self.acc.recurrences.append(Recurrence(frequency, item.count))

    def external(self, item: External) -> None:
        if item.calendar == "план" and not item.qualifier:
            self.acc.vague.append((_BARE_PLAN, item.start, "по плану"))
            return
        name = f"{item.calendar} {item.qualifier}".strip()
        if name not in self.acc.external:
            self.acc.external.append(name)


def _choose_vague(acc: _Acc) -> str | None:
    """The vague wording to report, or None when the rest of the phrase pins the date."""
    written = any(i.precision is not Precision.PERIOD for i in acc.intervals)
    candidates = [
        (strength, position, wording)
        for strength, position, wording in acc.vague
        if strength == _STRONG
        or (strength == _PLAN_WIDE and not (written or acc.external or acc.recurrences))
        or (strength == _BARE_PLAN and not (written or acc.external))
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (-c[0], c[1]))[2]


def interpret(phrase: str, parsed: Parsed, ctx: DeadlineContext) -> Deadline:
    """The meaning of a parsed phrase in its roadmap's context."""
    items = list(parsed.items)
    reader = _Reader(phrase, ctx, items)
    for item in items:
        reader.item(item)
    acc = reader.acc
    for lexeme in parsed.skipped:
        if lexeme.type not in _PUNCTUATION and _clean(str(lexeme)):
            acc.notes.append(_clean(str(lexeme)))
    intervals = tuple(acc.intervals)
    recurrence = None
    if acc.recurrences:
        first = acc.recurrences[0]
        recurrence = Recurrence(first.frequency, first.count, intervals)
    vague = _choose_vague(acc)
    notes = tuple(dict.fromkeys(n for n in acc.notes if n))
    external = tuple(acc.external)
    parsed_ok = bool(intervals or recurrence or external or vague)
    return Deadline(phrase, intervals, recurrence, external, vague, notes, parsed_ok)
