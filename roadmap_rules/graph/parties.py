"""Who a «Ответственные» cell names: registry bodies, people, or generic roles.

Responsible cells are free text typed by hand: «КО», «ЦМРО», «Руководители
ОО», «Васильева Т.Д. Мурашова Е.Ю.», «Управление образования … (далее –
УОиМП)». A cell is resolved in this order, each step a hash lookup, so the
whole workspace is resolved in time linear in its size:

1. the whole cell against every registered id, name, short name and alias
   (case, quotes, ё and spacing folded by `normalise_name`);
2. an abbreviation the same roadmap defined in another cell with «(далее – X)»;
3. the full name or the abbreviation of a «(далее – X)» cell;
4. a generic role (руководители ОО, кураторы, рабочая группа, ОО …): roles are
   people by function, not bodies, so they are never a finding;
5. people by surname and initials, in either order, several to a cell;
6. the cell split at «,», «;» and then «и», each piece by steps 1–4.

What still does not resolve is an unresolved fragment (G004). Each match
remembers the registered *form* it went through (name, short, alias …) so that
G005 can see one body spelled two ways.
"""

from __future__ import annotations

import difflib
import heapq
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

from roadmap_rules.workspace import (
    Entity,
    MeasureEntity,
    OrgEntity,
    PersonEntity,
    RoadmapEntity,
    Workspace,
    normalise_name,
)

FormKind = Literal["id", "name", "short", "alias", "abbreviation"]


@dataclass(frozen=True, slots=True)
class Form:
    """One registered way of writing an entity, and where it is registered."""

    entity: Entity
    kind: FormKind
    text: str
    file: str
    pointer: str
    region: OrgEntity | None = field(default=None, compare=False)
    """The region of the entity, known once the registry is linked: `_nearest` reads it for every use."""

    @property
    def key(self) -> str:
        return normalise_name(self.text)


@dataclass(frozen=True, slots=True)
class Part:
    """One fragment of a cell and what it resolved to.

    Exactly one of: `forms` non-empty (a body or person), `role` set (a generic
    role), or neither (unresolved).
    """

    fragment: str
    forms: tuple[Form, ...] = ()
    role: str | None = None
    via: str = ""

    @property
    def resolved(self) -> bool:
        return bool(self.forms) or self.role is not None

    @property
    def entities(self) -> tuple[Entity, ...]:
        seen: dict[int, Entity] = {}
        for form in self.forms:
            seen.setdefault(id(form.entity), form.entity)
        return tuple(seen.values())


@dataclass(slots=True)
class CellUse:
    """One text of a responsible cell in one roadmap: what its fragments resolved to, and where it is written.

    A roadmap repeats the same few cells in most of its measures, so a cell is
    resolved and kept once per roadmap with the list of its places, rather than
    once per fragment of every measure (on four regions 35,197 records became 3,660).
    """

    text: str
    parts: tuple[Part, ...]
    places: list[tuple[MeasureEntity, int]]
    """(measure, index in its `responsible` list), in document order."""


def responsible_pointer(measure: MeasureEntity, index: int) -> str:
    """Where a measure's `index`-th responsible cell is written."""
    return f"{measure.pointer}/responsible/{index}"


# --- generic roles --------------------------------------------------------------------------

# A cell is a role when every word is a role word or a connector and at least one
# is a head noun. Short words are matched exactly, longer ones as stems, so
# «мо» never swallows «молодёжной».
_CONNECTORS = frozenset(
    {
        "и",
        "или",
        "а",
        "также",
        "в",
        "том",
        "числе",
        "по",
        "их",
        "с",
        "со",
        "для",
        "при",
        "о",
        "об",
        "все",
        "всех",
        "других",
        "др",
        "каждой",
        "каждого",
        "иные",
    }
)
_EXACT_WORDS = frozenset(
    {
        "оо",
        "оу",
        "мо",
        "рмо",
        "шмо",
        "гмо",
        "умо",
        "увр",
        "вр",
        "ур",
        "нмр",
        "шнор",
        "шнсу",
        "шфнсу",
        "шпро",
        "шнро",
        "нор",
        "зам",
        "рг",
    }
)
_HEAD_EXACT = frozenset({"оо", "оу", "мо", "рмо", "шмо", "гмо", "умо", "зам", "рг"})
_HEAD_STEMS = (
    "руководител",
    "заместител",
    "директор",
    "команд",
    "администрац",
    "педагог",
    "учител",
    "куратор",
    "наставник",
    "групп",
    "координатор",
    "эксперт",
    "организаци",
    "учреждени",
    "школ",
    "орган",
    "специалист",
    "родител",
    "обучающ",
    "учащ",
    "ученик",
    "член",
    "ответственн",
    "психолог",
    "тьютор",
    "партнер",
    "участник",
    "объединени",
    "ассоциаци",
    "библиотекар",
    "начальник",
    "председател",
    "министр",
    "заведующ",
    "ректор",
    "методист",
    "сотрудник",
    "работник",
    "исполнител",
    "логопед",
    "дефектолог",
    "воспитател",
)
_QUALIFIER_STEMS = (
    "управленческ",
    "рабоч",
    "муниципальн",
    "региональн",
    "школьн",
    "общеобразовательн",
    "образовательн",
    "управлени",
    "образовани",
    "общественн",
    "районн",
    "городск",
    "методическ",
    "законн",
    "представител",
    "социальн",
    "классн",
    "сетев",
    "предметн",
    "профильн",
    "педагогическ",
    "ответственн",
    "внутришкольн",
    "экспертн",
    "институциональн",
    "кураторск",
    "заинтересованн",
    "вышеуказанн",
    "указанн",
    "воспитательн",
    "учебн",
)
_NETWORKS = re.compile(r"\b(?:центр\w*|сет\w*)\s+(?:ит-куб|точка роста|точки роста|кванториум\w*)")
_WORD = re.compile(r"[0-9a-zа-я№]+(?:-[0-9a-zа-я№]+)*")


