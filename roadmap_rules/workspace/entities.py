"""The entities rules and graph checks read: each knows the file and pointer it came from.

Roadmaps, measures, organisations, people, assignments, documents and
indicators wrap their pydantic models; links to other entities are filled in
by `link.build_workspace`. Model fields are exposed as plain properties (enums
as their values), so the rule language reads them without special cases.
"""

from __future__ import annotations

import datetime as dt
import operator
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from roadmap_rules.deadlines import Deadline, DeadlineContext, parse_deadline
from roadmap_rules.loading.source import child
from roadmap_rules.model import Roadmap
from roadmap_rules.model.registry import SUPPORTED_STATUSES, SchoolDocument
from roadmap_rules.model.roadmap import Indicator, Measure
from roadmap_rules.workspace.keys import measure_keys


class _Unset(Enum):
    """Marks a cached attribute not computed yet (None is a computed value)."""

    UNSET = 0


_UNSET = _Unset.UNSET


class Entity:
    """Base of every entity: where it is written and how findings name it."""

    __slots__ = ("file", "pointer")
    entity_kind = "entity"
    file: str
    pointer: str

    @property
    def key(self) -> str:
        return f"{self.entity_kind}:{self.file}#{self.pointer}"

    def field_pointer(self, name: str) -> str:
        source = FIELD_SOURCES.get((self.entity_kind, name))
        return child(self.pointer, source) if source else self.pointer

    def __repr__(self) -> str:
        return f"<{self.entity_kind} {self.key}>"


class OrgEntity(Entity):
    __slots__ = (
        "children",
        "coordinators",
        "curators",
        "documents",
        "id",
        "mentees",
        "mentors",
        "mentorships",
        "model",
        "name",
        "parent",
        "roadmaps",
        "schools",
        "status",
        "type",
    )
    entity_kind = "organisation"

    def __init__(self, model: Any, file: str, pointer: str) -> None:
        self.file, self.pointer, self.model = file, pointer, model
        self.id: str = model.id
        self.name: str = model.name
        self.type: str = model.type.value
        self.status: list[str] = [s.value for s in model.status]
        self.parent: OrgEntity | None = None
        self.mentors: list[OrgEntity] = []
        self.mentees: list[OrgEntity] = []
        self.mentorships: list[AssignmentEntity] = []
        self.curators: list[PersonEntity] = []
        self.coordinators: list[PersonEntity] = []
        self.roadmaps: list[RoadmapEntity] = []
        self.documents: list[DocumentEntity] = []
        self.schools: list[OrgEntity] = []
        self.children: list[OrgEntity] = []

    @property
    def key(self) -> str:
        return f"organisation:{self.id}"

    @property
    def supported(self) -> bool:
        return any(s in SUPPORTED_STATUSES for s in self.status)

    @property
    def leader(self) -> bool:
        return "leader" in self.status

    @property
    def all_schools(self) -> list[OrgEntity]:
        """The schools this organisation covers: itself, or every school below it."""
        if self.type == "school":
            return [self]
        found: list[OrgEntity] = []
        stack, seen = list(self.children), {self.id}
        while stack:
            org = stack.pop()
            if org.id in seen:
                continue
            seen.add(org.id)
            if org.type == "school":
                found.append(org)
            stack.extend(org.children)
        return found

    @property
    def municipality(self) -> OrgEntity | None:
        return _ancestor(self, "municipality")

    @property
    def region(self) -> OrgEntity | None:
        return _ancestor(self, "region")


def _ancestor(org: OrgEntity, type_: str) -> OrgEntity | None:
    seen: set[str] = set()
    current: OrgEntity | None = org
    while current is not None and current.id not in seen:
        if current.type == type_:
            return current
        seen.add(current.id)
        current = current.parent
    return None


class PersonEntity(Entity):
    __slots__ = ("coordinated", "curated", "id", "model", "name", "organisation", "position", "roles")
    entity_kind = "person"

    def __init__(self, model: Any, file: str, pointer: str) -> None:
        self.file, self.pointer, self.model = file, pointer, model
        self.id: str = model.id
        self.name: str = model.name
        self.position: str | None = model.position
        self.roles: list[str] = [r.value for r in model.roles]
        self.organisation: OrgEntity | None = None
        self.curated: list[OrgEntity] = []
        self.coordinated: list[OrgEntity] = []

    @property
    def key(self) -> str:
        return f"person:{self.id}"


