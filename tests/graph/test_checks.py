"""G001–G005 on workspaces built from models in memory; positions are the fixtures' business."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from graph_helpers import REGISTRY, load_texts, models, roadmap

from roadmap_rules.diagnostics import Finding, Severity
from roadmap_rules.graph import GRAPH_CHECKS, graph_findings
from roadmap_rules.graph.checks import strongly_connected
from roadmap_rules.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]


def _findings(ws: Workspace, code: str) -> list[Finding]:
    return [f for f in graph_findings(ws) if f.code == code]


def test_catalog() -> None:
    assert [c.code for c in GRAPH_CHECKS] == ["G001", "G002", "G003", "G004", "G005"]
    assert [c.name for c in GRAPH_CHECKS] == [
        "unresolved-reference",
        "duplicate-id",
        "reference-cycle",
        "unresolved-party",
        "inconsistent-spelling",
    ]
    assert [c.severity for c in GRAPH_CHECKS] == [Severity.ERROR] * 3 + [Severity.WARNING] * 2
    for info in GRAPH_CHECKS:
        assert info.title.ru
        assert info.title.en
        assert info.rationale.ru
        assert info.rationale.en


def test_clean_workspace_has_no_findings() -> None:
    plan = roadmap("plan", "school", {"id": "a", "title": "А", "responsible": ["КО"]}, organisation="school-7")
    assert list(graph_findings(models(registry=REGISTRY, plan=plan))) == []


# --- G001 ---


def test_g001_measure_candidates_point_at_their_definitions() -> None:
    region = roadmap("region", "region", {"id": "seminar", "title": "Семинар"}, {"id": "seminars-2", "title": "Ещё"})
    school = roadmap("school", "school", {"id": "x", "title": "Х", "implements": ["region/seminra"]})
    (finding,) = _findings(models(region=region, school=school), "G001")
    assert finding.file == "school.yaml"
    assert finding.pointer == "/sections/0/measures/0/implements/0"
    assert "seminra" in finding.message.ru
    assert "region" in finding.message.ru
    assert "seminra" in finding.message.en
    assert finding.hint is not None
    assert "«region/seminar»" in finding.hint.ru
    assert next((r.file, r.pointer) for r in finding.related) == ("region.yaml", "/sections/0/measures/0/id")


def test_g001_bare_depends_on_suggests_measures_of_the_same_roadmap() -> None:
    plan = roadmap("plan", "school", {"id": "team", "title": "А"}, {"id": "b", "title": "Б", "depends_on": ["tem"]})
    (finding,) = _findings(models(plan=plan), "G001")
    assert finding.pointer == "/sections/0/measures/1/depends_on/0"
    assert [(r.file, r.pointer) for r in finding.related] == [("plan.yaml", "/sections/0/measures/0/id")]
    assert "этой дорожной карте" in finding.message.ru


def test_g001_registry_references() -> None:
    registry: dict[str, Any] = {
        "kind": "registry",
        "organisations": [{"id": "school-7", "name": "Школа", "type": "school", "parent": "mun-x"}],
        "people": [{"id": "ivanova", "name": "Иванова А.А.", "organisation": "school-77"}],
        "mentors": [{"school": "school-7", "mentor": "ivanova"}],
        "curators": [{"school": "school-8", "curator": "school-7"}],
        "coordinators": [{"municipality": "mun-x", "coordinator": "ivanova"}],
        "documents": [{"id": "d", "school": "school-9", "kind": "concept"}],
    }
    findings = _findings(models(registry=registry), "G001")
    assert sorted(f.pointer for f in findings) == sorted(
        [
            "/organisations/0/parent",
            "/people/0/organisation",
            "/mentors/0/mentor",
            "/curators/0/school",
            "/curators/0/curator",
            "/coordinators/0/municipality",
            "/documents/0/school",
        ]
    )
    by_pointer = {f.pointer: f for f in findings}
    assert "это человек, а не организация" in by_pointer["/mentors/0/mentor"].message.ru
    assert "it is an organisation, not a person" in by_pointer["/curators/0/curator"].message.en
    assert by_pointer["/organisations/0/parent"].hint is not None


# --- G002 ---


def test_g002_at_the_second_definition() -> None:
    one = {"kind": "registry", "organisations": [{"id": "a", "name": "А", "type": "other"}]}
    two = {
        "kind": "registry",
        "organisations": [{"id": "b", "name": "Б", "type": "other"}, {"id": "a", "name": "А2", "type": "other"}],
    }
    (finding,) = _findings(models(one=one, two=two), "G002")
    assert (finding.file, finding.pointer, finding.entity) == ("two.yaml", "/organisations/1/id", "organisation:a")
    assert [(r.file, r.pointer) for r in finding.related] == [("one.yaml", "/organisations/0/id")]


# --- G003 ---


def test_g003_long_ring_needs_no_recursion() -> None:
    n = 30_000
    measures = [{"id": f"m{i}", "title": "М", "depends_on": [f"m{(i + 1) % n}"]} for i in range(n)]
    (finding,) = _findings(models(plan=roadmap("plan", "school", *measures)), "G003")
    assert finding.pointer == "/sections/0/measures/0/depends_on/0"
    assert finding.message.ru.startswith("Цикл зависимостей (depends_on): plan/m0 → plan/m1 → plan/m2")
    assert finding.message.ru.endswith(f"plan/m{n - 1} → plan/m0 ({n} шагов)")
    assert finding.message.en.endswith(f"plan/m{n - 1} → plan/m0 ({n} steps)")
    assert len(finding.related) == n


def test_g003_one_finding_per_component_with_shortest_cycle() -> None:
    # a → b → a and a → c → d → a share one component: one finding, shortest path shown.
    plan = roadmap(
        "plan",
        "school",
        {"id": "a", "title": "А", "depends_on": ["c", "b"]},
        {"id": "b", "title": "Б", "depends_on": ["a"]},
        {"id": "c", "title": "В", "depends_on": ["d"]},
        {"id": "d", "title": "Г", "depends_on": ["a"]},
    )
    (finding,) = _findings(models(plan=plan), "G003")
    assert "plan/a → plan/b → plan/a" in finding.message.ru
    assert finding.pointer == "/sections/0/measures/0/depends_on/1"
    assert len(finding.related) == 4


def test_g003_points_at_the_written_reference_past_unresolved_and_repeated_ones() -> None:
    plan = roadmap(
        "plan",
        "school",
        {"id": "a", "title": "А", "depends_on": ["nosuch", "b", "b"]},
        {"id": "b", "title": "Б", "depends_on": ["a"]},
    )
    (finding,) = _findings(models(plan=plan), "G003")
    assert finding.pointer == "/sections/0/measures/0/depends_on/1"


def test_g003_roadmap_self_implementation() -> None:
    (finding,) = _findings(models(plan=roadmap("plan", "school", implements="plan")), "G003")
    assert (finding.pointer, finding.entity) == ("/implements", "roadmap:plan")
    assert "plan → plan" in finding.message.ru


def test_strongly_connected_matches_networkx() -> None:
    rng = random.Random(7)
    for _ in range(30):
        count = rng.randint(1, 60)
        edges = [[rng.randrange(count) for _ in range(rng.randint(0, 3))] for _ in range(count)]
        ours = sorted(tuple(c) for c in strongly_connected(count, edges.__getitem__))
        graph = nx.DiGraph()
        graph.add_nodes_from(range(count))
        graph.add_edges_from((u, v) for u, targets in enumerate(edges) for v in targets)
        theirs = sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(graph))
        assert ours == theirs


# --- G004 ---


def test_g004_silent_without_registry() -> None:
    plan = roadmap("plan", "school", {"title": "А", "responsible": ["Кто-то неизвестный"]})
    assert _findings(models(plan=plan), "G004") == []


def test_g004_names_the_fragments_and_suggests() -> None:
    plan = roadmap(
        "plan",
        "school",
        {"title": "А", "responsible": ["ОЦПРМСА", "Руководители ОО"]},
        {"title": "Б", "responsible": ["Сидоров А.А., Петров Б.Б."]},
    )
    first, second = _findings(models(registry=REGISTRY, plan=plan), "G004")
    assert first.pointer == "/sections/0/measures/0/responsible/0"
    assert "«ОЦПРМСА»" in first.message.ru
    assert "'ОЦПРМСА'" in first.message.en
    assert first.hint is not None
    assert "«ОЦПРМСО»" in first.hint.ru
    assert first.related[0].pointer == "/organisations/4/short"
    assert "«Сидоров А.А.», «Петров Б.Б.»" in second.message.ru
    assert "Ответственные" in second.message.ru


# --- G005 ---


def test_g005_reports_the_alias_uses() -> None:
    plan = roadmap(
        "plan",
        "school",
        {"title": "А", "responsible": ["ОЦПМСО"]},
        {"title": "Б", "responsible": ["ОЦПРМСО"]},
        {"title": "В", "responsible": ["ОЦПРМСО", "ОЦПМСО"]},
    )
    findings = _findings(models(registry=REGISTRY, plan=plan), "G005")
    assert [f.pointer for f in findings] == [
        "/sections/0/measures/0/responsible/0",
        "/sections/0/measures/2/responsible/1",
    ]
    assert [(r.file, r.pointer) for r in findings[0].related] == [
        ("plan.yaml", "/sections/0/measures/1/responsible/0"),
        ("registry.yaml", "/organisations/4"),
    ]
    assert "«ОЦПМСО» и «ОЦПРМСО»" in findings[0].message.ru


# --- the seeds ---


def _seed(name: str) -> Workspace:
    folder = ROOT / "examples" / "seeds" / name
    if not folder.is_dir():
        pytest.skip(f"no seed {name}")
    files = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}
    return load_texts(files)[0]


def test_seed_smolensk_spells_one_centre_two_ways() -> None:
    findings = list(graph_findings(_seed("smolensk-school5-2024")))
    assert {f.code for f in findings} == {"G005"}
    assert all("«ОЦПМСО» и «ОЦПРМСО»" in f.message.ru for f in findings)


@pytest.mark.parametrize("seed", ["borovsk-municipal-2020", "ulan-ude-municipal-2023"])
def test_seed_parties_all_resolve(seed: str) -> None:
    ws = _seed(seed)
    assert ws.unresolved_parties == []
    assert [f.code for f in graph_findings(ws)] == []