def _stem_in(word: str, stems: tuple[str, ...]) -> bool:
    return len(word) >= 3 and word.startswith(stems)


def generic_role(text: str) -> str | None:
    """The normalised role a cell names («руководители оо»), or None if it names a body."""
    norm = normalise_name(text)
    if not norm:
        return None
    if _NETWORKS.search(norm):
        return norm
    words = _WORD.findall(norm)
    if not words:
        return None
    head = words[0] == "управления"  # «управления образования» (plural): every municipality's
    for word in words:
        if word in _CONNECTORS:
            continue
        if word in _EXACT_WORDS or word in _HEAD_EXACT:
            head = head or word in _HEAD_EXACT
            continue
        for part in word.split("-"):
            if _stem_in(part, _HEAD_STEMS):
                head = True
            elif not (_stem_in(part, _QUALIFIER_STEMS) or part in _EXACT_WORDS or part in _CONNECTORS):
                return None
    if not head and words[0].startswith("управлени"):
        # «Управление образования муниципальных образований»: every municipality's, not one body.
        head = any(w.startswith("муниципальн") for w in words)
    return norm if head else None


# --- people by initials ---------------------------------------------------------------------

_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.?)?"
_SURNAME_FIRST = re.compile(rf"(?<![\w.])(?P<surname>{_SURNAME})\s+(?P<initials>{_INITIALS})")
_INITIALS_FIRST = re.compile(rf"(?<![\w.])(?P<initials>{_INITIALS})\s?(?P<surname>{_SURNAME})\b")
_FULL_NAME = re.compile(rf"^(?P<surname>{_SURNAME})\s+(?P<first>[А-ЯЁ])[а-яё]+\s+(?P<middle>[А-ЯЁ])[а-яё]+$")


def person_key(surname: str, initials: str) -> str:
    """«Васильева Т.Д.», «Т. Д. Васильева» and «ВАСИЛЬЕВА т.д.» share one key."""
    letters = "".join(ch for ch in initials if ch.isalpha())
    return f"{surname.lower().replace('ё', 'е')} {letters.lower().replace('ё', 'е')}"


def _person_keys(name: str) -> Iterator[str]:
    full = _FULL_NAME.match(name.strip())
    if full:
        yield person_key(full["surname"], full["first"] + full["middle"])
    for pattern in (_SURNAME_FIRST, _INITIALS_FIRST):
        for m in pattern.finditer(name):
            yield person_key(m["surname"], m["initials"])


# --- «(далее – X)» --------------------------------------------------------------------------

_DEFINED_AS = re.compile(
    r"\(\s*далее\s*(?:по\s+тексту\s*)?[-–—:]?\s*[«\"“]?(?P<abbr>[^()«»\"“”]+?)[»\"”]?\s*\)",
    re.IGNORECASE,
)
_LIST_SPLIT = re.compile(r"\s*[;,\n]\s*")
_AND_SPLIT = re.compile(r"\s+и\s+")
_EDGE_CONNECTOR = re.compile(r"^\s*(?:и|а также)\s+|\s+и\s*$")
_POSITION_START = re.compile(r"^\s*(?:и\.\s?о\.|врио\b)", re.IGNORECASE)


