"""Linking across files: the typed graph, party resolution and the built-in graph checks."""

from __future__ import annotations

from roadmap_rules.graph.build import EDGE_KINDS, NODE_KINDS, build_graph
from roadmap_rules.graph.checks import GRAPH_CHECKS, graph_findings
from roadmap_rules.graph.export import FORMATS, export_graph
from roadmap_rules.graph.parties import PartyResolver, PartyUse, generic_role, resolve_parties

__all__ = [
    "EDGE_KINDS",
    "FORMATS",
    "GRAPH_CHECKS",
    "NODE_KINDS",
    "PartyResolver",
    "PartyUse",
    "build_graph",
    "export_graph",
    "generic_role",
    "graph_findings",
    "resolve_parties",
]
