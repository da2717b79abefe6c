"""Everything loaded, as linked entities with indexes: what rules and graph checks read.

`entities` defines what there is, `keys` how findings name it, `link` how
files become one workspace.
"""

from __future__ import annotations

from roadmap_rules.workspace.entities import (
    FIELD_SOURCES,
    AssignmentEntity,
    DocumentEntity,
    Entity,
    IndicatorEntity,
    MeasureEntity,
    OrgEntity,
    PersonEntity,
    RoadmapEntity,
)
from roadmap_rules.workspace.keys import entity_at, measure_keys, normalise_name
from roadmap_rules.workspace.link import (
    COLLECTIONS,
    Definition,
    Unresolved,
    Workspace,
    build_workspace,
    measure_reference,
)

__all__ = [
    "COLLECTIONS",
    "FIELD_SOURCES",
    "AssignmentEntity",
    "Definition",
    "DocumentEntity",
    "Entity",
    "IndicatorEntity",
    "MeasureEntity",
    "OrgEntity",
    "PersonEntity",
    "RoadmapEntity",
    "Unresolved",
    "Workspace",
    "build_workspace",
    "entity_at",
    "measure_keys",
    "measure_reference",
    "normalise_name",
]