def defined_abbreviation(text: str) -> tuple[str, str] | None:
    """(full name, abbreviation) of a cell written «Полное имя (далее – X)»."""
    m = _DEFINED_AS.search(text)
    if m is None:
        return None
    return text[: m.start()].strip(), m["abbr"].strip()


# --- the resolver ---------------------------------------------------------------------------


@dataclass
class PartyResolver:
    """Indexes of every registered way to write a body or a person."""

    forms: dict[str, list[Form]] = field(default_factory=lambda: defaultdict(list))
    people: dict[str, list[Form]] = field(default_factory=lambda: defaultdict(list))
    _matcher: CloseMatcher | None = None
    _by_key: dict[str, Form] = field(default_factory=dict)
    _filed: set[tuple[str | int, ...]] = field(default_factory=set)
    """(key, entity) pairs already filed, and ("person", key, entity): a bucket holds an entity once."""

    @classmethod
    def of(cls, ws: Workspace) -> PartyResolver:
        resolver = cls()
        for org in ws.organisations:
            model, region = org.model, _region(org)
            resolver._add(Form(org, "id", org.id, org.file, f"{org.pointer}/id", region))
            resolver._add(Form(org, "name", model.name, org.file, f"{org.pointer}/name", region))
            if model.short:
                resolver._add(Form(org, "short", model.short, org.file, f"{org.pointer}/short", region))
            for i, alias in enumerate(model.aliases):
                resolver._add(Form(org, "alias", alias, org.file, f"{org.pointer}/aliases/{i}", region))
        for person in ws.people:
            model, region = person.model, _region(person)
            written = [
                Form(person, "id", person.id, person.file, f"{person.pointer}/id", region),
                Form(person, "name", model.name, person.file, f"{person.pointer}/name", region),
                *(
                    Form(person, "alias", a, person.file, f"{person.pointer}/aliases/{i}", region)
                    for i, a in enumerate(model.aliases)
                ),
            ]
            for form in written:
                resolver._add(form)
                if form.kind != "id":
                    for key in set(_person_keys(form.text)):
                        if ("person", key, id(person)) not in resolver._filed:
                            resolver._filed.add(("person", key, id(person)))
                            resolver.people[key].append(form)
        return resolver

    def _add(self, form: Form) -> None:
        """One form per entity and key: the first (its id, then its name…) is the one shown."""
        key = form.key
        if (key, id(form.entity)) not in self._filed:
            self._filed.add((key, id(form.entity)))
            self.forms[key].append(form)

    # -- lookups --

    def exact(self, text: str, local: Mapping[str, list[Form]] | None = None) -> list[Form]:
        key = normalise_name(text)
        found = self.forms.get(key)
        if found:
            return found
        if local:
            return local.get(key, [])
        return []

    def abbreviations(self, roadmap: RoadmapEntity) -> dict[str, list[Form]]:
        """Abbreviations the roadmap defines in its cells with «(далее – X)»."""
        local: dict[str, list[Form]] = {}
        seen: set[str] = set()  # a cell written again defines nothing new: the first place is kept
        for measure in roadmap.measures:
            for i, cell in enumerate(measure.model.responsible):
                if cell in seen:
                    continue
                seen.add(cell)
                pair = defined_abbreviation(cell)
                if pair is None:
                    continue
                full, abbr = pair
                found = self.exact(full)
                if found and normalise_name(abbr) not in self.forms:
                    pointer = responsible_pointer(measure, i)
                    local.setdefault(
                        normalise_name(abbr),
                        [Form(f.entity, "abbreviation", abbr, measure.file, pointer, f.region) for f in found],
                    )
        return local

    def persons(self, text: str) -> list[tuple[int, int, list[Form]]]:
        """Registered people written in `text` by surname and initials: (start, end, forms)."""
        hits: list[tuple[int, int, list[Form]]] = []
        for pattern in (_SURNAME_FIRST, _INITIALS_FIRST):
            for m in pattern.finditer(text):
                found = self.people.get(person_key(m["surname"], m["initials"]))
                if found:
                    hits.append((m.start(), m.end(), found))
        hits.sort(key=lambda h: (h[0], -h[1]))
        chosen: list[tuple[int, int, list[Form]]] = []
        for hit in hits:
            if not chosen or hit[0] >= chosen[-1][1]:
                chosen.append(hit)
        return chosen

    def _atom(self, text: str, local: Mapping[str, list[Form]] | None) -> Part | None:
        fragment = text.strip()
        found = self.exact(fragment, local)
        if found:
            return Part(fragment, tuple(found), via="name")
        pair = defined_abbreviation(fragment)
        if pair is not None:
            full, abbr = pair
            found = self.exact(full, local) or self.exact(abbr, local)
            if found:
                return Part(fragment, tuple(found), via="defined")
        role = generic_role(fragment)
        if role is not None:
            return Part(fragment, role=role, via="role")
        return None

    def resolve(
        self, text: str, local: Mapping[str, list[Form]] | None = None, near: RoadmapEntity | None = None
    ) -> list[Part]:
        """Every fragment of one responsible cell, resolved or not."""
        atom = self._atom(text, local)
        if atom is not None:
            return [_nearest(atom, near)]
        parts: list[Part] = []
        segments: list[str] = []
        cursor = 0
        for start, end, forms in self.persons(text):
            segments.append(text[cursor:start])
            parts.append(Part(text[start:end].strip(), tuple(forms), via="initials"))
            cursor = end
        segments.append(text[cursor:])
        for segment in segments:
            for piece in _LIST_SPLIT.split(segment):
                piece = _EDGE_CONNECTOR.sub("", piece)
                if not _meaningful(piece):
                    continue
                atom = self._atom(piece, local)
                if atom is not None:
                    parts.append(_nearest(atom, near))
                    continue
                sub = [self._atom(p, local) for p in _AND_SPLIT.split(piece) if _meaningful(p)]
                if len(sub) > 1 and all(s is not None for s in sub):
                    parts.extend(_nearest(s, near) for s in sub if s is not None)
                elif len(segments) > 1 and _is_position(piece):
                    # «Директор Т.А. Иванова», «И.о. председателя КО А.В. Батурина»: the person's post.
                    parts.append(Part(piece.strip(), role=normalise_name(piece), via="position"))
                else:
                    parts.append(Part(piece.strip()))
        return parts or [Part(text.strip())]

    def resolve_person(self, text: str) -> list[Entity]:
        """People named in a signatory line («Директор Т.А. Иванова»), or the whole text."""
        found = [f.entity for _, _, forms in self.persons(text) for f in forms]
        if not found:
            found = [f.entity for f in self.exact(text) if isinstance(f.entity, PersonEntity)]
        return _unique(found)

    def resolve_body(self, text: str) -> list[Entity]:
        """The body an approval's «authority» names, by any registered form or «(далее – X)»."""
        atom = self._atom(text, None)
        return list(atom.entities) if atom is not None else []

    # -- "did you mean" --

    def suggestions(self, text: str, n: int = 3) -> list[Form]:
        """Registered forms (not ids) close to `text`, best first."""
        if self._matcher is None:
            forms = {f.key: f for fs in self.forms.values() for f in fs if f.kind != "id"}
            self._matcher = CloseMatcher(forms)
            self._by_key = forms
        return [self._by_key[k] for k in self._matcher.matches(normalise_name(text), n)]


