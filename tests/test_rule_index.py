"""The hash indexes behind `where` change no result, only speed: indexed evaluation equals a plain scan.

`expressions.INDEXES = False` compiles every `where` as a scan; the fixtures
must pass either way, and random small workspaces must give the same
findings (counts, selections, related lists, in order) either way.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_rules.diagnostics import Finding
from roadmap_rules.engine import Engine
from roadmap_rules.fixtures import Case, Fixture, collect, run_case
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.rules import expressions
from roadmap_rules.rules.compiler import CompiledRule, parse_ruleset
from roadmap_rules.rules.runtime import run_rules
from roadmap_rules.workspace import Workspace, build_workspace

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = collect([str(ROOT / "rulesets" / "fixtures")])
CASES = [(f, c) for f in FIXTURES for c in f.cases]


@contextmanager
def scanning() -> Iterator[None]:
    """Rules compiled inside read no index: every `where` is evaluated item by item."""
    saved = expressions.INDEXES
    expressions.INDEXES = False
    try:
        yield
    finally:
        expressions.INDEXES = saved


@pytest.mark.parametrize(("fixture", "case"), CASES, ids=[f"{Path(f.path).stem}:{c.name}" for f, c in CASES])
def test_rule_fixture_case_holds_without_indexes(fixture: Fixture, case: Case) -> None:
    """The expected findings of every rule fixture are what a plain scan finds, too."""
    with scanning():
        problems = run_case(fixture, case)
    assert not problems, "\n".join(problems)


# --- random small workspaces --------------------------------------------------

KINDS = ["monitoring", "analysis", "seminar", "m", "a", "s"]
"""One-letter kinds tell a match with one character of a string from a substring."""
STATUSES = ["ШНОР", "ШНСУ", "ШФНСУ"]

kind_lists = st.lists(st.sampled_from([*KINDS, "null"]), max_size=4)
kind_texts = st.lists(st.sampled_from([*KINDS, "moni", "sis", "ring"]), max_size=3).map(" ".join)
"""Strings for `in "…"`: kinds and pieces of them, so that substrings occur."""


def _rules(kinds: list[str], text: str) -> str:
    """A ruleset whose messages and related lists show what each `where` shape selects."""
    items = "[" + ", ".join(k if k == "null" else f'"{k}"' for k in kinds) + "]"
    shapes = {
        "measures": [
            f"x.kind in {items}",
            f'x.kind in "{text}"',
            f"x.roadmap == m.roadmap and x.kind in {items}",
            f'x.roadmap == m.roadmap and x.kind in "{text}" and x.position < m.position',
            "x.kind == m.kind and x.number == m.number",
            f"x.kind in {items} and x.number in [m.number, m.number]",
            "x.responsible == m.responsible",
            "x.kind in kinds",
        ],
        "schools": [
            f"x.status in {items}",
            "x.status == m.status",
            "x.status in m.status and x.id != m.id",
        ],
    }
    rules = ['ruleset probe "Проба" "Probe"']
    code = 200
    for collection, wheres in shapes.items():
        for where in wheres:
            query = f"x in {collection} where {where}"
            requires = [  # select: which items, in which order, each how often; count; no (a first hit)
                ("false", f'related (select {query}) "" ""'),
                (f"(count {query}) != 2", ""),
                (f"no {query}", ""),
            ]
            for require, related in requires:
                code += 1
                rules.append(_rule(code, f"m in {collection}", require, related))
            code += 1  # the rule's own `for … where`
            rules.append(_rule(code, f"x in {collection} where {where.replace('m.', 'x.')}", "false", ""))
    rules.append(  # a parameter named like a collection is the parameter
        _rule(code + 1, "r in roadmaps", "(count x in measures where x.roadmap == r) != 2", "", "param measures = []")
    )
    return "\n\n".join(rules)


def _rule(code: int, loop: str, require: str, related: str, param: str = 'param kinds = ["monitoring"]') -> str:
    return (
        f"rule C{code} probe-{code} {{\n"
        f'    title "Проба" "Probe"\n'
        f"    {param}\n"
        f"    for {loop}\n"
        f"    require {require}\n"
        f'    message "{{{loop.split()[0]}.id}}" ""\n'
        f"    {related}\n"
        f"}}"
    )


@st.composite
def corpora(draw: st.DrawFn) -> dict[str, Any]:
    """A registry of schools and a roadmap or two, their fields drawn from small pools so that values repeat."""
    schools = [
        {"id": f"s{i}", "name": f"Школа {i}", "type": "school", "status": draw(st.lists(st.sampled_from(STATUSES)))}
        for i in range(draw(st.integers(0, 5)))
    ]
    files: dict[str, Any] = {"registry.yaml": {"kind": "registry", "organisations": schools}}
    for r in range(draw(st.integers(1, 2))):
        measures = []
        for i in range(draw(st.integers(0, 6))):
            measure: dict[str, Any] = {
                "id": f"r{r}m{i}",
                "number": draw(st.sampled_from(["1.1.", "1.2.", "2"])),
                "title": f"Мероприятие {i}",
            }
            if kind := draw(st.sampled_from([None, *KINDS])):
                measure["kind"] = kind
            if responsible := draw(st.lists(st.sampled_from(["Директор", "Завуч"]), max_size=2)):
                measure["responsible"] = responsible
            measures.append(measure)
        files[f"plan{r}.yaml"] = {
            "kind": "roadmap",
            "id": f"plan-{r}",
            "level": "school",
            "title": "План",
            "sections": [{"title": "Раздел", "measures": measures}],
        }
    return files


_ENGINE = Engine()


def _workspace(files: dict[str, Any]) -> Workspace:
    models = []
    for name, data in files.items():
        result = _ENGINE.check_file(name, yaml.safe_dump(data, allow_unicode=True).encode())
        assert isinstance(result.model, Roadmap | Registry), result.diagnostics
        models.append((name, result.model))
    return build_workspace(models)


@functools.lru_cache(maxsize=256)
def _compile(text: str, indexes: bool) -> list[CompiledRule]:
    with nullcontext() if indexes else scanning():
        ruleset = parse_ruleset(text, "probe.rules", "probe")
    assert not ruleset.problems, ruleset.problems
    return ruleset.rules


def _findings(rules: list[CompiledRule], ws: Workspace, kinds: Any) -> list[Finding]:
    params = {rule.code: {"kinds": kinds} for rule in rules if "kinds" in rule.params}
    return list(run_rules(rules, ws, params, dt.date(2025, 1, 15)))


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    files=corpora(),
    kinds=kind_lists,
    text=kind_texts,
    param=st.one_of(st.lists(st.sampled_from(KINDS), max_size=3), kind_texts),
)
def test_indexed_where_equals_scan(files: dict[str, Any], kinds: list[str], text: str, param: Any) -> None:
    """Selections (items, order, repeats), counts, first hits and a rule's own `for` are the same without indexes."""
    text_rules = _rules(kinds, text)
    indexed, scanned = _compile(text_rules, True), _compile(text_rules, False)
    ws = _workspace(files)
    found = _findings(indexed, ws, param)
    assert not [f for f in found if f.code == "R006"], found
    assert found == _findings(scanned, ws, param)
