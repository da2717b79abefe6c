"""Rulesets: where they live, how they extend each other, how config overrides them.

A ruleset is named (`base`, `500plus`, `crosslevel` ship with roadmap-check)
or a path to a `.rules` file. Loading one loads what it extends first; its own
`disable`, `severity` and `set` lines then apply, and the configuration's
overrides apply last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roadmap_rules.diagnostics import CheckInfo, Message, Severity, Span
from roadmap_rules.rules.ast import RulesetNode
from roadmap_rules.rules.compiler import CompiledRule, RulesetFile, parse_ruleset
from roadmap_rules.rules.parse import parse_text
from roadmap_rules.rules.problems import Problem, did_you_mean

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "rulesets"
DEFAULT_RULESETS = ("base", "500plus", "crosslevel")


@dataclass
class RuleBook:
    """The rules in force after composition, plus every problem found on the way."""

    rules: list[CompiledRule] = field(default_factory=list)
    problems: list[tuple[str, Problem]] = field(default_factory=list)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    rulesets: dict[str, str] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Changes whenever a loaded rule file or an override changes: part of cache keys."""
        return hashlib.blake2b(repr((self.sources, self.params)).encode(), digest_size=16).hexdigest()

    def catalog(self) -> list[CheckInfo]:
        return [
            CheckInfo(r.code, r.name, r.severity, r.title, r.rationale, r.source, origin=self.rulesets.get(r.code, ""))
            for r in self.rules
        ]


def builtin_rulesets() -> dict[str, Path]:
    return {p.stem: p for p in sorted(BUILTIN_DIR.glob("*.rules"))}


def load_rulebook(
    names: list[str] | tuple[str, ...],
    *,
    base_dir: Path | None = None,
    severities: dict[str, Severity] | None = None,
    params: dict[str, dict[str, Any]] | None = None,
    disabled: list[str] | None = None,
    config_source: str = "config",
    builtin_codes: frozenset[str] = frozenset(),
    parse: Callable[[str], RulesetNode | Problem] = parse_text,
) -> RuleBook:
    """Load `names` and what they extend; then apply the configuration's overrides.

    Problems found in the configuration are reported in `config_source`, the
    file that holds it; `builtin_codes` are codes that are not rules but may
    still have their severity set; `parse` reads a rule file's text (the engine's may answer from its cache).
    """
    book = RuleBook()
    by_code: dict[str, CompiledRule] = {}
    seen: set[str] = set()
    origin = (config_source, Span(1, 1, 1, 1))
    for name in names:
        _load(name, base_dir or Path.cwd(), book, by_code, seen, origin=origin, parse=parse)

    def no_rule(code: str) -> None:
        hint = did_you_mean(code, [*by_code, *builtin_codes])
        message = Message(
            f"В конфигурации указан код {code}, но такого правила нет",
            f"The configuration names code {code}, but there is no such rule",
        )
        book.problems.append((config_source, Problem("R008", message, origin[1], hint)))

    for code in disabled or ():
        by_code.pop(code, None)
    for code, severity in (severities or {}).items():
        if code in by_code:
            by_code[code].severity = severity
        elif code not in builtin_codes:
            no_rule(code)
    for code, values in (params or {}).items():
        rule = by_code.get(code)
        if rule is None:
            no_rule(code)
            continue
        for key, value in values.items():
            if key not in rule.params:
                message = Message(f"У правила {code} нет параметра «{key}»", f"Rule {code} has no parameter '{key}'")
                book.problems.append(
                    (config_source, Problem("R004", message, origin[1], did_you_mean(key, rule.params)))
                )
                continue
            book.params.setdefault(code, {})[key] = value
    book.rules = list(by_code.values())
    return book


def _load(
    name: str,
    base_dir: Path,
    book: RuleBook,
    by_code: dict[str, CompiledRule],
    seen: set[str],
    origin: tuple[str, Span] | None,
    parse: Callable[[str], RulesetNode | Problem],
) -> None:
    path = _locate(name, base_dir)
    if path is None:
        where, span = origin or ("config", Span(1, 1, 1, 1))
        known = ", ".join(builtin_rulesets())
        book.problems.append(
            (
                where,
                Problem(
                    "R007",
                    Message(
                        f"Набор правил «{name}» не найден (есть: {known})",
                        f"Ruleset '{name}' not found (known: {known})",
                    ),
                    span,
                ),
            )
        )
        return
    key = str(path.resolve())
    if key in seen:
        return
    seen.add(key)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        book.problems.append(
            (
                str(path),
                Problem(
                    "R001",
                    Message(f"Файл правил не читается: {error}", f"Cannot read the rule file: {error}"),
                    Span(1, 1, 1, 1),
                ),
            )
        )
        return
    book.sources.append(hashlib.blake2b(text.encode(), digest_size=16).hexdigest())
    ruleset = parse_ruleset(text, str(path), path.stem, parse)
    for parent, span in ruleset.extends:
        _load(parent, path.parent, book, by_code, seen, origin=(str(path), span), parse=parse)
    _apply(ruleset, book, by_code)


def _apply(ruleset: RulesetFile, book: RuleBook, by_code: dict[str, CompiledRule]) -> None:
    book.problems.extend((ruleset.path, p) for p in ruleset.problems)
    for rule in ruleset.rules:
        if rule.code in by_code:
            other = by_code[rule.code]
            book.problems.append(
                (
                    ruleset.path,
                    Problem(
                        "R005",
                        Message(
                            f"Код {rule.code} уже занят правилом {other.name} ({other.file}:{other.span.line})",
                            f"Code {rule.code} is already used by {other.name} ({other.file}:{other.span.line})",
                        ),
                        rule.span,
                    ),
                )
            )
            continue
        by_code[rule.code] = rule
        book.rulesets[rule.code] = ruleset.name
    for code, span in ruleset.disabled:
        if by_code.pop(code, None) is None:
            book.problems.append(
                (ruleset.path, Problem("R002", Message(f"Нет правила {code}", f"No rule {code}"), span))
            )
    for code, severity, span in ruleset.severities:
        if code in by_code:
            by_code[code].severity = severity
        else:
            book.problems.append(
                (ruleset.path, Problem("R002", Message(f"Нет правила {code}", f"No rule {code}"), span))
            )
    for code, key, value, span in ruleset.settings:
        target = by_code.get(code)
        if target is None or key not in target.params:
            book.problems.append(
                (
                    ruleset.path,
                    Problem(
                        "R004",
                        Message(f"У правила {code} нет параметра «{key}»", f"Rule {code} has no parameter '{key}'"),
                        span,
                    ),
                )
            )
            continue
        target.params[key] = value


def _locate(name: str, base_dir: Path) -> Path | None:
    builtin = builtin_rulesets().get(name)
    if builtin is not None:
        return builtin
    for candidate in (Path(name), base_dir / name):
        if candidate.is_file():
            return candidate
    return None
