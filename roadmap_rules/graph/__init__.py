"""Linking across files: the typed graph, party resolution and the built-in graph checks.

The networkx graph (`build_graph`, `export_graph`) is imported on first use:
checking does not need it, and networkx is the slowest import of the package.
"""

from __future__ import annotations

from typing import Any

from roadmap_rules.graph.checks import GRAPH_CHECKS, graph_findings
from roadmap_rules.graph.parties import CellUse, PartyResolver, generic_role, resolve_parties

_LAZY = {
    "EDGE_KINDS": "roadmap_rules.graph.build",
    "NODE_KINDS": "roadmap_rules.graph.build",
    "build_graph": "roadmap_rules.graph.build",
    "FORMATS": "roadmap_rules.graph.export",
    "export_graph": "roadmap_rules.graph.export",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "EDGE_KINDS",
    "FORMATS",
    "GRAPH_CHECKS",
    "NODE_KINDS",
    "CellUse",
    "PartyResolver",
    "build_graph",
    "export_graph",
    "generic_role",
    "graph_findings",
    "resolve_parties",
]
