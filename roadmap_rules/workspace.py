"""Everything loaded, as linked entities with indexes: what rules and graph checks read.

Each entity knows the file and JSON pointer it came from, so any finding about
it lands at the right place. References are resolved here once, through hash
indexes; what does not resolve is kept in `unresolved` for the graph checks
to report. Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel

from roadmap_rules.deadlines import Deadline, DeadlineContext, parse_deadline
from roadmap_rules.loading.source import child
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.model.registry import SUPPORTED_STATUSES, SchoolDocument
from roadmap_rules.model.roadmap import Indicator, Measure


class Entity:
    """Base of every entity: where it is written and how findings name it."""

    __slots__ = ("file", "pointer")
    entity_kind = "entity"
    file: str
    pointer: str

    @property
    def key(self) -> str:
        return f"{self.entity_kind}:{self.file}#{self.pointer}"

    def field_pointer(self, name: str) -> str:
        source = FIELD_SOURCES.get((self.entity_kind, name))
        return child(self.pointer, source) if source else self.pointer

    def __repr__(self) -> str:
        return f"<{self.entity_kind} {self.key}>"


class OrgEntity(Entity):
    __slots__ = (
        "children",
        "coordinators",
        "curators",
        "documents",
        "id",
        "mentees",
        "mentors",
        "mentorships",
        "model",
        "name",
        "parent",
        "roadmaps",
        "schools",
        "status",
        "type",
    )
    entity_kind = "organisation"

    def __init__(self, model: Any, file: str, pointer: str) -> None:
        self.file, self.pointer, self.model = file, pointer, model
        self.id: str = model.id
        self.name: str = model.name
        self.type: str = model.type.value
        self.status: list[str] = [s.value for s in model.status]
        self.parent: OrgEntity | None = None
        self.mentors: list[OrgEntity] = []
        self.mentees: list[OrgEntity] = []
        self.mentorships: list[AssignmentEntity] = []
        self.curators: list[PersonEntity] = []
        self.coordinators: list[PersonEntity] = []
        self.roadmaps: list[RoadmapEntity] = []
        self.documents: list[DocumentEntity] = []
        self.schools: list[OrgEntity] = []
        self.children: list[OrgEntity] = []

    @property
    def key(self) -> str:
        return f"organisation:{self.id}"

    @property
    def supported(self) -> bool:
        return any(s in SUPPORTED_STATUSES for s in self.status)

    @property
    def leader(self) -> bool:
        return "leader" in self.status

    @property
    def all_schools(self) -> list[OrgEntity]:
        """The schools this organisation covers: itself, or every school below it."""
        if self.type == "school":
            return [self]
        found: list[OrgEntity] = []
        stack, seen = list(self.children), {self.id}
        while stack:
            org = stack.pop()
            if org.id in seen:
                continue
            seen.add(org.id)
            if org.type == "school":
                found.append(org)
            stack.extend(org.children)
        return found

    @property
    def municipality(self) -> OrgEntity | None:
        return _ancestor(self, "municipality")

    @property
    def region(self) -> OrgEntity | None:
        return _ancestor(self, "region")


def _ancestor(org: OrgEntity, type_: str) -> OrgEntity | None:
    seen: set[str] = set()
    current: OrgEntity | None = org
    while current is not None and current.id not in seen:
        if current.type == type_:
            return current
        seen.add(current.id)
        current = current.parent
    return None


class PersonEntity(Entity):
    __slots__ = ("coordinated", "curated", "id", "model", "name", "organisation", "position", "roles")
    entity_kind = "person"

    def __init__(self, model: Any, file: str, pointer: str) -> None:
        self.file, self.pointer, self.model = file, pointer, model
        self.id: str = model.id
        self.name: str = model.name
        self.position: str | None = model.position
        self.roles: list[str] = [r.value for r in model.roles]
        self.organisation: OrgEntity | None = None
        self.curated: list[OrgEntity] = []
        self.coordinated: list[OrgEntity] = []

    @property
    def key(self) -> str:
        return f"person:{self.id}"


class AssignmentEntity(Entity):
    """A mentor pair, a curator or a coordinator assignment."""

    __slots__ = ("act_date", "act_number", "kind_name", "school", "target")
    entity_kind = "assignment"

    def __init__(self, kind_name: str, file: str, pointer: str, act: Any) -> None:
        self.file, self.pointer, self.kind_name = file, pointer, kind_name
        self.school: OrgEntity | None = None
        self.target: Any = None
        self.act_date: dt.date | None = act.date if act else None
        self.act_number: str | None = act.number if act else None

    def field_pointer(self, name: str) -> str:
        source = {
            "target": self.kind_name,
            "school": "municipality" if self.kind_name == "coordinator" else "school",
        }.get(name)
        return child(self.pointer, source) if source else super().field_pointer(name)


class DocumentEntity(Entity):
    __slots__ = ("id", "model", "school")
    entity_kind = "document"

    def __init__(self, model: Any, file: str, pointer: str) -> None:
        self.file, self.pointer, self.model = file, pointer, model
        self.id: str = model.id
        self.school: OrgEntity | None = None

    @property
    def key(self) -> str:
        return f"document:{self.id}"


class RoadmapEntity(Entity):
    __slots__ = ("_measure_keys", "id", "implementers", "implements", "measures", "model", "organisation")
    entity_kind = "roadmap"

    def __init__(self, model: Roadmap, file: str) -> None:
        self.file, self.pointer, self.model = file, "", model
        self._measure_keys: dict[str, str] | None = None
        self.id = model.id
        self.implements: RoadmapEntity | None = None
        self.implementers: list[RoadmapEntity] = []
        self.organisation: OrgEntity | None = None
        self.measures: list[MeasureEntity] = []

    @property
    def key(self) -> str:
        return f"roadmap:{self.id}"

    def measure_key(self, pointer: str) -> str:
        if self._measure_keys is None:
            self._measure_keys = measure_keys(self.model)
        return self._measure_keys[pointer]

    @property
    def level(self) -> str:
        return self.model.level.value

    @property
    def title(self) -> str:
        return self.model.title

    @property
    def period(self) -> Any:
        return self.model.period

    @property
    def period_start(self) -> dt.date | None:
        return self.model.period.start if self.model.period else None

    @property
    def period_end(self) -> dt.date | None:
        return self.model.period.end if self.model.period else None

    @property
    def approved(self) -> dt.date | None:
        return self.model.approval.date if self.model.approval else None

    @property
    def context(self) -> DeadlineContext:
        return DeadlineContext(self.period_start, self.period_end, self.approved)


class MeasureEntity(Entity):
    __slots__ = (
        "_deadline",
        "_position",
        "dependants",
        "depends_on",
        "implementers",
        "implements",
        "index",
        "model",
        "parties",
        "roadmap",
        "section",
    )
    entity_kind = "measure"

    def __init__(self, model: Measure, roadmap: RoadmapEntity, pointer: str, section: int, index: int) -> None:
        self.file, self.pointer, self.model = roadmap.file, pointer, model
        self.roadmap = roadmap
        self.section = section
        self.index = index
        self.implements: list[MeasureEntity] = []
        self.implementers: list[MeasureEntity] = []
        self.depends_on: list[MeasureEntity] = []
        self.dependants: list[MeasureEntity] = []
        self.parties: list[Entity] = []
        self._deadline: Deadline | None = None
        self._position: int | None = None

    @property
    def key(self) -> str:
        return self.roadmap.measure_key(self.pointer)

    @property
    def deadline(self) -> Deadline | None:
        text = self.model.deadline
        if text is None:
            return None
        if self._deadline is None:
            self._deadline = parse_deadline(text, self.roadmap.context)
        return self._deadline

    @property
    def deadline_text(self) -> str | None:
        return self.model.deadline

    @property
    def position(self) -> int:
        """Ordinal of the measure in its roadmap, from 1."""
        return self.roadmap.measures.index(self) + 1 if self._position is None else self._position

    @property
    def number_key(self) -> str | None:
        """The item number without trailing dots and spaces: «1.2.» and «1.2» are one number."""
        number = self.model.number
        return number.strip().rstrip(".").strip() if number else None

    @property
    def previous(self) -> MeasureEntity | None:
        """The measure just above this one in the document."""
        position = self.position
        return self.roadmap.measures[position - 2] if position > 1 else None

    @property
    def section_title(self) -> str | None:
        return self.roadmap.model.sections[self.section].title

    @property
    def indicators(self) -> list[IndicatorEntity]:
        return [
            IndicatorEntity(ind, self, child(child(self.pointer, "indicators"), i))
            for i, ind in enumerate(self.model.indicators)
        ]


def measure_keys(roadmap: Roadmap) -> dict[str, str]:
    """Stable, unique entity keys of a roadmap's measures, by pointer.

    A measure is named by its id, else by its item number, else by its place;
    a number written twice gets «#2», «#3» so that findings (and baselines
    keyed on them) never confuse the two.
    """
    keys: dict[str, str] = {}
    seen: dict[str, int] = {}
    for s, section in enumerate(roadmap.sections):
        for i, measure in enumerate(section.measures):
            pointer = f"/sections/{s}/measures/{i}"
            name = measure.id or (measure.number.strip() if measure.number else None) or pointer
            seen[name] = seen.get(name, 0) + 1
            suffix = f"#{seen[name]}" if seen[name] > 1 else ""
            keys[pointer] = f"measure:{roadmap.id}/{name}{suffix}"
    return keys


_REGISTRY_LISTS = {"organisations": "organisation", "people": "person", "documents": "document"}
_ASSIGNMENT_LISTS = {
    "mentors": ("school", "mentor"),
    "curators": ("school", "curator"),
    "coordinators": ("municipality", "coordinator"),
}


def entity_at(model: Roadmap | Registry, pointer: str) -> str | None:
    """The entity a pointer into a file lies in: what a finding there is about.

    Measures and roadmaps, organisations, people and documents are named by
    their keys; an assignment by both of its ends. These keys depend on content,
    not on line numbers, so baselines keyed on them survive edits elsewhere.
    """
    parts = pointer.split("/")[1:]
    if isinstance(model, Roadmap):
        if len(parts) >= 4 and parts[0] == "sections" and parts[2] == "measures":
            return measure_keys(model).get("/" + "/".join(parts[:4]))
        return f"roadmap:{model.id}"
    if len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        if parts[0] in _REGISTRY_LISTS:
            items = getattr(model, parts[0])
            return f"{_REGISTRY_LISTS[parts[0]]}:{items[index].id}" if index < len(items) else None
        if parts[0] in _ASSIGNMENT_LISTS:
            items = getattr(model, parts[0])
            if index < len(items):
                first, second = _ASSIGNMENT_LISTS[parts[0]]
                item = items[index]
                return f"assignment:{parts[0]}:{getattr(item, first)}->{getattr(item, second)}"
    return None


class IndicatorEntity(Entity):
    __slots__ = ("measure", "model")
    entity_kind = "indicator"

    def __init__(self, model: Indicator, measure: MeasureEntity, pointer: str) -> None:
        self.file, self.pointer, self.model, self.measure = measure.file, pointer, model, measure


def _expose_model_fields(entity: type[Entity], model: type[BaseModel]) -> None:
    """Give an entity a property for every field of its model that it does not define itself.

    Properties rather than `__getattr__`: rules read these fields millions of
    times on a national corpus, and a failed attribute lookup first is slow.
    """
    for name in model.model_fields:
        if hasattr(entity, name):
            continue

        def read(self: Any, name: str = name) -> Any:
            value = getattr(self.model, name)
            return value.value if isinstance(value, Enum) else value

        setattr(entity, name, property(read))


_expose_model_fields(MeasureEntity, Measure)
_expose_model_fields(DocumentEntity, SchoolDocument)
_expose_model_fields(IndicatorEntity, Indicator)


FIELD_SOURCES: dict[tuple[str, str], str] = {
    ("measure", "deadline"): "deadline",
    ("measure", "deadline_text"): "deadline",
    ("measure", "title"): "title",
    ("measure", "number"): "number",
    ("measure", "result"): "result",
    ("measure", "evidence"): "evidence",
    ("measure", "responsible"): "responsible",
    ("measure", "parties"): "responsible",
    ("measure", "implements"): "implements",
    ("measure", "depends_on"): "depends_on",
    ("measure", "level"): "level",
    ("measure", "kind"): "kind",
    ("measure", "indicators"): "indicators",
    ("roadmap", "implements"): "implements",
    ("roadmap", "organisation"): "organisation",
    ("roadmap", "period_start"): "period",
    ("roadmap", "period_end"): "period",
    ("roadmap", "approved"): "approval",
    ("organisation", "status"): "status",
    ("organisation", "parent"): "parent",
    ("indicator", "baseline"): "baseline",
    ("indicator", "target"): "target",
    ("indicator", "date"): "date",
    ("document", "risks"): "risks",
    ("document", "expertise_done"): "expertise_done",
    ("document", "expertise_deadline"): "expertise_deadline",
    ("document", "approved"): "approved",
    ("document", "drafted"): "drafted",
}


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A reference that names nothing: where it is written and what it names."""

    file: str
    pointer: str
    target_kind: str
    name: str
    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Definition:
    file: str
    pointer: str


