"""The graph as text: Graphviz DOT, GraphML, or node-link JSON.

Output is deterministic (nodes sorted by id, edges by source, target and kind)
so that exports can be diffed and golden-tested. Text is UTF-8 throughout:
Cyrillic labels are written as they are, and DOT strings escape only what DOT
itself requires (backslash, double quote, line breaks, control characters).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import networkx as nx

Format = Literal["dot", "graphml", "json"]
FORMATS: tuple[Format, ...] = ("dot", "graphml", "json")

_SHAPES = {
    "organisation": "box",
    "person": "ellipse",
    "roadmap": "folder",
    "section": "tab",
    "measure": "note",
    "document": "component",
    "indicator": "diamond",
}
_EDGE_STYLES = {
    "implements": 'color="#1f77b4"',
    "depends_on": 'color="#d62728"',
    "mentor_of": 'color="#2ca02c"',
    "curator_of": 'color="#9467bd"',
    "coordinator_of": 'color="#8c564b"',
    "responsible_for": 'color="#ff7f0e", style=dashed',
    "belongs_to": 'color="#7f7f7f"',
    "approved_by": 'color="#17becf", style=dotted',
}
_CORE = ("kind", "label", "file", "pointer")


def export_graph(graph: nx.MultiDiGraph, fmt: Format) -> str:
    """Render the graph in one of FORMATS; ValueError on anything else."""
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "json":
        return to_json(graph)
    raise ValueError(f"Неизвестный формат «{fmt}»; допустимы: {', '.join(FORMATS)} / unknown format '{fmt}'")


def _nodes(graph: nx.MultiDiGraph) -> list[tuple[str, dict[str, Any]]]:
    return sorted(((str(n), dict(a)) for n, a in graph.nodes(data=True)), key=lambda item: item[0])


def _edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    return sorted((str(u), str(v), str(a.get("kind", k))) for u, v, k, a in graph.edges(keys=True, data=True))


# --- DOT --------------------------------------------------------------------------------------


def dot_string(text: object) -> str:
    """A DOT double-quoted string: UTF-8 kept, quotes, backslashes and breaks escaped."""
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            continue
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(" ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def to_dot(graph: nx.MultiDiGraph) -> str:
    lines = [
        "digraph roadmaps {",
        '  graph [charset="UTF-8", rankdir=LR, fontname="Helvetica"];',
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8];',
    ]
    for nid, attrs in _nodes(graph):
        kind = str(attrs.get("kind", ""))
        fields = [f"label={dot_string(attrs.get('label') or nid)}", f"shape={_SHAPES.get(kind, 'box')}"]
        fields += [f"{name}={dot_string(attrs[name])}" for name in ("kind", "file", "pointer") if name in attrs]
        tooltip = attrs.get("title") or attrs.get("name")
        if tooltip:
            fields.append(f"tooltip={dot_string(tooltip)}")
        lines.append(f"  {dot_string(nid)} [{', '.join(fields)}];")
    for source, target, kind in _edges(graph):
        style = _EDGE_STYLES.get(kind, "")
        extra = f", {style}" if style else ""
        kind_text = dot_string(kind)
        lines.append(f"  {dot_string(source)} -> {dot_string(target)} [label={kind_text}, kind={kind_text}{extra}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- GraphML ----------------------------------------------------------------------------------


def _sorted_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    copy: nx.MultiDiGraph = nx.MultiDiGraph()
    for nid, attrs in _nodes(graph):
        copy.add_node(nid, **attrs)
    for source, target, kind in _edges(graph):
        copy.add_edge(source, target, key=kind, kind=kind)
    return copy


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(_sorted_copy(graph), encoding="utf-8", prettyprint=True)) + "\n"


# --- JSON -------------------------------------------------------------------------------------


def to_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON: nodes with id, kind, label, file, pointer (+ extras); edges source/target/kind."""
    nodes = []
    for nid, attrs in _nodes(graph):
        node = {"id": nid, **{name: attrs.get(name, "") for name in _CORE}}
        node.update({name: attrs[name] for name in sorted(attrs) if name not in _CORE and name != "id"})
        nodes.append(node)
    edges = [{"source": s, "target": t, "kind": k} for s, t, k in _edges(graph)]
    data = {"directed": True, "multigraph": True, "nodes": nodes, "edges": edges}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
