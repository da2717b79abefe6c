"""Resolution of free-text responsible parties."""

from __future__ import annotations

import difflib
from typing import Any

import pytest
from graph_helpers import REGISTRY, models, roadmap

from roadmap_rules.graph.parties import CloseMatcher, PartyResolver, defined_abbreviation, generic_role, person_key
from roadmap_rules.workspace import OrgEntity, PersonEntity


@pytest.mark.parametrize(
    "text",
    [
        "Руководители ОО",
        "руководители и управленческие команды школ",
        "Руководители ОО и управленческие команды школ",
        "руководители и управленческие команды школ команды школ",
        "Руководитель",
        "Зам. руководителя ОО",
        "зам.руководителя ОО",
        "Управленческая команда ОО",
        "педагоги",
        "учителя",
        "учителя-предметники",
        "классные руководители",
        "кураторы",
        "Рабочая группа",
        "Муниципальный координатор",
        "ОО",
        "Общеобразовательные организации",
        "Образовательные организации",
        "Региональные эксперты",
        "Муниципальные органы управления образования",
        "управления образования",
        "Управление образования муниципальных образований",
        "Руководители ассоциаций и районных методических объединений",
        "Общественные организации",
        "Школа-наставник",
        "Зам. директора по УВР",
        "центрами «ИТ-куб»",
        "Центры «Точка роста»",
    ],
)
def test_generic_roles(text: str) -> None:
    assert generic_role(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "КО",
        "ЦМРО",
        "ОЦПРМСО",
        "УОиМП",
        "Министерство образования Северной области",
        "Управление образования",
        "Комитет по образованию",
        "Центр непрерывного повышения профессионального мастерства",
        "МБОУ «СОШ № 7»",
        "Управление образования и молодежной политики Администрации города Смоленска",
        "Средняя школа № 5",
        "Васильева Т.Д.",
        "",
        "и",
    ],
)
def test_bodies_are_not_roles(text: str) -> None:
    assert generic_role(text) is None


def test_person_keys_ignore_order_case_and_spacing() -> None:
    assert person_key("Васильева", "Т.Д.") == person_key("ВАСИЛЬЕВА", "т. д.") == "васильева тд"
    assert person_key("Семёнова", "Н.В.") == person_key("Семенова", "НВ")


def test_defined_abbreviation() -> None:
    text = "Управление образования и молодежной политики Администрации города Смоленска (далее – УОиМП)"
    assert defined_abbreviation(text) == (
        "Управление образования и молодежной политики Администрации города Смоленска",
        "УОиМП",
    )
    assert defined_abbreviation("Центр (далее по тексту - «ЦНППМ»)") == ("Центр", "ЦНППМ")
    assert defined_abbreviation("КО") is None


@pytest.fixture
def resolver() -> PartyResolver:
    return PartyResolver.of(models(registry=REGISTRY))


def _ids(resolver: PartyResolver, cell: str) -> list[tuple[str, str | None, list[str]]]:
    return [
        (p.fragment, p.role, [e.id for e in p.entities if isinstance(e, OrgEntity | PersonEntity)])
        for p in resolver.resolve(cell)
    ]


@pytest.mark.parametrize(
    ("cell", "ids"),
    [
        ("КО", ["ko"]),
        ("ко", ["ko"]),
        ("ko", ["ko"]),
        ("Комитет  по образованию администрации города А", ["ko"]),
        ('ГАУ ДПО "Институт развития образования"', ["iro"]),
        ("ГАУ ДПО «Институт развития образования»", ["iro"]),
        ("ОЦПМСО", ["ocprmso"]),
        ("МБОУ «СОШ №7»", ["school-7"]),
        ("Образовательный центр поддержки и развития муниципальной системы образования (далее – ОЦПРМСО)", ["ocprmso"]),
        ("Васильева Т.Д. Мурашова Е.Ю.", ["vasilyeva", "murashova"]),
        ("Т.Д. Васильева, Е. Ю. Мурашова", ["vasilyeva", "murashova"]),
        ("Иванова Т.А.", ["director"]),
        ("КО, ИРО", ["ko", "iro"]),
        ("КО и ИРО", ["ko", "iro"]),
        ("КО; руководители ОО", ["ko"]),
    ],
)
def test_resolves_bodies_and_people(resolver: PartyResolver, cell: str, ids: list[str]) -> None:
    parts = resolver.resolve(cell)
    assert all(p.resolved for p in parts), parts
    assert [e.id for p in parts for e in p.entities if isinstance(e, OrgEntity | PersonEntity)] == ids


def test_roles_are_resolved_without_entities(resolver: PartyResolver) -> None:
    assert _ids(resolver, "Руководители ОО") == [("Руководители ОО", "руководители оо", [])]


def test_unresolved_fragments_are_named(resolver: PartyResolver) -> None:
    parts = resolver.resolve("Васильева Т.Д. Сидоров П.П.")
    assert [(p.fragment, p.resolved) for p in parts] == [("Васильева Т.Д.", True), ("Сидоров П.П.", False)]
    parts = resolver.resolve("КО, Управление делами")
    assert [(p.fragment, p.resolved) for p in parts] == [("КО", True), ("Управление делами", False)]


def test_signatory_and_authority(resolver: PartyResolver) -> None:
    assert [e.id for e in resolver.resolve_person("Председатель КО Петров П.П.")] == ["petrov"]  # type: ignore[attr-defined]
    assert [e.id for e in resolver.resolve_person("Директор Т.А. Иванова")] == ["director"]  # type: ignore[attr-defined]
    assert resolver.resolve_person("Директор школы") == []
    assert [e.id for e in resolver.resolve_body("Комитет по образованию Администрации города А")] == ["ko"]  # type: ignore[attr-defined]


