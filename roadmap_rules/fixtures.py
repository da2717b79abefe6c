"""Data-driven fixtures: one YAML file per check with failing and passing cases.

```yaml
code: X001                       # the code under test (or `codes: [..]`)
rulesets: [crosslevel]           # optional; default: every built-in ruleset
today: 2025-01-01                # optional; the date suppressions are judged on
cases:
  - name: a school without a mentor
    files: {registry.yaml: "kind: registry\\n..."}
    expect:
      - {code: X001, file: registry.yaml, line: 5, column: 5, related: [{file: registry.yaml, line: 9}]}
```
Only findings of the fixture's codes are compared, as an exact set. The
test suite and `roadmap-check test DIR` run the same files.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from roadmap_rules.config import Config
from roadmap_rules.engine import Engine


@dataclass
class Case:
    name: str
    files: dict[str, str]
    expect: list[dict[str, Any]]


@dataclass
class Fixture:
    path: str
    codes: tuple[str, ...]
    rulesets: tuple[str, ...] | None
    today: dt.date
    cases: list[Case] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def failing(self) -> list[Case]:
        return [c for c in self.cases if c.expect]

    @property
    def passing(self) -> list[Case]:
        return [c for c in self.cases if not c.expect]


def load_fixture(path: Path) -> Fixture:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    codes = tuple(data.get("codes") or [data["code"]])
    today = data.get("today") or dt.date(2025, 1, 15)
    fixture = Fixture(
        str(path),
        codes,
        tuple(data["rulesets"]) if data.get("rulesets") else None,
        today,
        config=data.get("config") or {},
    )
    for case in data.get("cases") or []:
        fixture.cases.append(Case(str(case["name"]), dict(case.get("files") or {}), list(case.get("expect") or [])))
    return fixture


def collect(paths: tuple[str, ...] | list[str]) -> list[Fixture]:
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        found.extend(sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    return [load_fixture(p) for p in found]


def run_case(fixture: Fixture, case: Case, rulesets: tuple[str, ...] | None = None) -> list[str]:
    """Problems with the case: findings missing, unexpected or misplaced; empty when it passes."""
    with tempfile.TemporaryDirectory(prefix="roadmap-check-") as tmp:
        root = Path(tmp)
        for name, text in case.files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8") if isinstance(text, str) else bytes(text))
        config = Config(base_dir=root, select=fixture.codes)
        chosen = rulesets or fixture.rulesets
        if chosen:
            config = replace(config, rulesets=chosen)
        if fixture.config.get("params"):
            config = replace(config, params=fixture.config["params"])
        if fixture.config.get("max_file_size"):
            config = replace(config, max_file_size=int(fixture.config["max_file_size"]))
        report = Engine(config, today=fixture.today).check_paths([str(root)])
        actual = [_shape(d.to_dict(), root) for d in report.diagnostics if d.code in fixture.codes]
    problems: list[str] = []
    unmatched = list(actual)
    for expected in case.expect:
        match = next((a for a in unmatched if _matches(expected, a)), None)
        if match is None:
            problems.append(f"missing: {expected}")
        else:
            unmatched.remove(match)
    problems.extend(f"unexpected: {a}" for a in unmatched)
    return problems


def _shape(d: dict[str, Any], root: Path) -> dict[str, Any]:
    def rel(file: str) -> str:
        try:
            return Path(file).relative_to(root).as_posix()
        except ValueError:
            return file

    return {
        "code": d["code"],
        "file": rel(d["file"]),
        "line": d["line"],
        "column": d["column"],
        "pointer": d["pointer"],
        "message": d["message"],
        "related": [{"file": rel(r["file"]), "line": r["line"], "column": r["column"]} for r in d["related"]],
    }


def _matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    for key, value in expected.items():
        if key == "related":
            if len(value) != len(actual["related"]):
                return False
            for want, got in zip(value, actual["related"], strict=True):
                if any(got.get(k) != v for k, v in want.items()):
                    return False
        elif key == "message_contains":
            if str(value) not in actual["message"]:
                return False
        elif actual.get(key) != value:
            return False
    return True