class AssignmentEntity(Entity):
    """A mentor pair, a curator or a coordinator assignment."""

    __slots__ = ("act_date", "act_number", "kind_name", "school", "target")
    entity_kind = "assignment"

    def __init__(self, kind_name: str, file: str, pointer: str, act: Any) -> None:
        self.file, self.pointer, self.kind_name = file, pointer, kind_name
        self.school: OrgEntity | None = None
        self.target: Any = None
        self.act_date: dt.date | None = act.date if act else None
        self.act_number: str | None = act.number if act else None

    def field_pointer(self, name: str) -> str:
        source = {
            "target": self.kind_name,
            "school": "municipality" if self.kind_name == "coordinator" else "school",
        }.get(name)
        return child(self.pointer, source) if source else super().field_pointer(name)


class DocumentEntity(Entity):
    __slots__ = ("id", "model", "school")
    entity_kind = "document"

    def __init__(self, model: Any, file: str, pointer: str) -> None:
        self.file, self.pointer, self.model = file, pointer, model
        self.id: str = model.id
        self.school: OrgEntity | None = None

    @property
    def key(self) -> str:
        return f"document:{self.id}"


class RoadmapEntity(Entity):
    __slots__ = (
        "_context",
        "_measure_keys",
        "id",
        "implementers",
        "implements",
        "measures",
        "model",
        "organisation",
        "workspace",
    )
    entity_kind = "roadmap"

    def __init__(self, model: Roadmap, file: str) -> None:
        self.file, self.pointer, self.model = file, "", model
        self._measure_keys: dict[str, str] | None = None
        self._context: DeadlineContext | None = None
        self.id = model.id
        self.implements: RoadmapEntity | None = None
        self.implementers: list[RoadmapEntity] = []
        self.organisation: OrgEntity | None = None
        self.measures: list[MeasureEntity] = []
        self.workspace: Any = None
        """The linked workspace (link.Workspace), which resolves parties when first asked."""

    @property
    def key(self) -> str:
        return f"roadmap:{self.id}"

    def measure_key(self, pointer: str) -> str:
        if self._measure_keys is None:
            self._measure_keys = measure_keys(self.model)
        return self._measure_keys[pointer]

    @property
    def level(self) -> str:
        return self.model.level.value

    @property
    def title(self) -> str:
        return self.model.title

    @property
    def period(self) -> Any:
        return self.model.period

    @property
    def period_start(self) -> dt.date | None:
        return self.model.period.start if self.model.period else None

    @property
    def period_end(self) -> dt.date | None:
        return self.model.period.end if self.model.period else None

    @property
    def approved(self) -> dt.date | None:
        return self.model.approval.date if self.model.approval else None

    @property
    def context(self) -> DeadlineContext:
        """Built once: every measure's deadline is read in it."""
        if self._context is None:
            self._context = DeadlineContext(self.period_start, self.period_end, self.approved)
        return self._context


class MeasureEntity(Entity):
    __slots__ = (
        "_deadline",
        "_deadline_end",
        "_deadline_start",
        "_number_key",
        "_parties",
        "dependants",
        "depends_on",
        "implementers",
        "implements",
        "index",
        "model",
        "position",
        "previous",
        "roadmap",
        "section",
    )
    entity_kind = "measure"

    def __init__(
        self,
        model: Measure,
        roadmap: RoadmapEntity,
        pointer: str,
        section: int,
        index: int,
        previous: MeasureEntity | None = None,
    ) -> None:
        """`previous` is the measure just above this one in the document; rules read it (and `position`,
        the ordinal from 1) over and over, so both are plain attributes, set once."""
        self.file, self.pointer, self.model = roadmap.file, pointer, model
        self.roadmap = roadmap
        self.section = section
        self.index = index
        self.previous = previous
        self.position: int = 1 if previous is None else previous.position + 1
        self.implements: list[MeasureEntity] = []
        self.implementers: list[MeasureEntity] = []
        self.depends_on: list[MeasureEntity] = []
        self.dependants: list[MeasureEntity] = []
        self._parties: list[Entity] | None = None
        self._deadline: Deadline | None = None
        self._deadline_start: dt.date | _Unset | None = _UNSET
        self._deadline_end: dt.date | _Unset | None = _UNSET
        self._number_key: str | _Unset | None = _UNSET

    @property
    def key(self) -> str:
        return self.roadmap.measure_key(self.pointer)

    @property
    def deadline(self) -> Deadline | None:
        text = self.model.deadline
        if text is None:
            return None
        if self._deadline is None:
            self._deadline = parse_deadline(text, self.roadmap.context)
        return self._deadline

    @property
    def parties(self) -> list[Entity]:
        """Who the responsible cells name: the workspace resolves every cell on the first read."""
        if self._parties is None and self.roadmap.workspace is not None:
            self.roadmap.workspace.resolve_parties()
        return self._parties or []

    @parties.setter
    def parties(self, value: list[Entity]) -> None:
        self._parties = value

    @property
    def deadline_start(self) -> dt.date | None:
        """`deadline.start`, computed once (see CACHED_FIELDS)."""
        if self._deadline_start is _UNSET:
            deadline = self.deadline
            self._deadline_start = None if deadline is None else deadline.start
        return self._deadline_start

    @property
    def deadline_end(self) -> dt.date | None:
        """`deadline.end`, computed once (see CACHED_FIELDS)."""
        if self._deadline_end is _UNSET:
            deadline = self.deadline
            self._deadline_end = None if deadline is None else deadline.end
        return self._deadline_end

    deadline_text = property(operator.attrgetter("model.deadline"), doc="The deadline as written.")

    @property
    def number_key(self) -> str | None:
        """The item number without trailing dots and spaces: «1.2.» and «1.2» are one number.

        Cached: several rules read it for every measure.
        """
        if self._number_key is _UNSET:
            number = self.model.number
            self._number_key = number.strip().rstrip(".").strip() if number else None
        return self._number_key

    @property
    def section_title(self) -> str | None:
        return self.roadmap.model.sections[self.section].title

    @property
    def indicators(self) -> list[IndicatorEntity]:
        if not self.model.indicators:  # most measures: skip building the pointer prefix
            return []
        return [
            IndicatorEntity(ind, self, child(child(self.pointer, "indicators"), i))
            for i, ind in enumerate(self.model.indicators)
        ]


