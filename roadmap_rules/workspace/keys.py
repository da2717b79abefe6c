"""Stable names: entity keys of findings, and bodies' names folded for matching.

Keys depend on content (ids, item numbers), not on line numbers, so anything
keyed on them — baselines, reports — survives edits elsewhere in a file.
"""

from __future__ import annotations

import functools
import re

from roadmap_rules.model import Registry, Roadmap


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


_PUNCT = re.compile(r"[«»\"'“”„()]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=1 << 16)
def normalise_name(text: str) -> str:
    """Fold case, quotes, ё and spacing so that one body matches however it is typed.

    Cached: the same few hundred names are normalised again for every measure that writes them.
    """
    text = _PUNCT.sub(" ", text.lower().replace("ё", "е"))
    text = text.replace("№ ", "№").replace(" .", ".")
    return _SPACES.sub(" ", text).strip(" .,;")
