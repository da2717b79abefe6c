"""The workspace as one typed graph: what `roadmap-check graph` exports.

Nodes are entities (organisations, people, roadmaps, sections, measures,
documents, indicators), edges are typed links between them. The graph is built
from the links the workspace already resolved, one pass over each collection,
so it is linear in the size of the workspace. Node and edge attributes are
scalars only (str, int, float, bool) so that every export format can hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from roadmap_rules.graph.parties import PartyResolver
from roadmap_rules.workspace import (
    DocumentEntity,
    Entity,
    MeasureEntity,
    OrgEntity,
    PersonEntity,
    RoadmapEntity,
    Workspace,
)

NODE_KINDS: tuple[str, ...] = ("organisation", "person", "roadmap", "section", "measure", "document", "indicator")
EDGE_KINDS: tuple[str, ...] = (
    "implements",
    "depends_on",
    "mentor_of",
    "curator_of",
    "coordinator_of",
    "responsible_for",
    "belongs_to",
    "approved_by",
)

LABEL_LIMIT = 60


def _kinds(given: Iterable[str] | None, allowed: tuple[str, ...], what_ru: str, what_en: str) -> frozenset[str]:
    if given is None:
        return frozenset(allowed)
    chosen = frozenset(k.strip() for k in given if k.strip())
    unknown = ", ".join(sorted(chosen - set(allowed)))
    if unknown:
        valid = ", ".join(allowed)
        raise ValueError(
            f"Неизвестные виды {what_ru}: {unknown}; допустимы: {valid} / "
            f"unknown {what_en} kinds: {unknown}; allowed: {valid}"
        )
    return chosen


def short(text: str | None, limit: int = LABEL_LIMIT) -> str:
    """One line of at most `limit` characters: labels must stay readable in a drawing."""
    if not text:
        return ""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def node_id(entity: Entity, measure_ids: dict[MeasureEntity, str] | None = None) -> str:
    """A stable, readable node id: «organisation:iro», «measure:demo-2024/seminar»."""
    if isinstance(entity, MeasureEntity):
        return (measure_ids or {}).get(entity) or f"measure:{entity.roadmap.id}#{entity.pointer}"
    if isinstance(entity, OrgEntity | PersonEntity | RoadmapEntity | DocumentEntity):
        return entity.key
    return f"{entity.entity_kind}:{entity.file}#{entity.pointer}"


def measure_node_ids(ws: Workspace) -> dict[MeasureEntity, str]:
    """Node id of every measure: by id when the id is its own, else by position.

    A repeated measure id (G002) belongs to the first measure that has it; the
    others are named by their place in the roadmap so that no two nodes merge.
    """
    ids: dict[MeasureEntity, str] = {}
    for roadmap in ws.roadmaps:
        taken: set[str] = set()
        for measure in roadmap.measures:
            mid = measure.model.id
            if mid is not None and mid not in taken:
                taken.add(mid)
                ids[measure] = f"measure:{roadmap.id}/{mid}"
            else:
                ids[measure] = f"measure:{roadmap.id}#{measure.pointer}"
    return ids


def section_node_id(roadmap: RoadmapEntity, index: int) -> str:
    return f"section:{roadmap.id}#/sections/{index}"


def _scalars(**values: Any) -> dict[str, Any]:
    """Drop empty values; join lists; dates to ISO text (GraphML holds scalars only)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif not isinstance(value, str | int | float | bool):
            value = str(value)
        out[name] = value
    return out


class _Builder:
    """Adds nodes and edges, honouring the kind filters."""

    def __init__(self, node_kinds: frozenset[str], edge_kinds: frozenset[str]) -> None:
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self.node_kinds = node_kinds
        self.edge_kinds = edge_kinds

    def node(self, nid: str, kind: str, label: str, file: str, pointer: str, **extra: Any) -> None:
        if kind in self.node_kinds:
            self.graph.add_node(nid, kind=kind, label=label, file=file, pointer=pointer, **_scalars(**extra))

    def edge(self, source: str, target: str, kind: str) -> None:
        # Keyed by kind: the same link found twice (two cells naming one body) is one edge.
        graph = self.graph
        if kind in self.edge_kinds and source in graph and target in graph:
            graph.add_edge(source, target, key=kind, kind=kind)


