"""DOT, GraphML and JSON exports: escaping, structure and determinism."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from graph_helpers import REGISTRY, models, roadmap

from roadmap_rules.graph import build_graph, export_graph
from roadmap_rules.graph.export import dot_string


def _graph() -> nx.MultiDiGraph:
    plan = roadmap(
        "plan",
        "school",
        {"id": "a", "number": "1", "title": 'Семинар «Школа \\ "успеха"»\nвторая строка', "responsible": ["КО"]},
        {"id": "b", "title": "Анализ", "depends_on": ["a"]},
        organisation="school-7",
    )
    return build_graph(models(registry=REGISTRY, plan=plan))


def test_dot_string_escapes_quotes_backslashes_and_breaks() -> None:
    assert dot_string('Школа «№ 5» "А"\\\n\t') == '"Школа «№ 5» \\"А\\"\\\\\\n "'


def test_dot_has_labels_kinds_and_cyrillic() -> None:
    dot = export_graph(_graph(), "dot")
    assert dot.startswith("digraph roadmaps {")
    assert 'charset="UTF-8"' in dot
    assert '"measure:plan/b" -> "measure:plan/a" [label="depends_on", kind="depends_on"' in dot
    assert '"organisation:ko" -> "measure:plan/a" [label="responsible_for"' in dot
    assert 'label="1 Семинар «Школа \\\\ \\"успеха\\"» вторая строка"' in dot
    assert dot.rstrip().endswith("}")


def test_json_is_node_link_with_core_fields() -> None:
    data = json.loads(export_graph(_graph(), "json"))
    assert data["directed"]
    assert data["multigraph"]
    node = next(n for n in data["nodes"] if n["id"] == "measure:plan/b")
    assert {k: node[k] for k in ("kind", "label", "file", "pointer")} == {
        "kind": "measure",
        "label": "Анализ",
        "file": "plan.yaml",
        "pointer": "/sections/0/measures/1",
    }
    assert {"source": "measure:plan/b", "target": "measure:plan/a", "kind": "depends_on"} in data["edges"]
    assert [n["id"] for n in data["nodes"]] == sorted(n["id"] for n in data["nodes"])


def test_graphml_round_trips() -> None:
    graph = _graph()
    text = export_graph(graph, "graphml")
    back = nx.parse_graphml(text, force_multigraph=True)
    assert set(back.nodes) == set(graph.nodes)
    assert back.nodes["organisation:school-7"]["label"] == "МБОУ «СОШ № 7»"
    assert back.number_of_edges() == graph.number_of_edges()


@pytest.mark.parametrize("fmt", ["dot", "graphml", "json"])
def test_output_is_deterministic(fmt: str) -> None:
    first = export_graph(_graph(), fmt)
    reversed_graph = nx.MultiDiGraph()
    graph = _graph()
    for node, attrs in reversed(list(graph.nodes(data=True))):
        reversed_graph.add_node(node, **attrs)
    for u, v, k, attrs in reversed(list(graph.edges(keys=True, data=True))):
        reversed_graph.add_edge(u, v, key=k, **attrs)
    assert export_graph(reversed_graph, fmt) == first


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="svg"):
        export_graph(_graph(), "svg")
