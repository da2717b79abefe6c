"""Built-in functions and constants of the rule language, with their types."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from roadmap_rules.model.registry import SUPPORTED_STATUSES
from roadmap_rules.rules.types import ANY, BOOL, DATE, NUMBER, STR, Type, list_of

RISK_FACTORS = (
    "Низкий уровень оснащения школы",
    "Дефицит педагогических кадров",
    "Недостаточная предметная и методическая компетентность педагогических работников",
    "Риски низкой адаптивности учебного процесса",
    "Несформированность внутришкольной системы повышения квалификации",
    "Высокая доля обучающихся с рисками учебной неуспешности",
    "Низкое качество преодоления языковых и культурных барьеров",
    "Пониженный уровень качества школьной образовательной и воспитательной среды",
    "Низкий уровень вовлеченности родителей",
    "Низкая учебная мотивация обучающихся",
)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е")).strip(" .")


_RISK_BY_NAME = {_fold(name): number for number, name in enumerate(RISK_FACTORS, start=1)}


def risk_number(value: Any) -> int | None:
    """The official number (1–10) of a risk factor given by number or by name."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 10 else None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return risk_number(int(text))
        return _RISK_BY_NAME.get(_fold(text))
    return None


def _count(value: Any) -> int | None:
    return None if value is None else len(value)


def _distinct(values: Any) -> list[Any] | None:
    if values is None:
        return None
    seen: list[Any] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def _same_set(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    return set(map(_hashable, a)) == set(map(_hashable, b))


def _subset(a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    return set(map(_hashable, a)) <= set(map(_hashable, b))


def _hashable(value: Any) -> Any:
    number = risk_number(value)
    return number if number is not None else value


def _in_order(values: Any) -> bool | None:
    """The values that are present never go down (missing ones are skipped, not guessed)."""
    if values is None:
        return None
    present = [v for v in values if v is not None]
    try:
        return all(a <= b for a, b in itertools.pairwise(present))
    except TypeError:
        return None


def _days(a: Any, b: Any) -> int | None:
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return (b - a).days
    return None


def _year(value: Any) -> int | None:
    return value.year if isinstance(value, dt.date) else None


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None


def _first(values: Any) -> Any:
    return values[0] if values else None


def _min(values: Any) -> Any:
    present = [v for v in values or () if v is not None]
    return min(present) if present else None


def _max(values: Any) -> Any:
    present = [v for v in values or () if v is not None]
    return max(present) if present else None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        match = re.search(r"-?\d+(?:[.,]\d+)?", value)
        return float(match.group(0).replace(",", ".")) if match else None
    return None


def _flatten(values: Any) -> list[Any] | None:
    if values is None:
        return None
    out: list[Any] = []
    for v in values:
        out.extend(v if isinstance(v, list) else [v])
    return out


@functools.lru_cache(maxsize=4096)
def _parts(number: str) -> tuple[int, ...] | None:
    """«2.10.» → (2, 10); item numbers repeat across a corpus, so the split is cached."""
    pieces = [p for p in re.split(r"[.\s]+", number.strip()) if p]
    return tuple(int(p) for p in pieces) if pieces and all(p.isdigit() for p in pieces) else None


def number_follows(previous: Any, number: Any) -> bool | None:
    """Is `number` a natural next item number after `previous`? (1.9 → 1.10, 1.3 → 2, 2 → 2.1)."""
    if not isinstance(previous, str) or not isinstance(number, str):
        return None
    a, b = _parts(previous), _parts(number)
    if a is None or b is None:
        return None
    if b == (*a, 1):
        return True  # first sub-item
    for depth in range(len(a), 0, -1):
        following = (*a[: depth - 1], a[depth - 1] + 1)
        if b in (following, (*following, 1)):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Function:
    call: Callable[..., Any]
    params: tuple[Type, ...]
    result: Type
    doc: str


FUNCTIONS: dict[str, Function] = {
    "count": Function(_count, (list_of(ANY),), NUMBER, "число элементов списка / number of items"),
    "len": Function(_count, (ANY,), NUMBER, "длина строки или списка / length"),
    "distinct": Function(_distinct, (list_of(ANY),), list_of(ANY), "без повторов / without repeats"),
    "flatten": Function(_flatten, (list_of(ANY),), list_of(ANY), "список списков в один список / flatten"),
    "same_set": Function(_same_set, (list_of(ANY), list_of(ANY)), BOOL, "одни и те же элементы / same elements"),
    "subset": Function(_subset, (list_of(ANY), list_of(ANY)), BOOL, "все элементы первого есть во втором / subset"),
    "in_order": Function(
        _in_order, (list_of(ANY),), BOOL, "присутствующие значения не убывают / present values never decrease"
    ),
    "days": Function(_days, (DATE, DATE), NUMBER, "дней от первой даты до второй / days between"),
    "year": Function(_year, (DATE,), NUMBER, "год даты / year of a date"),
    "lower": Function(_lower, (STR,), STR, "строчными буквами / lower case"),
    "first": Function(_first, (list_of(ANY),), ANY, "первый элемент / first item"),
    "min": Function(_min, (list_of(ANY),), ANY, "наименьшее / smallest"),
    "max": Function(_max, (list_of(ANY),), ANY, "наибольшее / largest"),
    "number": Function(_number, (ANY,), NUMBER, "число из текста «не менее 75%» → 75 / number in a text"),
    "number_follows": Function(number_follows, (STR, STR), BOOL, "номер идёт следом за предыдущим / next item number"),
    "risk_number": Function(
        risk_number, (ANY,), NUMBER, "номер фактора риска 1–10 по номеру или названию / risk factor number"
    ),
}

CONSTANT_VALUES: dict[str, Any] = {
    "risk_factors": list(RISK_FACTORS),
    "supported_statuses": sorted(SUPPORTED_STATUSES),
}
