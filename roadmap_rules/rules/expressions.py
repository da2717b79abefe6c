"""Expressions of the rule language: type-checked and compiled to closures in one walk.

Each `expr` call returns the closure that evaluates a node and the node's
type; unknown names, fields and functions, type mismatches, bad regexes and
dates become Problems at the node's span. Closures take an environment: the
bound variables, `$`-prefixed parameters, `$ws` (collections), `$index`
(hash indexes) and `$today`.

Values follow three-valued logic: a missing value makes a comparison unknown
(None); `and`/`or`/`not` and the quantifiers propagate it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from roadmap_rules.diagnostics import Message, Span
from roadmap_rules.rules.ast import (
    PLACEHOLDER,
    Attr,
    Binary,
    Call,
    Expr,
    ListExpr,
    Literal,
    Logic,
    Name,
    Negate,
    Not,
    Quantifier,
    Test,
    Text,
    conjuncts,
    is_field_of,
)
from roadmap_rules.rules.functions import CONSTANT_VALUES, FUNCTIONS
from roadmap_rules.rules.parse import parse_placeholder
from roadmap_rules.rules.problems import Problem, did_you_mean
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
from roadmap_rules.rules.values import bounds, get_field, is_present, show
from roadmap_rules.workspace.entities import CACHED_FIELDS

Env = dict[str, Any]
Fn = Callable[[Env], Any]
Source = Callable[[Env], tuple[Any, "Fn | None"]]
"""A quantifier's candidates and the filter still to apply to them."""


@dataclass
class Template:
    """A message with `{expr}` holes compiled like any expression."""

    parts: list[str | Fn]

    def render(self, env: Env, lang: str) -> str:
        return "".join(p if isinstance(p, str) else show(p(env), lang) for p in self.parts)


def literal_type(value: Any) -> Type:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return STR
    if isinstance(value, dt.date):
        return DATE
    if isinstance(value, list):
        return list_of(literal_type(value[0]) if value else ANY)
    return ANY


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_INTERVAL: dict[str, Callable[[tuple[dt.date, dt.date], tuple[dt.date, dt.date]], bool]] = {
    "before": lambda a, b: a[1] < b[0],
    "after": lambda a, b: a[0] > b[1],
    "within": lambda a, b: a[0] >= b[0] and a[1] <= b[1],
    "overlaps": lambda a, b: a[0] <= b[1] and b[0] <= a[1],
}
_MISSING = object()
_SELF_EQUAL = frozenset({"str", "date", "bool", *ENTITY_TYPES})
"""Types whose values always equal themselves (no NaN), so an index hit is an equal value."""
INDEXES = True
"""Whether `where` clauses may read hash indexes; tests turn it off to compare with a plain scan."""


def _const(value: Any) -> Fn:
    return lambda env: value


@dataclass(frozen=True)
class Path:
    """`var.a.b`: fields read off a bound variable; `get` raises AttributeError where one is missing."""

    var: str
    names: tuple[str, ...]
    owner: str
    """The type whose value the last name is read from."""

    @property
    def get(self) -> Callable[[Any], Any]:
        return operator.attrgetter(".".join(self.names))