_PUNCT = re.compile(r"[«»\"'“”„()]+")
_SPACES = re.compile(r"\s+")


def normalise_name(text: str) -> str:
    """Fold case, quotes, ё and spacing so that one body matches however it is typed."""
    text = _PUNCT.sub(" ", text.lower().replace("ё", "е"))
    text = text.replace("№ ", "№").replace(" .", ".")
    return _SPACES.sub(" ", text).strip(" .,;")


@dataclass
class Workspace:
    """All entities of all loaded files, linked."""

    roadmaps: list[RoadmapEntity] = field(default_factory=list)
    measures: list[MeasureEntity] = field(default_factory=list)
    organisations: list[OrgEntity] = field(default_factory=list)
    people: list[PersonEntity] = field(default_factory=list)
    documents: list[DocumentEntity] = field(default_factory=list)
    mentorships: list[AssignmentEntity] = field(default_factory=list)
    curatorships: list[AssignmentEntity] = field(default_factory=list)
    coordinations: list[AssignmentEntity] = field(default_factory=list)
    roadmap_by_id: dict[str, RoadmapEntity] = field(default_factory=dict)
    org_by_id: dict[str, OrgEntity] = field(default_factory=dict)
    person_by_id: dict[str, PersonEntity] = field(default_factory=dict)
    document_by_id: dict[str, DocumentEntity] = field(default_factory=dict)
    names: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    duplicates: list[tuple[str, str, Definition, Definition]] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    unresolved_parties: list[tuple[MeasureEntity, int, str]] = field(default_factory=list)
    # Every fragment of every responsible cell and what it resolved to (graph.parties.PartyUse).
    party_uses: list[Any] = field(default_factory=list)
    # «Did you mean» indexes by table kind (graph.parties.CloseMatcher), built on the first miss.
    matchers: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def schools(self) -> list[OrgEntity]:
        return [o for o in self.organisations if o.type == "school"]

    @property
    def municipalities(self) -> list[OrgEntity]:
        return [o for o in self.organisations if o.type == "municipality"]

    @property
    def indicators(self) -> list[IndicatorEntity]:
        return [i for m in self.measures for i in m.indicators]

    def collection(self, name: str) -> list[Any]:
        return list(getattr(self, name))

    def resolve_party(self, text: str) -> list[Entity]:
        return self.names.get(normalise_name(text), [])


