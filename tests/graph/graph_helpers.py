"""Helpers for the graph tests: models and workspaces made in memory, findings placed by the real loader."""

from __future__ import annotations

from typing import Any

from roadmap_rules.loading import SourceDocument, read_source
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.validation import validate
from roadmap_rules.workspace import Workspace, build_workspace


def load_texts(files: dict[str, str]) -> tuple[Workspace, dict[str, SourceDocument]]:
    """Read YAML texts through the real loader and validator, then link them."""
    docs: dict[str, SourceDocument] = {}
    models: list[tuple[str, Roadmap | Registry]] = []
    for name, text in sorted(files.items()):  # the engine reads files in sorted order
        doc = read_source(name, text.encode("utf-8"))
        model, problems = validate(doc)
        assert model is not None, (name, doc.problems, problems)
        assert (doc.problems, problems) == ([], []), name
        docs[name] = doc
        models.append((name, model))
    return build_workspace(models), docs


def models(**files: dict[str, Any]) -> Workspace:
    """A workspace from plain dicts, validated by the pydantic models (no YAML, no positions)."""
    built: list[tuple[str, Roadmap | Registry]] = []
    for name, data in files.items():
        path = name.replace("__", "/") + ".yaml"
        model: Roadmap | Registry = (
            Registry.model_validate(data) if data["kind"] == "registry" else Roadmap.model_validate(data)
        )
        built.append((path, model))
    return build_workspace(built)


REGISTRY: dict[str, Any] = {
    "kind": "registry",
    "organisations": [
        {"id": "region", "name": "Северная область", "type": "region"},
        {
            "id": "iro",
            "name": "ГАУ ДПО «Институт развития образования»",
            "short": "ИРО",
            "type": "centre",
            "parent": "region",
        },
        {"id": "mun-a", "name": "Городской округ А", "type": "municipality", "parent": "region"},
        {
            "id": "ko",
            "name": "Комитет по образованию Администрации города А",
            "short": "КО",
            "type": "authority",
            "parent": "mun-a",
        },
        {
            "id": "ocprmso",
            "name": "Образовательный центр поддержки и развития муниципальной системы образования",
            "short": "ОЦПРМСО",
            "aliases": ["ОЦПМСО"],
            "type": "centre",
            "parent": "mun-a",
        },
        {"id": "school-7", "name": "МБОУ «СОШ № 7»", "type": "school", "parent": "mun-a", "status": ["ШНОР"]},
        {"id": "school-1", "name": "МАОУ «Лицей № 1»", "type": "school", "parent": "mun-a", "status": ["leader"]},
    ],
    "people": [
        {"id": "ivanova", "name": "Иванова А.А.", "roles": ["curator"], "organisation": "iro"},
        {"id": "petrov", "name": "Петров П.П.", "roles": ["municipal_coordinator"], "organisation": "ko"},
        {"id": "vasilyeva", "name": "Васильева Т.Д.", "organisation": "ko"},
        {"id": "murashova", "name": "Мурашова Е.Ю.", "organisation": "ko"},
        {"id": "director", "name": "Иванова Тамара Андреевна", "organisation": "school-7", "roles": ["head"]},
    ],
    "mentors": [{"school": "school-7", "mentor": "school-1"}],
    "curators": [{"school": "school-7", "curator": "ivanova"}],
    "coordinators": [{"municipality": "mun-a", "coordinator": "petrov"}],
    "documents": [{"id": "school-7-concept", "school": "school-7", "kind": "concept"}],
}


def roadmap(rid: str, level: str, *measures: dict[str, Any], **header: Any) -> dict[str, Any]:
    """A roadmap dict with one section holding `measures`."""
    return {
        "kind": "roadmap",
        "id": rid,
        "level": level,
        "title": f"План {rid}",
        **header,
        "sections": [{"number": "1.", "title": "Раздел", "measures": list(measures)}],
    }
