"""The engine as a library: re-checking one document, and the content-keyed cache."""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from roadmap_rules import engine as engine_module
from roadmap_rules import parallel
from roadmap_rules.cache import Cache
from roadmap_rules.config import Config
from roadmap_rules.engine import Engine, Report
from roadmap_rules.rules import ruleset as ruleset_module
from roadmap_rules.rules.parse import parse_text

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-region"


@pytest.fixture
def region(tmp_path: Path) -> Path:
    target = tmp_path / "demo-region"
    shutil.copytree(DEMO, target)
    return target


def _codes(report: Report) -> list[tuple[str, str]]:
    return [(d.code, Path(d.location.file).name) for d in report.diagnostics]


def _break_regional_measure_id(region: Path) -> None:
    """Rename the regional measure that both municipal roadmaps implement."""
    path = region / "region" / "roadmap.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: coordinators", "id: coordinators-2"), encoding="utf-8"
    )


def test_the_checked_corpus_is_kept_frozen_until_the_engine_lets_it_go(region: Path) -> None:
    """The collector would only rescan the kept corpus; once let go, its cycles must be collectable again."""
    engine = Engine(Config())
    engine.check_paths([str(region)])
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0
    assert engine.workspace is not None
    assert {Path(p).name for p in engine.results} >= {"roadmap.yaml", "registry.yaml"}
    lesnoy = next(path for path in engine.results if path.endswith("lesnoy/roadmap.yaml"))
    engine.recheck(engine.results, lesnoy, Path(lesnoy).read_bytes())  # the editor's path: no freezing
    assert gc.get_freeze_count() == 0
    engine.check_paths([str(region)])
    assert gc.get_freeze_count() > 0
    del engine
    assert gc.get_freeze_count() == 0


def test_recheck_one_document_against_the_kept_rest(region: Path) -> None:
    engine = Engine(Config())
    results, missing = engine.load_paths([str(region)])
    assert not missing
    kept = {r.path: r for r in results}
    others = {path: result for path, result in kept.items() if not path.endswith("lesnoy/roadmap.yaml")}
    lesnoy = next(path for path in kept if path.endswith("lesnoy/roadmap.yaml"))
    edited = (
        Path(lesnoy)
        .read_text(encoding="utf-8")
        .replace("implements: severnaya-2024-2025/coordinators", "implements: severnaya-2024-2025/coordinatorz")
    )
    report = engine.recheck(kept, lesnoy, edited.encode("utf-8"))
    assert ("G001", "roadmap.yaml") in _codes(report)
    assert all(kept[path] is result for path, result in others.items()), "the other files were not re-read"
    unresolved = next(d for d in report.diagnostics if d.code == "G001")
    assert unresolved.location.file == lesnoy
    assert unresolved.hint is not None
    assert "coordinators" in unresolved.hint.ru