class ExprCompiler:
    """Type-checks and compiles expressions; problems go to the shared list."""

    def __init__(self, problems: list[Problem], params: dict[str, Type]) -> None:
        self.problems = problems
        self.params = params
        self.paths: dict[Fn, Path] = {}
        """Closures that read a field path of a variable, so callers can fuse the read."""

    def problem(self, code: str, span: Span, ru: str, en: str, hint: Message | None = None) -> None:
        self.problems.append(Problem(code, Message(ru, en), span, hint))

    def expect_list(self, found: Type, span: Span, *, text_too: bool = False) -> None:
        """R003 unless `found` is a list (or, with `text_too`, text: «in "text"» tests a substring)."""
        if not found.is_list and found not in (ANY, NULL) and not (text_too and found == STR):
            self.problem("R003", span, f"После «in» нужен список, а не {found}", f"'in' needs a list, not {found}")

    def template(self, text: Text, scope: dict[str, Type]) -> Template:
        parts: list[str | Fn] = []
        for piece in PLACEHOLDER.split(text.ru):
            if not (piece.startswith("{") and piece.endswith("}")):
                if piece:
                    parts.append(piece)
                continue
            node = parse_placeholder(text, piece)
            if node is None:
                self.problem("R001", text.span, f"Ошибка в подстановке «{piece}»", f"Bad placeholder '{piece}'")
                parts.append(piece)
                continue
            before = len(self.problems)
            parts.append(self.expr(node, scope)[0])
            for i in range(before, len(self.problems)):  # a placeholder's problems point at its message
                p = self.problems[i]
                self.problems[i] = Problem(p.code, p.message, text.span, p.hint)
        return Template(parts)

    def location(self, node: Expr, scope: dict[str, Type]) -> tuple[Fn, str | None]:
        """`at x.field` points at the field of entity x; `at x` at the entity."""
        if isinstance(node, Attr):
            fn, target_type = self.expr(node.target, scope)
            if target_type.name in ENTITY_TYPES:
                self.field(target_type, node.name, node.span)
                return fn, node.name
        return self.expr(node, scope)[0], None

    def field(self, owner: Type, name: str, span: Span) -> Type:
        if owner in (ANY, NULL):
            return ANY
        fields = FIELDS.get(owner.name)
        if fields is None:
            self.problem("R003", span, f"У значения типа {owner} нет полей", f"A value of type {owner} has no fields")
            return ANY
        if name not in fields:
            self.problem(
                "R002",
                span,
                f"У «{owner}» нет поля «{name}»",
                f"'{owner}' has no field '{name}'",
                did_you_mean(name, fields),
            )
            return ANY
        return fields[name]

    def expr(self, node: Expr, scope: dict[str, Type]) -> tuple[Fn, Type]:
        match node:
            case Literal(value=value, error=error):
                if error is not None:
                    self.problem("R003", node.span, f"Неверная дата {error}", f"Invalid date {error}")
                    return _const(None), DATE
                return _const(value), literal_type(value) if value is not None else NULL
            case Name(name=name):
                return self.name(name, node.span, scope)
            case Attr():
                return self.attr(node, scope)
            case Call():
                return self.call(node, scope)
            case ListExpr(items=items):
                compiled = [self.expr(i, scope) for i in items]
                fns = [f for f, _ in compiled]
                item_type = list_of(compiled[0][1] if compiled else ANY)
                if all(isinstance(i, Literal) for i in items):  # `in ["concept", …]`: built once; nothing mutates it
                    return _const([f({}) for f in fns]), item_type
                return (lambda env: [f(env) for f in fns]), item_type
            case Not(operand=operand):
                fn = self.expr(operand, scope)[0]
                return (lambda env: None if (v := fn(env)) is None else not v), BOOL
            case Negate(operand=operand):
                fn, t = self.expr(operand, scope)
                return (lambda env: None if (v := fn(env)) is None else -v), t
            case Logic(op=op, operands=operands):
                fns = [self.expr(o, scope)[0] for o in operands]
                return (_conjunction(fns) if op == "and" else _disjunction(fns)), BOOL
            case Binary(op=op) if op in _COMPARE:
                return self.compare(node, scope)
            case Binary():
                return self.arith(node, scope)
            case Test():
                return self.test(node, scope)
            case Quantifier():
                return self.quantifier(node, scope)
        raise AssertionError(f"no compiler for {node!r}")

    def name(self, name: str, span: Span, scope: dict[str, Type]) -> tuple[Fn, Type]:
        if name in scope:
            return (lambda env: env[name]), scope[name]
        if name in self.params:
            slot = "$" + name
            return (lambda env: env[slot]), self.params[name]
        if name in COLLECTIONS:
            return (lambda env: env["$ws"].collection(name)), COLLECTIONS[name]
        if name == "today":
            return (lambda env: env["$today"]), CONSTANTS[name]
        if name in CONSTANTS:
            return _const(CONSTANT_VALUES[name]), CONSTANTS[name]
        known = [*scope, *self.params, *COLLECTIONS, *CONSTANTS]
        self.problem("R002", span, f"Неизвестное имя «{name}»", f"Unknown name '{name}'", did_you_mean(name, known))
        return _const(None), ANY

    def attr(self, node: Attr, scope: dict[str, Type]) -> tuple[Fn, Type]:
        fn, target_type = self.expr(node.target, scope)
        name = node.name
        if target_type.is_list and target_type.item is not None and target_type.item.name in FIELDS:
            field_type = self.field(target_type.item, name, node.span)
            flat = field_type.is_list

            def mapped(env: Env) -> Any:
                values = fn(env)
                if values is None:
                    return None
                out: list[Any] = []
                for v in values:
                    got = get_field(v, name)
                    if flat and isinstance(got, list):
                        out.extend(got)
                    elif got is not None:
                        out.append(got)
                return out

            return mapped, field_type if flat else list_of(field_type)
        field_type = self.field(target_type, name, node.span)
        base = self.paths.get(fn)
        path: Path | None = None
        if isinstance(node.target, Name) and node.target.name in scope:
            path = Path(node.target.name, (name,), target_type.name)  # `m.title`, the commonest form
        elif base is not None:
            cached = CACHED_FIELDS.get((base.owner, base.names[-1], name))
            if cached is not None:  # `m.deadline.end` → `m.deadline_end`
                path = Path(base.var, (*base.names[:-1], cached), base.owner)
            else:
                path = Path(base.var, (*base.names, name), target_type.name)
        if path is not None and not any(hasattr(None, n) for n in path.names):
            return self.path(path), field_type

        def attribute(env: Env) -> Any:
            value = fn(env)
            return None if value is None else getattr(value, name, None)

        return attribute, field_type

    def path(self, path: Path) -> Fn:
        """`m.previous.number` in one call: a missing link or field reads as None, as step by step."""
        var, get = path.var, path.get

        def read_path(env: Env) -> Any:
            try:
                return get(env[var])
            except AttributeError:
                return None

        self.paths[read_path] = path
        return read_path

    def call(self, node: Call, scope: dict[str, Type]) -> tuple[Fn, Type]:
        compiled = [self.expr(a, scope) for a in node.args]
        function = FUNCTIONS.get(node.function)
        if function is None:
            self.problem(
                "R002",
                node.span,
                f"Неизвестная функция «{node.function}»",
                f"Unknown function '{node.function}'",
                did_you_mean(node.function, FUNCTIONS),
            )
            return _const(None), ANY
        if len(compiled) != len(function.params):
            self.problem(
                "R003",
                node.span,
                f"Функция {node.function} принимает {len(function.params)} арг., передано {len(compiled)}",
                f"Function {node.function} takes {len(function.params)} argument(s), {len(compiled)} given",
            )
            return _const(None), function.result
        for (_, actual), expected in zip(compiled, function.params, strict=True):
            if expected.is_list and not actual.is_list and actual not in (ANY, NULL):
                self.problem(
                    "R003",
                    node.span,
                    f"Функции {node.function} нужен список, а не {actual}",
                    f"Function {node.function} needs a list, not {actual}",
                )
        fns = [f for f, _ in compiled]
        result = function.result
        if node.function in ("first", "min", "max") and compiled[0][1].item is not None:
            result = compiled[0][1].item or ANY
        elif node.function == "distinct":
            result = compiled[0][1]
        call = function.call
        if len(fns) == 1:
            (only,) = fns
            return (lambda env: call(only(env))), result
        if len(fns) == 2:
            first, second = fns
            return (lambda env: call(first(env), second(env))), result
        return (lambda env: call(*[f(env) for f in fns])), result

    def compare(self, node: Binary, scope: dict[str, Type]) -> tuple[Fn, Type]:
        lf, lt = self.expr(node.left, scope)
        rf, rt = self.expr(node.right, scope)
        if not comparable(lt, rt):
            hint = None
            if "deadline" in (lt.name, rt.name):
                hint = Message("Сравнивайте даты срока: .start или .end", "Compare a deadline's dates: .start or .end")
            self.problem("R003", node.span, f"Нельзя сравнить {lt} и {rt}", f"Cannot compare {lt} with {rt}", hint)
        compare = _COMPARE[node.op]
        left, right = self.paths.get(lf), self.paths.get(rf)
        if left is not None and right is not None:  # `x.position < m.position`: both reads fused in
            lvar, lget, rvar, rget = left.var, left.get, right.var, right.get

            def cmp_paths(env: Env) -> Any:
                try:
                    a = lget(env[lvar])
                except AttributeError:
                    a = None
                try:
                    b = rget(env[rvar])
                except AttributeError:
                    b = None
                if a is None or b is None:
                    return None
                try:
                    return compare(a, b)
                except TypeError:
                    return None

            return cmp_paths, BOOL
        if isinstance(node.right, Literal) and node.right.value is not None and node.right.error is None:
            value = node.right.value  # `m.kind == "expertise"`: nothing to evaluate on the right
            if left is None:

                def cmp_value(env: Env) -> Any:
                    a = lf(env)
                    if a is None:
                        return None
                    try:
                        return compare(a, value)
                    except TypeError:
                        return None

                return cmp_value, BOOL
            var, get = left.var, left.get

            def cmp_path_value(env: Env) -> Any:
                try:
                    a = get(env[var])
                except AttributeError:
                    return None
                if a is None:
                    return None
                try:
                    return compare(a, value)
                except TypeError:
                    return None

            return cmp_path_value, BOOL

        def cmp(env: Env) -> Any:
            a, b = lf(env), rf(env)
            if a is None or b is None:
                return None  # unknown: `is missing` is how a rule asks for absence
            try:
                return compare(a, b)
            except TypeError:
                return None

        return cmp, BOOL

    def arith(self, node: Binary, scope: dict[str, Type]) -> tuple[Fn, Type]:
        lf, lt = self.expr(node.left, scope)
        rf, rt = self.expr(node.right, scope)
        for side in (lt, rt):
            if side not in (NUMBER, ANY):
                self.problem(
                    "R003",
                    node.span,
                    f"Арифметика возможна только с числами, а не с {side}",
                    f"Arithmetic needs numbers, not {side}",
                )
        apply = _ARITH[node.op]

        def arith(env: Env) -> Any:
            a, b = lf(env), rf(env)
            if a is None or b is None:
                return None
            try:
                return apply(a, b)
            except (TypeError, ZeroDivisionError):
                return None

        return arith, NUMBER

    def test(self, node: Test, scope: dict[str, Type]) -> tuple[Fn, Type]:
        sf, st = self.expr(node.subject, scope)
        if node.op in ("present", "missing"):
            return self.presence(sf, node.op == "present"), BOOL
        assert node.argument is not None
        if node.op == "matches":
            return self.matches(sf, node)
        af, at = self.expr(node.argument, scope)
        if node.op in _INTERVAL:
            for side in (st, at):
                if side.name not in INTERVAL_LIKE and side != NULL:
                    self.problem(
                        "R003",
                        node.span,
                        f"Ожидалась дата, срок или период, а не {side}",
                        f"Expected a date, deadline or period, not {side}",
                    )
            relation = _INTERVAL[node.op]

            def interval(env: Env) -> Any:
                a, b = bounds(sf(env)), bounds(af(env))
                return None if a is None or b is None else relation(a, b)

            return interval, BOOL
        if node.op in ("in", "not_in"):
            self.expect_list(at, node.span, text_too=True)
            negate = node.op == "not_in"

            def member(env: Env) -> Any:
                a, b = sf(env), af(env)
                return None if a is None or b is None else (a in b) != negate

            return member, BOOL

        def contains(env: Env) -> Any:  # "contains"
            a, b = sf(env), af(env)
            if a is None or b is None:
                return None
            return str(b).lower() in a.lower() if isinstance(a, str) else b in a

        return contains, BOOL

    def presence(self, subject: Fn, present: bool) -> Fn:
        """`is present` (present=True) and `is missing`; a field path is read in the same call."""
        path = self.paths.get(subject)
        if path is None:
            return (lambda env: is_present(subject(env))) if present else (lambda env: not is_present(subject(env)))
        var, get = path.var, path.get

        def presence_of_path(env: Env) -> bool:
            try:
                value = get(env[var])
            except AttributeError:
                return not present
            if value is None:
                return not present
            if value.__class__ is str:  # the commonest cases, without a call
                return (value.strip() != "") == present
            if value.__class__ is list:
                return (len(value) > 0) == present
            return is_present(value) == present

        return presence_of_path

    def matches(self, subject: Fn, node: Test) -> tuple[Fn, Type]:
        assert isinstance(node.argument, Literal)
        try:
            pattern = re.compile(str(node.argument.value), re.IGNORECASE)
        except re.error as error:
            self.problem(
                "R003", node.span, f"Неверное регулярное выражение: {error}", f"Invalid regular expression: {error}"
            )
            return _const(None), BOOL

        def match(env: Env) -> Any:
            value = subject(env)
            if value is None:
                return None
            if isinstance(value, list):
                return any(isinstance(v, str) and pattern.search(v) for v in value)
            return bool(pattern.search(str(value)))

        return match, BOOL

    def quantifier(self, node: Quantifier, scope: dict[str, Type]) -> tuple[Fn, Type]:
        var = node.var
        source_fn, source_type = self.expr(node.source, scope)
        self.expect_list(source_type, node.span)
        inner = {**scope, var: source_type.item or ANY}
        where = self.expr(node.where, inner)[0] if node.where is not None else None
        test = self.expr(node.satisfies, inner)[0] if node.satisfies is not None else None
        if node.kind in ("every", "share") and test is None:
            self.problem(
                "R001", node.span, f"«{node.kind}» требует «satisfies …»", f"'{node.kind}' needs 'satisfies …'"
            )
        source = self.index_lookup(var, node.source, node.where, scope, where)
        if source is None:
            source = lambda env: (source_fn(env), where)  # noqa: E731

        fn, result = self.quantify(node.kind, var, source, test, source_type)
        return (_restoring(var, fn) if var in scope else fn), result

    def quantify(self, kind: str, var: str, source: Source, test: Fn | None, source_type: Type) -> tuple[Fn, Type]:
        match kind:
            case "exists":
                return _first_hit(var, source, test, True), BOOL
            case "no":
                return _first_hit(var, source, test, False), BOOL
            case "every":
                return _every(var, source, test), BOOL
        tally = _tally(var, source, test)
        match kind:
            case "count":
                return (lambda env: None if (t := tally(env)) is None else len(t[1])), NUMBER
            case "select":
                return (lambda env: None if (t := tally(env)) is None else t[1]), source_type

        def share(env: Env) -> Any:
            counted = tally(env)
            if counted is None or counted[0] == 0:
                return None
            total, passed = counted
            return round(100.0 * len(passed) / total, 1)

        return share, NUMBER

    def indexed_source(self, var: str, source: Expr, where: Expr | None, scope: dict[str, Type]) -> Fn | None:
        """The candidates of a rule's own `for … in … where` from a hash index (see `index_lookup`)."""
        lookup = self.index_lookup(var, source, where, scope, None)
        return None if lookup is None else lambda env: lookup(env)[0]

    def index_lookup(
        self, var: str, source: Expr, where: Expr | None, scope: dict[str, Type], where_fn: Fn | None
    ) -> Source | None:
        """`x in <collection> where x.f == E and x.g in [..] …` reads a hash index instead of scanning.

        Every conjunct that pins a field of `x` to values known before the loop
        (`==` one value, `in` a list) becomes part of a composite index key.
        The lookup returns the candidates and the filter still to run on them:
        when the hit is exact (every pinned conjunct is true of each
        candidate) only the other conjuncts, None if there are none;
        otherwise `where_fn`, the whole where clause.
        """
        if not INDEXES or where is None or not isinstance(source, Name):
            return None
        collection = source.name
        if collection not in COLLECTIONS or collection in scope or collection in self.params:
            return None  # a variable or a rule's parameter named like a collection is not the collection
        silent = ExprCompiler([], self.params)  # the where clause reports its own problems
        inner = {**scope, var: COLLECTIONS[collection].item or ANY}
        keys: list[tuple[str, Fn, bool]] = []
        rest: list[Expr] = []
        exact_types = True  # a hit is an equal value only for values equal to themselves (no NaN)
        for conjunct in conjuncts(where):
            key = silent.index_key(conjunct, var, scope, inner)
            if key is None:
                rest.append(conjunct)
                continue
            name, fn, multi, field_type = key
            keys.append((name, fn, multi))
            exact_types = exact_types and field_type.name in _SELF_EQUAL
        if not keys:
            return None
        residual: Fn | None = None
        if len(rest) == 1 and _is_boolean(rest[0]):
            residual = silent.expr(rest[0], inner)[0]  # already True, False or None: no wrapper needed
        elif rest:
            residual = _conjunction([silent.expr(node, inner)[0] for node in rest])
        fields = tuple(name for name, _, _ in keys)
        slot = f"$index {collection} {' '.join(fields)}"

        def table(env: Env) -> tuple[dict[Any, list[Any]], bool]:
            """Built (or shared) once per run, then kept in the environment."""
            index, flat = env["$index"](collection, fields)
            found = env[slot] = (index, flat and exact_types)
            return found

        if not any(multi for _, _, multi in keys):
            key_of = _tuple_of([fn for _, fn, _ in keys], silent.paths)

            def lookup_one(env: Env) -> tuple[Any, Fn | None]:
                index, exact = env.get(slot) or table(env)
                key = key_of(env)
                try:
                    hits = index.get(key, ())
                except TypeError:  # a list on the other side of `==` (no index key): scan
                    return env["$ws"].collection(collection), where_fn
                return hits, residual if exact and None not in key else where_fn

            return lookup_one

        def lookup(env: Env) -> tuple[Any, Fn | None]:
            index, exact = env.get(slot) or table(env)
            choices = []
            for _, fn, multi in keys:
                value = fn(env)
                if multi and value is not None and not isinstance(value, list):
                    return env["$ws"].collection(collection), where_fn  # `in` a string is a substring test: scan
                choices.append((value or ()) if multi else (value,))
            found: list[Any] = []
            sources = 0
            try:
                for combination in itertools.product(*choices):
                    exact = exact and None not in combination
                    hits = index.get(combination, ())
                    if hits:
                        found.extend(hits)
                        sources += 1
            except TypeError:  # a list among the values (no index key): scan
                return env["$ws"].collection(collection), where_fn
            if sources > 1:  # each item once (a value may repeat), in the collection's (document) order, as a scan
                ordinal = env["$index"].ordinal(collection)
                unique = {ordinal[id(item)]: item for item in found}
                found = [unique[i] for i in sorted(unique)]
            return found, residual if exact else where_fn

        return lookup

    def index_key(
        self, conjunct: Expr, var: str, scope: dict[str, Type], inner: dict[str, Type]
    ) -> tuple[str, Fn, bool, Type] | None:
        """(field, value, is a list, field type) when a conjunct pins a field of `var` to values known up front."""
        if isinstance(conjunct, Binary) and conjunct.op == "==":
            for own, other in ((conjunct.left, conjunct.right), (conjunct.right, conjunct.left)):
                if isinstance(own, Attr) and is_field_of(own, var) and var not in _names(other):
                    return own.name, self.expr(other, scope)[0], False, self.expr(own, inner)[1]
        elif isinstance(conjunct, Test) and conjunct.op == "in" and isinstance(conjunct.subject, Attr):
            values = conjunct.argument
            if is_field_of(conjunct.subject, var) and values is not None and var not in _names(values):
                values_fn, values_type = self.expr(values, scope)
                if not (values_type.is_list or values_type == ANY):
                    return None  # `in "text"` is a substring test, not a match with one of its characters
                return conjunct.subject.name, values_fn, True, self.expr(conjunct.subject, inner)[1]
        return None


