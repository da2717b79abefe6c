"""`roadmap-check explain CODE`: what a check does, why, on what it rests, an example.

Examples come from the rule's own fixtures, so the docs cannot drift from
what the checker does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from roadmap_rules.diagnostics import Lang
from roadmap_rules.fixtures import load_fixture
from roadmap_rules.rules.ruleset import BUILTIN_DIR

FIXTURE_DIRS = (BUILTIN_DIR / "fixtures", BUILTIN_DIR.parent / "tests" / "fixtures")


def fixture_path(code: str) -> Path | None:
    for directory in FIXTURE_DIRS:
        for path in sorted(directory.rglob(f"{code}.yaml")) if directory.is_dir() else []:
            return path
    return None


def explain_code(engine: Any, code: str, lang: Lang) -> str | None:
    info = engine.catalog.get(code)
    if info is None:
        return None
    ru = lang == "ru"
    lines = [f"{info.code} {info.name} ({info.severity.value}, {info.origin})", "", info.title.get(lang)]
    if info.rationale.get(lang):
        lines += ["", "Зачем:" if ru else "Why:", info.rationale.get(lang)]
    if info.source:
        lines += ["", "Источник:" if ru else "Source:", info.source]
    path = fixture_path(code)
    if path is not None:
        fixture = load_fixture(path)
        for title, cases in (
            ("Пример с замечанием:" if ru else "Failing example:", fixture.failing),
            ("Пример без замечаний:" if ru else "Passing example:", fixture.passing),
        ):
            if cases:
                case = cases[0]
                lines += ["", f"{title} {case.name}"]
                for name, text in case.files.items():
                    lines += [f"--- {name}", text.rstrip()]
                for expected in case.expect:
                    lines.append(
                        f">>> {expected.get('file')}:{expected.get('line')}:{expected.get('column')} "
                        f"{expected.get('code')}"
                    )
    return "\n".join(lines)
