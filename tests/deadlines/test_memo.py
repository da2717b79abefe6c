"""Parses memoised in one process can be handed to another (the engine's per-file workers do)."""

from __future__ import annotations

from datetime import date

import pytest

import roadmap_rules.deadlines as deadlines
from roadmap_rules.deadlines import DeadlineContext, clear_cache, learnt, parse_deadline, remember

PLAN = DeadlineContext(date(2024, 9, 1), date(2025, 8, 31), date(2024, 9, 5))
SAME_PERIOD = DeadlineContext(date(2024, 9, 1), date(2025, 8, 31), date(2024, 10, 1))


def test_parses_handed_over_are_found_without_parsing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    phrases = ["до 15.03.2025", "ноябрь 2024 – май 2025", "ежеквартально", "в течение года"]
    parsed = {phrase: parse_deadline(phrase, PLAN) for phrase in phrases}
    reading, table = learnt(PLAN, [*phrases, "never parsed"])
    assert table == parsed  # only what was parsed, each as it was
    clear_cache()  # as in a process that never saw them
    remember(reading, table)

    def must_not_parse(*_: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(deadlines, "_parse_uncached", must_not_parse)
    for phrase in phrases:
        assert parse_deadline(phrase, PLAN) is parsed[phrase]
        assert parse_deadline(phrase, SAME_PERIOD) is parsed[phrase]  # the approval date doesn't matter here
