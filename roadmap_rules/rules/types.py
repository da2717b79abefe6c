"""The data model as the rule language sees it: entity types, their fields, globals.

The compiler checks every field access and comparison against these tables
before a rule runs, so a typo in a rule is reported with its position in the
rule file, not discovered (or silently ignored) at run time.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Type:
    """A rule-language type: a scalar name, an entity name, or a list of one."""

    name: str
    item: Type | None = None

    @property
    def is_list(self) -> bool:
        return self.name == "list"

    def __str__(self) -> str:
        return f"list[{self.item}]" if self.item else self.name


ANY = Type("any")
STR = Type("str")
NUMBER = Type("number")
BOOL = Type("bool")
DATE = Type("date")
NULL = Type("null")


def list_of(item: Type) -> Type:
    return Type("list", item)


def _t(spec: str) -> Type:
    if spec.startswith("list[") and spec.endswith("]"):
        return list_of(_t(spec[5:-1]))
    return Type(spec)


_ENTITY_FIELDS: dict[str, dict[str, str]] = {
    "measure": {
        "id": "str",
        "number": "str",
        "number_key": "str",
        "title": "str",
        "kind": "str",
        "level": "str",
        "deadline": "deadline",
        "deadline_text": "str",
        "responsible": "list[str]",
        "parties": "list[any]",
        "participants": "list[str]",
        "problem": "str",
        "audience": "str",
        "result": "str",
        "evidence": "str",
        "note": "str",
        "indicators": "list[indicator]",
        "implements": "list[measure]",
        "implementers": "list[measure]",
        "depends_on": "list[measure]",
        "dependants": "list[measure]",
        "roadmap": "roadmap",
        "section_title": "str",
        "school": "str",
        "key": "str",
        "file": "str",
        "position": "number",
        "previous": "measure",
        "section": "number",
    },
    "roadmap": {
        "id": "str",
        "level": "str",
        "title": "str",
        "organisation": "organisation",
        "implements": "roadmap",
        "implementers": "list[roadmap]",
        "measures": "list[measure]",
        "period": "period",
        "period_start": "date",
        "period_end": "date",
        "approved": "date",
        "key": "str",
        "file": "str",
    },
    "organisation": {
        "id": "str",
        "name": "str",
        "type": "str",
        "status": "list[str]",
        "supported": "bool",
        "leader": "bool",
        "parent": "organisation",
        "municipality": "organisation",
        "region": "organisation",
        "mentors": "list[organisation]",
        "mentees": "list[organisation]",
        "mentorships": "list[assignment]",
        "curators": "list[person]",
        "coordinators": "list[person]",
        "roadmaps": "list[roadmap]",
        "documents": "list[document]",
        "schools": "list[organisation]",
        "all_schools": "list[organisation]",
        "children": "list[organisation]",
        "key": "str",
        "file": "str",
    },
    "person": {
        "id": "str",
        "name": "str",
        "position": "str",
        "roles": "list[str]",
        "organisation": "organisation",
        "curated": "list[organisation]",
        "coordinated": "list[organisation]",
        "key": "str",
        "file": "str",
    },
    "assignment": {
        "kind_name": "str",
        "school": "organisation",
        "target": "any",
        "act_date": "date",
        "act_number": "str",
        "file": "str",
    },
    "document": {
        "id": "str",
        "kind": "str",
        "school": "organisation",
        "title": "str",
        "risks": "list[any]",
        "drafted": "date",
        "submitted": "date",
        "expertise_deadline": "date",
        "expertise_done": "date",
        "expertise_outcome": "str",
        "approved": "date",
        "published": "date",
        "based_on": "list[str]",
        "key": "str",
        "file": "str",
    },
    "indicator": {
        "name": "str",
        "baseline": "any",
        "target": "any",
        "unit": "str",
        "comparison": "str",
        "of": "str",
        "date": "date",
        "measure": "measure",
        "file": "str",
    },
    "deadline": {
        "phrase": "str",
        "start": "date",
        "end": "date",
        "vague": "str",
        "external": "list[str]",
        "notes": "list[str]",
        "parsed": "bool",
        "intervals": "list[interval]",
        "recurrence": "any",
    },
    "interval": {"start": "date", "end": "date", "precision": "str", "text": "str", "backwards": "bool"},
    "period": {"start": "date", "end": "date"},
}

FIELDS: dict[str, dict[str, Type]] = {
    entity: {name: _t(spec) for name, spec in fields.items()} for entity, fields in _ENTITY_FIELDS.items()
}

ENTITY_TYPES = frozenset({"measure", "roadmap", "organisation", "person", "assignment", "document", "indicator"})

COLLECTIONS: dict[str, Type] = {
    "roadmaps": list_of(Type("roadmap")),
    "measures": list_of(Type("measure")),
    "organisations": list_of(Type("organisation")),
    "schools": list_of(Type("organisation")),
    "municipalities": list_of(Type("organisation")),
    "people": list_of(Type("person")),
    "documents": list_of(Type("document")),
    "mentorships": list_of(Type("assignment")),
    "curatorships": list_of(Type("assignment")),
    "coordinations": list_of(Type("assignment")),
    "indicators": list_of(Type("indicator")),
}

CONSTANTS: dict[str, Type] = {"risk_factors": list_of(STR), "supported_statuses": list_of(STR), "today": DATE}

ORDERED = frozenset({"number", "date", "str", "any"})
INTERVAL_LIKE = frozenset({"deadline", "period", "interval", "date", "any"})


def comparable(left: Type, right: Type) -> bool:
    if ANY in (left, right) or NULL in (left, right):
        return True
    if left.name in ("deadline", "period", "interval") or right.name in ("deadline", "period", "interval"):
        return False
    return left == right or {left.name, right.name} <= {"number", "bool"}
