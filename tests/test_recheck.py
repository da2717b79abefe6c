"""An editor's re-check gives the report a fresh check of the edited files gives, edit after edit.

`Engine.recheck` keeps the one-roadmap rules' findings of the files it did not change
(`rules/locality.py`); every report here is compared with a new engine's full check.
"""

from __future__ import annotations

import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from roadmap_rules.engine import Engine
from roadmap_rules.rules.ast import RulesetNode
from roadmap_rules.rules.compiler import parse_ruleset
from roadmap_rules.rules.locality import reads_one_roadmap
from roadmap_rules.rules.parse import parse_text

ROOT = Path(__file__).resolve().parent.parent

Edit = tuple[str, Callable[[str], str]]
"""A file (relative to the corpus) and what becomes of its text."""


def _sub(pattern: str, replacement: str, count: int = 1) -> Callable[[str], str]:
    def edit(text: str) -> str:
        changed = re.sub(pattern, replacement, text, count=count, flags=re.MULTILINE)
        assert changed != text, pattern
        return changed

    return edit


LESNOY = "demo-region/lesnoy/roadmap.yaml"
RECHNOY = "demo-region/rechnoy/roadmap.yaml"
ULYANOVSK = "seeds/ulyanovsk-regional-2024/roadmap.yaml"
SESSIONS: dict[str, list[Edit]] = {
    "a comment, then titles and numbers": [
        (LESNOY, lambda text: text + "\n# правка\n"),
        (LESNOY, _sub(r"^(\s+title: )Назначение муниципального координатора.*$", r"\1")),
        (LESNOY, _sub(r'number: "1\.1"', 'number: "1.3"')),
        (ULYANOVSK, _sub(r'number: "1\.2\."', 'number: "1.1."')),
    ],
    "two files share a roadmap id, then do not": [
        (RECHNOY, _sub(r"^(\s+title: )Назначение муниципального координатора.*$", r"\1")),  # B001 there
        (LESNOY, _sub(r"^id: lesnoy-2024-2025$", "id: rechnoy-2024-2025")),  # the first file takes the id
        (LESNOY, _sub(r'number: "1\.1"', 'number: "1.2"')),
        (LESNOY, _sub(r"^id: rechnoy-2024-2025$", "id: lesnoy-2024-2025")),  # and gives it back
    ],
    "a file broken, then mended": [
        (LESNOY, _sub(r"^(\s+title: )Назначение муниципального координатора.*$", r"\1")),
        (LESNOY, _sub(r"^sections:$", "sections: [")),
        (RECHNOY, lambda text: text + "\n# правка\n"),
        (LESNOY, _sub(r"^sections: \[$", "sections:")),
    ],
    "a deadline and a period": [
        (LESNOY, _sub(r'deadline: "до 13\.09\.2024"', 'deadline: "до 13.09.2026"')),
        (
            LESNOY,
            _sub(r"^period: \{start: 2024-09-01, end: 2025-08-31\}$", "period: {start: 2025-09-01, end: 2026-08-31}"),
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_each_recheck_reports_what_a_fresh_check_reports(name: str, tmp_path: Path) -> None:
    corpus = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", corpus)
    editor = Engine()
    first = editor.check_paths([str(corpus)])
    assert first.diagnostics == Engine(today=editor.today).check_paths([str(corpus)]).diagnostics
    results = dict(editor.results)
    for relative, edit in SESSIONS[name]:
        path = corpus / relative
        text = edit(path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        again = editor.recheck(results, str(path), text.encode("utf-8"))
        fresh = Engine(today=editor.today).check_paths([str(corpus)])
        assert again.diagnostics == fresh.diagnostics, (relative, len(again.diagnostics), len(fresh.diagnostics))


def _failing_in(engine: Engine, name: str) -> Engine:
    """B001 raises on the measures of the file `name`: a defect of the rule, which stops it there (R006)."""
    assert engine.rulebook is not None
    rule = next(r for r in engine.rulebook.rules if r.code == "B001")
    require = rule.require
    assert require is not None

    def failing(env: dict[str, Any]) -> Any:
        if env["m"].file.endswith(name):
            raise RuntimeError("a defect of the rule")
        return require(env)

    rule.require = failing
    return engine


def test_a_rule_that_fails_makes_the_recheck_run_every_rule(tmp_path: Path) -> None:
    """A failed rule (R006) stops where it failed: its findings cannot be kept file by file."""
    corpus = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", corpus)
    editor = _failing_in(Engine(), LESNOY)
    first = editor.check_paths([str(corpus)])
    assert any(d.code == "R006" for d in first.diagnostics)
    path = corpus / RECHNOY
    text = _sub(r"^(\s+title: )Назначение муниципального координатора.*$", r"\1")(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    again = editor.recheck(dict(editor.results), str(path), text.encode("utf-8"))
    fresh = _failing_in(Engine(today=editor.today), LESNOY).check_paths([str(corpus)])
    assert again.diagnostics == fresh.diagnostics


BUILTIN_LOCAL = {"B001", "B002", "B003", "B004", "B005", "B006", "B007", "B008", "B009", "P001", "P002", "P014", "X008"}


def test_which_builtin_rules_read_one_roadmap() -> None:
    engine = Engine()
    assert engine.rulebook is not None
    assert {r.code for r in engine.rulebook.rules if r.local} == BUILTIN_LOCAL


def _rule(body: str) -> bool:
    node = parse_text(f'ruleset t "T" "T"\nrule T001 r {{\n    title "t" "t"\n{body}\n}}\n')
    assert isinstance(node, RulesetNode)
    return reads_one_roadmap(node.rules[0])


@pytest.mark.parametrize(
    ("body", "local"),
    [
        ('    for m in measures\n    require m.title is present\n    message "{m.title}" "x"', True),
        ('    for m in measures where m.previous is present\n    require m.previous.section == m.section\n'
         '    message "x" "x"', True),
        ('    for i in indicators\n    require i.measure.roadmap.period is present\n    message "x" "x"', True),
        ('    for m in measures\n    require no x in measures where x.roadmap == m.roadmap and x.title == m.title\n'
         '    message "x" "x"', True),
        ('    for r in roadmaps\n    require every m in r.measures satisfies m.deadline.end <= r.period_end\n'
         '    message "x" "x"', True),
        # another file: links between roadmaps, the registry, the whole collection
        ('    for m in measures\n    require every d in m.depends_on satisfies d.title is present\n    message "x" "x"',
         False),
        ('    for r in roadmaps\n    require r.organisation is present\n    message "x" "x"', False),
        ('    for m in measures\n    require m.parties is present\n    message "x" "x"', False),
        ('    for m in measures\n    require no x in measures where x.title == m.title\n    message "x" "x"', False),
        ('    for m in measures\n    require count(measures) > 0\n    message "x" "x"', False),
        ('    for s in schools\n    require s.name is present\n    message "x" "x"', False),
        ('    for m in measures\n    require m.title is present\n    message "{m.roadmap.organisation.name}" "x"',
         False),
        ('    for m in measures\n    require m.title is present\n    message "x" "x"\n'
         '    related m.implements "x" "x"', False),
    ],
)  # fmt: skip
def test_what_reads_one_roadmap(body: str, local: bool) -> None:
    assert _rule(body) is local


def test_a_rule_with_problems_is_not_taken_as_local() -> None:
    text = (
        'ruleset t "T" "T"\nrule T001 r {\n    title "t" "t"\n    for m in measures\n'
        '    require m.nonexistent is present\n    message "x" "x"\n}\n'
    )
    ruleset = parse_ruleset(text, "t.rules", "t")
    assert ruleset.problems
    assert not ruleset.rules[0].local


def _random_edit(text: str, rnd: random.Random, ids: list[str]) -> str:
    """One of the edits an author makes, at a random place: a title emptied, a number or a deadline changed,
    another roadmap's id taken, a line broken or deleted, a comment added."""
    lines = text.split("\n")
    kind = rnd.randrange(7)
    places = {
        0: r"^\s+title: ",
        1: r"^\s+number: ",
        2: r"^\s+deadline: ",
    }
    if kind in places:
        found = [i for i, line in enumerate(lines) if re.match(places[kind], line)]
        if found:
            i = rnd.choice(found)
            new = ("", f'"{rnd.randint(1, 3)}.{rnd.randint(1, 5)}"', f'"до {rnd.randint(1, 28):02d}.05.2025"')[kind]
            lines[i] = re.sub(r"(: ).*", lambda m: m.group(1) + new, lines[i], count=1)
    elif kind == 3:
        lines = [f"id: {rnd.choice(ids)}" if line.startswith("id: ") else line for line in lines]
    elif kind == 4:
        lines.insert(rnd.randrange(len(lines)), "x: [")
    elif kind == 5 and len(lines) > 5:
        del lines[rnd.randrange(3, len(lines))]
    else:
        lines.append("# правка")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_recheck_as_a_fresh_check(seed: int, tmp_path: Path) -> None:
    corpus = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", corpus)
    roadmaps = sorted(p for p in corpus.rglob("roadmap.yaml"))
    ids = [re.search(r"^id: (.+)$", p.read_text(encoding="utf-8"), re.MULTILINE).group(1) for p in roadmaps]  # type: ignore[union-attr]
    rnd = random.Random(seed)
    editor = Engine()
    editor.check_paths([str(corpus)])
    results = dict(editor.results)
    for _ in range(20):
        path = rnd.choice(roadmaps)
        text = _random_edit(path.read_text(encoding="utf-8"), rnd, ids)
        path.write_text(text, encoding="utf-8")
        again = editor.recheck(results, str(path), text.encode("utf-8"))
        assert again.diagnostics == Engine(today=editor.today).check_paths([str(corpus)]).diagnostics, path
