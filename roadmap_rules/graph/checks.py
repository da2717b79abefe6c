"""Built-in checks of the links between files: references, ids, cycles, parties.

These are the checks the rule language cannot express well: they need the
resolution machinery itself (what a reference could have meant, where a cycle
closes). Everything else about the graph (dates along `implements`, mentor
loads, supported schools without a roadmap) is written as declarative rules.
Each check reads the workspace once; the cycle check is Tarjan's strongly
connected components, iterative, so the whole module is linear.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from roadmap_rules.diagnostics import CheckInfo, Finding, Message, RelatedRef, Severity
from roadmap_rules.graph.parties import CellUse, Form, Part, PartyResolver, responsible_pointer
from roadmap_rules.workspace import (
    Definition,
    Entity,
    MeasureEntity,
    OrgEntity,
    RoadmapEntity,
    Unresolved,
    Workspace,
    measure_reference,
)

_E, _W = Severity.ERROR, Severity.WARNING


def _info(code: str, name: str, severity: Severity, title: tuple[str, str], why: tuple[str, str]) -> CheckInfo:
    return CheckInfo(code, name, severity, Message(*title), Message(*why), origin="builtin")


GRAPH_CHECKS: tuple[CheckInfo, ...] = (
    _info(
        "G001",
        "unresolved-reference",
        _E,
        ("Ссылка на несуществующий идентификатор", "Reference to an undefined id"),
        (
            "Ссылка по идентификатору (implements, depends_on, parent, organisation, mentor, curator, "
            "coordinator, school), которая ни на что не указывает, разрывает связь уровней: проверки "
            "сроков и закреплений по ней молча не выполняются.",
            "A reference by id that names nothing breaks the link between levels: the date and "
            "assignment checks that follow it are silently skipped.",
        ),
    ),
    _info(
        "G002",
        "duplicate-id",
        _E,
        ("Идентификатор определён дважды", "Id defined twice"),
        (
            "Ссылки по идентификатору должны вести в одно место; при повторе второе определение "
            "не учитывается, и ссылки на него попадают в первое.",
            "References by id must lead to one place; a repeated id is ignored at its second "
            "definition, so references silently land on the first.",
        ),
    ),
    _info(
        "G003",
        "reference-cycle",
        _E,
        ("Циклическая ссылка в depends_on или implements", "Cycle in depends_on or implements"),
        (
            "Мероприятие не может зависеть от себя даже через другие, а карта или мероприятие не "
            "может реализовывать само себя: такой план невыполним и не упорядочивается по срокам.",
            "A measure cannot depend on itself, even through others, and a roadmap or measure "
            "cannot implement itself: such a plan has no order in time.",
        ),
    ),
    _info(
        "G004",
        "unresolved-party",
        _W,
        ("Ответственный не найден в реестре", "Responsible party not in the registry"),
        (
            "Ответственный должен быть известной организацией или человеком (или общей ролью вроде "
            "«руководители ОО»): иначе нельзя проверить, кто отвечает и не перегружен ли он. "
            "Без реестра проверка не выполняется.",
            "A responsible party must be a known organisation or person (or a generic role such "
            "as «руководители ОО»), or nobody can tell who answers for the measure. Skipped "
            "when no registry is loaded.",
        ),
    ),
    _info(
        "G005",
        "inconsistent-spelling",
        _W,
        ("Одна организация написана по-разному", "One body spelled two ways"),
        (
            "«ОЦПМСО» и «ОЦПРМСО» в одном плане — одно ведомство, написанное двумя способами; "
            "читатель видит две организации. Пишите так, как в реестре.",
            "«ОЦПМСО» and «ОЦПРМСО» in one plan are one body spelled two ways, which reads as two "
            "bodies. Write it as the registry does.",
        ),
    ),
)

_KINDS: dict[str, tuple[str, str]] = {
    # kind → (Russian genitive, English)
    "organisation": ("организации", "organisation"),
    "person": ("человека", "person"),
    "roadmap": ("дорожной карты", "roadmap"),
    "measure": ("мероприятия", "measure"),
    "document": ("документа", "document"),
}


def graph_findings(ws: Workspace) -> Iterator[Finding]:
    """Every G001–G005 finding of the workspace, in a deterministic order."""
    yield from unresolved_references(ws)
    yield from duplicate_ids(ws)
    yield from reference_cycles(ws)
    if ws.unresolved_parties:
        yield from unresolved_parties(ws, ws.party_resolver or PartyResolver.of(ws))
    yield from inconsistent_spelling(ws)


# --- shared helpers ---------------------------------------------------------------------------


def _quoted(items: Sequence[str]) -> tuple[str, str]:
    return ", ".join(f"«{i}»" for i in items), ", ".join(f"'{i}'" for i in items)


def _did_you_mean(names: Sequence[str]) -> Message | None:
    if not names:
        return None
    ru, en = _quoted(names)
    return Message(f"Возможно, имелось в виду {ru}", f"Did you mean {en}?")


def _defined_here(name: str) -> Message:
    return Message(f"«{name}» определено здесь", f"'{name}' is defined here")


def _field(pointer: str) -> str:
    tokens = [t for t in pointer.split("/") if t and not t.isdigit()]
    return tokens[-1] if tokens else ""


def _id_pointer(pointer: str) -> str:
    return f"{pointer}/id"


class _Index:
    """Definitions by id, for the related locations of candidates and cycles."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.measures: dict[tuple[str, str], MeasureEntity] = {}
        for measure in ws.measures:
            if measure.model.id is not None:
                self.measures.setdefault((measure.roadmap.id, measure.model.id), measure)
        self.roadmap_by_file = {r.file: r for r in ws.roadmaps}

    def definition(self, kind: str, name: str, source_file: str) -> Entity | None:
        ws = self.ws
        if kind == "organisation":
            return ws.org_by_id.get(name)
        if kind == "person":
            return ws.person_by_id.get(name)
        if kind == "document":
            return ws.document_by_id.get(name)
        if kind == "roadmap":
            return ws.roadmap_by_id.get(name)
        if "/" in name:
            rid, mid = name.rsplit("/", 1)
            return self.measures.get((rid, mid))
        source = self.roadmap_by_file.get(source_file)
        found = self.measures.get((source.id, name)) if source is not None else None
        return found or ws.roadmap_by_id.get(name)