def _first_hit(var: str, source: Source, test: Fn | None, found: bool) -> Fn:
    """`exists` (found=True) and `no` (found=False): stop at the first item that passes."""

    def quantify(env: Env) -> Any:
        values, where = source(env)
        if values is None:
            return None  # over a list that is itself missing, every quantifier is unknown, not false
        for value in values:
            env[var] = value
            if (where is None or where(env) is True) and (test is None or test(env) is True):
                return found
        return not found

    return quantify


def _every(var: str, source: Source, test: Fn | None) -> Fn:
    def every(env: Env) -> Any:
        values, where = source(env)
        if values is None:
            return None
        for value in values:
            env[var] = value
            if (where is None or where(env) is True) and test is not None and test(env) is False:
                return False
        return True

    return every


def _tally(var: str, source: Source, test: Fn | None) -> Callable[[Env], tuple[int, list[Any]] | None]:
    """How many items pass `where`, and which of them pass the test too (count, select, share)."""

    def tally(env: Env) -> tuple[int, list[Any]] | None:
        values, where = source(env)
        if values is None:
            return None
        total, passed = 0, []
        for value in values:
            env[var] = value
            if where is None or where(env) is True:
                total += 1
                if test is None or test(env) is True:
                    passed.append(value)
        return total, passed

    return tally


