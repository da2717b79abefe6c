"""Inline suppressions: `# roadmap-check: ignore[CODE, ...] reason [до|until YYYY-MM-DD]`.

A comment at the end of a line covers findings on that line and inside the
list item or mapping that starts there (so one comment on a measure's first
line covers the whole measure); a comment alone on its line covers the next
line the same way. A reason is required; an unused or expired suppression is
itself a finding, as with ruff's RUF100.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from roadmap_rules.diagnostics import Diagnostic, Finding, Message, Span
from roadmap_rules.loading.source import Positions, SourceDocument, child

_COMMENT = re.compile(
    r"#\s*roadmap-check:\s*ignore\[(?P<codes>[^\]]*)\](?P<reason>[^\n]*)$",
)
_EXPIRY = re.compile(r"\b(?:до|until|expires?)\s*(\d{4}-\d{2}-\d{2})\s*[.;,)]?\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Suppression:
    file: str
    line: int
    column: int
    codes: tuple[str, ...]
    reason: str
    expires: dt.date | None
    target_line: int
    scope: str | None
    used: set[str] = field(default_factory=set)

    def covers(self, diagnostic: Diagnostic) -> bool:
        if not any(diagnostic.code == c or diagnostic.code.startswith(c) for c in self.codes):
            return False
        if diagnostic.location.span.line == self.target_line:
            return True
        pointer = diagnostic.location.pointer
        return self.scope is not None and (pointer == self.scope or pointer.startswith(self.scope + "/"))


def find_suppressions(doc: SourceDocument) -> tuple[list[Suppression], list[Finding]]:
    if "roadmap-check:" not in doc.text:
        return [], []
    lines = doc.text.splitlines()
    inside_text = _text_spans(doc)
    found: list[Suppression] = []
    problems: list[Finding] = []
    for number, line in enumerate(lines, start=1):
        match = _COMMENT.search(line)
        if match is None or not _is_comment(line, match.start()):
            continue
        if any((s.line, s.column) <= (number, match.start() + 1) < (s.end_line, s.end_column) for s in inside_text):
            continue  # the marker is part of a string value (a block or multi-line scalar), not a comment
        column = match.start() + 1
        span = Span(number, column, number, len(line) + 1)
        codes = tuple(c.strip().upper() for c in match["codes"].split(",") if c.strip())
        reason = match["reason"].strip()
        expires = None
        expiry = _EXPIRY.search(reason)
        if expiry:
            try:
                expires = dt.date.fromisoformat(expiry.group(1))
            except ValueError:
                problems.append(
                    Finding(
                        "N004",
                        Message("Неверная дата в подавлении", "Invalid date in a suppression"),
                        doc.path,
                        span=span,
                    )
                )
            reason = reason[: expiry.start()].strip()
        if not codes:
            problems.append(
                Finding(
                    "N004",
                    Message("В подавлении не указан код правила", "The suppression names no rule code"),
                    doc.path,
                    span=span,
                )
            )
            continue
        if not reason:
            problems.append(
                Finding(
                    "N002",
                    Message(
                        "Подавление без причины: напишите, почему замечание не применимо",
                        "Suppression without a reason: say why the finding does not apply",
                    ),
                    doc.path,
                    span=span,
                )
            )
        target = number
        if not line[: match.start()].strip():
            target = next(
                (
                    n
                    for n in range(number + 1, len(lines) + 1)
                    if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")
                ),
                number,
            )
        scope = _scope_at(doc, target)
        found.append(Suppression(doc.path, number, column, codes, reason, expires, target, scope))
    return found, problems


def _scope_at(doc: SourceDocument, line: int) -> str | None:
    """The innermost list item or mapping that starts on `line` and goes on past it, if any.

    On the first measure's line both the `measures` list and the measure start;
    the measure is meant.
    """
    best: str | None = None
    if not isinstance(doc.positions, Positions):
        return None  # a file with suppressions is always read by the exact path
    for pointer in doc.positions.pointers():
        span = doc.positions.value_span(pointer)
        if (
            span is not None
            and span.line == line
            and span.end_line > line
            and (best is None or len(pointer) > len(best))
        ):
            best = pointer
    return best


def _is_comment(line: str, at: int) -> bool:
    """Is the `#` at `at` a YAML comment: outside quotes, at the start or after white space?"""
    if at > 0 and not line[at - 1].isspace():
        return False
    quote: str | None = None
    i = 0
    while i < at:
        ch = line[i]
        if quote is None and ch in "\"'" and (i == 0 or line[i - 1] in " \t:[{,-"):
            quote = ch
        elif quote == '"' and ch == "\\":
            i += 1
        elif quote is not None and ch == quote:
            if quote == "'" and i + 1 < at and line[i + 1] == "'":
                i += 1
            else:
                quote = None
        i += 1
    return quote is None


def _text_spans(doc: SourceDocument) -> list[Span]:
    """Where the string values that contain the marker are written: text there is not a comment."""
    spans: list[Span] = []
    stack: list[tuple[str, object]] = [("", doc.data)]
    while stack:
        pointer, item = stack.pop()
        if isinstance(item, str):
            if "roadmap-check:" in item:
                span = doc.positions.value_span(pointer)
                if span is not None:
                    spans.append(span)
        elif isinstance(item, dict):
            stack.extend((child(pointer, str(k)), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((child(pointer, i), v) for i, v in enumerate(item))
    return spans


def apply(
    diagnostics: list[Diagnostic], suppressions: list[Suppression], today: dt.date
) -> tuple[list[Diagnostic], list[Finding]]:
    """Drop covered diagnostics; report expired and unused suppressions."""
    by_file: dict[str, list[Suppression]] = {}
    for s in suppressions:
        by_file.setdefault(s.file, []).append(s)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        covering = next(
            (
                s
                for s in by_file.get(diagnostic.location.file, ())
                if (s.expires is None or s.expires >= today) and s.covers(diagnostic)
            ),
            None,
        )
        if covering is None:
            kept.append(diagnostic)
        else:
            covering.used.add(diagnostic.code)
    problems: list[Finding] = []
    for s in suppressions:
        span = Span(s.line, s.column, s.line, s.column + 1)
        codes = ", ".join(s.codes)
        if s.expires is not None and s.expires < today:
            problems.append(
                Finding(
                    "N003",
                    Message(
                        f"Срок подавления [{codes}] истёк {s.expires:%d.%m.%Y}",
                        f"Suppression [{codes}] expired on {s.expires.isoformat()}",
                    ),
                    s.file,
                    span=span,
                )
            )
        elif not s.used:
            problems.append(
                Finding(
                    "N001",
                    Message(
                        f"Подавление [{codes}] ничего не подавляет: удалите его",
                        f"Suppression [{codes}] suppresses nothing: remove it",
                    ),
                    s.file,
                    span=span,
                )
            )
    return kept, problems