def build_graph(
    ws: Workspace,
    *,
    node_kinds: Iterable[str] | None = None,
    edge_kinds: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """Build the typed graph of the workspace, keeping only the given node and edge kinds.

    An edge is kept only when both its ends are kept. Raises ValueError on an
    unknown kind name (the CLI shows it as a usage error).
    """
    b = _Builder(_kinds(node_kinds, NODE_KINDS, "узлов", "node"), _kinds(edge_kinds, EDGE_KINDS, "связей", "edge"))
    measure_ids = measure_node_ids(ws)
    _add_nodes(b, ws, measure_ids)
    _add_edges(b, ws, measure_ids)
    return b.graph


def _add_nodes(b: _Builder, ws: Workspace, measure_ids: dict[MeasureEntity, str]) -> None:
    for org in ws.organisations:
        model = org.model
        b.node(
            org.key,
            "organisation",
            short(model.short or model.name),
            org.file,
            org.pointer,
            entity_id=org.id,
            name=model.name,
            type=org.type,
            status=org.status,
        )
    for person in ws.people:
        b.node(
            person.key,
            "person",
            short(person.name),
            person.file,
            person.pointer,
            entity_id=person.id,
            position=person.position,
            roles=person.roles,
        )
    for doc in ws.documents:
        model = doc.model
        b.node(
            doc.key,
            "document",
            short(model.title or doc.id),
            doc.file,
            doc.pointer,
            entity_id=doc.id,
            document_kind=model.kind.value,
            approved=model.approved,
        )
    for roadmap in ws.roadmaps:
        model = roadmap.model
        b.node(
            roadmap.key,
            "roadmap",
            roadmap.id,
            roadmap.file,
            roadmap.pointer,
            entity_id=roadmap.id,
            title=" ".join(model.title.split()),
            level=roadmap.level,
            period_start=roadmap.period_start,
            period_end=roadmap.period_end,
            approved=roadmap.approved,
        )
        for s, section in enumerate(model.sections):
            label = short(" ".join(t for t in (section.number, section.title) if t) or f"#{s + 1}")
            b.node(section_node_id(roadmap, s), "section", label, roadmap.file, f"/sections/{s}", number=section.number)
        for measure in roadmap.measures:
            m = measure.model
            mid = measure_ids[measure]
            b.node(
                mid,
                "measure",
                short(" ".join(t for t in (m.number, m.title) if t) or m.id or mid),
                measure.file,
                measure.pointer,
                entity_id=m.id,
                title=m.title,
                number=m.number,
                roadmap=roadmap.id,
                measure_kind=m.kind.value if m.kind else None,
                level=m.level.value if m.level else None,
                deadline=m.deadline,
            )
            if "indicator" in b.node_kinds:
                for i, indicator in enumerate(m.indicators):
                    b.node(
                        f"indicator:{roadmap.id}#{measure.pointer}/indicators/{i}",
                        "indicator",
                        short(indicator.name),
                        measure.file,
                        f"{measure.pointer}/indicators/{i}",
                        target=indicator.target,
                        unit=indicator.unit,
                        date=indicator.date,
                    )


def _add_edges(b: _Builder, ws: Workspace, measure_ids: dict[MeasureEntity, str]) -> None:
    for org in ws.organisations:
        if org.parent is not None:
            b.edge(org.key, org.parent.key, "belongs_to")
    for person in ws.people:
        if person.organisation is not None:
            b.edge(person.key, person.organisation.key, "belongs_to")
    for doc in ws.documents:
        if doc.school is not None:
            b.edge(doc.key, doc.school.key, "belongs_to")
            b.edge(doc.key, doc.school.key, "approved_by")
    for pair in ws.mentorships:
        if pair.school is not None and pair.target is not None:
            b.edge(pair.target.key, pair.school.key, "mentor_of")
    for cur in ws.curatorships:
        if cur.school is not None and cur.target is not None:
            b.edge(cur.target.key, cur.school.key, "curator_of")
    for coord in ws.coordinations:
        if coord.school is not None and coord.target is not None:
            b.edge(coord.target.key, coord.school.key, "coordinator_of")
    resolver: PartyResolver | None = None
    for roadmap in ws.roadmaps:
        if roadmap.implements is not None:
            b.edge(roadmap.key, roadmap.implements.key, "implements")
        if roadmap.organisation is not None:
            b.edge(roadmap.key, roadmap.organisation.key, "belongs_to")
        approval = roadmap.model.approval
        if approval is not None and (approval.authority or approval.signatory) and "approved_by" in b.edge_kinds:
            resolver = resolver or PartyResolver.of(ws)
            approvers = [
                *(resolver.resolve_body(approval.authority) if approval.authority else []),
                *(resolver.resolve_person(approval.signatory) if approval.signatory else []),
            ]
            for approver in approvers:
                b.edge(roadmap.key, node_id(approver), "approved_by")
        for s in range(len(roadmap.model.sections)):
            b.edge(section_node_id(roadmap, s), roadmap.key, "belongs_to")
        for measure in roadmap.measures:
            mid = measure_ids[measure]
            b.edge(mid, section_node_id(roadmap, measure.section), "belongs_to")
            for target in measure.implements:
                b.edge(mid, measure_ids[target], "implements")
            for target in measure.depends_on:
                b.edge(mid, measure_ids[target], "depends_on")
            for party in measure.parties:
                b.edge(node_id(party, measure_ids), mid, "responsible_for")
            for i in range(len(measure.model.indicators)):
                b.edge(f"indicator:{roadmap.id}#{measure.pointer}/indicators/{i}", mid, "belongs_to")