COLLECTIONS = (
    "roadmaps",
    "measures",
    "organisations",
    "schools",
    "municipalities",
    "people",
    "documents",
    "mentorships",
    "curatorships",
    "coordinations",
    "indicators",
)


def build_workspace(files: Iterable[tuple[str, Roadmap | Registry]]) -> Workspace:
    """Link the models of all files into one workspace."""
    ws = Workspace()
    registries: list[tuple[str, Registry]] = []
    roadmaps: list[tuple[str, Roadmap]] = []
    for path, model in files:
        (registries if isinstance(model, Registry) else roadmaps).append((path, model))  # type: ignore[arg-type]
    for path, registry in registries:
        _add_registry(ws, path, registry)
    for path, roadmap in roadmaps:
        _add_roadmap(ws, path, roadmap)
    _link_registry(ws, registries)
    _link_roadmaps(ws)
    # Imported here: graph.parties builds on this module's entities.
    from roadmap_rules.graph.parties import resolve_parties

    ws.party_uses = resolve_parties(ws)
    return ws


def _define(ws: Workspace, table: dict[str, Any], kind: str, entity: Any) -> bool:
    previous = table.get(entity.id)
    if previous is not None:
        ws.duplicates.append(
            (kind, entity.id, Definition(previous.file, previous.pointer), Definition(entity.file, entity.pointer))
        )
        return False
    table[entity.id] = entity
    return True


