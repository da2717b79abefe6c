"""pydantic models of every file kind; the JSON Schemas in schemas/ are generated from them."""

from __future__ import annotations

from roadmap_rules.model.registry import Registry
from roadmap_rules.model.roadmap import Roadmap

FILE_KINDS: dict[str, type[Roadmap] | type[Registry]] = {"roadmap": Roadmap, "registry": Registry}

__all__ = ["FILE_KINDS", "Registry", "Roadmap"]