class IndicatorEntity(Entity):
    __slots__ = ("measure", "model")
    entity_kind = "indicator"

    def __init__(self, model: Indicator, measure: MeasureEntity, pointer: str) -> None:
        self.file, self.pointer, self.model, self.measure = measure.file, pointer, model, measure


def _expose_model_fields(entity: type[Entity], model: type[BaseModel]) -> None:
    """Give an entity a property for every field of its model that it does not define itself.

    Properties rather than `__getattr__`: rules read these fields millions of
    times on a national corpus, and a failed attribute lookup first is slow.
    A field that cannot hold an enum reads through `attrgetter`, with no
    Python frame per read.
    """
    for name, info in model.model_fields.items():
        if hasattr(entity, name):
            continue
        if not _holds_enum(info.annotation):
            setattr(entity, name, property(operator.attrgetter("model." + name)))
            continue

        def read(self: Any, name: str = name) -> Any:
            value = getattr(self.model, name)
            return value._value_ if isinstance(value, Enum) else value  # `.value` is a slow descriptor

        setattr(entity, name, property(read))


def _holds_enum(annotation: Any) -> bool:
    """Can a value of this type be an enum member (`Level | None`, `list[Kind]`)?"""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return True
    return any(_holds_enum(arg) for arg in typing.get_args(annotation))


_expose_model_fields(MeasureEntity, Measure)
_expose_model_fields(DocumentEntity, SchoolDocument)
_expose_model_fields(IndicatorEntity, Indicator)


CACHED_FIELDS: dict[tuple[str, str, str], str] = {
    ("measure", "deadline", "start"): "deadline_start",
    ("measure", "deadline", "end"): "deadline_end",
}
"""(entity kind, field, its field) → an attribute of the entity holding the same value, computed once.

Rules compare `m.deadline.end` over and over; a Deadline works its bounds out on every read.
"""


FIELD_SOURCES: dict[tuple[str, str], str] = {
    ("measure", "deadline"): "deadline",
    ("measure", "deadline_text"): "deadline",
    ("measure", "title"): "title",
    ("measure", "number"): "number",
    ("measure", "result"): "result",
    ("measure", "evidence"): "evidence",
    ("measure", "responsible"): "responsible",
    ("measure", "parties"): "responsible",
    ("measure", "implements"): "implements",
    ("measure", "depends_on"): "depends_on",
    ("measure", "level"): "level",
    ("measure", "kind"): "kind",
    ("measure", "indicators"): "indicators",
    ("roadmap", "implements"): "implements",
    ("roadmap", "organisation"): "organisation",
    ("roadmap", "period_start"): "period",
    ("roadmap", "period_end"): "period",
    ("roadmap", "approved"): "approval",
    ("organisation", "status"): "status",
    ("organisation", "parent"): "parent",
    ("indicator", "baseline"): "baseline",
    ("indicator", "target"): "target",
    ("indicator", "date"): "date",
    ("document", "risks"): "risks",
    ("document", "expertise_done"): "expertise_done",
    ("document", "expertise_deadline"): "expertise_deadline",
    ("document", "approved"): "approved",
    ("document", "drafted"): "drafted",
}
