"""The `--format json` contract, pinned by a golden file.

`tests/golden/bad-plan.yaml` is a small school roadmap with an unknown key, a
backwards deadline, a measure without a responsible party and a repeated item
number;
`tests/golden/bad-plan.json` is what `roadmap-check --format json` prints for
it. The plan is copied into a temporary directory (so that no configuration
file of the repository is discovered) and the output is compared exactly,
after the temporary path is replaced by the plan's file name and the tool's
version by a placeholder.

To regenerate the golden file after a deliberate change of the output, run

    UPDATE_GOLDEN=1 pytest tests/test_json_golden.py

and read the diff of `bad-plan.json` before committing it.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from roadmap_rules import __version__
from roadmap_rules.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"
PLAN = GOLDEN / "bad-plan.yaml"
EXPECTED = GOLDEN / "bad-plan.json"
VERSION_PLACEHOLDER = "<version>"

DIAGNOSTIC_KEYS = {
    "code",
    "name",
    "severity",
    "message",
    "file",
    "pointer",
    "line",
    "column",
    "end_line",
    "end_column",
    "entity",
    "related",
    "hint",
}
RELATED_KEYS = {"file", "pointer", "line", "column", "end_line", "end_column", "message"}


def _run_json(tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    plan = tmp_path / PLAN.name
    shutil.copyfile(PLAN, plan)
    result = CliRunner().invoke(main, [str(plan), "--format", "json", "--no-cache", *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    payload = json.loads(result.stdout)
    return result.exit_code, _normalise(payload, str(plan))


def _normalise(payload: dict[str, Any], path: str) -> dict[str, Any]:
    assert payload["version"] == __version__
    payload["version"] = VERSION_PLACEHOLDER
    for diagnostic in payload["diagnostics"]:
        for place in (diagnostic, *diagnostic["related"]):
            if place["file"] == path:
                place["file"] = PLAN.name
    return payload


def test_json_output_matches_golden(tmp_path: Path) -> None:
    exit_code, actual = _run_json(tmp_path)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        EXPECTED.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert actual == expected
    assert exit_code == 1


def test_golden_file_has_the_documented_shape() -> None:
    """The golden file itself: every diagnostic carries every field of the contract, of the right type."""
    golden = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert set(golden) == {"version", "summary", "diagnostics"}
    assert set(golden["summary"]) == {"files", "errors", "warnings", "info"}
    assert golden["summary"]["files"] == 1
    assert golden["diagnostics"], "the golden plan must produce findings"
    severities = [d["severity"] for d in golden["diagnostics"]]
    assert golden["summary"]["errors"] == severities.count("error")
    assert golden["summary"]["warnings"] == severities.count("warning")
    assert golden["summary"]["info"] == severities.count("info")
    for diagnostic in golden["diagnostics"]:
        assert set(diagnostic) == DIAGNOSTIC_KEYS
        assert diagnostic["file"] == PLAN.name
        assert isinstance(diagnostic["code"], str)
        assert diagnostic["code"][:1].isalpha()
        assert diagnostic["severity"] in {"error", "warning", "info"}
        assert diagnostic["message"]
        for key in ("line", "column", "end_line", "end_column"):
            assert isinstance(diagnostic[key], int)
            assert diagnostic[key] >= 1
        assert (diagnostic["end_line"], diagnostic["end_column"]) >= (diagnostic["line"], diagnostic["column"])
        assert diagnostic["entity"] is None or isinstance(diagnostic["entity"], str)
        assert diagnostic["hint"] is None or isinstance(diagnostic["hint"], str)
        for related in diagnostic["related"]:
            assert set(related) == RELATED_KEYS


def test_golden_unknown_key_is_at_the_key_with_did_you_mean() -> None:
    """Checked by eye once, pinned here in words: `deadlne` is reported at the key, suggesting `deadline`."""
    golden = json.loads(EXPECTED.read_text(encoding="utf-8"))
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    unknown = [d for d in golden["diagnostics"] if d["code"] == "S003"]
    assert len(unknown) == 1
    finding = unknown[0]
    line = lines[finding["line"] - 1]
    assert line[finding["column"] - 1 :].startswith("deadlne:")
    assert finding["pointer"] == "/sections/0/measures/2/deadlne"
    assert "deadlne" in finding["message"]
    assert "deadline" in finding["hint"]


def test_golden_backwards_deadline_missing_responsible_and_duplicate_number() -> None:
    """Checked by eye once, pinned here in words: each defect of the plan is reported where it is written."""
    golden = json.loads(EXPECTED.read_text(encoding="utf-8"))
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    by_code = {d["code"]: d for d in golden["diagnostics"]}

    backwards = by_code["D004"]
    assert lines[backwards["line"] - 1][backwards["column"] - 1 :] == "ноябрь-октябрь 2024"
    assert backwards["entity"] == "measure:golden-school-2024/1.1."
    assert "01.11.2024" in backwards["hint"]

    no_responsible = by_code["B003"]
    assert lines[no_responsible["line"] - 1].strip() == '- number: "1.2."'
    assert no_responsible["pointer"] == "/sections/0/measures/1"
    assert "Создание рабочей группы" in no_responsible["message"]

    duplicate = by_code["B005"]
    assert duplicate["pointer"] == "/sections/0/measures/2/number"
    assert [(r["line"], r["column"]) for r in duplicate["related"]] == [
        (no_responsible["line"], no_responsible["column"])
    ]


def _without_texts(diagnostic: dict[str, Any]) -> dict[str, Any]:
    stripped = {k: v for k, v in diagnostic.items() if k not in ("message", "hint")}
    stripped["related"] = [{k: v for k, v in r.items() if k != "message"} for r in diagnostic["related"]]
    return stripped


def test_english_json_differs_only_in_texts(tmp_path: Path) -> None:
    _, russian = _run_json(tmp_path)
    _, english = _run_json(tmp_path, "--lang", "en")
    assert russian["summary"] == english["summary"]
    assert [_without_texts(d) for d in russian["diagnostics"]] == [_without_texts(d) for d in english["diagnostics"]]
    for ru, en in zip(russian["diagnostics"], english["diagnostics"], strict=True):
        assert en["message"][0].isascii()
        assert not ru["message"][0].isascii()
        assert (ru["hint"] is None) == (en["hint"] is None)


def test_unknown_key_does_not_hide_the_plans_other_findings(tmp_path: Path) -> None:
    """Regression: one schema error (the unknown key `deadlne`) once left the file
    without a model, so its D004 and B003 were lost."""
    _, actual = _run_json(tmp_path)
    codes = {d["code"] for d in actual["diagnostics"]}
    assert {"S003", "D004", "B003"} <= codes
