"""The rule language's syntax tree: frozen dataclasses, each with its span in the rule file.

A lark Transformer with `v_args(meta=True)` builds it, so every node knows
where it was written and every problem the checker finds points there.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lark import Token, Transformer, v_args

from roadmap_rules.diagnostics import Span
from roadmap_rules.records import by_fields


def span_of(meta: Any) -> Span:
    if getattr(meta, "empty", True):
        return Span(1, 1, 1, 1)
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def token_span(token: Token) -> Span:
    line, column = token.line or 1, token.column or 1
    return Span(line, column, token.end_line or line, token.end_column or column + len(token))


def unquote(token: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), token[1:-1])


# --- expressions --------------------------------------------------------------


@by_fields
@dataclass(frozen=True, slots=True)
class Literal:
    value: Any
    span: Span
    error: str | None = None
    """Set when the text looked like a literal but is not one (2024-02-30)."""


@by_fields
@dataclass(frozen=True, slots=True)
class Name:
    name: str
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Attr:
    target: Expr
    name: str
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Call:
    function: str
    args: tuple[Expr, ...]
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class ListExpr:
    items: tuple[Expr, ...]
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Negate:
    operand: Expr
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Logic:
    """`and` / `or` over two or more operands."""

    op: str
    operands: tuple[Expr, ...]
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Binary:
    """Comparisons (== != < <= > >=) and arithmetic (+ - * /)."""

    op: str
    left: Expr
    right: Expr
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Test:
    """Word operators: present, missing, in, not_in, matches, contains, before, after, within, overlaps."""

    op: str
    subject: Expr
    argument: Expr | None
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Quantifier:
    """`exists|no|every|count|share|select VAR in SOURCE [where COND] [satisfies TEST]`."""

    kind: str
    var: str
    source: Expr
    where: Expr | None
    satisfies: Expr | None
    span: Span


Expr = Literal | Name | Attr | Call | ListExpr | Not | Negate | Logic | Binary | Test | Quantifier


def conjuncts(where: Expr) -> tuple[Expr, ...]:
    """The operands of a `where` that is an `and`, else the `where` alone."""
    return where.operands if isinstance(where, Logic) and where.op == "and" else (where,)


def is_field_of(node: Expr, var: str) -> bool:
    """Is `node` a field read straight off the variable `var` (`x.roadmap`)?"""
    return isinstance(node, Attr) and isinstance(node.target, Name) and node.target.name == var


# --- rules and rulesets -------------------------------------------------------


@by_fields
@dataclass(frozen=True, slots=True)
class Text:
    ru: str
    en: str | None
    span: Span
    placeholders: tuple[tuple[str, Expr | None], ...] = ()
    """Each `{placeholder}` of a message and its parse (None: not an expression), made with the rule
    file's parse, so that a parse kept in the cache compiles without the grammar."""


@by_fields
@dataclass(frozen=True, slots=True)
class Clause:
    """One line of a rule body: its keyword and what follows it."""

    keyword: str
    args: tuple[Any, ...]
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class RuleNode:
    code: str
    name: str
    clauses: tuple[Clause, ...]
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class Directive:
    """`disable CODE`, `severity CODE LEVEL`, `set CODE.param = value` in a ruleset."""

    keyword: str
    code: str
    args: tuple[Any, ...]
    span: Span


@by_fields
@dataclass(frozen=True, slots=True)
class RulesetNode:
    name: str | None
    title: Text | None
    extends: tuple[tuple[str, Span], ...]
    rules: tuple[RuleNode, ...]
    directives: tuple[Directive, ...]


_TEST_OPS = ("present", "missing", "in_", "not_in", "matches", "contains", "before", "after", "within", "overlaps")


PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
"""Splits a message template into its text and its `{placeholders}`."""


