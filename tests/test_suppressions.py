"""Inline suppressions: `# roadmap-check: ignore[CODE] причина [until|до YYYY-MM-DD]`.

Each case is a measure list spliced into an otherwise clean school roadmap and
the exact list of `(code, line)` the engine reports for it. The measures are
written with two defects to suppress: a backwards deadline (D004, on the
`deadline:` line) and a missing responsible party (B003, on the measure's first
line).
"""

from __future__ import annotations

import datetime as dt
import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from roadmap_rules.config import Config
from roadmap_rules.engine import Engine, Report

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2025, 1, 15)

HEADER = """\
kind: roadmap
id: school-5-2024
level: school
title: План мероприятий («дорожная карта») МБОУ «СШ № 5»
period: {start: 2024-09-01, end: 2025-08-31}
approval: {number: "226/1-г", date: 2024-09-05}
sections:
  - number: "1."
    title: Организационно-управленческое направление
    measures:
"""
FIRST_MEASURE_LINE = HEADER.count("\n") + 1  # line 11

CLEAN = """\
      - number: "1.0."
        title: Создание рабочей группы
        deadline: сентябрь 2024
        responsible: [Директор]
        result: Приказ
"""
"""A clean first measure, so that the measures under test are not the first item of their list."""


@functools.cache
def _engine(today: dt.date) -> Engine:
    return Engine(Config(), today=today)


def _check(tmp_path: Path, measures: str, today: dt.date = TODAY) -> Report:
    plan = tmp_path / "plan.yaml"
    plan.write_text(HEADER + measures, encoding="utf-8")
    return _engine(today).check_paths([str(plan)])


def _found(report: Report) -> list[tuple[str, int]]:
    return [(d.code, d.location.span.line) for d in report.diagnostics]


@dataclass(frozen=True)
class Case:
    name: str
    measures: str
    expect: list[tuple[str, int]]
    today: dt.date = TODAY


L = FIRST_MEASURE_LINE + 5  # first line of the second measure (after CLEAN)

CASES = [
    Case(
        "the defects themselves, without suppressions",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024
        result: Протокол
""",
        [("B003", L), ("D004", L + 2)],
    ),
    Case(
        "end of line: covers a finding on that line",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004] диапазон согласован с УО
        responsible: [Директор]
        result: Протокол
""",
        [],
    ),
    Case(
        "end of a measure's first line: covers findings anywhere inside the measure",
        CLEAN
        + """\
      - number: "1.1."  # roadmap-check: ignore[D004, B003] мероприятие перенесено в план 2025 года
        title: Семинар
        deadline: ноябрь-октябрь 2024
        result: Протокол
""",
        [],
    ),
    Case(
        "end of a measure's first line: does not cover the next measure",
        CLEAN
        + """\
      - number: "1.1."  # roadmap-check: ignore[D004] диапазон согласован с УО
        title: Семинар
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
      - number: "1.2."
        title: Совещание
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
""",
        [("D004", L + 7)],
    ),
    Case(
        "end of line: covers only its own code",
        CLEAN
        + """\
      - number: "1.1."  # roadmap-check: ignore[B003] ответственный назначается приказом
        title: Семинар
        deadline: ноябрь-октябрь 2024
        result: Протокол
""",
        [("D004", L + 2)],
    ),
    Case(
        "alone on a line: covers the next line",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        # roadmap-check: ignore[D004] диапазон согласован с УО
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
""",
        [],
    ),
    Case(
        "alone on a line: covers the measure that starts on the next line",
        CLEAN
        + """\
      # roadmap-check: ignore[D004] диапазон согласован с УО
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
""",
        [],
    ),
    Case(
        "alone on a line: does not reach past the next line",
        CLEAN
        + """\
      - number: "1.1."
        # roadmap-check: ignore[D004] диапазон согласован с УО
        title: Семинар
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
""",
        [("N001", L + 1), ("D004", L + 3)],
    ),
    Case(
        "a prefix covers every code that starts with it",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D] сроки уточняются
        responsible: [Директор]
        result: Протокол
""",
        [],
    ),
    Case(
        "a prefix of another family covers nothing",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[B] сроки уточняются
        responsible: [Директор]
        result: Протокол
""",
        [("D004", L + 2), ("N001", L + 2)],
    ),
    Case(
        "codes are case-insensitive",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[d004] диапазон согласован с УО
        responsible: [Директор]
        result: Протокол
""",
        [],
    ),
    Case(
        "no reason: N002, at the comment",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004]
        responsible: [Директор]
        result: Протокол
""",
        [("N002", L + 2)],
    ),
    Case(
        "unused: N001, at the comment",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар  # roadmap-check: ignore[B001] наименование сокращено
        deadline: март 2025
        responsible: [Директор]
        result: Протокол
""",
        [("N001", L + 1)],
    ),
    Case(
        "on the wrong line: the finding stays and the suppression is unused",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар  # roadmap-check: ignore[D004] диапазон согласован с УО
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
""",
        [("N001", L + 1), ("D004", L + 2)],
    ),
    Case(
        "expired (until): N003 and the finding is not suppressed",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004] согласовано until 2024-01-01
        responsible: [Директор]
        result: Протокол
""",
        [("D004", L + 2), ("N003", L + 2)],
    ),
    Case(
        "expired (до): N003 and the finding is not suppressed",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004] согласовано с УО до 2025-01-14
        responsible: [Директор]
        result: Протокол
""",
        [("D004", L + 2), ("N003", L + 2)],
    ),
    Case(
        "expiring today: still in force",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004] согласовано until 2025-01-15
        responsible: [Директор]
        result: Протокол
""",
        [],
    ),
    Case(
        "the same expiry judged on an earlier day: in force",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004] согласовано until 2024-01-01
        responsible: [Директор]
        result: Протокол