def _add_registry(ws: Workspace, path: str, registry: Registry) -> None:
    for i, org in enumerate(registry.organisations):
        entity = OrgEntity(org, path, f"/organisations/{i}")
        if _define(ws, ws.org_by_id, "organisation", entity):
            ws.organisations.append(entity)
            for name in {org.id, org.name, org.short or "", *org.aliases} - {""}:
                ws.names[normalise_name(name)].append(entity)
    for i, person in enumerate(registry.people):
        entity_p = PersonEntity(person, path, f"/people/{i}")
        if _define(ws, ws.person_by_id, "person", entity_p):
            ws.people.append(entity_p)
            for name in {person.id, person.name, *person.aliases}:
                ws.names[normalise_name(name)].append(entity_p)
    for i, doc in enumerate(registry.documents):
        entity_d = DocumentEntity(doc, path, f"/documents/{i}")
        if _define(ws, ws.document_by_id, "document", entity_d):
            ws.documents.append(entity_d)


def _add_roadmap(ws: Workspace, path: str, model: Roadmap) -> None:
    roadmap = RoadmapEntity(model, path)
    if not _define(ws, ws.roadmap_by_id, "roadmap", roadmap):
        return
    ws.roadmaps.append(roadmap)
    for s, section in enumerate(model.sections):
        for i, measure in enumerate(section.measures):
            entity = MeasureEntity(measure, roadmap, f"/sections/{s}/measures/{i}", s, i)
            roadmap.measures.append(entity)
            entity._position = len(roadmap.measures)
            ws.measures.append(entity)


