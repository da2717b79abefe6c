"""How the rule language treats values at run time: fields, presence, intervals, display."""

from __future__ import annotations

import datetime as dt
from typing import Any


def get_field(value: Any, name: str) -> Any:
    """`value.name`, None propagating; entities already expose enums as plain values."""
    return None if value is None else getattr(value, name, None)


def is_present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | dict):
        return bool(value)
    return True


def bounds(value: Any) -> tuple[dt.date, dt.date] | None:
    """A date, deadline, period or interval as (first day, last day)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value, value
    start, end = getattr(value, "start", None), getattr(value, "end", None)
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return start, end
    return None


def show(value: Any, lang: str) -> str:
    """How a value appears inside a message."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("да" if value else "нет") if lang == "ru" else str(value).lower()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y") if lang == "ru" else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(show(v, lang) for v in value) or "—"
    phrase = getattr(value, "phrase", None)
    if isinstance(phrase, str):
        return phrase
    for attr in ("name", "title", "id", "number"):
        label = getattr(value, attr, None)
        if isinstance(label, str) and label:
            return label
    return str(value)
