"""Running compiled rules over a workspace.

Each rule is one pass over its collection; lookups inside it go through
indexes built on first use (collection, field) → items, so the cost of a
ruleset grows linearly with the corpus.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from roadmap_rules.diagnostics import Finding, Message, RelatedRef
from roadmap_rules.rules.compiler import CompiledRule, Env
from roadmap_rules.rules.values import get_field
from roadmap_rules.workspace import Entity, Workspace


class Indexes:
    """Lazily built hash indexes: (collection, fields) → {values: [items]}.

    Entities are keyed by identity (they define no equality), everything else by value.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self._built: dict[tuple[str, tuple[str, ...]], tuple[dict[Any, list[Any]], bool]] = {}
        self._collections: dict[str, list[Any]] = {}
        self._ordinals: dict[str, dict[int, int]] = {}

    def ordinal(self, name: str) -> dict[int, int]:
        """Position of each item of a collection, by identity."""
        found = self._ordinals.get(name)
        if found is None:
            found = self._ordinals[name] = {id(item): i for i, item in enumerate(self.collection(name))}
        return found

    def collection(self, name: str) -> list[Any]:
        found = self._collections.get(name)
        if found is None:
            found = self._collections[name] = self.ws.collection(name)
        return found

    def __call__(self, collection: str, fields: tuple[str, ...]) -> tuple[dict[Any, list[Any]], bool]:
        """The index, and whether no item holds a list in these fields.

        An item is found under each element of a list field (x.status == "ШНОР"),
        so a hit means `x.f == key` only in an index without lists.
        """
        built = self._built.get((collection, fields))
        if built is None:
            index: dict[Any, list[Any]] = defaultdict(list)
            flat = True
            get = operator.attrgetter(*fields)
            single = len(fields) == 1
            for item in self.collection(collection):
                try:
                    key = (get(item),) if single else get(item)
                except AttributeError:
                    key = tuple(get_field(item, f) for f in fields)
                try:
                    index[key].append(item)
                except TypeError:  # unhashable: a list field, one entry per element
                    flat = False
                    for each in itertools.product(*(v if isinstance(v, list) else (v,) for v in key)):
                        index[each].append(item)
            built = self._built[(collection, fields)] = (index, flat)
        return built


class _CachedWorkspace:
    """What `$ws` is inside rules: collections materialised once per run."""

    def __init__(self, indexes: Indexes) -> None:
        self._indexes = indexes

    def collection(self, name: str) -> list[Any]:
        return self._indexes.collection(name)


def run_rules(
    rules: list[CompiledRule],
    ws: Workspace,
    params: dict[str, dict[str, Any]] | None = None,
    today: dt.date | None = None,
    indexes: Indexes | None = None,
) -> Iterator[Finding]:
    """Findings of `rules`; `indexes` may be shared by several calls over the same workspace."""
    indexes = indexes or Indexes(ws)
    cached = _CachedWorkspace(indexes)
    for rule in rules:
        yield from run_rule(rule, cached, indexes, (params or {}).get(rule.code, {}), today or dt.date.today())


def run_rule(
    rule: CompiledRule, ws: Any, indexes: Indexes, overrides: dict[str, Any], today: dt.date
) -> Iterator[Finding]:
    if rule.collection is None or rule.require is None or rule.message is None:
        return
    env: Env = {"$ws": ws, "$index": indexes, "$today": today}
    for name, value in {**rule.params, **overrides}.items():
        env["$" + name] = value
    try:
        items = rule.collection(env) or []
    except Exception as error:  # a defect of the rule, not of the data: report and go on
        yield _runtime_problem(rule, error)
        return
    var, where, require = rule.var, rule.where, rule.require
    for item in items:
        env[var] = item
        try:
            if where is not None and where(env) is not True:
                continue
            if require(env) is not False:
                continue
            yield _finding(rule, env, item)
        except Exception as error:  # a defect of the rule, not of the data: report and go on
            yield _runtime_problem(rule, error)
            return


def _finding(rule: CompiledRule, env: Env, item: Any) -> Finding:
    assert rule.message is not None
    target = rule.at_target(env) if rule.at_target is not None else item
    if not isinstance(target, Entity):
        target = item if isinstance(item, Entity) else None
    pointer = ""
    file = rule.file
    if target is not None:
        file = target.file
        pointer = target.field_pointer(rule.at_field) if rule.at_field else target.pointer
    related: list[RelatedRef] = []
    for rel in rule.related:
        value = rel.target(env)
        for entity in value if isinstance(value, list) else [value]:
            if isinstance(entity, Entity):
                related.append(
                    RelatedRef(
                        entity.file,
                        entity.pointer,
                        Message(rel.message[0].render(env, "ru"), rel.message[1].render(env, "en")),
                    )
                )
    message = Message(rule.message[0].render(env, "ru"), rule.message[1].render(env, "en"))
    entity_key = item.key if isinstance(item, Entity) else None
    return Finding(rule.code, message, file, pointer, entity=entity_key, related=tuple(related))


def _runtime_problem(rule: CompiledRule, error: Exception) -> Finding:
    return Finding(
        "R006",
        Message(
            f"Правило {rule.code} не выполнилось: {type(error).__name__}: {error}",
            f"Rule {rule.code} failed: {type(error).__name__}: {error}",
        ),
        rule.file,
        span=rule.span,
    )