def test_suggestions_are_close_registered_forms(resolver: PartyResolver) -> None:
    assert [f.text for f in resolver.suggestions("ОЦПРМCO")][:1] == ["ОЦПРМСО"]
    assert [f.text for f in resolver.suggestions("ГАУ ДПО «Институт")][:1] == [
        "ГАУ ДПО «Институт развития образования»"
    ]
    assert resolver.suggestions("совсем другое") == []


def test_abbreviation_defined_once_applies_to_the_whole_roadmap() -> None:
    registry = {
        "kind": "registry",
        "organisations": [{"id": "uo", "name": "Управление образования города Б", "type": "authority"}],
    }
    plan = roadmap(
        "plan",
        "municipality",
        {"title": "А", "responsible": ["УОБ"]},
        {"title": "Б", "responsible": ["Управление образования города Б (далее – УОБ)"]},
    )
    ws = models(registry=registry, plan=plan)
    assert ws.unresolved_parties == []
    assert [[p.id for p in m.parties] for m in ws.measures] == [["uo"], ["uo"]]  # type: ignore[attr-defined]


def test_resolve_parties_fills_the_workspace() -> None:
    plan = roadmap(
        "plan",
        "municipality",
        {"title": "А", "responsible": ["КО", "Руководители ОО", "Непонятно кто"]},
        {"title": "Б", "responsible": "Васильева Т.Д. Мурашова Е.Ю."},
        organisation="mun-a",
    )
    ws = models(registry=REGISTRY, plan=plan)
    first, second = ws.measures
    assert [p.id for p in first.parties] == ["ko"]  # type: ignore[attr-defined]
    assert [p.id for p in second.parties] == ["vasilyeva", "murashova"]  # type: ignore[attr-defined]
    assert [(m.key, i, text) for m, i, text in ws.unresolved_parties] == [(first.key, 2, "Непонятно кто")]
    assert [(c.text, [p.fragment for p in c.parts], [(m.key, i) for m, i in c.places]) for c in ws.party_cells] == [
        ("КО", ["КО"], [(first.key, 0)]),
        ("Руководители ОО", ["Руководители ОО"], [(first.key, 1)]),
        ("Непонятно кто", ["Непонятно кто"], [(first.key, 2)]),
        ("Васильева Т.Д. Мурашова Е.Ю.", ["Васильева Т.Д.", "Мурашова Е.Ю."], [(second.key, 0)]),
    ]


TWO_REGIONS: dict[str, Any] = {
    "kind": "registry",
    "organisations": [
        {"id": "r1", "name": "Область 1", "type": "region"},
        {"id": "r2", "name": "Область 2", "type": "region"},
        {"id": "cnppm-1", "name": "ЦНППМ", "type": "centre", "parent": "r1"},
        {"id": "cnppm-2", "name": "ЦНППМ", "type": "centre", "parent": "r2"},
    ],
}
"""A centre written alike in two regions."""


def test_same_name_in_two_regions_resolves_to_the_roadmaps_own() -> None:
    plan = roadmap("plan", "region", {"title": "А", "responsible": ["ЦНППМ"]}, organisation="r2")
    ws = models(registry=TWO_REGIONS, plan=plan)
    assert [p.id for p in ws.measures[0].parties] == ["cnppm-2"]  # type: ignore[attr-defined]


def test_a_cell_written_in_several_roadmaps_resolves_in_each_roadmap_s_own_terms() -> None:
    """Roadmaps share a cell's resolution only where it cannot differ: not where a body is written alike in two
    regions (each roadmap takes its own), nor where a roadmap defines an abbreviation of its own."""
    uo = {"id": "uo", "name": "Управление образования города Б", "type": "authority", "parent": "r2"}
    registry = TWO_REGIONS | {"organisations": [*TWO_REGIONS["organisations"], uo]}
    cells = ["ЦНППМ", "УОБ", "Управление образования города Б", "Руководители ОО"]
    first = roadmap("first", "region", {"title": "А", "responsible": cells}, organisation="r1")
    second = roadmap(
        "second",
        "region",
        {"title": "А", "responsible": cells},
        {"title": "Б", "responsible": ["Управление образования города Б (далее – УОБ)"]},
        organisation="r2",
    )
    ws = models(registry=registry, first=first, second=second, third=first | {"id": "third"})
    parties = [[p.id for p in m.parties] for m in ws.measures]  # type: ignore[attr-defined]
    assert parties == [["cnppm-1", "uo"], ["cnppm-2", "uo"], ["uo"], ["cnppm-1", "uo"]]
    assert [(m.roadmap.id, i, text) for m, i, text in ws.unresolved_parties] == [
        ("first", 1, "УОБ"),
        ("third", 1, "УОБ"),
    ]
    assert [(c.text, [(m.roadmap.id, i) for m, i in c.places]) for c in ws.party_cells if c.text == "УОБ"] == [
        ("УОБ", [("first", 1)]),
        ("УОБ", [("second", 1)]),
        ("УОБ", [("third", 1)]),
    ]


def test_close_matcher_on_a_national_table_looks_in_buckets() -> None:
    ids = [f"school-{r}-{i}" for r in range(85) for i in range(600)]
    matcher = CloseMatcher(ids)
    assert matcher.matches("school-12-99x")[0] == "school-12-99"
    assert matcher.matches("scholl-7-5")[0] == "school-7-5"
    assert matcher.matches("совсем-не-то") == []


def test_close_matcher_on_a_small_table_agrees_with_difflib() -> None:
    ids = ["school-1", "school-7", "school-11", "mun-a", "region"]
    for query in ("school-77", "school-111", "mun-b", "regoin", "xyz"):
        assert CloseMatcher(ids).matches(query) == difflib.get_close_matches(query, ids, n=3, cutoff=0.6)
