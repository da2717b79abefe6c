"""The typed graph of a workspace: nodes, edges and filters."""

from __future__ import annotations

from typing import Any

import pytest
from graph_helpers import REGISTRY, models, roadmap

from roadmap_rules.graph import EDGE_KINDS, NODE_KINDS, build_graph
from roadmap_rules.workspace import Workspace


@pytest.fixture
def ws() -> Workspace:
    region = roadmap(
        "region-2024",
        "region",
        {"id": "seminar", "number": "1.1", "title": "Региональный семинар", "responsible": ["ИРО"]},
        organisation="region",
        approval={"number": "1", "authority": "Северная область", "signatory": "Министр А.А. Иванова"},
    )
    school = roadmap(
        "school-7-2024",
        "school",
        {"id": "team", "number": "1", "title": "Рабочая группа", "responsible": ["Иванова Т.А."]},
        {
            "id": "seminar-part",
            "number": "2",
            "title": "Участие в семинаре",
            "implements": "region-2024/seminar",
            "depends_on": ["team"],
            "responsible": ["МБОУ «СОШ № 7»", "Руководители ОО"],
            "indicators": [{"name": "Доля педагогов", "target": 100, "unit": "%"}],
        },
        {"number": "3", "title": "Без id"},
        {"number": "3", "title": "Повтор номера без id"},
        organisation="school-7",
        implements="region-2024",
        approval={"authority": "МБОУ «СОШ № 7»", "signatory": "Директор Т.А. Иванова"},
    )
    return models(registry=REGISTRY, region=region, school=school)


def _edges(graph: Any, kind: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in graph.edges(keys=True) if k == kind}


def test_nodes_of_every_kind(ws: Workspace) -> None:
    graph = build_graph(ws)
    kinds = {a["kind"] for _, a in graph.nodes(data=True)}
    assert kinds == set(NODE_KINDS)
    for _, attrs in graph.nodes(data=True):
        assert {"kind", "label", "file", "pointer"} <= attrs.keys()
        assert all(isinstance(v, str | int | float | bool) for v in attrs.values())
    assert graph.nodes["organisation:school-7"]["status"] == "ШНОР"
    assert graph.nodes["measure:school-7-2024/team"]["pointer"] == "/sections/0/measures/0"
    assert graph.nodes["measure:school-7-2024/team"]["label"] == "1 Рабочая группа"
    # Measures without ids get positional node ids and never merge.
    assert "measure:school-7-2024#/sections/0/measures/2" in graph
    assert "measure:school-7-2024#/sections/0/measures/3" in graph


def test_typed_edges(ws: Workspace) -> None:
    graph = build_graph(ws)
    assert _edges(graph, "implements") == {
        ("roadmap:school-7-2024", "roadmap:region-2024"),
        ("measure:school-7-2024/seminar-part", "measure:region-2024/seminar"),
    }
    assert _edges(graph, "depends_on") == {("measure:school-7-2024/seminar-part", "measure:school-7-2024/team")}
    assert _edges(graph, "mentor_of") == {("organisation:school-1", "organisation:school-7")}
    assert _edges(graph, "curator_of") == {("person:ivanova", "organisation:school-7")}
    assert _edges(graph, "coordinator_of") == {("person:petrov", "organisation:mun-a")}
    assert _edges(graph, "responsible_for") == {
        ("organisation:iro", "measure:region-2024/seminar"),
        ("person:director", "measure:school-7-2024/team"),
        ("organisation:school-7", "measure:school-7-2024/seminar-part"),
    }
    assert _edges(graph, "approved_by") == {
        ("roadmap:region-2024", "organisation:region"),
        ("roadmap:region-2024", "person:ivanova"),
        ("roadmap:school-7-2024", "organisation:school-7"),
        ("roadmap:school-7-2024", "person:director"),
        ("document:school-7-concept", "organisation:school-7"),
    }
    belongs = _edges(graph, "belongs_to")
    assert {
        ("organisation:school-7", "organisation:mun-a"),
        ("organisation:mun-a", "organisation:region"),
        ("person:ivanova", "organisation:iro"),
        ("measure:school-7-2024/team", "section:school-7-2024#/sections/0"),
        ("section:school-7-2024#/sections/0", "roadmap:school-7-2024"),
        ("indicator:school-7-2024#/sections/0/measures/1/indicators/0", "measure:school-7-2024/seminar-part"),
        ("document:school-7-concept", "organisation:school-7"),
        ("roadmap:school-7-2024", "organisation:school-7"),
    } <= belongs
    assert {k for _, _, k in graph.edges(keys=True)} == set(EDGE_KINDS)
    for _, _, key, attrs in graph.edges(keys=True, data=True):
        assert attrs == {"kind": key}


def test_filters_keep_only_edges_between_kept_nodes(ws: Workspace) -> None:
    graph = build_graph(ws, node_kinds=["organisation", "person"], edge_kinds=["mentor_of", "curator_of", "belongs_to"])
    assert {a["kind"] for _, a in graph.nodes(data=True)} == {"organisation", "person"}
    assert {k for _, _, k in graph.edges(keys=True)} == {"mentor_of", "curator_of", "belongs_to"}
    assert all(graph.nodes[u]["kind"] in {"organisation", "person"} for u, _ in graph.edges())
    only_measures = build_graph(ws, node_kinds=["measure"])
    assert {k for _, _, k in only_measures.edges(keys=True)} == {"implements", "depends_on"}


def test_unknown_kinds_are_rejected(ws: Workspace) -> None:
    with pytest.raises(ValueError, match="schools"):
        build_graph(ws, node_kinds=["schools"])
    with pytest.raises(ValueError, match="mentors"):
        build_graph(ws, edge_kinds=["mentors"])


def test_empty_workspace() -> None:
    graph = build_graph(Workspace())
    assert graph.number_of_nodes() == 0
