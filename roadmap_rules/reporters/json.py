"""JSON: {"version", "summary", "diagnostics": [Diagnostic.to_dict()]}; golden-tested."""

from __future__ import annotations

import json

from roadmap_rules import __version__
from roadmap_rules.diagnostics import Lang, Severity
from roadmap_rules.engine import Report


def render_json(report: Report, lang: Lang = "ru") -> str:
    payload = {
        "version": __version__,
        "summary": {
            "files": len(report.files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
        },
        "diagnostics": [d.to_dict(lang) for d in report.diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