@v_args(meta=True)
class ToAst(Transformer[Token, Any]):
    """lark parse tree → the dataclasses above; `placeholder` parses a message's placeholders."""

    def __init__(self, placeholder: Callable[[str], Expr | None] | None = None) -> None:
        super().__init__()
        self.placeholder = placeholder

    # literals
    def number(self, meta: Any, children: list[Token]) -> Literal:
        text = str(children[0])
        return Literal(float(text) if "." in text else int(text), span_of(meta))

    def neg_number(self, meta: Any, children: list[Token]) -> Literal:
        value = self.number(meta, children).value
        return Literal(-value, span_of(meta))

    def string(self, meta: Any, children: list[Token]) -> Literal:
        return Literal(unquote(str(children[0])), span_of(meta))

    def date(self, meta: Any, children: list[Token]) -> Literal:
        try:
            return Literal(dt.date.fromisoformat(str(children[0])), span_of(meta))
        except ValueError:
            return Literal(None, span_of(meta), error=f"{children[0]}")  # the checker reports it

    def true(self, meta: Any, children: list[Token]) -> Literal:
        return Literal(True, span_of(meta))

    def false(self, meta: Any, children: list[Token]) -> Literal:
        return Literal(False, span_of(meta))

    def null(self, meta: Any, children: list[Token]) -> Literal:
        return Literal(None, span_of(meta))

    def text(self, meta: Any, children: list[Token]) -> Text:
        text = unquote(str(children[0]))
        parse = self.placeholder
        if parse is None:
            return Text(text, None, span_of(meta))
        pieces = PLACEHOLDER.split(text)[1::2]
        return Text(text, None, span_of(meta), tuple((piece, parse(piece[1:-1])) for piece in dict.fromkeys(pieces)))

    # expressions
    def name(self, meta: Any, children: list[Token]) -> Name:
        return Name(str(children[0]), span_of(meta))

    def attr(self, meta: Any, children: list[Any]) -> Attr:
        return Attr(children[0], str(children[1]), span_of(meta))

    def call(self, meta: Any, children: list[Any]) -> Call:
        return Call(str(children[0]), tuple(c for c in children[1:] if c is not None), span_of(meta))

    def list_expr(self, meta: Any, children: list[Any]) -> ListExpr:
        return ListExpr(tuple(c for c in children if c is not None), span_of(meta))

    def not_(self, meta: Any, children: list[Any]) -> Not:
        return Not(children[0], span_of(meta))

    def neg(self, meta: Any, children: list[Any]) -> Negate:
        return Negate(children[0], span_of(meta))

    def and_(self, meta: Any, children: list[Any]) -> Logic:
        return Logic("and", tuple(children), span_of(meta))

    def or_(self, meta: Any, children: list[Any]) -> Logic:
        return Logic("or", tuple(children), span_of(meta))

    def compare(self, meta: Any, children: list[Any]) -> Binary:
        return Binary(str(children[1]), children[0], children[2], span_of(meta))

    def arith(self, meta: Any, children: list[Any]) -> Binary:
        return Binary(str(children[1]), children[0], children[2], span_of(meta))

    def quant(self, meta: Any, children: list[Any]) -> Quantifier:
        kind, var, source, where, satisfies = children
        return Quantifier(str(kind), str(var), source, where, satisfies, span_of(meta))

    def __default__(self, data: Any, children: list[Any], meta: Any) -> Any:
        if data in _TEST_OPS:
            argument = children[1] if len(children) > 1 else None
            if isinstance(argument, Token):  # `matches "regex"` keeps its pattern as a string literal
                argument = Literal(unquote(str(argument)), token_span(argument))
            return Test(data.rstrip("_"), children[0], argument, span_of(meta))
        return super().__default__(data, children, meta)  # type: ignore[no-untyped-call]

    # rule bodies
    def _clause(self, keyword: str, meta: Any, children: list[Any]) -> Clause:
        return Clause(keyword, tuple(children), span_of(meta))

    def title(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("title", meta, children)

    def severity(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("severity", meta, [str(children[0])])

    def rationale(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("rationale", meta, children)

    def source(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("source", meta, children)

    def example(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("example", meta, children)

    def param(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("param", meta, [str(children[0]), children[1]])

    def for_clause(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("for", meta, [str(children[0]), children[1], children[2]])

    def require(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("require", meta, children)

    def at(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("at", meta, children)

    def message(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("message", meta, children)

    def related(self, meta: Any, children: list[Any]) -> Clause:
        return self._clause("related", meta, children)

    def rule(self, meta: Any, children: list[Any]) -> RuleNode:
        code, name, *clauses = children
        return RuleNode(str(code), str(name), tuple(c for c in clauses if c is not None), span_of(meta))

    # ruleset level
    def disable(self, meta: Any, children: list[Token]) -> list[Directive]:
        return [Directive("disable", str(c), (), token_span(c)) for c in children]

    def set_severity(self, meta: Any, children: list[Token]) -> list[Directive]:
        return [Directive("severity", str(children[0]), (str(children[1]),), token_span(children[0]))]

    def set_param(self, meta: Any, children: list[Any]) -> list[Directive]:
        return [Directive("set", str(children[0]), (str(children[1]), children[2]), token_span(children[0]))]

    def ruleset_ref(self, meta: Any, children: list[Token]) -> tuple[str, Span]:
        """A built-in ruleset's name, or a quoted path to a rule file (relative to this one)."""
        token = children[0]
        name = unquote(str(token)) if token.type == "STRING" else str(token)
        return name, token_span(token)

    def extends(self, meta: Any, children: list[tuple[str, Span]]) -> tuple[tuple[str, Span], ...]:
        return tuple(children)

    def header(self, meta: Any, children: list[Any]) -> tuple[str, Text | None, tuple[tuple[str, Span], ...]]:
        name, *rest = children
        texts = [c for c in rest if isinstance(c, Text)]
        extends = next((c for c in rest if isinstance(c, tuple)), ())
        title = None
        if texts:
            title = Text(texts[0].ru, texts[1].ru if len(texts) > 1 else None, texts[0].span)
        return str(name), title, extends

    def start(self, meta: Any, children: list[Any]) -> RulesetNode:
        name, title, extends = None, None, ()
        rules: list[RuleNode] = []
        directives: list[Directive] = []
        for child in children:
            if isinstance(child, tuple) and len(child) == 3 and not isinstance(child, RuleNode):
                name, title, extends = child
            elif isinstance(child, RuleNode):
                rules.append(child)
            elif isinstance(child, list):
                directives.extend(child)
        return RulesetNode(name, title, tuple(extends), tuple(rules), tuple(directives))
