"""Calendar arithmetic for the units a deadline can name.

Every function returns None instead of raising for impossible values
("31.02.2024", "5 квартал"), because parsing must never fail.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Final

Bounds = tuple[date, date]

MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
SCHOOL_YEAR_START_MONTH: Final = 9  # a school year runs 1 September – 31 August


def _year_ok(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


_MONTH_DAYS: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def last_day(year: int, month: int) -> int:
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month]


def day_bounds(year: int, month: int, day: int) -> Bounds | None:
    if not _year_ok(year) or not 1 <= month <= 12 or not 1 <= day <= last_day(year, month):
        return None
    d = date(year, month, day)
    return d, d


def months_bounds(year: int, first_month: int, last_month: int) -> Bounds | None:
    """From the first day of one month to the last day of another, same year."""
    if not _year_ok(year) or not 1 <= first_month <= last_month <= 12:
        return None
    return date(year, first_month, 1), date(year, last_month, last_day(year, last_month))


def quarter_bounds(year: int, first: int, last: int) -> Bounds | None:
    if not 1 <= first <= last <= 4:
        return None
    return months_bounds(year, 3 * first - 2, 3 * last)


def half_bounds(year: int, first: int, last: int) -> Bounds | None:
    """Calendar half-years: 1 = January–June, 2 = July–December."""
    if not 1 <= first <= last <= 2:
        return None
    return months_bounds(year, 6 * first - 5, 6 * last)


def school_half_bounds(school_year: int, first: int, last: int) -> Bounds | None:
    """Halves of a school year: 1 = September–December, 2 = January–August."""
    if not 1 <= first <= last <= 2 or not _year_ok(school_year + 1):
        return None
    start = date(school_year, 9, 1) if first == 1 else date(school_year + 1, 1, 1)
    end = date(school_year, 12, 31) if last == 1 else date(school_year + 1, 8, 31)
    return start, end


# School terms by the month they start and end in, counted from the school year's
# September (month 9 is offset 0, month 13 is next January): a reader places "I четверть"
# in September–October, "III четверть" in January–March, whatever the region's exact days.
_TERMS: Final = {
    "term": ((9, 10), (11, 12), (13, 15), (16, 17)),
    "trimester": ((9, 11), (12, 14), (15, 17)),
}


def term_bounds(school_year: int, first: int, last: int, kind: str = "term") -> Bounds | None:
    """Terms of a school year: "четверть" (4) or "триместр" (3), by their months."""
    terms = _TERMS.get(kind)
    if terms is None or not 1 <= first <= last <= len(terms) or not _year_ok(school_year + 1):
        return None
    start, end = terms[first - 1][0], terms[last - 1][1]
    first_day = date(school_year + (start - 1) // 12, (start - 1) % 12 + 1, 1)
    end_year, end_month = school_year + (end - 1) // 12, (end - 1) % 12 + 1
    return first_day, date(end_year, end_month, last_day(end_year, end_month))


def term_first_month(first: int, kind: str = "term") -> int:
    """The calendar month a term starts in (9 for "I четверть", 1 for "III четверть")."""
    terms = _TERMS.get(kind, _TERMS["term"])
    return (terms[min(max(first, 1), len(terms)) - 1][0] - 1) % 12 + 1


def years_bounds(first: int, last: int) -> Bounds | None:
    if not (_year_ok(first) and _year_ok(last)) or first > last:
        return None
    return date(first, 1, 1), date(last, 12, 31)


def school_year_bounds(first_year: int) -> Bounds | None:
    if not (_year_ok(first_year) and _year_ok(first_year + 1)):
        return None
    return date(first_year, 9, 1), date(first_year + 1, 8, 31)


def school_year_of(day: date) -> int:
    """The first calendar year of the school year that contains `day`."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def is_school_year(start: date, end: date) -> bool:
    """True when [start, end] is exactly one school year."""
    return (start.month, start.day, end.month, end.day) == (9, 1, 8, 31) and (end.year == start.year + 1)


def distance(bounds: Bounds, other: Bounds) -> int:
    """Days between two intervals; 0 when they overlap."""
    if bounds[1] < other[0]:
        return (other[0] - bounds[1]).days
    if other[1] < bounds[0]:
        return (bounds[0] - other[1]).days
    return 0