def _close(ws: Workspace, kind: str, name: str, table: dict[str, Any]) -> tuple[str, ...]:
    """Close ids for «did you mean», from an index built once per table (not a scan per miss)."""
    from roadmap_rules.graph.parties import CloseMatcher

    matcher = ws.matchers.get(kind)
    if matcher is None:
        matcher = ws.matchers[kind] = CloseMatcher(table)
    return tuple(matcher.matches(name))


def _lookup(ws: Workspace, table: dict[str, Any], kind: str, name: str | None, file: str, pointer: str) -> Any:
    if name is None:
        return None
    found = table.get(name)
    if found is None:
        close = _close(ws, kind, name, table)
        ws.unresolved.append(Unresolved(file, pointer, kind, name, close))
    return found


def _link_registry(ws: Workspace, registries: list[tuple[str, Registry]]) -> None:
    for org in ws.organisations:
        org.parent = _lookup(ws, ws.org_by_id, "organisation", org.model.parent, org.file, child(org.pointer, "parent"))
        if org.parent is not None and org.type == "school":
            org.parent.schools.append(org)
        if org.parent is not None:
            org.parent.children.append(org)
    for person in ws.people:
        person.organisation = _lookup(
            ws,
            ws.org_by_id,
            "organisation",
            person.model.organisation,
            person.file,
            child(person.pointer, "organisation"),
        )
    for doc in ws.documents:
        doc.school = _lookup(ws, ws.org_by_id, "organisation", doc.model.school, doc.file, child(doc.pointer, "school"))
        if doc.school is not None:
            doc.school.documents.append(doc)
    for path, registry in registries:
        for i, pair in enumerate(registry.mentors):
            a = _assignment(ws, "mentor", path, i, pair.act, pair.school, "school", pair.mentor, ws.org_by_id)
            ws.mentorships.append(a)
            if a.school is not None and a.target is not None:
                a.school.mentors.append(a.target)
                a.school.mentorships.append(a)
                a.target.mentees.append(a.school)
        for i, cur in enumerate(registry.curators):
            a = _assignment(ws, "curator", path, i, cur.act, cur.school, "school", cur.curator, ws.person_by_id)
            ws.curatorships.append(a)
            if a.school is not None and a.target is not None:
                a.school.curators.append(a.target)
                a.target.curated.append(a.school)
        for i, coord in enumerate(registry.coordinators):
            a = _assignment(
                ws,
                "coordinator",
                path,
                i,
                coord.act,
                coord.municipality,
                "municipality",
                coord.coordinator,
                ws.person_by_id,
            )
            ws.coordinations.append(a)
            if a.school is not None and a.target is not None:
                a.school.coordinators.append(a.target)
                a.target.coordinated.append(a.school)


