"""Rule files to compiled rules: parse, check against the data model, build closures.

One walk over each expression both infers its type (reporting unknown names
and type mismatches at their position in the rule file) and returns a Python
closure that evaluates it. No rule text is ever passed to eval/exec.

Values follow three-valued logic: a missing value makes a comparison unknown
(None), and a rule fires only when its requirement is definitely false, so a
measure with no deadline is judged by the rule about missing deadlines, not
by every rule that reads a deadline.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from roadmap_rules.diagnostics import Message, Severity, Span
from roadmap_rules.rules.functions import CONSTANT_VALUES, FUNCTIONS
from roadmap_rules.rules.types import (
    ANY,
    BOOL,
    COLLECTIONS,
    CONSTANTS,
    DATE,
    ENTITY_TYPES,
    FIELDS,
    INTERVAL_LIKE,
    NULL,
    NUMBER,
    STR,
    Type,
    comparable,
    list_of,
)

Env = dict[str, Any]
Fn = Callable[[Env], Any]


@cache
def parser() -> Lark:
    grammar = (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, start=["start", "expr"], maybe_placeholders=True)


@dataclass(frozen=True, slots=True)
class Problem:
    """A defect of a rule file, found before anything runs."""

    code: str
    message: Message
    span: Span
    hint: Message | None = None


@dataclass
class Template:
    """A message with `{expr}` holes compiled like any expression."""

    parts: list[str | Fn]

    def render(self, env: Env, lang: str) -> str:
        return "".join(p if isinstance(p, str) else show(p(env), lang) for p in self.parts)


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
    title: Message = Message("", "")
    severity: Severity = Severity.WARNING
    rationale: Message = Message("", "")
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


@dataclass
class RulesetFile:
    name: str
    path: str
    title: Message
    extends: list[str]
    rules: list[CompiledRule]
    disabled: list[tuple[str, Span]]
    severities: list[tuple[str, Severity, Span]]
    settings: list[tuple[str, str, Any, Span]]
    problems: list[Problem]


def _span(meta: Any) -> Span:
    if getattr(meta, "empty", True):
        return Span(1, 1, 1, 1)
    return Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _token_span(token: Token) -> Span:
    return Span(token.line or 1, token.column or 1, token.end_line or token.line or 1, token.end_column or token.column or 1)


def _string(token: Token) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), token[1:-1])


def parse_ruleset(text: str, path: str, default_name: str) -> RulesetFile:
    """Parse and compile one rule file; every defect becomes a Problem, never an exception."""
    ruleset = RulesetFile(default_name, path, Message("", ""), [], [], [], [], [], [])
    try:
        tree = parser().parse(text, start="start")
    except UnexpectedInput as error:
        ruleset.problems.append(_syntax_problem(error, text))
        return ruleset
    for item in tree.children:
        if item is None:
            continue
        if item.data == "header":
            name, *rest = item.children
            ruleset.name = str(name)
            texts = [_string(t.children[0]) for t in rest if isinstance(t, Tree) and t.data == "text"]
            ruleset.title = Message(texts[0] if texts else "", texts[1] if len(texts) > 1 else (texts[0] if texts else ""))
            for t in rest:
                if isinstance(t, Tree) and t.data == "extends":
                    ruleset.extends.extend(str(n) for n in t.children)
        elif item.data == "rule":
            ruleset.rules.append(_compile_rule(item, path, ruleset.problems))
        elif item.data == "disable":
            ruleset.disabled.extend((str(c), _token_span(c)) for c in item.children)
        elif item.data == "set_severity":
            code, sev = item.children
            ruleset.severities.append((str(code), Severity(str(sev)), _token_span(code)))
        elif item.data == "set_param":
            code, name, value = item.children
            ruleset.settings.append((str(code), str(name), _literal(value), _token_span(code)))
    return ruleset


def _syntax_problem(error: UnexpectedInput, text: str) -> Problem:
    line, column = getattr(error, "line", 1) or 1, getattr(error, "column", 1) or 1
    if isinstance(error, UnexpectedToken):
        expected = sorted(error.accepts or error.expected)[:8]
        ru = f"Неожиданное «{error.token}»; ожидалось: {', '.join(expected)}"
        en = f"Unexpected '{error.token}'; expected: {', '.join(expected)}"
    elif isinstance(error, UnexpectedCharacters):
        ru = f"Неожиданный символ «{text[error.pos_in_stream]}»"
        en = f"Unexpected character '{text[error.pos_in_stream]}'"
    elif isinstance(error, UnexpectedEOF):
        ru, en = "Файл правил неожиданно закончился (не хватает «}»?)", "Unexpected end of the rule file (missing '}'?)"
    else:
        ru, en = str(error), str(error)
    return Problem("R001", Message(f"Синтаксическая ошибка: {ru}", f"Syntax error: {en}"), Span(line, column, line, column + 1))


def _literal(tree: Any) -> Any:
    kind = tree.data
    if kind == "number":
        return _num(tree.children[0])
    if kind == "neg_number":
        return -_num(tree.children[0])
    if kind == "string":
        return _string(tree.children[0])
    if kind == "date":
        return dt.date.fromisoformat(str(tree.children[0]))
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "list":
        return [_literal(c) for c in tree.children if c is not None]
    raise ValueError(kind)


def _num(token: Token) -> float | int:
    return float(token) if "." in token else int(token)


def _literal_type(value: Any) -> Type:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return STR
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, list):
        return list_of(_literal_type(value[0]) if value else ANY)
    return ANY


def _compile_rule(tree: Tree[Any], path: str, problems: list[Problem]) -> CompiledRule:
    code_token, name_token, *items = tree.children
    rule = CompiledRule(str(code_token), str(name_token), path, _span(tree.meta))
    scope: dict[str, Type] = {}
    compiler = _ExprCompiler(problems)
    deferred: list[Tree[Any]] = []
    for item in items:
        kind = item.data
        texts = [_string(c.children[0]) for c in item.children if isinstance(c, Tree) and c.data == "text"]
        if kind == "title":
            rule.title = Message(texts[0], texts[1] if len(texts) > 1 else texts[0])
        elif kind == "severity":
            rule.severity = Severity(str(item.children[0]))
        elif kind == "rationale":
            rule.rationale = Message(texts[0], texts[1] if len(texts) > 1 else texts[0])
        elif kind == "source":
            rule.source = texts[0]
        elif kind == "example":
            rule.examples.append(texts[0])
        elif kind == "param":
            rule.params[str(item.children[0])] = _literal(item.children[1])
        else:
            deferred.append(item)
    compiler.params = {name: _literal_type(value) for name, value in rule.params.items()}
    for item in deferred:
        kind = item.data
        if kind == "for_clause":
            var, coll, where = item.children
            rule.var = str(var)
            fn, coll_type = compiler.expr(coll, scope)
            if not coll_type.is_list and coll_type != ANY:
                compiler.problem("R003", item.meta, f"После «in» нужен список, а не {coll_type}", f"'in' needs a list, not {coll_type}")
            rule.collection = fn
            scope[rule.var] = coll_type.item or ANY
            if where is not None:
                rule.where = compiler.condition(where, scope)
        elif kind == "require":
            rule.require = compiler.condition(item.children[0], scope)
        elif kind == "at":
            rule.at_target, rule.at_field = compiler.location(item.children[0], scope)
        elif kind == "message":
            texts = [c for c in item.children if isinstance(c, Tree)]
            ru = compiler.template(texts[0].children[0], scope)
            en = compiler.template(texts[1].children[0], scope) if len(texts) > 1 else ru
            rule.message = (ru, en)
        elif kind == "related":
            target, *texts_ = [c for c in item.children if c is not None]
            fn, _ = compiler.expr(target, scope)
            ru = compiler.template(texts_[0].children[0], scope) if texts_ else Template([])
            en = compiler.template(texts_[1].children[0], scope) if len(texts_) > 1 else ru
            rule.related.append(Related(fn, (ru, en)))
    for needed, ru, en in (
        (rule.collection, "«for … in …»", "'for … in …'"),
        (rule.require, "«require …»", "'require …'"),
        (rule.message, "«message …»", "'message …'"),
    ):
        if needed is None:
            problems.append(Problem("R001", Message(f"В правиле {rule.code} нет {ru}", f"Rule {rule.code} has no {en}"), rule.span))
    if not rule.title.ru:
        problems.append(Problem("R001", Message(f"В правиле {rule.code} нет «title»", f"Rule {rule.code} has no 'title'"), rule.span))
    return rule


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _const(value: Any) -> Fn:
    return lambda env: value


class _ExprCompiler:
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.params: dict[str, Type] = {}

    def problem(self, code: str, meta: Any, ru: str, en: str, hint: Message | None = None) -> None:
        self.problems.append(Problem(code, Message(ru, en), _span(meta), hint))

    def condition(self, tree: Any, scope: dict[str, Type]) -> Fn:
        fn, _ = self.expr(tree, scope)
        return fn

    def template(self, token: Token, scope: dict[str, Type]) -> Template:
        text = _string(token)
        parts: list[str | Fn] = []
        for piece in re.split(r"(\{[^{}]*\})", text):
            if piece.startswith("{") and piece.endswith("}"):
                try:
                    tree = parser().parse(piece[1:-1], start="expr")
                except UnexpectedInput:
                    self.problems.append(
                        Problem("R001", Message(f"Ошибка в подстановке «{piece}»", f"Bad placeholder '{piece}'"), _token_span(token))
                    )
                    parts.append(piece)
                    continue
                before = len(self.problems)
                fn, _ = self.expr(tree, scope)
                for i in range(before, len(self.problems)):  # placeholders point at their message
                    p = self.problems[i]
                    self.problems[i] = Problem(p.code, p.message, _token_span(token), p.hint)
                parts.append(fn)
            elif piece:
                parts.append(piece)
        return Template(parts)

    def location(self, tree: Any, scope: dict[str, Type]) -> tuple[Fn, str | None]:
        """`at x.field` points at the field of entity x; `at x` at the entity."""
        if isinstance(tree, Tree) and tree.data == "attr":
            target, name = tree.children
            fn, target_type = self.expr(target, scope)
            if target_type.name in ENTITY_TYPES:
                self._field(target_type, str(name), tree.meta)
                return fn, str(name)
        fn, _ = self.expr(tree, scope)
        return fn, None

    def expr(self, tree: Any, scope: dict[str, Type]) -> tuple[Fn, Type]:
        if isinstance(tree, Token):  # a bare NAME reaching here
            return self._name(tree, scope)
        handler = getattr(self, f"_{tree.data}", None)
        if handler is None:
            raise AssertionError(f"no compiler for {tree.data}")
        result: tuple[Fn, Type] = handler(tree, scope)
        return result

    # atoms
    def _number(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return _const(_num(tree.children[0])), NUMBER

    def _string(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return _const(_string(tree.children[0])), STR

    def _date(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        try:
            return _const(dt.date.fromisoformat(str(tree.children[0]))), DATE
        except ValueError:
            self.problem("R003", tree.meta, f"Неверная дата {tree.children[0]}", f"Invalid date {tree.children[0]}")
            return _const(None), DATE

    def _true(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return _const(True), BOOL

    def _false(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return _const(False), BOOL

    def _null(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return _const(None), NULL

    def _name(self, tree: Any, scope: dict[str, Type]) -> tuple[Fn, Type]:
        token = tree.children[0] if isinstance(tree, Tree) else tree
        name = str(token)
        if name in scope:
            return (lambda env: env[name]), scope[name]
        if name in self.params:
            key = "$" + name
            return (lambda env: env[key]), self.params[name]
        if name in COLLECTIONS:
            return (lambda env: env["$ws"].collection(name)), COLLECTIONS[name]
        if name == "today":
            return (lambda env: env["$today"]), CONSTANTS[name]
        if name in CONSTANTS:
            value = CONSTANT_VALUES[name]
            return _const(value), CONSTANTS[name]
        known = [*scope, *self.params, *COLLECTIONS, *CONSTANTS]
        self.problem(
            "R002",
            tree.meta if isinstance(tree, Tree) else _FakeMeta(token),
            f"Неизвестное имя «{name}»",
            f"Unknown name '{name}'",
            _did_you_mean(name, known),
        )
        return _const(None), ANY

    def _list(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        items = [self.expr(c, scope) for c in tree.children if c is not None]
        fns = [f for f, _ in items]
        item_type = items[0][1] if items else ANY
        return (lambda env: [f(env) for f in fns]), list_of(item_type)

    def _call(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        name_token, *args = tree.children
        name = str(name_token)
        function = FUNCTIONS.get(name)
        compiled = [self.expr(a, scope) for a in args if a is not None]
        if function is None:
            self.problem("R002", tree.meta, f"Неизвестная функция «{name}»", f"Unknown function '{name}'", _did_you_mean(name, FUNCTIONS))
            return _const(None), ANY
        if len(compiled) != len(function.params):
            self.problem(
                "R003",
                tree.meta,
                f"Функция {name} принимает {len(function.params)} арг., передано {len(compiled)}",
                f"Function {name} takes {len(function.params)} argument(s), {len(compiled)} given",
            )
            return _const(None), function.result
        for (_, actual), expected in zip(compiled, function.params, strict=True):
            if expected.is_list and not actual.is_list and actual not in (ANY, NULL):
                self.problem("R003", tree.meta, f"Функции {name} нужен список, а не {actual}", f"Function {name} needs a list, not {actual}")
        fns = [f for f, _ in compiled]
        call = function.call
        result = function.result
        if name in ("first", "min", "max") and compiled and compiled[0][1].item is not None:
            result = compiled[0][1].item or ANY
        if name in ("distinct",) and compiled:
            result = compiled[0][1]
        return (lambda env: call(*(f(env) for f in fns))), result

    def _attr(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        target, name_token = tree.children
        name = str(name_token)
        fn, target_type = self.expr(target, scope)
        if target_type.is_list and target_type.item is not None and target_type.item.name in FIELDS:
            field_type = self._field(target_type.item, name, tree.meta)
            flat = field_type.is_list

            def mapped(env: Env) -> Any:
                values = fn(env)
                if values is None:
                    return None
                out: list[Any] = []
                for v in values:
                    got = _get(v, name)
                    if flat and isinstance(got, list):
                        out.extend(got)
                    elif got is not None:
                        out.append(got)
                return out

            return mapped, field_type if flat else list_of(field_type)
        field_type = self._field(target_type, name, tree.meta)
        return (lambda env: _get(fn(env), name)), field_type

    def _field(self, owner: Type, name: str, meta: Any) -> Type:
        if owner in (ANY, NULL):
            return ANY
        fields = FIELDS.get(owner.name)
        if fields is None:
            self.problem("R003", meta, f"У значения типа {owner} нет полей", f"A value of type {owner} has no fields")
            return ANY
        if name not in fields:
            self.problem(
                "R002",
                meta,
                f"У «{owner}» нет поля «{name}»",
                f"'{owner}' has no field '{name}'",
                _did_you_mean(name, fields),
            )
            return ANY
        return fields[name]

    # operators
    def _not_(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fn, _ = self.expr(tree.children[0], scope)

        def negate(env: Env) -> Any:
            value = fn(env)
            return None if value is None else not value

        return negate, BOOL

    def _and_(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fns = [self.expr(c, scope)[0] for c in tree.children]

        def conj(env: Env) -> Any:
            unknown = False
            for f in fns:
                value = f(env)
                if value is None:
                    unknown = True
                elif not value:
                    return False
            return None if unknown else True

        return conj, BOOL

    def _or_(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fns = [self.expr(c, scope)[0] for c in tree.children]

        def disj(env: Env) -> Any:
            unknown = False
            for f in fns:
                value = f(env)
                if value is None:
                    unknown = True
                elif value:
                    return True
            return None if unknown else False

        return disj, BOOL

    def _compare(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        left, op, right = tree.children
        lf, lt = self.expr(left, scope)
        rf, rt = self.expr(right, scope)
        if not comparable(lt, rt):
            self.problem("R003", tree.meta, f"Нельзя сравнить {lt} и {rt}", f"Cannot compare {lt} with {rt}", _compare_hint(lt, rt))
        compare = _COMPARE[str(op)]

        def cmp(env: Env) -> Any:
            a, b = lf(env), rf(env)
            if a is None or b is None:
                return None  # unknown: `is missing` is how a rule asks for absence
            try:
                return compare(a, b)
            except TypeError:
                return None

        return cmp, BOOL

    def _before(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return self._interval_relation(tree, scope, lambda a, b: a[1] < b[0])

    def _after(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return self._interval_relation(tree, scope, lambda a, b: a[0] > b[1])

    def _within(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return self._interval_relation(tree, scope, lambda a, b: a[0] >= b[0] and a[1] <= b[1])

    def _overlaps(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        return self._interval_relation(tree, scope, lambda a, b: a[0] <= b[1] and b[0] <= a[1])

    def _interval_relation(self, tree: Tree[Any], scope: dict[str, Type], relation: Callable[[Any, Any], bool]) -> tuple[Fn, Type]:
        left, right = tree.children
        lf, lt = self.expr(left, scope)
        rf, rt = self.expr(right, scope)
        for side in (lt, rt):
            if side.name not in INTERVAL_LIKE and side != NULL:
                self.problem("R003", tree.meta, f"Ожидалась дата, срок или период, а не {side}", f"Expected a date, deadline or period, not {side}")

        def rel(env: Env) -> Any:
            a, b = _bounds(lf(env)), _bounds(rf(env))
            return None if a is None or b is None else relation(a, b)

        return rel, BOOL

    def _present(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fn, _ = self.expr(tree.children[0], scope)
        return (lambda env: _is_present(fn(env))), BOOL

    def _missing(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fn, _ = self.expr(tree.children[0], scope)
        return (lambda env: not _is_present(fn(env))), BOOL

    def _in_(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        lf, _ = self.expr(tree.children[0], scope)
        rf, rt = self.expr(tree.children[1], scope)
        if not rt.is_list and rt not in (ANY, STR):
            self.problem("R003", tree.meta, f"После «in» нужен список, а не {rt}", f"'in' needs a list, not {rt}")

        def member(env: Env) -> Any:
            a, b = lf(env), rf(env)
            return None if a is None or b is None else a in b

        return member, BOOL

    def _not_in(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fn, t = self._in_(tree, scope)
        return (lambda env: None if (v := fn(env)) is None else not v), t

    def _matches(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        lf, _ = self.expr(tree.children[0], scope)
        try:
            pattern = re.compile(_string(tree.children[1]), re.IGNORECASE)
        except re.error as error:
            self.problem("R003", tree.meta, f"Неверное регулярное выражение: {error}", f"Invalid regular expression: {error}")
            return _const(None), BOOL

        def match(env: Env) -> Any:
            value = lf(env)
            if value is None:
                return None
            if isinstance(value, list):
                return any(isinstance(v, str) and pattern.search(v) for v in value)
            return bool(pattern.search(str(value)))

        return match, BOOL

    def _contains(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        lf, _ = self.expr(tree.children[0], scope)
        rf, _ = self.expr(tree.children[1], scope)

        def contains(env: Env) -> Any:
            a, b = lf(env), rf(env)
            if a is None or b is None:
                return None
            if isinstance(a, str):
                return str(b).lower() in a.lower()
            return b in a

        return contains, BOOL

    def _arith(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        left, op, right = tree.children
        lf, lt = self.expr(left, scope)
        rf, rt = self.expr(right, scope)
        for side in (lt, rt):
            if side not in (NUMBER, ANY):
                self.problem("R003", tree.meta, f"Арифметика возможна только с числами, а не с {side}", f"Arithmetic needs numbers, not {side}")
        apply = _ARITH[str(op)]

        def arith(env: Env) -> Any:
            a, b = lf(env), rf(env)
            if a is None or b is None:
                return None
            try:
                return apply(a, b)
            except (TypeError, ZeroDivisionError):
                return None

        return arith, NUMBER

    def _neg(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        fn, t = self.expr(tree.children[0], scope)
        return (lambda env: None if (v := fn(env)) is None else -v), t

    def _quant(self, tree: Tree[Any], scope: dict[str, Type]) -> tuple[Fn, Type]:
        quant, var_token, coll, where, satisfies = tree.children
        var = str(var_token)
        coll_fn, coll_type = self.expr(coll, scope)
        if not coll_type.is_list and coll_type != ANY:
            self.problem("R003", tree.meta, f"После «in» нужен список, а не {coll_type}", f"'in' needs a list, not {coll_type}")
        inner = {**scope, var: coll_type.item or ANY}
        where_fn = self.condition(where, inner) if where is not None else None
        test_fn = self.condition(satisfies, inner) if satisfies is not None else None
        kind = str(quant)
        if kind in ("every", "share") and test_fn is None:
            self.problem("R001", tree.meta, f"«{kind}» требует «satisfies …»", f"'{kind}' needs 'satisfies …'")
        source = _indexed_source(coll, where, var, scope, self) or (lambda env: coll_fn(env))

        def items(env: Env) -> Iterable[Any]:
            values = source(env)
            if values is None:
                return
            saved = env.get(var, _MISSING)
            try:
                for value in values:
                    env[var] = value
                    if where_fn is None or where_fn(env) is True:
                        yield value
            finally:
                if saved is _MISSING:
                    env.pop(var, None)
                else:
                    env[var] = saved

        def truth(env: Env, value: Any) -> Any:
            if test_fn is None:
                return True
            env[var] = value
            return test_fn(env)

        if kind == "exists":
            return (lambda env: any(truth(env, v) is True for v in items(env))), BOOL
        if kind == "no":
            return (lambda env: not any(truth(env, v) is True for v in items(env))), BOOL
        if kind == "every":
            return (lambda env: all(truth(env, v) is not False for v in items(env))), BOOL
        if kind == "count":
            return (lambda env: sum(1 for v in items(env) if truth(env, v) is True)), NUMBER
        if kind == "select":
            return (lambda env: [v for v in items(env) if truth(env, v) is True]), coll_type

        def share(env: Env) -> Any:
            total = passed = 0
            for v in items(env):
                total += 1
                passed += truth(env, v) is True
            return None if total == 0 else round(100.0 * passed / total, 1)

        return share, NUMBER


_MISSING = object()


class _FakeMeta:
    def __init__(self, token: Token) -> None:
        self.empty = False
        self.line, self.column = token.line, token.column
        self.end_line, self.end_column = token.end_line, token.end_column


def _indexed_source(coll: Any, where: Any, var: str, scope: dict[str, Type], compiler: _ExprCompiler) -> Fn | None:
    """`x in <collection> where x.f == E and x.g == F …` reads a hash index instead of scanning."""
    if where is None or not (isinstance(coll, Tree) and coll.data == "name"):
        return None
    collection = str(coll.children[0])
    if collection not in COLLECTIONS or collection in scope:
        return None
    keys: list[tuple[str, Fn]] = []
    silent = _ExprCompiler([])  # the where clause reports its own problems
    silent.params = compiler.params
    for conjunct in where.children if where.data == "and_" else [where]:
        if not (isinstance(conjunct, Tree) and conjunct.data == "compare" and str(conjunct.children[1]) == "=="):
            continue
        for own, other in ((conjunct.children[0], conjunct.children[2]), (conjunct.children[2], conjunct.children[0])):
            if _is_field_of(own, var) and var not in _names(other):
                keys.append((str(own.children[1]), silent.expr(other, scope)[0]))
                break
    if not keys:
        return None
    fields = tuple(name for name, _ in keys)
    key_fns = [fn for _, fn in keys]
    return lambda env: env["$index"](collection, fields).get(tuple(_key(f(env)) for f in key_fns), ())


def _is_field_of(tree: Any, var: str) -> bool:
    return (
        isinstance(tree, Tree)
        and tree.data == "attr"
        and isinstance(tree.children[0], Tree)
        and tree.children[0].data == "name"
        and str(tree.children[0].children[0]) == var
    )


def _names(tree: Any) -> set[str]:
    if isinstance(tree, Token):
        return {str(tree)}
    if isinstance(tree, Tree):
        if tree.data == "name":
            return {str(tree.children[0])}
        return set().union(*(_names(c) for c in tree.children))
    return set()


def _key(value: Any) -> Any:
    return id(value) if hasattr(value, "__slots__") and hasattr(value, "pointer") else value


def _get(value: Any, name: str) -> Any:
    if value is None:
        return None
    result = getattr(value, name, None)
    if hasattr(result, "value") and not isinstance(result, dt.date | int | float | str | bool):
        return result.value  # enums
    return result


def _bounds(value: Any) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value, value
    start, end = getattr(value, "start", None), getattr(value, "end", None)
    if isinstance(start, dt.date) and isinstance(end, dt.date):
        return start, end
    return None


def _is_present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | tuple | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def _did_you_mean(name: str, candidates: Iterable[str]) -> Message | None:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return None
    options = ", ".join(close)
    return Message(f"Возможно, имелось в виду: {options}", f"Did you mean: {options}?")


def _compare_hint(left: Type, right: Type) -> Message | None:
    if "deadline" in (left.name, right.name):
        return Message("Сравнивайте даты срока: .start или .end", "Compare a deadline's dates: .start or .end")
    return None


def show(value: Any, lang: str) -> str:
    """How a value appears inside a message."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("да" if value else "нет") if lang == "ru" else str(value).lower()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y") if lang == "ru" else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ", ".join(show(v, lang) for v in value) or "—"
    phrase = getattr(value, "phrase", None)
    if isinstance(phrase, str):
        return phrase
    for attr in ("name", "title", "id", "number"):
        label = getattr(value, attr, None)
        if isinstance(label, str) and label:
            return label
    return str(value)


__all__ = ["ANY", "CompiledRule", "Problem", "RulesetFile", "parse_ruleset", "show"]