# --- G001 -------------------------------------------------------------------------------------


def unresolved_references(ws: Workspace) -> Iterator[Finding]:
    """G001: a reference by id that names nothing, with the close ids it may have meant."""
    index = _Index(ws)
    for ref in ws.unresolved:
        message = _unresolved_message(ws, ref)
        related = []
        for candidate in ref.candidates:
            found = index.definition(ref.target_kind, candidate, ref.file)
            if found is not None:
                related.append(RelatedRef(found.file, _id_pointer(found.pointer), _defined_here(candidate)))
        hint = _did_you_mean(ref.candidates) or _add_hint(ref)
        yield Finding("G001", message, ref.file, ref.pointer, related=tuple(related), hint=hint)


def _unresolved_message(ws: Workspace, ref: Unresolved) -> Message:
    field = _field(ref.pointer)
    name = ref.name
    if ref.target_kind == "measure":
        rid, mid = name.rsplit("/", 1) if "/" in name else ("", name)
        if rid and rid not in ws.roadmap_by_id:
            return Message(
                f"{field}: нет дорожной карты «{rid}» (ссылка «{name}»)",
                f"{field}: no roadmap '{rid}' is defined (reference '{name}')",
            )
        where_ru = f" в дорожной карте «{rid}»" if rid else " в этой дорожной карте"
        where_en = f" in roadmap '{rid}'" if rid else " in this roadmap"
        return Message(
            f"{field}: нет мероприятия «{mid}»{where_ru}",
            f"{field}: no measure '{mid}' is defined{where_en}",
        )
    gen_ru, kind_en = _KINDS.get(ref.target_kind, (ref.target_kind, ref.target_kind))
    text = Message(f"{field}: нет {gen_ru} «{name}»", f"{field}: no {kind_en} '{name}' is defined")
    if ref.target_kind == "organisation" and name in ws.person_by_id:
        return Message(text.ru + " (это человек, а не организация)", text.en + " (it is a person, not an organisation)")
    if ref.target_kind == "person" and name in ws.org_by_id:
        return Message(text.ru + " (это организация, а не человек)", text.en + " (it is an organisation, not a person)")
    return text


