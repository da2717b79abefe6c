"""Frozen records pickle by their fields (roadmap_rules.records)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from roadmap_rules.config import Config
from roadmap_rules.diagnostics import Span
from roadmap_rules.engine import Engine
from roadmap_rules.records import by_fields
from roadmap_rules.rules.parse import parse_text

ROOT = Path(__file__).resolve().parent.parent


def test_a_report_and_parsed_rule_files_come_back_equal() -> None:
    report = Engine(Config()).check_paths([str(ROOT / "examples" / "seeds")])
    assert report.diagnostics
    assert any(d.related for d in report.diagnostics)
    assert pickle.loads(pickle.dumps(report)) == report
    for path in sorted((ROOT / "rulesets").glob("*.rules")):
        node = parse_text(path.read_text(encoding="utf-8"))
        assert pickle.loads(pickle.dumps(node)) == node


@by_fields
@dataclass(frozen=True, slots=True)
class One:
    span: Span


def test_a_record_of_one_field_and_its_type_survive() -> None:
    one = One(Span(1, 2, 3, 4))
    again = pickle.loads(pickle.dumps(one))
    assert again == one
    assert type(again.span) is Span


def test_a_field_outside_init_is_refused() -> None:
    with pytest.raises(TypeError):

        @by_fields
        @dataclass(frozen=True)
        class Computed:
            value: int
            double: int = field(init=False, default=0)
