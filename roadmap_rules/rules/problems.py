"""A defect of a rule file, found before anything runs."""

from __future__ import annotations

from dataclasses import dataclass

from roadmap_rules.diagnostics import Message, Span, did_you_mean


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: Message
    span: Span
    hint: Message | None = None


__all__ = ["Problem", "did_you_mean"]
