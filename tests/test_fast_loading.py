"""The fast path (rapidyaml) reads exactly what the exact path (PyYAML) reads, or leaves the file to it."""

from __future__ import annotations

import pickle
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from roadmap_rules.loading.fast import AVAILABLE, TreePositions, fast_load
from roadmap_rules.loading.source import Positions, read_source

ROOT = Path(__file__).resolve().parent.parent
REFUSED: list[dict[str, Any]] = yaml.safe_load((ROOT / "tests/data/fast-path-refused.yaml").read_text("utf-8"))

pytestmark = pytest.mark.skipif(not AVAILABLE, reason="rapidyaml is not installed")


def documents() -> Iterator[tuple[str, bytes]]:
    """Every example, and every file embedded in a fixture."""
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        yield str(path.relative_to(ROOT)), path.read_bytes()
    for fixture in sorted([*(ROOT / "tests/fixtures").rglob("*.yaml"), *(ROOT / "rulesets/fixtures").rglob("*.yaml")]):
        data = yaml.safe_load(fixture.read_text("utf-8"))
        for case in data.get("cases") or [] if isinstance(data, dict) else []:
            for name, text in (case.get("files") or {}).items():
                if isinstance(text, str):
                    yield f"{fixture.name}: {case.get('name')}: {name}", text.encode()


def read_alike(name: str, raw: bytes) -> bool:
    """Assert that a document the fast path takes has the exact path's data and positions."""
    fast = read_source(name, raw)
    if not isinstance(fast.positions, TreePositions):
        return False
    exact = read_source(name, raw, fast=False)
    assert not exact.problems, (name, exact.problems)
    assert fast.data == exact.data, name
    assert fast.problems == []
    positions = exact.positions
    assert isinstance(positions, Positions)
    for pointer in positions.pointers():
        assert fast.positions.span(pointer) == positions.span(pointer), (name, pointer)
        if positions.has_key(pointer):
            assert fast.positions.span(pointer, key=True) == positions.span(pointer, key=True), (name, pointer)
    return True


def test_examples_and_fixture_documents_read_alike() -> None:
    taken = [read_alike(name, raw) for name, raw in documents()]
    assert sum(taken) > 0.75 * len(taken)  # most plain documents take the fast path


@pytest.mark.parametrize("case", REFUSED, ids=[case["name"] for case in REFUSED])
def test_what_the_parsers_read_differently_goes_the_exact_way(case: dict[str, Any]) -> None:
    raw = case["text"].encode()
    assert fast_load(raw, raw.decode("utf-8-sig")) is None
    assert not isinstance(read_source("plan.yaml", raw).positions, TreePositions)


PIECES = (":", ": ", "- ", " ", '"', "'", "#", " #", "[", "]", "{", "}", ",", "|", ">", "\n", "1.", "yes", "~",
          "1e3", "12:30", "0x1", "null", "true", "a: b", "? ", "&", "*", "!", "%", "\\", "ё")  # fmt: skip


def mutate(text: str, rng: random.Random) -> str:
    """One to three small edits of the kind that break or retype YAML."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        line, edit = lines[i], rng.randrange(4)
        if edit == 0 and line:
            at = rng.randrange(len(line))
            lines[i] = line[:at] + line[at + 1 :]
        elif edit == 1:
            at = rng.randrange(len(line) + 1)
            lines[i] = line[:at] + rng.choice(PIECES) + line[at:]
        elif edit == 2:
            lines[i] = " " * rng.randint(1, 3) + line if rng.random() < 0.5 else line[rng.randint(1, 3) :]
        else:
            lines.insert(i, line)
    return "\n".join(lines)


def test_mutated_documents_read_alike_or_go_the_exact_way() -> None:
    rng = random.Random(20241122)
    seeds = [path.read_text("utf-8") for path in sorted((ROOT / "examples").rglob("*.yaml"))]
    taken = sum(read_alike("plan.yaml", mutate(rng.choice(seeds), rng).encode()) for _ in range(300))
    assert taken > 20


def test_a_parse_error_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    assert fast_load(b"kind: roadmap\nid: [a, b\n", "kind: roadmap\nid: [a, b\n") is None
    assert fast_load(b"a:\n  - b\n c: d\n", "a:\n  - b\n c: d\n") is None
    assert capfd.readouterr().err == ""


def test_positions_cross_processes_as_the_bytes() -> None:
    raw = "kind: roadmap\nid: a\ntitle: «План»\nsections:\n  - measures:\n      - title: Семинар\n".encode()
    positions = read_source("plan.yaml", raw).positions
    assert isinstance(positions, TreePositions)
    copy = pickle.loads(pickle.dumps(positions))
    pointer = "/sections/0/measures/0/title"
    assert copy.span(pointer) == positions.span(pointer) == read_source("p", raw, fast=False).positions.span(pointer)
    assert copy.span("/sections/0/measures/0/missing").line == 6  # the nearest written ancestor


def test_a_span_once_found_is_kept_without_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor's re-check locates the unchanged files' findings again; their trees may be gone by then."""
    raw = "kind: roadmap\nid: a\nsections:\n  - measures:\n      - title: Семинар\n        deadline: май\n".encode()
    positions = pickle.loads(pickle.dumps(read_source("plan.yaml", raw).positions))  # as from a worker: no tree
    title, key = positions.span("/sections/0/measures/0/title"), positions.span("/sections/0/measures/0", key=True)
    assert (title.line, title.column) == (5, 16)

    def no_parse(self: TreePositions) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(TreePositions, "_parse", no_parse)
    assert positions.span("/sections/0/measures/0/title") == title
    assert positions.span("/sections/0/measures/0", key=True) == key
