"""The examples as a user runs them: the demo region is clean, the seeds' real defects are found where they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from roadmap_rules.config import Config
from roadmap_rules.engine import Engine, Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"

# (seed folder, file, line, code): defects of the real documents (see each seed's DEFECTS.md).
SEED_DEFECTS = [
    ("borovsk-municipal-2020", "roadmap.yaml", 118, "D004"),  # «Декабрь-январь 2020 года» runs backwards
    ("borovsk-municipal-2020", "roadmap.yaml", 125, "D004"),
    ("borovsk-municipal-2020", "roadmap.yaml", 216, "D005"),  # «Март - апрель 2020 года», approved 30.11.2020
    ("borovsk-municipal-2020", "roadmap.yaml", 250, "D005"),  # «…, февраль 2020 года, …»
    ("borovsk-municipal-2020", "roadmap.yaml", 250, "D008"),  # … and the list is out of order
    ("borovsk-municipal-2020", "roadmap.yaml", 131, "B009"),  # numbering restarts in each section
    ("smolensk-school5-2024", "roadmap.yaml", 132, "D004"),  # «ноябрь-октябрь 2024»
    ("smolensk-school5-2024", "roadmap.yaml", 44, "B007"),  # measure 1.1 repeats measure 1 verbatim
    ("smolensk-school5-2024", "roadmap.yaml", 114, "G005"),  # ОЦПМСО beside ОЦПРМСО
    ("smolensk-school5-2024", "roadmap.yaml", 46, "X008"),  # a municipal measure in a school plan
    ("smolensk-school5-2024", "roadmap.yaml", 69, "P013"),  # «Для 100% ШПРО закреплены школы-наставники», none named
    ("smolensk-school5-2024", "registry.yaml", 22, "P010"),  # the ШНОР school has no mentor
    ("ulyanovsk-regional-2024", "roadmap.yaml", 58, "D005"),  # «12.12. 2023», approved 29.12.2023
    ("ulyanovsk-regional-2024", "roadmap.yaml", 32, "D006"),  # «Декабрь 2023 г.» in a 2024 plan
    ("ulyanovsk-regional-2024", "roadmap.yaml", 170, "D007"),  # «Декабрь 2023 - май 2024 года»
    ("ulyanovsk-regional-2024", "roadmap.yaml", 258, "B005"),  # the second section «4.» repeats 4.1
    ("ulyanovsk-regional-2024", "roadmap.yaml", 185, "B001"),  # 3.3 has no title (mangled page break)
    ("ulyanovsk-regional-2024", "roadmap.yaml", 191, "B006"),  # 3.4 and 3.5 are missing
    ("ulan-ude-municipal-2023", "roadmap.yaml", 34, "D005"),  # «Январь - февраль 2023г.», approved 07.03.2023
    ("ulan-ude-municipal-2023", "roadmap.yaml", 40, "D005"),  # «09.02.2023»
    ("ulan-ude-municipal-2023", "roadmap.yaml", 213, "B007"),  # 3.8 repeats 1.19
]


@pytest.fixture(scope="module")
def seeds_report() -> Report:
    return Engine(Config()).check_paths([str(SEEDS)])


def test_demo_region_is_clean() -> None:
    report = Engine(Config()).check_paths([str(ROOT / "examples" / "demo-region")])
    assert report.diagnostics == ()
    assert len(report.files) >= 8


@pytest.mark.parametrize(("seed", "file", "line", "code"), SEED_DEFECTS)
def test_seed_defect_is_found_where_it_is(seeds_report: Report, seed: str, file: str, line: int, code: str) -> None:
    found = {
        (Path(d.location.file).parent.name, Path(d.location.file).name, d.location.span.line, d.code)
        for d in seeds_report.diagnostics
    }
    assert (seed, file, line, code) in found


def test_seeds_load_without_schema_errors(seeds_report: Report) -> None:
    """The seeds are poor but complete documents: valid in the format, judged only by the rules."""
    assert not [d for d in seeds_report.diagnostics if d.code[0] in "YS"]


def test_every_seed_finding_names_its_entity(seeds_report: Report) -> None:
    """Findings are about entities (a measure, a school), not only lines: baselines and reports key on them."""
    for d in seeds_report.diagnostics:
        assert d.location.file
        assert d.location.span.line >= 1
        assert d.entity, d
