"""Reporters render a finished Report; they never check anything."""

from __future__ import annotations

from collections.abc import Callable

from roadmap_rules.diagnostics import Lang
from roadmap_rules.engine import Report
from roadmap_rules.reporters.json import render_json
from roadmap_rules.reporters.text import render_text

Reporter = Callable[[Report, Lang], str]

REPORTERS: dict[str, Reporter] = {"text": render_text, "json": render_json}


def build_reporter(name: str) -> Reporter:
    return REPORTERS[name]
