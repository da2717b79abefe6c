"""Compiler-style text: `file:line:col: severity CODE message`, then a summary."""

from __future__ import annotations

from roadmap_rules.diagnostics import Lang, Severity
from roadmap_rules.engine import Report

_SEVERITY = {"ru": {"error": "ошибка", "warning": "предупреждение", "info": "замечание"}}


def render_text(report: Report, lang: Lang = "ru") -> str:
    lines: list[str] = []
    for d in report.diagnostics:
        loc = d.location
        lines.append(f"{loc.file}:{loc.span.line}:{loc.span.column}: {d.severity.value} {d.code} {d.message.get(lang)}")
        if d.hint is not None:
            lines.append(f"    {'подсказка' if lang == 'ru' else 'hint'}: {d.hint.get(lang)}")
        for rel in d.related:
            rl = rel.location
            lines.append(f"    {rl.file}:{rl.span.line}:{rl.span.column}: {rel.message.get(lang)}")
    lines.append(summary(report, lang))
    return "\n".join(lines) + "\n"


def summary(report: Report, lang: Lang) -> str:
    e, w, i = (report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    files = len(report.files)
    if lang == "en":
        return f"{files} file(s) checked: {e} error(s), {w} warning(s), {i} info"
    return f"Проверено файлов: {files}; ошибок: {e}, предупреждений: {w}, замечаний: {i}"