class CloseMatcher:
    """«Did you mean» over many names without comparing a name against all of them.

    `difflib.get_close_matches` over a national registry (50,000 ids) costs
    about a second per query. Here names are indexed by their words, numbers
    and first three letters; a query is compared only with the names in its
    rarest buckets (the `pool` sharing the most tokens), so it costs a few
    buckets, not the table. A table no bigger than `pool` is searched whole, exactly as difflib
    would.
    """

    def __init__(self, names: Iterable[str], pool: int = 400) -> None:
        self.names = list(dict.fromkeys(names))
        self.pool = pool
        self.buckets: dict[str, list[str]] = defaultdict(list)
        if len(self.names) > pool:
            for name in self.names:
                for token in _match_tokens(name):
                    self.buckets[token].append(name)

    def matches(self, text: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        if not text:
            return []
        if len(self.names) <= self.pool:
            candidates: Iterable[str] = self.names
        else:
            # Rarest buckets first, within a budget; keep the names sharing the most tokens.
            shared: dict[str, int] = {}
            budget = 4 * self.pool
            for bucket in sorted((self.buckets[t] for t in _match_tokens(text) if t in self.buckets), key=len):
                if budget <= 0:
                    break
                for name in bucket[:budget]:
                    shared[name] = shared.get(name, 0) + 1
                budget -= len(bucket)
            candidates = heapq.nlargest(self.pool, shared, key=shared.__getitem__)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(text)
        scored: list[tuple[float, str]] = []
        for name in candidates:
            if len(text) >= 5 and name.startswith(text) and name != text:
                scored.append((0.9, name))  # a cell cut at a page break: «ОГАУ «Институт»
                continue
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                score = matcher.ratio()
                if score >= cutoff:
                    scored.append((score, name))
        # Best first, ties in difflib's order, so small tables suggest what get_close_matches would.
        return [name for _, name in heapq.nlargest(n, scored)]


_MATCH_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def _match_tokens(name: str) -> set[str]:
    tokens = {"^" + name[:3]}
    tokens.update(t for t in _MATCH_TOKEN.findall(name.lower()) if len(t) >= 2 or t.isdigit())
    return tokens


def _is_position(piece: str) -> bool:
    if _POSITION_START.match(piece):
        return True
    words = _WORD.findall(normalise_name(piece))
    return bool(words) and _stem_in(words[0], _HEAD_STEMS)


def _meaningful(piece: str) -> bool:
    return any(w not in _CONNECTORS for w in _WORD.findall(normalise_name(piece)))


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    seen: dict[int, Entity] = {}
    for entity in entities:
        seen.setdefault(id(entity), entity)
    return list(seen.values())


def _region(entity: Entity) -> OrgEntity | None:
    org = entity.organisation if isinstance(entity, PersonEntity) else entity
    return org.region if isinstance(org, OrgEntity) else None


def _nearest(part: Part, roadmap: RoadmapEntity | None) -> Part:
    """Of several bodies written the same way, keep those nearest the roadmap.

    Two registries may both list a «ЦНППМ»; the roadmap's own region wins, then
    the registry in the roadmap's folder. Without a preference all are kept.
    """
    if roadmap is None or len(part.forms) < 2:  # one form: one entity (several forms of one entity agree)
        return part
    own = roadmap.organisation.region if roadmap.organisation is not None else None
    if own is not None:
        same = tuple(f for f in part.forms if f.region is own)
        if same:
            return Part(part.fragment, same, part.role, part.via)
    folder = os.path.dirname(roadmap.file)
    near = tuple(f for f in part.forms if os.path.dirname(f.file) == folder)
    if near:
        return Part(part.fragment, near, part.role, part.via)
    return part


def resolve_parties(
    ws: Workspace, resolver: PartyResolver | None = None
) -> tuple[list[CellUse], list[tuple[MeasureEntity, int, str]]]:
    """Fill `measure.parties`; return every cell's uses (roadmap by roadmap, in order of first use) and the
    cells left unresolved.

    A cell is unresolved (once, with its full text) when any of
    its fragments is neither a registered entity nor a generic role.
    """
    resolver = resolver or PartyResolver.of(ws)
    cells: list[CellUse] = []
    unresolved: list[tuple[MeasureEntity, int, str]] = []
    shared: dict[str, _Resolution | None] = {}
    for roadmap in ws.roadmaps:
        local = resolver.abbreviations(roadmap)
        known: dict[str, tuple[CellUse, _Resolution]] = {}
        for measure in roadmap.measures:
            found: list[list[Entity]] = []  # the entities of each cell that names someone
            for i, text in enumerate(measure.model.responsible):
                entry = known.get(text)
                if entry is None:
                    resolution = _resolution(resolver, text, local, roadmap, shared)
                    entry = known[text] = (CellUse(text, resolution.parts, []), resolution)
                    cells.append(entry[0])
                cell, resolution = entry
                cell.places.append((measure, i))
                if resolution.entities:
                    found.append(resolution.entities)
                if not resolution.resolved:
                    unresolved.append((measure, i, text))
            if len(found) > 1:  # several cells name someone: each entity once, in order
                measure.parties = _unique(entity for entities in found for entity in entities)
            else:
                measure.parties = list(found[0]) if found else []
    return cells, unresolved


@dataclass(frozen=True, slots=True)
class _Resolution:
    """What one cell's text resolved to: its fragments, their entities, and whether every fragment resolved."""

    parts: tuple[Part, ...]
    entities: list[Entity]
    resolved: bool


def _resolution(
    resolver: PartyResolver,
    text: str,
    local: Mapping[str, list[Form]],
    roadmap: RoadmapEntity,
    shared: dict[str, _Resolution | None],
) -> _Resolution:
    """A cell's resolution in `roadmap`, shared between roadmaps where it cannot differ (`shared`, by text).

    It cannot differ where the roadmap defines no abbreviation of its own (`local`) and no fragment names
    several bodies, of which `_nearest` would keep the roadmap's own: then the roadmap is never read.
    None in `shared` marks a text that names several bodies."""
    if not local:
        if text not in shared:
            parts = tuple(resolver.resolve(text))
            shared[text] = None if any(len(part.forms) > 1 for part in parts) else _resolved(parts)
        found = shared[text]
        if found is not None:
            return found
    return _resolved(tuple(resolver.resolve(text, local, roadmap)))


def _resolved(parts: tuple[Part, ...]) -> _Resolution:
    return _Resolution(
        parts, _unique(entity for part in parts for entity in part.entities), all(part.resolved for part in parts)
    )
