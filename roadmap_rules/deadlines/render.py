"""Deadlines back into words: JSON for machines, text for people, a normal phrase.

`render_phrase` writes a canonical Russian phrase that parses back to the same
intervals in the same context; the property tests rely on it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from roadmap_rules.deadlines import dates
from roadmap_rules.deadlines import lexicon as lx
from roadmap_rules.deadlines.model import Deadline, Interval, Precision
from roadmap_rules.diagnostics import Lang, Message

_PRECISION_NAMES: dict[Precision, Message] = {
    Precision.DAY: Message("день", "day"),
    Precision.MONTH: Message("месяц", "month"),
    Precision.QUARTER: Message("квартал", "quarter"),
    Precision.HALF_YEAR: Message("полугодие", "half-year"),
    Precision.YEAR: Message("год", "year"),
    Precision.SCHOOL_YEAR: Message("учебный год", "school year"),
    Precision.PERIOD: Message("период плана", "plan period"),
}
_FREQUENCY_RU: dict[str, str] = {
    "daily": "ежедневно",
    "weekly": "еженедельно",
    "monthly": "ежемесячно",
    "quarterly": "ежеквартально",
    "semiannually": "раз в полугодие",
    "annually": "ежегодно",
    "termly": "раз в четверть",
}
_UNIT_OF_FREQUENCY: dict[str, str] = {single: unit for unit, (single, _) in lx.FREQUENCY_BY_UNIT.items()}
_UNIT_ACCUSATIVE: dict[str, str] = {
    "day": "день",
    "week": "неделю",
    "month": "месяц",
    "quarter": "квартал",
    "half_year": "полугодие",
    "year": "год",
    "term": "четверть",
}


def _iso(d: date) -> str:
    return d.isoformat()


def _ru_day(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def ru_dates(interval: Interval) -> str:
    """Dates as "01.03.2020–30.04.2020" (one date when start and end coincide)."""
    if interval.start == interval.end:
        return _ru_day(interval.start)
    return f"{_ru_day(interval.start)}–{_ru_day(interval.end)}"


def en_dates(interval: Interval) -> str:
    if interval.start == interval.end:
        return _iso(interval.start)
    return f"{_iso(interval.start)} – {_iso(interval.end)}"


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def describe_interval(interval: Interval, *, backwards_end: bool = False) -> tuple[Message, Message]:
    """Start and end as words at the interval's precision.

    With `backwards_end` the end is shown as written, a year before the rolled end,
    so that "ноябрь-октябрь 2024" reads "ноябрь 2024 позже, чем октябрь 2024".
    """
    end = _minus_year(interval.end) if backwards_end else interval.end
    if interval.precision is Precision.MONTH:
        return (
            Message(
                f"{lx.MONTH_NOMINATIVE[interval.start.month - 1]} {interval.start.year}",
                f"{lx.MONTH_ENGLISH[interval.start.month - 1]} {interval.start.year}",
            ),
            Message(
                f"{lx.MONTH_NOMINATIVE[end.month - 1]} {end.year}",
                f"{lx.MONTH_ENGLISH[end.month - 1]} {end.year}",
            ),
        )
    return (
        Message(_ru_day(interval.start), _iso(interval.start)),
        Message(_ru_day(end), _iso(end)),
    )


def _interval_dict(interval: Interval) -> dict[str, Any]:
    return {
        "start": _iso(interval.start),
        "end": _iso(interval.end),
        "precision": interval.precision.value,
        "text": interval.text,
        "backwards": interval.backwards,
    }


def describe(deadline: Deadline) -> dict[str, Any]:
    """The deadline as JSON-able data; dates as YYYY-MM-DD."""
    recurrence = deadline.recurrence
    return {
        "phrase": deadline.phrase,
        "parsed": deadline.parsed,
        "start": _iso(deadline.start) if deadline.start else None,
        "end": _iso(deadline.end) if deadline.end else None,
        "intervals": [_interval_dict(i) for i in deadline.intervals],
        "recurrence": None
        if recurrence is None
        else {
            "frequency": recurrence.frequency,
            "count": recurrence.count,
            "window": [_interval_dict(i) for i in recurrence.window],
        },
        "external": list(deadline.external),
        "vague": deadline.vague,
        "notes": list(deadline.notes),
    }


_LABELS: dict[str, Message] = {
    "phrase": Message("Срок", "Deadline"),
    "unparsed": Message("не распознан", "not understood"),
    "interval": Message("интервал", "interval"),
    "backwards": Message("в обратном порядке", "runs backwards"),
    "recurrence": Message("периодичность", "recurrence"),
    "count": Message("раз", "times"),
    "external": Message("внешний график", "external calendar"),
    "vague": Message("размыто", "vague"),
    "note": Message("примечание", "note"),
}


def render(deadline: Deadline, lang: Lang = "ru") -> str:
    """Several lines of plain text for `roadmap-check deadline PHRASE`."""

    def label(key: str) -> str:
        return _LABELS[key].get(lang)

    lines = [f"{label('phrase')}: «{deadline.phrase}»" if lang == "ru" else
             f"{label('phrase')}: \"{deadline.phrase}\""]  # fmt: skip
    if not deadline.parsed:
        lines.append(f"  {label('unparsed')}")
    for interval in deadline.intervals:
        dates_text = ru_dates(interval) if lang == "ru" else en_dates(interval)
        extra = f", {label('backwards')}" if interval.backwards else ""
        precision = _PRECISION_NAMES[interval.precision].get(lang)
        lines.append(f"  {label('interval')}: {dates_text} ({precision}{extra}) ← «{interval.text}»")
    if deadline.recurrence is not None:
        r = deadline.recurrence
        count = f", {r.count} {label('count')}" if r.count is not None else ""
        lines.append(f"  {label('recurrence')}: {r.frequency}{count}")
    lines.extend(f"  {label('external')}: {name}" for name in deadline.external)
    if deadline.vague is not None:
        lines.append(f"  {label('vague')}: «{deadline.vague}»")
    lines.extend(f"  {label('note')}: {note}" for note in deadline.notes)
    return "\n".join(lines)


# --- canonical phrases -----------------------------------------------------------------------


def _aligned_start(d: date, precision: Precision) -> bool:
    if precision is Precision.MONTH:
        return d.day == 1
    if precision is Precision.QUARTER:
        return d.day == 1 and d.month % 3 == 1
    if precision is Precision.HALF_YEAR:
        return d.day == 1 and d.month in (1, 7)
    if precision is Precision.YEAR:
        return (d.month, d.day) == (1, 1)
    return precision is Precision.DAY


def _aligned_end(d: date, precision: Precision) -> bool:
    return _aligned_start(d + timedelta(days=1), precision)


def _unit_words(d: date, precision: Precision) -> str:
    if precision is Precision.MONTH:
        return f"{lx.MONTH_NOMINATIVE[d.month - 1]} {d.year}"
    if precision is Precision.QUARTER:
        return f"{(d.month - 1) // 3 + 1} квартал {d.year}"
    if precision is Precision.HALF_YEAR:
        return f"{(d.month - 1) // 6 + 1} полугодие {d.year}"
    if precision is Precision.YEAR:
        return f"{d.year} год"
    return _ru_day(d)


def _unit_genitive(d: date, precision: Precision) -> str:
    """The start of "с … по …": "с марта 2024", "с 1 квартала 2024", "с 2023 года"."""
    if precision is Precision.MONTH:
        return f"{lx.MONTH_GENITIVE[d.month - 1]} {d.year}"
    if precision is Precision.QUARTER:
        return f"{(d.month - 1) // 3 + 1} квартала {d.year}"
    if precision is Precision.HALF_YEAR:
        return f"{(d.month - 1) // 6 + 1} полугодия {d.year}"
    if precision is Precision.YEAR:
        return f"{d.year} года"
    return _ru_day(d)


def _interval_phrase(interval: Interval) -> str | None:
    p = interval.precision
    if p is Precision.PERIOD:
        # The plan's own interval; "учебный год" when the plan is a school year.
        school = dates.is_school_year(interval.start, interval.end)
        return "учебный год" if school else "весь период"
    if p is Precision.SCHOOL_YEAR:
        if dates.is_school_year(interval.start, interval.end):
            return f"{interval.start.year}/{interval.end.year} учебный год"
        return None
    if p is Precision.HALF_YEAR and not (_aligned_start(interval.start, p) and _aligned_end(interval.end, p)):
        return None  # school-year halves have no calendar spelling
    start_ok = _aligned_start(interval.start, p)
    end_ok = _aligned_end(interval.end, p)
    if not end_ok:
        return None
    end = _unit_words(interval.end, p)
    if start_ok and _unit_words(interval.start, p) == end:
        return end
    start = _unit_genitive(interval.start, p) if start_ok else _ru_day(interval.start)
    return f"с {start} по {end}"


def render_phrase(deadline: Deadline) -> str | None:
    """A normalised Russian phrase that parses back to the same intervals, or None."""
    pieces: list[str] = []
    for interval in deadline.intervals:
        piece = _interval_phrase(interval)
        if piece is None:
            return None
        pieces.append(piece)
    if deadline.recurrence is not None:
        r = deadline.recurrence
        if r.frequency in _FREQUENCY_RU and r.count is None:
            pieces.insert(0, _FREQUENCY_RU[r.frequency])
        elif r.count == 1 and r.frequency in _UNIT_OF_FREQUENCY:
            pieces.insert(0, f"1 раз в {_UNIT_ACCUSATIVE[_UNIT_OF_FREQUENCY[r.frequency]]}")
        elif r.frequency.startswith("times_per_") and r.count:
            unit = _UNIT_ACCUSATIVE.get(r.frequency.removeprefix("times_per_"))
            if unit:
                pieces.insert(0, f"{r.count} раза в {unit}")
    for name in deadline.external:
        calendar, _, qualifier = name.partition(" ")
        dative = lx.CALENDAR_DATIVE.get(calendar, calendar)
        pieces.append(f"по {dative} {qualifier}".strip())
    if not pieces:
        return deadline.vague
    return "; ".join(pieces)