def test_cache_answers_an_unchanged_corpus_and_rechecks_dependants(region: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cold = Engine(Config(), cache=cache).check_paths([str(region)])
    assert cold.diagnostics == ()
    assert any((tmp_path / "cache" / "reports").rglob("*")), "the report was stored"
    warm = Engine(Config(), cache=cache).check_paths([str(region)])
    assert warm == cold
    # A change to the referenced (regional) file must re-check the municipal files that reference it.
    _break_regional_measure_id(region)
    after = Engine(Config(), cache=cache).check_paths([str(region)])
    municipal = {Path(d.location.file).parent.name for d in after.diagnostics if d.code == "G001"}
    assert municipal == {"lesnoy", "rechnoy"}
    assert after == Engine(Config()).check_paths([str(region)]), "cached and uncached answers agree"


def test_deleting_the_cache_is_safe(region: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = Engine(Config(), cache=Cache(cache_dir)).check_paths([str(region)])
    shutil.rmtree(cache_dir)
    assert Engine(Config(), cache=Cache(cache_dir)).check_paths([str(region)]) == first


def test_a_corrupt_cache_entry_is_ignored(region: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = Engine(Config(), cache=Cache(cache_dir)).check_paths([str(region)])
    for entry in cache_dir.rglob("*"):
        if entry.is_file() and entry.name != ".gitignore":
            entry.write_bytes(b"not a pickle")
    assert Engine(Config(), cache=Cache(cache_dir)).check_paths([str(region)]) == first


def test_two_workers_give_the_same_report_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parallel paths (per-file workers, forked cross-file stage) change nothing but speed."""
    monkeypatch.setattr(engine_module, "PARALLEL_MIN_MEASURES", 100)
    monkeypatch.setattr(engine_module, "PARALLEL_MIN_BYTES", 1000)
    corpus = tmp_path / "corpus"
    for copy in range(12):  # enough files and measures to take the parallel paths
        shutil.copytree(ROOT / "examples" / "seeds", corpus / f"copy-{copy}")
    one = Engine(Config(), jobs=1).check_paths([str(corpus)])
    shared: list[int] = []
    real_share = parallel.share

    def spy(function: Any, state: Any, tasks: Any, jobs: int, meanwhile: Any = None) -> Any:
        shared.append(jobs)
        return real_share(function, state, tasks, jobs, meanwhile)

    monkeypatch.setattr(engine_module, "share", spy)
    two = Engine(Config(), jobs=2).check_paths([str(corpus)])
    assert len(one.files) >= 64
    assert shared == [2, 2]  # both the per-file and the cross-file stage went to two processes
    assert one == two


def test_with_a_cache_rule_files_are_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the directory of derived data (tests/test_derived.py), the project cache keeps the parses."""
    monkeypatch.setattr(engine_module, "derived_dir", lambda: None)
    first = Engine(Config(), cache=Cache(tmp_path))
    parsed: list[str] = []

    def spy(text: str) -> Any:
        parsed.append(text)
        raise AssertionError("parsed again")

    monkeypatch.setattr(engine_module, "parse_text", spy)
    second = Engine(Config(), cache=Cache(tmp_path))
    assert parsed == []
    assert first.rulebook is not None
    assert second.rulebook is not None
    assert [(r.code, r.severity, r.title) for r in second.rulebook.rules] == [
        (r.code, r.severity, r.title) for r in first.rulebook.rules
    ]
    assert second.rulebook.fingerprint == first.rulebook.fingerprint


def test_without_any_cache_each_rule_file_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the files finds what each extends from its parse; composing them reuses that parse."""
    monkeypatch.setattr(engine_module, "derived_dir", lambda: None)
    parsed: list[str] = []

    def counting(text: str) -> Any:
        parsed.append(text)
        return parse_text(text)

    monkeypatch.setattr(engine_module, "parse_text", counting)
    engine = Engine(Config())
    assert engine.catalog
    assert len(parsed) == len(set(parsed)) == len(Config().rulesets)


def test_a_report_from_the_cache_composes_no_rules(
    region: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm check needs the rule files' fingerprint, not their rules: nothing is parsed or compiled."""
    cache = Cache(tmp_path / "cache")
    cold = Engine(Config(), cache=cache).check_paths([str(region)])

    def never(*args: Any) -> Any:
        raise AssertionError("composed")

    monkeypatch.setattr(ruleset_module, "parse_ruleset", never)
    assert Engine(Config(), cache=cache).check_paths([str(region)]) == cold


def test_a_change_to_an_extended_rule_file_is_not_answered_from_the_cache(region: Path, tmp_path: Path) -> None:
    """The fingerprint covers every file read, including those only extended (read without a parse)."""
    parent = tmp_path / "parent.rules"
    child = tmp_path / "child.rules"
    child.write_text('ruleset child "Дочерние" "Child" extends "parent.rules"\n', encoding="utf-8")
    rule = (
        "rule Z001 every-measure {\n"
        '    title "Каждое мероприятие" "Every measure"\n'
        "    for m in measures\n"
        '    require m.number OP ""\n'
        "    at m\n"
        '    message "Мероприятие {m.number}" "Measure {m.number}"\n'
        "}\n"
    )
    parent.write_text('ruleset parent "Родительские" "Parent"\n' + rule.replace("OP", "!="), encoding="utf-8")
    config = Config(rulesets=(str(child),), base_dir=tmp_path)
    cache = Cache(tmp_path / "cache")
    quiet = Engine(config, cache=cache).check_paths([str(region)])
    assert not [d for d in quiet.diagnostics if d.code == "Z001" or d.code.startswith("R")]
    parent.write_text('ruleset parent "Родительские" "Parent"\n' + rule.replace("OP", "=="), encoding="utf-8")
    loud = Engine(config, cache=cache).check_paths([str(region)])
    assert [d for d in loud.diagnostics if d.code == "Z001"]
    assert loud == Engine(config).check_paths([str(region)])


def test_share_runs_its_meanwhile_once_here_on_every_path() -> None:
    here: list[int] = []
    for jobs in (1, 2):
        results = parallel.share(_square, None, [1, 2, 3], jobs, meanwhile=lambda: here.append(os.getpid()))
        assert results == [1, 4, 9]
    assert here == [os.getpid(), os.getpid()]


def _square(state: None, task: int) -> int:
    return task * task


def test_an_engine_alive_at_interpreter_exit_lets_go_quietly() -> None:
    """Its corpus is frozen; at exit the module's globals may be gone before the engine is."""
    script = (
        "import roadmap_rules.engine as engine_module\n"
        "class Holder: pass\n"
        "holder = Holder()\n"
        "holder.engine = engine_module.Engine()\n"
        f"holder.engine.check_paths([{str(DEMO)!r}])\n"
        "engine_module.kept = holder\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    assert done.stderr == ""


def test_a_result_from_a_worker_travels_as_data_and_arrives_as_the_same_model() -> None:
    engine = Engine(Config())
    path = str(DEMO / "lesnoy" / "roadmap.yaml")
    raw = Path(path).read_bytes()
    here = engine.check_file(path, raw)
    travelling = engine.check_file(path, raw, keep_source=True)
    assert here.source is None
    assert travelling.source is not None
    arrived = pickle.loads(pickle.dumps(travelling))
    assert arrived.source is None
    assert arrived.model == here.model
    assert arrived.diagnostics == here.diagnostics
    broken = engine.check_file(path, raw.replace(b"kind: roadmap", b"kind: roadmap\nbogus: 1"), keep_source=True)
    assert broken.source is None  # a model salvaged from invalid data travels as itself


@pytest.mark.parametrize(("count", "jobs"), [(0, 2), (1, 2), (71, 2), (318, 2), (40, 4)])
def test_file_tasks_take_every_file_once_and_shrink_towards_the_end(count: int, jobs: int) -> None:
    chunks = engine_module._guided(list(range(count)), jobs)
    assert [i for chunk in chunks for i in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in chunks]
    assert all(1 <= size <= 8 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)
    if count > 4 * jobs:
        assert sizes[-jobs:] == [1] * jobs  # the last tasks are single files
