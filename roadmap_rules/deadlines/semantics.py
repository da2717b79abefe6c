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
  yield the plan's interval (precision PERIOD) and count as vague wording;
* a school term ("I четверть", "II триместр") is read to its months, in the
  school year the plan or the written year puts it in;
* "по итогам X" is the month after X ends (a school year's results come in
  June); "к началу учебного года" is "к 1 сентября";
* a deadline tied to an event ("в течение недели после проведения") has no
  date: it is vague with its whole wording, unless something else pins it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from roadmap_rules.deadlines import dates
from roadmap_rules.deadlines import lexicon as lx
from roadmap_rules.deadlines.model import (
    Deadline,
    DeadlineContext,
    Interval,
    Precision,
    Recurrence,
    coarser,
    make_deadline,
    make_interval,
)
from roadmap_rules.deadlines.nodes import (
    After,
    During,
    External,
    Item,
    Note,
    Paren,
    Point,
    Recur,
    Relative,
    Since,
    Span,
    Until,
    UntilStart,
    Vague,
    Whole,
    YearRef,
)
from roadmap_rules.deadlines.parser import Parsed

# Vague wordings by strength: an explicit "по мере необходимости" beats "в течение
# года" or a deadline relative to an event, which beat a bare "по плану".
_STRONG, _PLAN_WIDE, _BARE_PLAN = 3, 2, 1
_RELATIVE: Final = _PLAN_WIDE
_PUNCTUATION: Final = frozenset(("SEP", "DASH", "LPAR", "RPAR"))
_PRECISION: Final[dict[str, Precision]] = {
    "day": Precision.DAY,
    "month": Precision.MONTH,
    "quarter": Precision.QUARTER,
    "half": Precision.HALF_YEAR,
    # A school term is read to the month: its exact days differ by region.
    "term": Precision.MONTH,
    "trimester": Precision.MONTH,
    "year": Precision.YEAR,
    "plan": Precision.PERIOD,
}


@dataclass(slots=True)
class _Read:
    """A point resolved to dates; `year` is the calendar year used (None for year units)."""

    bounds: dates.Bounds
    precision: Precision
    year: int | None


@dataclass(slots=True)
class _Acc:
    """What the reading of one phrase accumulates, in written order."""

    intervals: list[Interval]
    recurrences: list[tuple[str, int | None]]  # (frequency, count)
    external: list[str]
    vague: list[tuple[int, int, str]]  # (strength, position, wording)
    notes: list[str]


def _clean(text: str) -> str:
    """Whitespace collapsed, quotes and edge punctuation dropped: "«20» декабря" -> "20 декабря"."""
    if _QUOTE.search(text):  # translate() is slow on Cyrillic text: only when needed
        text = text.translate(_QUOTES)
    return " ".join(text.split()).strip(" ,;:-–—")


_QUOTES: Final = str.maketrans("", "", '«»"„“”')
_QUOTE: Final = re.compile('[«»"„“”]')


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
    if point.unit in ("term", "trimester"):
        return dates.term_first_month(point.first or 1, point.unit)
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
    if point.unit in ("term", "trimester"):  # `year` is the school year's first year here
        return dates.term_bounds(year, first, last, point.unit)
    return None


def _read(point: Point, ctx: DeadlineContext) -> _Read | None:
    """Dates of a point whose year is written, carried, or to be inferred."""
    unit = point.unit
    ref = point.year
    if ref is not None and not ref.school and point.month is not None:  # "март 2024", "01.10.2024"
        if unit == "month":
            bounds = dates.months_bounds(ref.first, point.month, point.month)
            return _Read(bounds, Precision.MONTH, ref.first) if bounds else None
        if unit == "day":
            bounds = dates.day_bounds(ref.first, point.month, point.first or 0)
            return _Read(bounds, Precision.DAY, ref.first) if bounds else None
    precision = _PRECISION[unit]
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
    if point.unit in ("term", "trimester") and ref is not None:
        # Terms count in school years: "IV четверть 2024-2025" and "IV четверть 2025" are spring 2025.
        in_school_year = ref.school or ref.last == ref.first + 1
        autumn = _first_month(point) >= dates.SCHOOL_YEAR_START_MONTH
        year = ref.first if in_school_year or autumn else ref.first - 1
    elif ref is not None:
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


def _points(items: tuple[Item, ...]) -> Iterator[Point]:
    for item in items:
        if isinstance(item, Span):
            yield item.first
            if item.last is not None:
                yield item.last
        elif isinstance(item, _WITH_POINT) and item.point is not None:
            yield item.point
        elif isinstance(item, Paren):
            yield from _points(item.items)


_WITH_POINT: Final = (Until, UntilStart, After, Since, During, Whole)


