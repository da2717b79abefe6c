"""A defect of a rule file, found before anything runs."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from roadmap_rules.diagnostics import Message, Span


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: Message
    span: Span
    hint: Message | None = None


def did_you_mean(name: str, candidates: Iterable[str]) -> Message | None:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return None
    options = ", ".join(close)
    return Message(f"Возможно, имелось в виду: {options}", f"Did you mean: {options}?")
