"""The synthetic corpus generator: valid files, resolvable links, known defects, determinism.

The benchmark and the checker's recall tests trust the manifest as ground truth,
so these tests compare it with what is really in the files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import benchmark_scripts
import pytest
import yaml

from roadmap_rules.model import FILE_KINDS

SMALL = ["--scale", "region", "--seed", "7", "--defects", "0.15", "--jobs", "1",
         "--municipalities", "3", "--schools-per-municipality", "2", "--measures", "20-40"]  # fmt: skip


gen = benchmark_scripts.load("generate")


def _run(out: Path, *extra: str) -> dict[str, Any]:
    assert gen.main([*SMALL, *extra, "--out", str(out)]) == 0
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "small"
    _run(out)
    return out


@pytest.fixture(scope="module")
def manifest(corpus: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def files(corpus: Path) -> dict[str, dict[str, Any]]:
    """Every YAML file of the corpus, parsed, by path relative to the corpus root."""
    return {
        path.relative_to(corpus).as_posix(): yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(corpus.rglob("*.yaml"))
    }


def _seeded(manifest: dict[str, Any], kind: str) -> set[tuple[str, str]]:
    return {(d["file"], d["pointer"]) for d in manifest["defects"]["items"] if d["kind"] == kind}


def _measures(files: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str, dict[str, Any], int]]:
    """(file, pointer, measure, position in document) for every measure of every roadmap."""
    for name, data in files.items():
        if data["kind"] != "roadmap":
            continue
        position = 0
        for s, section in enumerate(data["sections"]):
            for i, measure in enumerate(section["measures"]):
                yield name, f"/sections/{s}/measures/{i}", measure, position
                position += 1


def test_every_file_is_valid_against_its_model(corpus: Path, files: dict[str, dict[str, Any]]) -> None:
    assert files
    for name, data in files.items():
        FILE_KINDS[data["kind"]].model_validate(data)
        first = (corpus / name).read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), name
        assert ((corpus / name).parent / first.removeprefix(prefix)).resolve().is_file(), name


def test_layout(files: dict[str, dict[str, Any]]) -> None:
    for name, data in files.items():
        parts = name.split("/")
        if parts[-1] == "registry.yaml":
            assert data["kind"] == "registry"
            assert len(parts) == 2
        elif parts[-1] == "region.yaml":
            assert data["level"] == "region"
            assert len(parts) == 2
        elif parts[-1] == "roadmap.yaml":
            assert data["level"] == "municipality"
            assert data["organisation"] == parts[1]
        else:
            assert parts[2] == "schools"
            assert data["level"] == "school"
            assert parts[3] == f"{data['organisation']}.yaml"


def test_references_resolve_except_seeded(manifest: dict[str, Any], files: dict[str, dict[str, Any]]) -> None:
    roadmaps = {d["id"]: d for d in files.values() if d["kind"] == "roadmap"}
    ids = {rid: {m["id"] for s in d["sections"] for m in s["measures"] if "id" in m} for rid, d in roadmaps.items()}
    orgs = {o["id"] for d in files.values() if d["kind"] == "registry" for o in d["organisations"]}

    def resolves(ref: str, own: str) -> bool:
        rid, _, mid = ref.rpartition("/")
        return mid in ids.get(rid or own, set())

    unresolved: set[tuple[str, str]] = set()
    for data in roadmaps.values():
        assert data["organisation"] in orgs
        if data["level"] != "region":
            assert data["implements"] in roadmaps
    for name, pointer, m, _ in _measures(files):
        own = files[name]["id"]
        if "implements" in m and not resolves(m["implements"], own):
            unresolved.add((name, f"{pointer}/implements"))
        for k, ref in enumerate(m.get("depends_on", [])):
            if not resolves(ref, own):
                unresolved.add((name, f"{pointer}/depends_on/{k}"))
        if "school" in m:
            assert m["school"] in orgs
    assert unresolved == _seeded(manifest, gen.UNRESOLVED_REFERENCE)
    assert unresolved


def test_registry_references_and_mentor_defects(manifest: dict[str, Any], files: dict[str, dict[str, Any]]) -> None:
    without_mentor: set[tuple[str, str]] = set()
    supported_mentor: set[tuple[str, str]] = set()
    for name, data in files.items():
        if data["kind"] != "registry":
            continue
        orgs = {o["id"]: o for o in data["organisations"]}
        people = {p["id"] for p in data["people"]}
        supported = {
            o["id"]
            for o in data["organisations"]
            if set(o.get("status", [])) & {"ШНОР", "ШНСУ", "ШФНСУ", "ШПРО", "ШНРО"}
        }
        for o in data["organisations"]:
            assert o.get("parent") in (None, *orgs)
        assert all(p["organisation"] in orgs for p in data["people"])
        assert {c["school"] for c in data["curators"]} == supported
        assert all(c["curator"] in people for c in data["curators"])
        assert all(c["coordinator"] in people for c in data["coordinators"])
        mentored = {m["school"]: (n, m["mentor"]) for n, m in enumerate(data["mentors"])}
        for school in supported:
            if school not in mentored:
                index = [o["id"] for o in data["organisations"]].index(school)
                without_mentor.add((name, f"/organisations/{index}"))
            elif mentored[school][1] in supported:
                supported_mentor.add((name, f"/mentors/{mentored[school][0]}/mentor"))
        for doc in data["documents"]:
            assert doc["school"] in supported
            dates = [doc.get(k) for k in ("drafted", "submitted", "expertise_done", "approved", "published")]
            present = [d for d in dates if d is not None]
            assert present == sorted(present), doc["id"]
            assert all(1 <= r <= 10 for r in doc.get("risks", []) if isinstance(r, int))
    assert without_mentor == _seeded(manifest, gen.NO_MENTOR)
    assert supported_mentor == _seeded(manifest, gen.SUPPORTED_MENTOR)


def test_structural_defects_match_manifest(manifest: dict[str, Any], files: dict[str, dict[str, Any]]) -> None:
    missing, duplicates, later = set(), set(), set()
    seen_numbers: dict[str, set[str]] = {}
    positions = {(name, m["id"]): p for name, _, m, p in _measures(files) if "id" in m}
    for name, pointer, m, position in _measures(files):
        assert m["title"]
        assert m["deadline"]
        assert m["responsible"]
        if "result" not in m and "evidence" not in m:
            missing.add((name, pointer))
        numbers = seen_numbers.setdefault(name, set())
        if m["number"] in numbers:
            duplicates.add((name, f"{pointer}/number"))
        numbers.add(m["number"])
        for k, ref in enumerate(m.get("depends_on", [])):
            if "/" not in ref and positions.get((name, ref), -1) > position:
                later.add((name, f"{pointer}/depends_on/{k}"))
    assert missing == _seeded(manifest, gen.MISSING_RESULT)
    assert duplicates == _seeded(manifest, gen.DUPLICATE_NUMBER)
    assert later == _seeded(manifest, gen.DEPENDS_ON_LATER)


def _fold(text: str) -> str:
    """Case, ё, quotes and spacing folded, as a reader (and the checker) compares names."""
    text = re.sub(r"[«»\"'„“”()]", " ", text.lower().replace("ё", "е")).replace("№ ", "№")
    return " ".join(text.split())


def test_aliases_appear_only_as_seeded_spelling_defects(
    manifest: dict[str, Any], files: dict[str, dict[str, Any]]
) -> None:
    orgs = [o for d in files.values() if d["kind"] == "registry" for o in d["organisations"]]
    aliases = {a for o in orgs for a in o.get("aliases", [])}
    proper = {n for o in orgs for n in (o["name"], o.get("short")) if n}
    assert not {_fold(a) for a in aliases} & {_fold(n) for n in proper}, "an alias reads as another body's name"
    used = set()
    for name, pointer, m, _ in _measures(files):
        parties = [m["responsible"]] if isinstance(m["responsible"], str) else m["responsible"]
        suffix = "/responsible" if isinstance(m["responsible"], str) else "/responsible/{}"
        for k, party in enumerate(parties):
            if party in aliases:
                used.add((name, pointer + suffix.format(k)))
    assert used == _seeded(manifest, gen.INCONSISTENT_SPELLING)
    assert used


def test_deadline_defects_point_at_their_phrase(manifest: dict[str, Any], files: dict[str, dict[str, Any]]) -> None:
    deadlines = {(name, f"{pointer}/deadline"): m["deadline"] for name, pointer, m, _ in _measures(files)}
    kinds = {gen.BACKWARDS_RANGE, gen.BEFORE_APPROVAL, gen.OUTSIDE_PERIOD, gen.VAGUE_DEADLINE}
    items = [d for d in manifest["defects"]["items"] if d["kind"] in kinds]
    assert items
    for d in items:
        assert deadlines[(d["file"], d["pointer"])] == d["detail"]
        if d["kind"] == gen.VAGUE_DEADLINE:
            assert d["detail"] in gen.VAGUE


def test_manifest_counts_match_files(corpus: Path, manifest: dict[str, Any], files: dict[str, dict[str, Any]]) -> None:
    on_disk = [p for p in corpus.rglob("*") if p.is_file() and p.name != "manifest.json"]
    assert manifest["files"]["total"] == len(on_disk)
    assert manifest["bytes"]["total"] == sum(p.stat().st_size for p in on_disk)
    levels = [d["level"] for d in files.values() if d["kind"] == "roadmap"]
    assert manifest["roadmaps"] == {
        "region": levels.count("region"),
        "municipality": levels.count("municipality"),
        "school": levels.count("school"),
        "total": len(levels),
    }
    by_level = {"region": 0, "municipality": 0, "school": 0}
    for name, _, _, _ in _measures(files):
        by_level[files[name]["level"]] += 1
    assert manifest["measures"] == {**by_level, "total": sum(by_level.values())}
    assert manifest["files"]["registry"] == sum(d["kind"] == "registry" for d in files.values())
    assert sum(manifest["defects"]["by_kind"].values()) == manifest["defects"]["total"]
    assert manifest["defects"]["total"] == len(manifest["defects"]["items"])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    _run(tmp_path / "again")
    assert _tree(tmp_path / "again") == _tree(corpus)


def test_larger_scale_starts_with_the_smaller_one(corpus: Path, tmp_path: Path) -> None:
    manifest = _run(tmp_path / "two", "--scale", "2")
    assert manifest["regions"] == ["r01", "r02"]
    small, two = _tree(corpus), _tree(tmp_path / "two")
    assert all(two[name] == data for name, data in small.items() if name.startswith("r01/"))


def test_other_seed_differs(corpus: Path, tmp_path: Path) -> None:
    _run(tmp_path / "other", "--seed", "8")
    assert _tree(tmp_path / "other") != _tree(corpus)


def test_zero_rate_seeds_nothing(tmp_path: Path) -> None:
    manifest = _run(tmp_path / "clean", "--defects", "0")
    assert manifest["defects"]["total"] == 0
    assert manifest["measures"]["total"] > 0


def test_parse_scale() -> None:
    assert gen.parse_scale("region") == 1
    assert gen.parse_scale("national") == 85
    assert gen.parse_scale("16") == 16
    with pytest.raises(Exception, match="region, national"):
        gen.parse_scale("galaxy")


def test_refuses_to_overwrite_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        gen.main([*SMALL, "--out", str(tmp_path), "--force"])
    assert (tmp_path / "keep.txt").exists()


def test_clean_deadlines_stay_inside_their_window() -> None:
    """Clean phrases must cover only dates between the window's ends (what keeps the corpus clean)."""
    rng = random.Random(3)
    for school_year in (False, True):
        year = 2024
        start = dt.date(year, 9, 1) if school_year else dt.date(year, 1, 1)
        end = dt.date(year + 1, 8, 31) if school_year else dt.date(year, 12, 31)
        cycle = gen.Cycle(school_year, year, start, end)
        for _ in range(1500):
            lo = gen.rand_date(rng, start, end)
            hi = gen.rand_date(rng, lo, end)
            full = rng.random() < 0.3
            if full:
                lo, hi = start, end
            deadline = gen.sample_deadline(rng, gen.Window(lo, hi, full), cycle)
            assert lo <= deadline.start <= deadline.end <= hi, deadline