def _carry(items: tuple[Item, ...]) -> dict[int, Point]:
    """Give yearless points the year written after them (and days their month).

    Keyed by id() of the original point; the tree lives only for this call.
    """
    carried: dict[int, Point] = {}
    if len(items) == 1 and (type(items[0]) in _WITH_POINT or (type(items[0]) is Span and items[0].last is None)):
        return carried  # one point: nothing written after it
    points = list(_points(items))
    if len(points) < 2:  # nothing written after the only point
        return carried
    year: YearRef | None = None
    month: int | None = None
    for point in reversed(points):
        new = point
        if point.unit == "day" and point.month is None and month is not None:
            new = new._replace(month=month)
        if point.year is not None:
            if point.unit != "plan":
                year = point.year
        elif year is not None and point.unit in _CARRIED_UNITS:
            new = new._replace(year=year)
        month = point.month if point.unit in ("day", "month") else None
        carried[id(point)] = new
    return carried


_CARRIED_UNITS: Final = frozenset(("day", "month", "quarter", "half", "term", "trimester"))


def _teaching_end(bounds: dates.Bounds, precision: Precision) -> date:
    """When a unit's results are in: school years and their second halves end with May's lessons."""
    start, end = bounds
    if (end.month, end.day) == (8, 31) and start.day == 1 and start.month in (1, 9) and precision in _SCHOOL_ENDED:
        return date(end.year, 5, 31)
    return end


_SCHOOL_ENDED: Final = frozenset((Precision.SCHOOL_YEAR, Precision.HALF_YEAR, Precision.PERIOD))


def _month_after(day: date) -> dates.Bounds | None:
    following = day + timedelta(days=1)
    return dates.months_bounds(following.year, following.month, following.month)


def _qualifier(text: str) -> str:
    """A calendar's qualifier without the participle that introduces it: "утвержденному ИРО" -> "ИРО"."""
    if not text:
        return text
    words = text.split()
    while words and words[0].lower().replace("ё", "е").startswith(lx.QUALIFIER_PARTICIPLES):
        words.pop(0)
    return " ".join(words)


# --- items ----------------------------------------------------------------------------------


class _Reader:
    """Turns the items of one phrase into an accumulated reading."""

    def __init__(self, phrase: str, ctx: DeadlineContext, items: tuple[Item, ...]) -> None:
        self.phrase = phrase
        self.ctx = ctx
        self.carried = _carry(items)
        self.acc = _Acc([], [], [], [], [])
        self.in_paren = False
        self.relative_notes: dict[int, int] = {}  # position of a relative wording -> its index in notes

    def text(self, start: int, end: int) -> str:
        return _clean(self.phrase[start:end])

    def point(self, point: Point) -> Point:
        return self.carried.get(id(point), point)

    def unresolved(self, start: int, end: int) -> None:
        self.acc.notes.append(self.text(start, end))

    def interval(self, read: _Read, start: int, end: int, *, backwards: bool = False) -> None:
        lo, hi = read.bounds
        text = self.text(start, end)
        self.acc.intervals.append(make_interval(lo, hi, read.precision, text, backwards))

    def plan_wide(self, item_start: int, item_end: int, bounds: dates.Bounds | None, wording: str = "") -> None:
        """Wordings like "в течение года", "весь период": the plan itself, vaguely."""
        wording = wording or self.text(item_start, item_end).lower()
        self.acc.vague.append((_PLAN_WIDE, item_start, wording))
        if bounds is not None:
            self.interval(_Read(bounds, Precision.PERIOD, None), item_start, item_end)

    def item(self, item: Item) -> None:
        _DISPATCH[type(item)](self, item)

    def vague(self, item: Vague) -> None:
        self.acc.vague.append((_STRONG, item.start, _clean(item.text).lower()))

    def note(self, item: Note) -> None:
        self.acc.notes.append(_clean(item.text))

    def paren(self, item: Paren) -> None:
        if all(isinstance(i, Note) for i in item.items):
            self.acc.notes.append(self.text(item.start + 1, item.end - 1))
            return
        outer, self.in_paren = self.in_paren, True
        for inner in item.items:
            self.item(inner)
        self.in_paren = outer

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
            last = last._replace(year=YearRef(a.year, a.year, False, last.start, last.end))
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
        self.until_bounds(read.bounds, read.precision, item.start, item.end)

    def until_bounds(self, bounds: dates.Bounds, precision: Precision, start: int, end: int) -> None:
        """From the plan's start (when it comes first) to the end of `bounds`."""
        lo, hi = bounds
        period = _period(self.ctx)
        if period is not None and period[0] <= hi:
            lo = min(lo, period[0])
        self.interval(_Read((lo, hi), precision, None), start, end)

    def until_start(self, item: UntilStart) -> None:
        """ "к началу учебного года" is "к 1 сентября"; "до начала 2026 года" is "до 01.01.2026"."""
        point = self.point(item.point)
        if point.unit == "plan":
            point = Point("day", 1, 1, dates.SCHOOL_YEAR_START_MONTH, None, point.start, point.end)
        read = _read(point, self.ctx)
        if read is None:
            self.unresolved(item.start, item.end)
            return
        first = read.bounds[0]
        self.until_bounds((first, first), Precision.DAY, item.start, item.end)

    def after(self, item: After) -> None:
        """ "по итогам X": the month after X ends (a school year's results come in June)."""
        if self.in_paren:  # "май 2025 (по итогам учебного года)": a remark on the date
            self.acc.notes.append(self.text(item.start, item.end))
            return
        point = self.point(item.point)
        if point.unit == "plan":  # "по итогам учебного года": the June the plan contains
            read = _read(Point("month", None, None, 6, None, point.start, point.end), self.ctx)
            bounds = read.bounds if read else None
        else:
            read = _read(point, self.ctx)
            if read is not None and read.precision is Precision.DAY:  # "после 15.10.2025": from the next day on
                self.since_bounds(read.bounds[1] + timedelta(days=1), Precision.DAY, item.start, item.end)
                return
            bounds = _month_after(_teaching_end(read.bounds, read.precision)) if read else None
        if bounds is None:
            self.unresolved(item.start, item.end)
            return
        self.interval(_Read(bounds, Precision.MONTH, None), item.start, item.end)

    def relative(self, item: Relative) -> None:
        """Tied to an event: vague unless something else pins the date, then a note."""
        wording = _clean(item.text)
        self.acc.vague.append((_RELATIVE, item.start, wording))
        self.relative_notes[item.start] = len(self.acc.notes)
        self.acc.notes.append(wording)

    def since(self, item: Since) -> None:
        read = _read(self.point(item.point), self.ctx)
        if read is None:
            self.unresolved(item.start, item.end)
            return
        self.since_bounds(read.bounds[0], read.precision, item.start, item.end, read.bounds[1])

    def since_bounds(self, lo: date, precision: Precision, start: int, end: int, hi: date | None = None) -> None:
        """From `lo` to the plan's end (when it comes later)."""
        hi = lo if hi is None else hi
        period = _period(self.ctx)
        if period is not None and period[1] >= lo:
            hi = max(hi, period[1])
        self.interval(_Read((lo, hi), precision, None), start, end)

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
            frequency = several if item.times and item.times > 1 else single
        else:
            frequency = "times_per_period"
        if frequency:
            self.acc.recurrences.append((frequency, item.times))

    def external(self, item: External) -> None:
        if item.calendar == "план" and not item.qualifier:
            self.acc.vague.append((_BARE_PLAN, item.start, "по плану"))
            return
        name = f"{item.calendar} {_qualifier(item.qualifier)}".strip()
        if name not in self.acc.external:
            self.acc.external.append(name)