""",
        [],
        today=dt.date(2023, 12, 31),
    ),
    Case(
        "malformed: no code is N004",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар  # roadmap-check: ignore[] наименование сокращено
        deadline: март 2025
        responsible: [Директор]
        result: Протокол
""",
        [("N004", L + 1)],
    ),
    Case(
        "malformed: an impossible expiry date is N004",
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004] согласовано until 2025-13-45
        responsible: [Директор]
        result: Протокол
""",
        [("N004", L + 2)],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_suppression_case(tmp_path: Path, case: Case) -> None:
    assert _found(_check(tmp_path, case.measures, case.today)) == case.expect


def test_suppression_findings_point_at_the_comment(tmp_path: Path) -> None:
    line = "        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004]\n"
    report = _check(tmp_path, CLEAN + '      - number: "1.1."\n        title: Семинар\n' + line)
    (finding,) = [d for d in report.diagnostics if d.code == "N002"]
    assert finding.location.span.line == L + 2
    assert finding.location.span.column == line.index("#") + 1
    assert finding.severity.value == "warning"
    assert finding.location.file == str(tmp_path / "plan.yaml")


def test_expired_message_names_the_codes_and_the_date(tmp_path: Path) -> None:
    report = _check(
        tmp_path,
        CLEAN
        + """\
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024  # roadmap-check: ignore[D004, D005] согласовано until 2024-01-01
        responsible: [Директор]
        result: Протокол
""",
    )
    (expired,) = [d for d in report.diagnostics if d.code == "N003"]
    assert "D004, D005" in expired.message.ru
    assert "01.01.2024" in expired.message.ru
    assert "2024-01-01" in expired.message.en


def test_suppression_in_one_file_does_not_cover_another(tmp_path: Path) -> None:
    measures = CLEAN + (
        '      - number: "1.1."\n'
        "        title: Семинар\n"
        "        deadline: ноябрь-октябрь 2024{comment}\n"
        "        responsible: [Директор]\n"
        "        result: Протокол\n"
    )
    (tmp_path / "a.yaml").write_text(
        HEADER + measures.format(comment="  # roadmap-check: ignore[D004] согласовано"), encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        HEADER.replace("school-5-2024", "school-6-2024") + measures.format(comment=""), encoding="utf-8"
    )
    report = _engine(TODAY).check_paths([str(tmp_path)])
    assert [(Path(d.location.file).name, d.code, d.location.span.line) for d in report.diagnostics] == [
        ("b.yaml", "D004", L + 2)
    ]


def test_first_measures_first_line_covers_only_that_measure(tmp_path: Path) -> None:
    """Regression: a comment on the first measure's first line was scoped to the whole `measures` list."""
    report = _check(
        tmp_path,
        """\
      - number: "1.1."  # roadmap-check: ignore[D004] диапазон согласован с УО
        title: Семинар
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
      - number: "1.2."
        title: Совещание
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
""",
    )
    assert _found(report) == [("D004", FIRST_MEASURE_LINE + 7)]


def test_text_inside_a_quoted_string_is_not_a_suppression(tmp_path: Path) -> None:
    """Regression: `# roadmap-check: ignore[...]` inside a quoted YAML string was taken for a suppression (N001)."""
    report = _check(
        tmp_path,
        CLEAN
        + """\
      - number: "1.1."
        title: "Разбор строки «# roadmap-check: ignore[B001] пример» из памятки"
        deadline: март 2025
        responsible: [Директор]
        result: Протокол
""",
    )
    assert _found(report) == []


@pytest.mark.parametrize(("max_schools", "expect"), [(1, []), (3, ["N001"])])
def test_suppression_of_a_cross_level_rule_in_the_registry(tmp_path: Path, max_schools: int, expect: list[str]) -> None:
    """X006 (mentor load) fires on the registry entry of a mentor school; a comment on its first line covers it."""
    region = tmp_path / "demo-region"
    shutil.copytree(ROOT / "examples" / "demo-region", region)
    registry = region / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    entry = "  - id: lesnoy-gimn-1\n"
    assert entry in text
    comment = "  # roadmap-check: ignore[X006] нагрузка согласована с министерством\n"
    registry.write_text(text.replace(entry, entry[:-1] + comment), encoding="utf-8")
    engine = Engine(Config(params={"X006": {"max_schools": max_schools}}), today=TODAY)
    report = engine.check_paths([str(region)])
    assert [d.code for d in report.diagnostics] == expect
    if expect:
        line = text[: text.index(entry)].count("\n") + 1
        assert report.diagnostics[0].location.file == str(registry)
        assert report.diagnostics[0].location.span.line == line


@pytest.mark.parametrize(
    "result",
    [
        "        result: |\n          Памятка:\n          # roadmap-check: ignore[B001] пример из памятки\n",
        "        result: >-\n          Памятка о том, как писать\n"
        "          подавления: # roadmap-check: ignore[B001] пример из памятки\n",
        '        result: "Памятка о том, как писать подавления:\n'
        '          # roadmap-check: ignore[B001] пример из памятки"\n',
    ],
    ids=["literal block", "folded block", "multi-line quoted"],
)
def test_text_inside_a_multi_line_scalar_is_not_a_suppression(tmp_path: Path, result: str) -> None:
    measure = (
        '      - number: "1.1."\n        title: Семинар\n        deadline: март 2025\n        responsible: [Директор]\n'
    )
    assert _found(_check(tmp_path, CLEAN + measure + result)) == []