def _add_hint(ref: Unresolved) -> Message:
    if ref.target_kind in {"organisation", "person", "document"}:
        return Message(
            f"Добавьте «{ref.name}» в реестр или исправьте идентификатор",
            f"Add '{ref.name}' to the registry or correct the id",
        )
    if ref.target_kind == "roadmap":
        return Message(
            f"Проверьте id вышестоящей карты или добавьте файл карты «{ref.name}»",
            f"Check the higher-level roadmap's id or add the file of roadmap '{ref.name}'",
        )
    return Message(
        "Задайте мероприятию id в его карте или исправьте ссылку «<id карты>/<id мероприятия>»",
        "Give the measure an id in its roadmap or correct the reference '<roadmap id>/<measure id>'",
    )


# --- G002 -------------------------------------------------------------------------------------


def duplicate_ids(ws: Workspace) -> Iterator[Finding]:
    """G002: an id defined twice: at the second definition, pointing back at the first."""
    for kind, name, first, second in ws.duplicates:
        gen_ru, kind_en = _KINDS.get(kind, (kind, kind))
        yield Finding(
            "G002",
            Message(
                f"Идентификатор {gen_ru} «{name}» уже определён; это определение не учитывается",
                f"The {kind_en} id '{name}' is already defined; this definition is ignored",
            ),
            second.file,
            _id_pointer(second.pointer),
            entity=f"{kind}:{name}",
            related=(_first_definition(first, name),),
            hint=Message("Дайте одному из них другой идентификатор", "Give one of them another id"),
        )


def _first_definition(first: Definition, name: str) -> RelatedRef:
    return RelatedRef(
        first.file, _id_pointer(first.pointer), Message(f"первое определение «{name}»", f"'{name}' first defined here")
    )


# --- G003 -------------------------------------------------------------------------------------


def strongly_connected(
    count: int, successors: Callable[[int], Sequence[int]], roots: Iterable[int] | None = None
) -> list[list[int]]:
    """Tarjan's strongly connected components over nodes 0..count-1, without recursion.

    Components come out in reverse topological order; each is sorted. With
    `roots`, only the components reachable from them are found.
    """
    index = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(count) if roots is None else roots:
        if index[root] != -1:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, position = work[-1]
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            succ = successors(node)
            if position < len(succ):
                work[-1] = (node, position + 1)
                nxt = succ[position]
                if index[nxt] == -1:
                    work.append((nxt, 0))
                elif on_stack[nxt]:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[int] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def _cycle_through(first: int, members: set[int], successors: Callable[[int], Sequence[int]]) -> list[int]:
    """A shortest cycle from `first` back to itself inside one component (breadth-first)."""
    parent: dict[int, int] = {}
    queue = [first]
    for node in queue:
        for nxt in successors(node):
            if nxt == first:
                path = [node]
                while path[-1] != first:
                    path.append(parent[path[-1]])
                return [*reversed(path), first]
            if nxt in members and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    return [first, first]  # unreachable for a real component


def _find_cycles(count: int, successors: Callable[[int], Sequence[int]]) -> Iterator[tuple[list[int], list[int]]]:
    """(one cycle path, all members) of every component that holds a cycle, in node order."""
    found: list[tuple[list[int], list[int]]] = []
    # A node without successors lies on no cycle: most measures depend on nothing, so start from the rest.
    for component in strongly_connected(count, successors, [n for n in range(count) if successors(n)]):
        first = component[0]
        if len(component) == 1 and first not in successors(first):
            continue
        found.append((_cycle_through(first, set(component), successors), component))
    found.sort(key=lambda pair: pair[1][0])
    yield from found


