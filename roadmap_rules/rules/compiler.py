"""Rule files to compiled rules: a rule's clauses checked against the data model and built into closures.

Expressions are compiled by `expressions.ExprCompiler`; this module puts a
rule together (`for … in … where`, `require`, `at`, `message`, `related`,
metadata, parameters) and a ruleset file (header, rules, directives). No
rule text is ever passed to eval/exec. A rule fires only when its
requirement is definitely false, so a measure with no deadline is judged by
the rule about missing deadlines, not by every rule that reads a deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from roadmap_rules.diagnostics import Message, Severity, Span
from roadmap_rules.rules.ast import Clause, Expr, ListExpr, Literal, RuleNode, RulesetNode, Text
from roadmap_rules.rules.expressions import Env, ExprCompiler, Fn, Template, literal_type
from roadmap_rules.rules.locality import reads_one_roadmap
from roadmap_rules.rules.parse import parse_text
from roadmap_rules.rules.problems import Problem
from roadmap_rules.rules.types import ANY, Type
from roadmap_rules.rules.values import show


@dataclass
class Related:
    target: Fn
    message: tuple[Template, Template]


@dataclass
class CompiledRule:
    code: str
    name: str
    file: str
    span: Span
    title: Message = field(default_factory=lambda: Message("", ""))
    severity: Severity = Severity.WARNING
    rationale: Message = field(default_factory=lambda: Message("", ""))
    source: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    var: str = "item"
    collection: Fn | None = None
    where: Fn | None = None
    require: Fn | None = None
    at_target: Fn | None = None
    at_field: str | None = None
    message: tuple[Template, Template] | None = None
    related: list[Related] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    local: bool = False
    """It reads one roadmap only (`locality.reads_one_roadmap`): its findings for a file follow from that file."""


@dataclass
class RulesetFile:
    name: str
    path: str
    title: Message
    extends: list[tuple[str, Span]] = field(default_factory=list)
    rules: list[CompiledRule] = field(default_factory=list)
    disabled: list[tuple[str, Span]] = field(default_factory=list)
    severities: list[tuple[str, Severity, Span]] = field(default_factory=list)
    settings: list[tuple[str, str, Any, Span]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def parse_ruleset(
    text: str, path: str, default_name: str, parse: Callable[[str], RulesetNode | Problem] = parse_text
) -> RulesetFile:
    """Parse (with `parse`, which may answer from a cache) and compile one rule file; every defect becomes
    a Problem, never an exception."""
    ruleset = RulesetFile(default_name, path, Message("", ""))
    node = parse(text)
    if isinstance(node, Problem):
        ruleset.problems.append(node)
        return ruleset
    ruleset.name = node.name or default_name
    if node.title is not None:
        ruleset.title = _message(node.title, None)
    ruleset.extends = list(node.extends)
    for rule in node.rules:
        ruleset.rules.append(_compile_rule(rule, path, ruleset.problems))
    for directive in node.directives:
        if directive.keyword == "disable":
            ruleset.disabled.append((directive.code, directive.span))
        elif directive.keyword == "severity":
            ruleset.severities.append((directive.code, Severity(directive.args[0]), directive.span))
        else:
            name, value = directive.args
            ruleset.settings.append((directive.code, name, _literal_value(value), directive.span))
    return ruleset


def _message(first: Text, second: Text | None) -> Message:
    return Message(first.ru, second.ru if second is not None else first.ru)


def _texts(clause: Clause) -> list[Text]:
    return [a for a in clause.args if isinstance(a, Text)]


def _literal_value(node: Expr) -> Any:
    match node:
        case Literal(value=value):
            return value
        case ListExpr(items=items):
            return [_literal_value(i) for i in items]
        case _:
            return None


_HEADER = frozenset({"title", "severity", "rationale", "source", "example", "param"})
_REQUIRED = (
    ("for", "«for … in …»", "'for … in …'"),
    ("require", "«require …»", "'require …'"),
    ("message", "«message …»", "'message …'"),
)


def _compile_rule(node: RuleNode, path: str, problems: list[Problem]) -> CompiledRule:
    rule = CompiledRule(node.code, node.name, path, node.span)
    for clause in node.clauses:
        if clause.keyword not in _HEADER:
            continue
        texts = _texts(clause)
        match clause.keyword:
            case "title":
                rule.title = _message(texts[0], texts[1] if len(texts) > 1 else None)
            case "rationale":
                rule.rationale = _message(texts[0], texts[1] if len(texts) > 1 else None)
            case "severity":
                rule.severity = Severity(clause.args[0])
            case "source":
                rule.source = texts[0].ru
            case "example":
                rule.examples.append(texts[0].ru)
            case "param":
                rule.params[clause.args[0]] = _literal_value(clause.args[1])
    before = len(problems)
    compiler = ExprCompiler(problems, {name: literal_type(value) for name, value in rule.params.items()})
    scope: dict[str, Type] = {}
    seen = set()
    for clause in node.clauses:
        seen.add(clause.keyword)
        match clause.keyword:
            case "for":
                var, source, where = clause.args
                rule.var = var
                fn, source_type = compiler.expr(source, scope)
                compiler.expect_list(source_type, clause.span)
                rule.collection = compiler.indexed_source(var, source, where, scope) or fn
                scope[var] = source_type.item or ANY
                if where is not None:
                    rule.where = compiler.expr(where, scope)[0]
            case "require":
                rule.require = compiler.expr(clause.args[0], scope)[0]
            case "at":
                rule.at_target, rule.at_field = compiler.location(clause.args[0], scope)
            case "message":
                texts = _texts(clause)
                ru = compiler.template(texts[0], scope)
                rule.message = (ru, compiler.template(texts[1], scope) if len(texts) > 1 else ru)
            case "related":
                target, *rest = [a for a in clause.args if a is not None]
                fn, _ = compiler.expr(target, scope)
                texts = [t for t in rest if isinstance(t, Text)]
                ru = compiler.template(texts[0], scope) if texts else Template([])
                en = compiler.template(texts[1], scope) if len(texts) > 1 else ru
                rule.related.append(Related(fn, (ru, en)))
    for keyword, ru_name, en_name in _REQUIRED:
        if keyword not in seen:
            problems.append(
                Problem(
                    "R001",
                    Message(f"В правиле {rule.code} нет {ru_name}", f"Rule {rule.code} has no {en_name}"),
                    rule.span,
                )
            )
    if "title" not in seen:
        problems.append(
            Problem(
                "R001", Message(f"В правиле {rule.code} нет «title»", f"Rule {rule.code} has no 'title'"), rule.span
            )
        )
    rule.local = len(problems) == before and reads_one_roadmap(node)
    return rule


__all__ = ["CompiledRule", "Env", "Problem", "RulesetFile", "Template", "parse_ruleset", "show"]
