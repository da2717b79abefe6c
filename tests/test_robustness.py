"""Hostile and broken input never crashes the engine: every file gets findings, never a traceback."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap_rules.config import Config
from roadmap_rules.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "examples" / "seeds" / "smolensk-school5-2024" / "roadmap.yaml").read_text(encoding="utf-8")
REGISTRY = (ROOT / "examples" / "seeds" / "smolensk-school5-2024" / "registry.yaml").read_text(encoding="utf-8")
ENGINE = Engine(Config())
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20,
)


def _check(files: dict[str, bytes]) -> None:
    results = [ENGINE.check_file(name, raw) for name, raw in files.items()]
    report = ENGINE.report(results)
    for d in report.diagnostics:
        assert d.code
        assert d.location.span.line >= 1


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes(raw: bytes) -> None:
    _check({"plan.yaml": raw})


@SETTINGS
@given(documents, st.sampled_from(["roadmap", "registry", None]))
def test_any_yaml_shape(data: object, kind: str | None) -> None:
    if isinstance(data, dict) and kind is not None:
        data = {"kind": kind, **data}
    _check({"plan.yaml": yaml.safe_dump(data, allow_unicode=True).encode("utf-8")})


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["drop", "dup", "cut", "swap"]), st.integers(0, 10_000)), max_size=6))
def test_mutated_real_roadmap(edits: list[tuple[str, int]]) -> None:
    """A real plan with lines dropped, doubled, cut short or swapped: broken in the ways hand edits break files."""
    lines = SEED.splitlines()
    for edit, at in edits:
        if not lines:
            break
        i = at % len(lines)
        if edit == "drop":
            del lines[i]
        elif edit == "dup":
            lines.insert(i, lines[i])
        elif edit == "cut":
            lines[i] = lines[i][: len(lines[i]) // 2]
        elif i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    _check({"roadmap.yaml": "\n".join(lines).encode("utf-8"), "registry.yaml": REGISTRY.encode("utf-8")})