def reference_cycles(ws: Workspace) -> Iterator[Finding]:
    """G003: each cycle of depends_on / implements, once, at its first member in document order.

    The edges are the references linking resolved (`measure.depends_on`, `measure.implements`);
    only a cycle's first reference is looked up again, for its pointer."""
    order = {measure: n for n, measure in enumerate(ws.measures)}
    for relation in ("depends_on", "implements"):
        edges: list[list[int]] = [
            list(dict.fromkeys(order[t] for t in targets)) if (targets := getattr(measure, relation)) else []
            for measure in ws.measures
        ]
        index: _Index | None = None
        for path, members in _find_cycles(len(edges), edges.__getitem__):
            nodes = [ws.measures[n] for n in path]
            first = nodes[0]
            index = index or _Index(ws)
            pointer = f"{first.pointer}/{relation}/{_reference_to(index, first, relation, nodes[1])}"
            yield _cycle_finding(
                relation,
                [_measure_label(m) for m in nodes],
                first.file,
                pointer,
                first.key,
                [ws.measures[n] for n in members],
            )
    roadmaps = ws.roadmaps
    position = {r: n for n, r in enumerate(roadmaps)}
    roadmap_edges = [[position[r.implements]] if r.implements is not None else [] for r in roadmaps]
    for path, members in _find_cycles(len(roadmaps), roadmap_edges.__getitem__):
        first_roadmap = roadmaps[path[0]]
        yield _cycle_finding(
            "implements",
            [roadmaps[n].id for n in path],
            first_roadmap.file,
            "/implements",
            first_roadmap.key,
            [roadmaps[n] for n in members],
        )


def _reference_to(index: _Index, measure: MeasureEntity, relation: str, target: MeasureEntity) -> int:
    """The position of `measure`'s first reference (in `relation`) that resolves to `target`."""
    for i, text in enumerate(getattr(measure.model, relation)):
        if index.measures.get(measure_reference(text, measure.roadmap)) is target:
            return i
    return 0  # unreachable: the edge came from one of these references


PATH_LIMIT = 12