def _restoring(var: str, fn: Fn) -> Fn:
    """A quantifier whose variable shadows an outer one gives the outer value back afterwards.

    Without shadowing nothing is restored: a name out of scope is never read.
    """

    def restoring(env: Env) -> Any:
        saved = env.get(var, _MISSING)
        try:
            return fn(env)
        finally:
            if saved is _MISSING:
                env.pop(var, None)
            else:
                env[var] = saved

    return restoring


def _tuple_of(fns: list[Fn], paths: dict[Fn, Path]) -> Callable[[Env], tuple[Any, ...]]:
    """A composite index key; when every part is a field of one variable, one attrgetter reads them all."""
    parts = [paths.get(fn) for fn in fns]
    first = parts[0]
    if first is not None and all(p is not None and p.var == first.var for p in parts):
        var = first.var
        get = operator.attrgetter(*(".".join(p.names) for p in parts if p is not None))
        single = len(parts) == 1

        def read_key(env: Env) -> tuple[Any, ...]:
            try:
                got = get(env[var])
            except AttributeError:  # some link is missing: read part by part, each None where missing
                return tuple([fn(env) for fn in fns])
            return (got,) if single else got

        return read_key
    return lambda env: tuple([fn(env) for fn in fns])


def _is_boolean(node: Expr) -> bool:
    """Does the node always evaluate to True, False or None (comparisons, tests, and/or)?"""
    return isinstance(node, Test | Logic) or (isinstance(node, Binary) and node.op in _COMPARE)


def _conjunction(fns: list[Fn]) -> Fn:
    def conj(env: Env) -> Any:
        unknown = False
        for f in fns:
            value = f(env)
            if value is None:
                unknown = True
            elif not value:
                return False
        return None if unknown else True

    return conj


def _disjunction(fns: list[Fn]) -> Fn:
    def disj(env: Env) -> Any:
        unknown = False
        for f in fns:
            value = f(env)
            if value is None:
                unknown = True
            elif value:
                return True
        return None if unknown else False

    return disj


def _names(node: Any) -> set[str]:
    """Every variable name an expression reads."""
    match node:
        case Name(name=name):
            return {name}
        case Literal():
            return set()
        case Quantifier():
            return _names(node.source) | _names(node.where) | _names(node.satisfies)
        case None:
            return set()
    children: Iterable[Any] = (getattr(node, slot) for slot in node.__slots__ if slot != "span")
    out: set[str] = set()
    for child in children:
        if isinstance(child, tuple):
            for item in child:
                out |= _names(item)
        elif not isinstance(child, str):
            out |= _names(child)
    return out