# Reading of each kind of item, by its type (one dict lookup instead of a chain of isinstance).
_DISPATCH: Final[dict[type, Callable[[_Reader, Any], None]]] = {
    Span: _Reader.span,
    Until: _Reader.until,
    UntilStart: _Reader.until_start,
    After: _Reader.after,
    Since: _Reader.since,
    During: _Reader.during,
    Whole: _Reader.whole,
    Recur: _Reader.recur,
    External: _Reader.external,
    Vague: _Reader.vague,
    Relative: _Reader.relative,
    Note: _Reader.note,
    Paren: _Reader.paren,
}


def _choose_vague(acc: _Acc) -> tuple[int, str] | None:
    """The vague wording to report and its position, or None when the rest of the phrase pins the date."""
    if not acc.vague:
        return None
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
    _, position, wording = min(candidates, key=lambda c: (-c[0], c[1]))
    return position, wording


def interpret(phrase: str, parsed: Parsed, ctx: DeadlineContext) -> Deadline:
    """The meaning of a parsed phrase in its roadmap's context."""
    items = parsed.items
    if len(items) == 1 and not parsed.skipped:
        only = items[0]
        if type(only) is Span and only.last is None and only.first.unit != "plan":
            # A plain date or unit ("Март 2024 г.", "01.10.2022", "2 квартал 2025"): what the
            # general reading below would make of it, without its bookkeeping.
            read = _read(only.first, ctx)
            if read is not None:
                lo, hi = read.bounds
                interval = make_interval(lo, hi, read.precision, _clean(phrase[only.start : only.end]))
                return make_deadline(phrase, (interval,), None, (), None, (), True)
    reader = _Reader(phrase, ctx, items)
    for item in items:
        _DISPATCH[type(item)](reader, item)
    acc = reader.acc
    for lexeme in parsed.skipped:
        if lexeme.type not in _PUNCTUATION and _clean(str(lexeme)):
            acc.notes.append(_clean(str(lexeme)))
    intervals = tuple(acc.intervals)
    recurrence = None
    if acc.recurrences:
        frequency, count = acc.recurrences[0]
        recurrence = Recurrence(frequency, count, intervals)
    chosen = _choose_vague(acc)
    vague = None
    if chosen is not None:
        position, vague = chosen
        if position in reader.relative_notes:  # reported as vague, so not also a note
            acc.notes[reader.relative_notes[position]] = ""
    notes = tuple(dict.fromkeys(n for n in acc.notes if n)) if acc.notes else ()
    external = tuple(acc.external)
    parsed_ok = bool(intervals or recurrence or external or vague)
    return make_deadline(phrase, intervals, recurrence, external, vague, notes, parsed_ok)
