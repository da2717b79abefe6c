"""Linking every loaded file into one workspace of entities, with indexes.

References are resolved here once, through hash indexes; what does not
resolve is kept in `unresolved` (with close candidates) for the graph checks
to report. Nothing here does I/O.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from roadmap_rules.loading.source import child
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.workspace.entities import (
    AssignmentEntity,
    DocumentEntity,
    Entity,
    IndicatorEntity,
    MeasureEntity,
    OrgEntity,
    PersonEntity,
    RoadmapEntity,
)
from roadmap_rules.workspace.keys import normalise_name


@dataclass(frozen=True)
class Unresolved:
    """A reference that names nothing: where it is written and what it names."""

    file: str
    pointer: str
    target_kind: str
    name: str
    find_candidates: Callable[[], tuple[str, ...]] = field(repr=False, compare=False)
    """Close names for «did you mean»: looked for by the check that reports the reference (in the
    cross-file stage, on every core), not while linking, which runs on one."""

    @functools.cached_property
    def candidates(self) -> tuple[str, ...]:
        return self.find_candidates()


@dataclass(frozen=True, slots=True)
class Definition:
    file: str
    pointer: str


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
    # Resolved on first need (graph.parties.resolve_parties): see `resolve_parties`.
    _party_cells: list[Any] | None = field(default=None, repr=False)
    _unresolved_parties: list[tuple[MeasureEntity, int, str]] = field(default_factory=list, repr=False)
    party_resolver: Any = field(default=None, repr=False)
    # «Did you mean» indexes by table kind (graph.parties.CloseMatcher), built on the first miss.
    matchers: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def party_cells(self) -> list[Any]:
        """Every responsible cell of every roadmap, what its fragments resolved to and where it is written
        (graph.parties.CellUse)."""
        self.resolve_parties()
        assert self._party_cells is not None
        return self._party_cells

    @property
    def unresolved_parties(self) -> list[tuple[MeasureEntity, int, str]]:
        """Cells with a fragment that names no registered body or person, nor a generic role."""
        self.resolve_parties()
        return self._unresolved_parties

    def resolve_parties(self) -> None:
        """Resolve every responsible cell once, on first need.

        Not part of linking: the graph checks (or a rule reading `parties`)
        ask for it inside the cross-file stage, which runs on every core,
        so the serial part of a run stays short.
        """
        if self._party_cells is None:
            from roadmap_rules.graph.parties import PartyResolver, resolve_parties

            self._party_cells = []
            self.party_resolver = PartyResolver.of(self)
            self._party_cells, self._unresolved_parties = resolve_parties(self, self.party_resolver)

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
    roadmap.workspace = ws
    ws.roadmaps.append(roadmap)
    previous = None
    for s, section in enumerate(model.sections):
        for i, measure in enumerate(section.measures):
            previous = MeasureEntity(measure, roadmap, f"/sections/{s}/measures/{i}", s, i, previous)
            roadmap.measures.append(previous)
    ws.measures.extend(roadmap.measures)


def _close(ws: Workspace, kind: str, name: str, table: dict[str, Any]) -> tuple[str, ...]:
    """Close ids for «did you mean», from an index built once per table (not a scan per miss)."""
    from roadmap_rules.graph.parties import CloseMatcher

    matcher = ws.matchers.get(kind)
    if matcher is None:
        matcher = ws.matchers[kind] = CloseMatcher(table)
    return tuple(matcher.matches(name))


def _close_measures(measure_id: str, ids: list[str], prefix: str) -> tuple[str, ...]:
    """Close measure ids of one roadmap, written as the reference would write them."""
    return tuple(prefix + c for c in difflib.get_close_matches(measure_id, ids, n=3, cutoff=0.6))


def _lookup(ws: Workspace, table: dict[str, Any], kind: str, name: str | None, file: str, pointer: str) -> Any:
    if name is None:
        return None
    found = table.get(name)
    if found is None:
        ws.unresolved.append(Unresolved(file, pointer, kind, name, functools.partial(_close, ws, kind, name, table)))
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
            if measure.model.implements:  # most measures refer to nothing: no generator for them
                measure.implements = list(_measure_refs(ws, by_measure_id, ids_by_roadmap, measure, "implements"))
                for target in measure.implements:
                    target.implementers.append(measure)
            if measure.model.depends_on:
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
            if roadmap_id in ids_by_roadmap:
                prefix = "" if roadmap_id == measure.roadmap.id and "/" not in text else f"{roadmap_id}/"
                close = functools.partial(_close_measures, measure_id, ids_by_roadmap[roadmap_id], prefix)
            else:
                close = functools.partial(_close, ws, "roadmap", roadmap_id, ws.roadmap_by_id)
            ws.unresolved.append(
                Unresolved(measure.file, child(child(measure.pointer, name), i), "measure", text, close)
            )
            continue
        yield found
