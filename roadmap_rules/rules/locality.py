"""Which rules read one roadmap only: what they find for an item follows from the item's own file.

An editor re-checks one changed file against the rest. A rule of this kind
(«every measure has a title», «numbers follow each other») need not run again
for the files that did not change: their findings stay as they were. The test
is on the syntax tree and errs on the side of «reads more»: the rule must range
over items of a roadmap (`measures`, `indicators`, `roadmaps`), follow only
fields that stay in the same file (`m.previous`, `m.roadmap`, `i.measure`, not
`m.depends_on` or `r.organisation`), and quantify over `measures` only where
`x.roadmap == <this roadmap>` pins it. Functions only see their arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from roadmap_rules.rules import ast as nodes
from roadmap_rules.rules.parse import parse_placeholder
from roadmap_rules.rules.types import CONSTANTS, FIELDS, Type

ROADMAP_COLLECTIONS = {"measures": "measure", "indicators": "indicator", "roadmaps": "roadmap"}
"""Collections whose every item belongs to one roadmap file."""

ACROSS_FILES = {
    "measure": frozenset({"implements", "implementers", "depends_on", "dependants", "parties"}),
    "roadmap": frozenset({"organisation", "implements", "implementers"}),
}
"""Fields that lead to other files: links between roadmaps, and the registry."""

_LOCAL_TYPES = frozenset({"measure", "roadmap", "indicator", "deadline", "interval", "period"})
_VALUE = Type("value")
"""A plain value: nothing further can be read from it that lies in another file."""


def reads_one_roadmap(node: nodes.RuleNode) -> bool:
    """Does every finding of this rule for an item depend on the item's file alone?"""
    clause = next((c for c in node.clauses if c.keyword == "for"), None)
    if clause is None:
        return False
    var, source, where = clause.args
    if not isinstance(source, nodes.Name) or source.name not in ROADMAP_COLLECTIONS:
        return False
    params = frozenset(c.args[0] for c in node.clauses if c.keyword == "param")
    scope = {var: Type(ROADMAP_COLLECTIONS[source.name])}
    return all(_local(expr, scope, params) is not None for expr in _expressions(node, where))


def _expressions(node: nodes.RuleNode, where: nodes.Expr | None) -> Iterator[nodes.Expr]:
    """What the rule evaluates for an item: its `where`, `require`, `at`, related targets, message placeholders."""
    if where is not None:
        yield where
    for clause in node.clauses:
        if clause.keyword in ("require", "at"):
            yield clause.args[0]
        elif clause.keyword in ("message", "related"):
            for arg in clause.args:
                if isinstance(arg, nodes.Text):
                    yield from _placeholders(arg)
                elif arg is not None and clause.keyword == "related":
                    yield arg


def _placeholders(text: nodes.Text) -> Iterator[nodes.Expr]:
    for piece in nodes.PLACEHOLDER.split(text.ru)[1::2]:
        node = parse_placeholder(text, piece)
        if node is not None:  # an unreadable placeholder is shown as written
            yield node


def _local(node: nodes.Expr, scope: dict[str, Type], params: frozenset[str]) -> Type | None:
    """The type of a local expression (entity, list of entities, or a plain value); None if it may read
    another file."""
    match node:
        case nodes.Literal():
            return _VALUE
        case nodes.Name(name=name):
            if name in scope:
                return scope[name]
            return _VALUE if name in CONSTANTS or name in params else None
        case nodes.Attr(target=target, name=name):
            owner = _local(target, scope, params)
            if owner is None or owner.name not in _LOCAL_TYPES or name in ACROSS_FILES.get(owner.name, ()):
                return None
            found = FIELDS[owner.name].get(name)
            return None if found is None else _typed(found)
        case nodes.Call(function=function, args=args):
            types = _all_local(args, scope, params)
            if types is None:
                return None
            if function in ("first", "min", "max") and types and types[0].item is not None:
                return types[0].item
            return types[0] if function == "distinct" and types else _VALUE
        case nodes.ListExpr(items=items):
            return None if _all_local(items, scope, params) is None else _VALUE
        case nodes.Not(operand=operand) | nodes.Negate(operand=operand):
            return None if _local(operand, scope, params) is None else _VALUE
        case nodes.Logic(operands=operands):
            return None if _all_local(operands, scope, params) is None else _VALUE
        case nodes.Binary(left=left, right=right):
            return None if _all_local((left, right), scope, params) is None else _VALUE
        case nodes.Test(subject=subject, argument=argument):
            parts = (subject,) if argument is None else (subject, argument)
            return None if _all_local(parts, scope, params) is None else _VALUE
        case nodes.Quantifier():
            return _quantifier(node, scope, params)
    return None


def _quantifier(node: nodes.Quantifier, scope: dict[str, Type], params: frozenset[str]) -> Type | None:
    item: Type | None
    if isinstance(node.source, nodes.Name) and node.source.name == "measures" and node.source.name not in scope:
        pinned = _pinned_to_a_roadmap(node.var, node.where, scope, params)
        item = Type("measure") if pinned else None
    else:
        source = _local(node.source, scope, params)
        item = source.item if source is not None and source.item is not None else None
    if item is None:
        return None
    inner = {**scope, node.var: item}
    for part in (node.where, node.satisfies):
        if part is not None and _local(part, inner, params) is None:
            return None
    return Type("list", item) if node.kind == "select" else _VALUE


def _pinned_to_a_roadmap(var: str, where: nodes.Expr | None, scope: dict[str, Type], params: frozenset[str]) -> bool:
    """Does `where` hold the conjunct `var.roadmap == <a roadmap read locally>`?"""
    if where is None:
        return False
    for conjunct in nodes.conjuncts(where):
        if isinstance(conjunct, nodes.Binary) and conjunct.op == "==":
            for own, other in ((conjunct.left, conjunct.right), (conjunct.right, conjunct.left)):
                if isinstance(own, nodes.Attr) and own.name == "roadmap" and nodes.is_field_of(own, var):
                    other_type = _local(other, scope, params)
                    if other_type is not None and other_type.name == "roadmap":
                        return True
    return False


def _all_local(exprs: Iterable[nodes.Expr], scope: dict[str, Type], params: frozenset[str]) -> list[Type] | None:
    types = []
    for expr in exprs:
        found = _local(expr, scope, params)
        if found is None:
            return None
        types.append(found)
    return types


def _typed(found: Type) -> Type:
    """A field's type as this module reads it: entities by name, lists with their items, the rest plain."""
    if found.is_list and found.item is not None:
        return Type("list", _typed(found.item))
    return found if found.name in _LOCAL_TYPES or found.name in FIELDS else _VALUE
