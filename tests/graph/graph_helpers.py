"""Helpers for the graph tests: models and workspaces made in memory, findings placed by the real loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from roadmap_rules.diagnostics import Finding
from roadmap_rules.graph import graph_findings
from roadmap_rules.loading import SourceDocument, read_source
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.validation import validate
from roadmap_rules.workspace import Workspace, build_workspace

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "graph"


def load_texts(files: dict[str, str]) -> tuple[Workspace, dict[str, SourceDocument]]:
    """Read YAML texts through the real loader and validator, then link them."""
    docs: dict[str, SourceDocument] = {}
    models: list[tuple[str, Roadmap | Registry]] = []
    for name, text in files.items():
        doc = read_source(name, text.encode("utf-8"))
        model, problems = validate(doc)
        assert model is not None, (name, doc.problems, problems)
        assert not doc.problems and not problems, (name, doc.problems, problems)
        docs[name] = doc
        models.append((name, model))
    return build_workspace(models), docs


def place(finding: Finding, docs: dict[str, SourceDocument]) -> dict[str, Any]:
    """A finding as the fixture runner compares it: code, file, 1-based line/column, related."""
    span = docs[finding.file].positions.span(finding.pointer)
    related = []
    for ref in finding.related:
        rspan = docs[ref.file].positions.span(ref.pointer)
        related.append({"file": ref.file, "line": rspan.line, "column": rspan.column})
    return {
        "code": finding.code,
        "file": finding.file,
        "line": span.line,
        "column": span.column,
        "message": finding.message.ru,
        "related": related,
    }


def run_fixture_case(code: str, files: dict[str, str]) -> list[dict[str, Any]]:
    ws, docs = load_texts(files)
    return [place(f, docs) for f in graph_findings(ws) if f.code == code]


def fixture_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(FIXTURES.glob("G*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases.extend((data["code"], case) for case in data["cases"])
    return cases