def _assignment(
    ws: Workspace,
    kind: str,
    path: str,
    index: int,
    act: Any,
    org_id: str,
    org_key: str,
    target_id: str,
    targets: dict[str, Any],
) -> AssignmentEntity:
    """One registry assignment with both ends looked up; an unknown end is recorded, not fatal."""
    pointer = f"/{kind}s/{index}"
    assignment = AssignmentEntity(kind, path, pointer, act)
    assignment.school = _lookup(ws, ws.org_by_id, "organisation", org_id, path, f"{pointer}/{org_key}")
    target_kind = "organisation" if targets is ws.org_by_id else "person"
    assignment.target = _lookup(ws, targets, target_kind, target_id, path, f"{pointer}/{kind}")
    return assignment


def measure_reference(text: str, roadmap: RoadmapEntity) -> tuple[str, str]:
    """Split «<roadmap id>/<measure id>» (or a bare «<measure id>» in this roadmap)."""
    if "/" in text:
        roadmap_id, measure_id = text.rsplit("/", 1)
        return roadmap_id, measure_id
    return roadmap.id, text


def _link_roadmaps(ws: Workspace) -> None:
    by_measure_id: dict[tuple[str, str], MeasureEntity] = {}
    ids_by_roadmap: dict[str, list[str]] = defaultdict(list)
    for roadmap in ws.roadmaps:
        model = roadmap.model
        roadmap.organisation = _lookup(
            ws, ws.org_by_id, "organisation", model.organisation, roadmap.file, "/organisation"
        )
        if roadmap.organisation is not None:
            roadmap.organisation.roadmaps.append(roadmap)
        for measure in roadmap.measures:
            if measure.model.id is not None:
                previous = by_measure_id.get((roadmap.id, measure.model.id))
                if previous is not None:
                    ws.duplicates.append(
                        (
                            "measure",
                            f"{roadmap.id}/{measure.model.id}",
                            Definition(previous.file, previous.pointer),
                            Definition(measure.file, measure.pointer),
                        )
                    )
                else:
                    by_measure_id[(roadmap.id, measure.model.id)] = measure
                    ids_by_roadmap[roadmap.id].append(measure.model.id)
    for roadmap in ws.roadmaps:
        roadmap.implements = _lookup(
            ws, ws.roadmap_by_id, "roadmap", roadmap.model.implements, roadmap.file, "/implements"
        )
        if roadmap.implements is not None:
            roadmap.implements.implementers.append(roadmap)
        for measure in roadmap.measures:
            measure.implements = list(_measure_refs(ws, by_measure_id, ids_by_roadmap, measure, "implements"))
            for target in measure.implements:
                target.implementers.append(measure)
            measure.depends_on = list(_measure_refs(ws, by_measure_id, ids_by_roadmap, measure, "depends_on"))
            for target in measure.depends_on:
                target.dependants.append(measure)


def _measure_refs(
    ws: Workspace,
    table: dict[tuple[str, str], MeasureEntity],
    ids_by_roadmap: dict[str, list[str]],
    measure: MeasureEntity,
    name: str,
) -> Iterator[MeasureEntity]:
    """Resolve a measure's references; candidates come from the named roadmap only."""
    for i, text in enumerate(getattr(measure.model, name)):
        roadmap_id, measure_id = measure_reference(text, measure.roadmap)
        found = table.get((roadmap_id, measure_id))
        if found is None:
            prefix = "" if roadmap_id == measure.roadmap.id and "/" not in text else f"{roadmap_id}/"
            if roadmap_id in ids_by_roadmap:
                close = tuple(
                    prefix + c
                    for c in difflib.get_close_matches(measure_id, ids_by_roadmap[roadmap_id], n=3, cutoff=0.6)
                )
            else:
                close = _close(ws, "roadmap", roadmap_id, ws.roadmap_by_id)
            ws.unresolved.append(
                Unresolved(measure.file, child(child(measure.pointer, name), i), "measure", text, close)
            )
            continue
        yield found