def _path_text(labels: list[str]) -> tuple[str, str]:
    """«a → b → c → a»; a long cycle keeps its ends: «a → b → … → y → z → a (1000 шагов)»."""
    if len(labels) <= PATH_LIMIT:
        path = " → ".join(labels)
        return path, path
    head, tail = labels[: PATH_LIMIT // 2], labels[-PATH_LIMIT // 2 :]
    path = f"{' → '.join(head)} → … → {' → '.join(tail)}"
    return f"{path} ({len(labels) - 1} шагов)", f"{path} ({len(labels) - 1} steps)"


def _member_label(member: MeasureEntity | RoadmapEntity) -> str:
    return _measure_label(member) if isinstance(member, MeasureEntity) else member.id


def _measure_label(measure: MeasureEntity) -> str:
    return f"{measure.roadmap.id}/{measure.model.id or '№' + (measure.model.number or '?')}"


def _cycle_finding(
    relation: str,
    labels: list[str],
    file: str,
    pointer: str,
    entity: str,
    members: Sequence[MeasureEntity | RoadmapEntity],
) -> Finding:
    path_ru, path_en = _path_text(labels)
    what_ru = "зависимостей (depends_on)" if relation == "depends_on" else "реализации (implements)"
    what_en = "dependencies (depends_on)" if relation == "depends_on" else "implementation (implements)"
    related = tuple(
        RelatedRef(m.file, _id_pointer(m.pointer), Message(f"участник цикла: {label}", f"part of the cycle: {label}"))
        for m, label in ((m, _member_label(m)) for m in members)
    )
    return Finding(
        "G003",
        Message(f"Цикл {what_ru}: {path_ru}", f"Cycle of {what_en}: {path_en}"),
        file,
        pointer,
        entity=entity,
        related=related,
        hint=Message(
            "Уберите одну из ссылок цикла: порядок выполнения должен идти в одну сторону",
            "Remove one link of the cycle: the order of work must run one way",
        ),
    )


# --- G004 -------------------------------------------------------------------------------------


def unresolved_parties(ws: Workspace, resolver: PartyResolver) -> Iterator[Finding]:
    """G004: a responsible cell naming neither a registered body or person nor a generic role.

    Silent when no registry is loaded: a lone roadmap cannot resolve anyone.
    """
    if not (ws.organisations or ws.people):
        return
    fragments: dict[tuple[int, int], list[str]] = {}
    for cell in ws.party_cells:
        names = [part.fragment for part in cell.parts if not part.resolved]
        if names:
            for measure, i in cell.places:
                fragments[(id(measure), i)] = names
    for measure, i, text in ws.unresolved_parties:
        names = fragments.get((id(measure), i)) or [text]
        ru, en = _quoted(names)
        plural = len(names) > 1
        message = Message(
            f"{'Ответственные' if plural else 'Ответственный'} {ru} не {'найдены' if plural else 'найден'} в реестре: "
            "это не организация, не человек из реестра и не общая роль",
            f"Responsible {'parties' if plural else 'party'} {en} not in the registry: "
            "neither a registered organisation or person nor a generic role",
        )
        suggestions: list[Form] = []
        for name in names:
            for form in resolver.suggestions(name):
                if all(form.text != s.text for s in suggestions):
                    suggestions.append(form)
        suggestions = suggestions[:3]
        hint = _did_you_mean([f.text for f in suggestions]) or Message(
            "Добавьте организацию или человека в реестр (name, short или aliases) либо исправьте написание",
            "Add the body or person to the registry (name, short or aliases) or correct the spelling",
        )
        related = tuple(RelatedRef(f.file, f.pointer, _defined_here(f.text)) for f in suggestions)
        yield Finding(
            "G004",
            message,
            measure.file,
            responsible_pointer(measure, i),
            entity=measure.key,
            related=related,
            hint=hint,
        )


# --- G005 -------------------------------------------------------------------------------------


def inconsistent_spelling(ws: Workspace) -> Iterator[Finding]:
    """G005: one organisation written two ways, at least one of them a registered alias.

    The preferred form is the most used of its name, short name or id (failing
    those, the most used alias); each use of another alias is reported, with
    the first use of the preferred form and the registry entry as related.
    """
    by_entity: dict[int, list[tuple[CellUse, Part, Form]]] = defaultdict(list)
    for cell in ws.party_cells:  # in order of first use
        for part in cell.parts:
            for form in part.forms:
                if isinstance(form.entity, OrgEntity):
                    by_entity[id(form.entity)].append((cell, part, form))
    for uses in by_entity.values():
        keys: Counter[tuple[bool, str]] = Counter()
        first_seen: dict[tuple[bool, str], int] = {}
        for n, (cell, _, f) in enumerate(uses):
            spelling = (f.kind == "alias", f.key)
            keys[spelling] += len(cell.places)
            first_seen.setdefault(spelling, n)
        if len(keys) < 2 or not any(alias for alias, _ in keys):
            continue
        preferred = min(keys, key=lambda k: (k[0], -keys[k], first_seen[k]))
        model_cell, _, model_form = uses[first_seen[preferred]]
        model_measure, model_index = model_cell.places[0]
        org = model_form.entity
        model = model_form.text
        for cell, part, form in uses:
            if form.kind != "alias" or (True, form.key) == preferred:
                continue
            written = part.fragment
            for measure, index in cell.places:
                yield Finding(
                    "G005",
                    Message(
                        f"«{written}» и «{model}» — одна организация ({_org_id(org)}), написанная по-разному",
                        f"'{written}' and '{model}' are one body ({_org_id(org)}) spelled two ways",
                    ),
                    measure.file,
                    responsible_pointer(measure, index),
                    entity=measure.key,
                    related=(
                        RelatedRef(
                            model_measure.file,
                            responsible_pointer(model_measure, model_index),
                            Message(f"здесь написано «{model}»", f"written '{model}' here"),
                        ),
                        RelatedRef(
                            org.file,
                            org.pointer,
                            Message(
                                f"организация «{_org_id(org)}» в реестре",
                                f"organisation '{_org_id(org)}' in the registry",
                            ),
                        ),
                    ),
                    hint=Message(f"Пишите везде одинаково: «{model}»", f"Write it the same way everywhere: '{model}'"),
                )


def _org_id(entity: Entity) -> str:
    return entity.id if isinstance(entity, OrgEntity) else entity.key
