"""The one finding type every check produces, and the pieces it is made of.

Checks never know where they are: they yield a `Finding` with a JSON pointer
into the document they looked at. The engine turns it into a `Diagnostic` by
adding the severity (from the catalog and the configuration), the file and the
line/column span of the pointer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from roadmap_rules.records import by_fields

Lang = Literal["ru", "en"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@by_fields
@dataclass(frozen=True, slots=True)
class Message:
    """A user-facing text in Russian (the default) and English."""

    ru: str
    en: str

    def get(self, lang: Lang = "ru") -> str:
        return self.en if lang == "en" else self.ru

    def format(self, **values: Any) -> Message:
        return Message(self.ru.format(**values), self.en.format(**values))


@by_fields
@dataclass(frozen=True, slots=True, order=True)
class Span:
    """1-based line and column of the start, and of the end (exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int


UNKNOWN_SPAN = Span(1, 1, 1, 1)


@by_fields
@dataclass(frozen=True, slots=True)
class Location:
    file: str
    pointer: str = ""
    span: Span = UNKNOWN_SPAN

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "pointer": self.pointer,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
        }


@by_fields
@dataclass(frozen=True, slots=True)
class Related:
    location: Location
    message: Message

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {**self.location.to_dict(), "message": self.message.get(lang)}


@by_fields
@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: Message
    location: Location
    entity: str | None = None
    related: tuple[Related, ...] = ()
    hint: Message | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        span = self.location.span
        return (self.location.file, span.line, span.column, self.code, self.message.ru)

    def to_dict(self, lang: Lang = "ru") -> dict[str, Any]:
        """The JSON contract of a finding (golden-tested)."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message.get(lang),
            **self.location.to_dict(),
            "entity": self.entity,
            "related": [r.to_dict(lang) for r in self.related],
            "hint": self.hint.get(lang) if self.hint else None,
        }


@by_fields
@dataclass(frozen=True, slots=True)
class RelatedRef:
    """A related location before the engine has resolved it to a span."""

    file: str
    pointer: str
    message: Message
    on_key: bool = False


@by_fields
@dataclass(frozen=True, slots=True)
class Finding:
    """What a check yields: a code, a message, and where in its document.

    `pointer` is a JSON pointer into the document `file` (the engine resolves
    it to a span); `span` may be given instead when the place is not a node,
    such as a YAML syntax error.
    """

    code: str
    message: Message
    file: str
    pointer: str = ""
    span: Span | None = None
    entity: str | None = None
    related: tuple[RelatedRef, ...] = ()
    hint: Message | None = None
    on_key: bool = False
    """Point at the key of `pointer` rather than its value (unknown and duplicate keys)."""


def did_you_mean(name: str, candidates: Iterable[str], *, quoted: bool = False) -> Message | None:
    """A «did you mean» hint with up to three close candidates, or None when nothing is close.

    `quoted` names the candidates in quotes («x» / 'x'), as findings about a user's own keys do.
    """
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return None
    if quoted:
        ru, en = ", ".join(f"«{c}»" for c in close), ", ".join(f"'{c}'" for c in close)
        return Message(f"Возможно, имелось в виду {ru}", f"Did you mean {en}?")
    options = ", ".join(close)
    return Message(f"Возможно, имелось в виду: {options}", f"Did you mean: {options}?")


@by_fields
@dataclass(frozen=True, slots=True)
class CheckInfo:
    """Catalog entry of a code: what `roadmap-check rules` and `explain` show."""

    code: str
    name: str
    severity: Severity
    title: Message
    rationale: Message = field(default=Message("", ""))
    source: str = ""
    origin: str = "builtin"
