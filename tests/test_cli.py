"""The command line: exit codes, options, output formats and the subcommands.

Most tests run `roadmap_rules.cli.main` in-process with click's CliRunner from
the repository root (the paths in the output are then the ones a user sees);
one runs the installed `roadmap-check` console script in a subprocess.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from roadmap_rules import __version__
from roadmap_rules.cli import main
from roadmap_rules.fixtures import collect

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "bad-plan.json"

# A clean school roadmap except for one measure without a result (B004, a warning).
WARNINGS_ONLY = """\
kind: roadmap
id: school-5-2024
level: school
title: План мероприятий
period: {start: 2024-09-01, end: 2025-08-31}
approval: {number: "1", date: 2024-09-05}
sections:
  - number: "1."
    title: Организационно-управленческое направление
    measures:
      - number: "1.1."
        title: Семинар
        deadline: март 2025
        responsible: [Директор]
"""


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def check(*args: str | Path) -> Result:
    """`roadmap-check PATH... OPTIONS` without the on-disk cache, so that every run really checks."""
    return cli(*args, "--no-cache")


def check_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = check(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


@functools.cache
def _examples_json(args: tuple[str, ...]) -> tuple[int, str]:
    exit_code, payload = check_json(*args)
    return exit_code, json.dumps(payload)


def examples_json(*args: str) -> tuple[int, dict[str, Any]]:
    """`check_json` on the read-only examples, run once per argument list for the whole module."""
    exit_code, text = _examples_json(args)
    return exit_code, json.loads(text)


def codes(payload: dict[str, Any]) -> Counter[str]:
    return Counter(d["code"] for d in payload["diagnostics"])


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


# --- exit codes -----------------------------------------------------------------


def test_clean_demo_region_exits_0() -> None:
    result = check("examples/demo-region")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Проверено файлов: 8; ошибок: 0, предупреждений: 0, замечаний: 0",
    ]


def test_seeds_with_real_defects_exit_1() -> None:
    result = check("examples/seeds")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("Проверено файлов: 8; ошибок: ")
    # The README's example line is among the findings.
    assert (
        "examples/seeds/smolensk-school5-2024/roadmap.yaml:132:19: error D004 "
        "Срок «ноябрь-октябрь 2024» идёт в обратном порядке: ноябрь 2024 позже, чем октябрь 2024"
    ) in lines


def test_bad_yaml_file_exits_1_with_y001(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: roadmap\nid: [a\n", encoding="utf-8")
    result = check(bad)
    assert result.exit_code == 1
    assert f"{bad}:" in result.stdout
    assert " error Y001 " in result.stdout
    no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ["--nosuch", "examples/demo-region"],
        ["examples/demo-region", "--nosuch"],
        ["examples/demo-region", "--format", "xml"],
        ["examples/demo-region", "--fail-level", "fatal"],
        ["check"],
        ["examples/demo-region", "--config", "no/such/config.toml"],
        ["examples/demo-region", "--today", "15.01.2025"],
        ["deadline", "март 2025", "--period", "2025"],
        ["explain", "Z999"],
    ],
    ids=[
        "unknown option first",
        "unknown option last",
        "bad format",
        "bad fail level",
        "missing path argument",
        "config file does not exist",
        "bad date",
        "bad period",
        "unknown code",
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.stderr
    assert "Error:" in result.stderr
    assert result.stdout == ""
    no_traceback(result)


def test_malformed_config_file_exits_2_and_names_it(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("ignore = [\n", encoding="utf-8")
    result = check("examples/demo-region", "--config", config)
    assert result.exit_code == 2
    assert str(config) in result.stderr
    no_traceback(result)


def test_bare_invocation_prints_usage() -> None:
    result = cli()
    assert "Usage:" in result.output
    assert "PATHS..." in result.output
    no_traceback(result)


def test_version() -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"roadmap-check, version {__version__}\n"
    assert importlib.metadata.version("roadmap-check") == __version__  # pyproject.toml reads it from the package


@pytest.mark.parametrize(
    ("args", "marker"),
    [(["--help"], "Commands:"), (["-h"], "Commands:"), (["check", "--help"], "--fail-level")],
)
def test_help_shows_examples(args: list[str], marker: str) -> None:
    result = cli(*args)
    assert result.exit_code == 0
    assert "Примеры / examples:" in result.stdout
    assert "roadmap-check examples/demo-region" in result.stdout
    assert "roadmap-check explain X001" in result.stdout
    assert marker in result.stdout


def test_top_level_help_lists_the_subcommands() -> None:
    result = cli("--help")
    for command in ("check", "deadline", "explain", "graph", "rules", "test"):
        assert f"  {command} " in result.stdout


# --- output formats and languages ---------------------------------------------


def test_json_output_has_the_shape_of_the_golden_file() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    exit_code, payload = examples_json("examples/seeds")
    assert exit_code == 1
    assert payload.keys() == golden.keys()
    assert payload["version"] == __version__
    assert payload["summary"].keys() == golden["summary"].keys()
    assert payload["summary"]["files"] == 8
    diagnostic_keys = golden["diagnostics"][0].keys()
    assert all(d.keys() == diagnostic_keys for d in payload["diagnostics"])
    severities = Counter(d["severity"] for d in payload["diagnostics"])
    assert payload["summary"]["errors"] == severities["error"] > 0
    assert payload["summary"]["warnings"] == severities["warning"]
    assert payload["summary"]["info"] == severities["info"]
    with_related = [d for d in payload["diagnostics"] if d["related"]]
    assert with_related, "the seeds have findings with related places (B005 and others)"
    for d in with_related:
        for related in d["related"]:
            assert related.keys() == {"file", "pointer", "line", "column", "end_line", "end_column", "message"}
    # Sorted like the text output: by file, line, column, code.
    keys = [(d["file"], d["line"], d["column"], d["code"]) for d in payload["diagnostics"]]
    assert keys == sorted(keys)


def test_json_and_text_report_the_same_findings() -> None:
    _, payload = examples_json("examples/seeds")
    text = check("examples/seeds").stdout.splitlines()
    findings = [line for line in text[:-1] if not line.startswith(" ")]
    expected = [
        f"{d['file']}:{d['line']}:{d['column']}: {d['severity']} {d['code']} {d['message']}"
        for d in payload["diagnostics"]
    ]
    assert findings == expected


def test_lang_en_gives_english_messages() -> None:
    russian = check("examples/seeds", "--select", "D004").stdout.splitlines()
    english = check("examples/seeds", "--select", "D004", "--lang", "en").stdout.splitlines()
    assert english[-1] == "8 file(s) checked: 3 error(s), 0 warning(s), 0 info"
    assert russian[-1] == "Проверено файлов: 8; ошибок: 3, предупреждений: 0, замечаний: 0"
    findings = [line for line in english if " D004 " in line]
    assert len(findings) == 3
    assert all("runs backwards" in line for line in findings)
    assert any(line.startswith("    hint: ") for line in english)
    assert not any("подсказка" in line for line in english)
    _, payload = examples_json("examples/seeds", "--lang", "en")
    assert all(d["message"][0].isascii() for d in payload["diagnostics"])


# --- select, ignore, fail level ------------------------------------------------


def test_select_and_ignore_by_code_and_prefix() -> None:
    _, everything = examples_json("examples/seeds")
    all_codes = codes(everything)
    assert {"B004", "B005", "D002", "D004"} <= set(all_codes)

    _, d_only = examples_json("examples/seeds", "--select", "D")
    assert codes(d_only) == Counter({c: n for c, n in all_codes.items() if c.startswith("D")})

    _, one = examples_json("examples/seeds", "--select", "d004")
    assert codes(one) == Counter({"D004": all_codes["D004"]})

    _, two = examples_json("examples/seeds", "--select", "D004,B005")
    assert codes(two) == Counter({"D004": all_codes["D004"], "B005": all_codes["B005"]})

    _, no_b = examples_json("examples/seeds", "--ignore", "B")
    assert codes(no_b) == Counter({c: n for c, n in all_codes.items() if not c.startswith("B")})

    _, no_b004 = examples_json("examples/seeds", "--ignore", "B004,D")
    assert codes(no_b004) == Counter({c: n for c, n in all_codes.items() if c != "B004" and not c.startswith("D")})

    _, both = examples_json("examples/seeds", "--select", "B", "--ignore", "B004")
    assert codes(both) == Counter({c: n for c, n in all_codes.items() if c.startswith("B") and c != "B004"})


def test_select_changes_the_summary_and_exit_code() -> None:
    exit_code, payload = examples_json("examples/seeds", "--select", "B004")
    assert exit_code == 0  # warnings only
    assert payload["summary"] == {"files": 8, "errors": 0, "warnings": len(payload["diagnostics"]), "info": 0}


def test_fail_level_on_a_warnings_only_run(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(WARNINGS_ONLY, encoding="utf-8")
    default = check(plan)
    assert default.exit_code == 0
    assert f"{plan}:11:9: warning B004 " in default.stdout
    assert check(plan, "--fail-level", "error").exit_code == 0
    assert check(plan, "--fail-level", "warning").exit_code == 1
    assert check(plan, "--fail-level", "info").exit_code == 1


def test_fail_level_on_an_info_only_run() -> None:
    assert check("examples/seeds", "--select", "B006").exit_code == 0
    assert check("examples/seeds", "--select", "B006", "--fail-level", "warning").exit_code == 0
    assert check("examples/seeds", "--select", "B006", "--fail-level", "info").exit_code == 1


# --- paths ------------------------------------------------------------------------


def test_glob_and_directory_give_the_same_files() -> None:
    _, by_glob = examples_json("examples/**/*.yaml")
    _, by_dir = examples_json("examples")
    _, by_both = examples_json("examples", "examples/seeds", "examples/**/*.yaml")
    assert by_glob["summary"]["files"] == by_dir["summary"]["files"] == 16
    assert by_glob == by_dir == by_both


def test_the_same_files_by_relative_and_absolute_path_are_checked_once() -> None:
    _, once = examples_json("examples/demo-region")
    _, twice = check_json("examples/demo-region", ROOT / "examples" / "demo-region")
    assert twice["summary"] == once["summary"]
    assert twice["diagnostics"] == once["diagnostics"] == []


def test_missing_path_is_y009_not_a_traceback() -> None:
    result = check("no/such/plan.yaml", "--format", "json")
    no_traceback(result)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert [(d["code"], d["file"], d["line"]) for d in payload["diagnostics"]] == [("Y009", "no/such/plan.yaml", 1)]
    assert payload["summary"]["files"] == 0


def test_missing_path_next_to_real_ones() -> None:
    exit_code, payload = examples_json("examples/demo-region", "no/such/dir")
    assert exit_code == 1
    assert [d["code"] for d in payload["diagnostics"]] == ["Y009"]
    assert payload["summary"]["files"] == 8


def test_today_option_decides_whether_a_suppression_has_expired(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    line = '      - number: "1.1."  # roadmap-check: ignore[B004] форма согласована until 2025-01-14\n'
    plan.write_text(WARNINGS_ONLY.replace('      - number: "1.1."\n', line), encoding="utf-8")
    in_force = check(plan, "--today", "2025-01-14")
    assert (in_force.exit_code, in_force.stdout.splitlines()[:-1]) == (0, [])
    expired = check(plan, "--today", "2025-01-15", "--fail-level", "warning")
    assert expired.exit_code == 1
    assert f"{plan}:11:{line.index('#') + 1}: warning N003 " in expired.stdout
    assert f"{plan}:11:9: warning B004 " in expired.stdout


def test_missing_path_message_in_english_is_english() -> None:
    """Regression: with --lang en the Y009 message once kept Russian text ("файл не найден / no such file")."""
    _, payload = check_json("no/such/plan.yaml", "--lang", "en")
    (y009,) = payload["diagnostics"]
    assert not any("а" <= ch <= "я" for ch in y009["message"].lower())


# --- custom rule files ------------------------------------------------------------


def test_ruleset_option_takes_a_rule_file_and_reports_did_you_mean(tmp_path: Path) -> None:
    rules = tmp_path / "my-region.rules"
    rules.write_text(
        'ruleset my-region "Региональные правила" "Regional rules"\n'
        "\n"
        "rule C001 measure-title-long-enough {\n"
        '    title "Наименование не из одного слова" "A title is more than one word"\n'
        "    for m in measures\n"
        '    require m.titel matches " "\n'
        "    at m\n"
        '    message "Короткое наименование у {m.number}" "Short title for {m.number}"\n'
        "}\n",
        encoding="utf-8",
    )
    exit_code, payload = check_json("examples/demo-region", "--ruleset", rules, "--lang", "en")
    assert exit_code == 1
    (r002,) = payload["diagnostics"]
    assert (r002["code"], r002["file"], r002["line"], r002["column"]) == ("R002", str(rules), 6, 13)
    assert "titel" in r002["message"]
    assert r002["hint"] == "Did you mean: title?"


def test_unknown_extends_is_reported_where_it_is_written(tmp_path: Path) -> None:
    """Regression: R007 for `extends nosuch` was always reported at 1:1 of the rule file."""
    rules = tmp_path / "my-region.rules"
    header = 'ruleset my-region "Региональные правила" "Regional rules" extends base, nosuch\n'
    rules.write_text("# Правила региона\n# Regional rules\n" + header, encoding="utf-8")
    _, payload = check_json("examples/demo-region", "--ruleset", rules, "--select", "R")
    (r007,) = payload["diagnostics"]
    assert (r007["code"], r007["line"], r007["column"]) == ("R007", 3, header.index("nosuch") + 1)


def test_a_typo_in_a_school_roadmap_does_not_make_its_school_roadmapless(tmp_path: Path) -> None:
    """Regression: a roadmap with one unknown key was dropped from the workspace,
    and X005 then claimed that its school had no roadmap."""
    region = tmp_path / "demo-region"
    shutil.copytree(ROOT / "examples" / "demo-region", region)
    school = region / "schools" / "rechnoy-sosh-7.yaml"
    text = school.read_text(encoding="utf-8")
    assert "        participants: [Морозов П.И.]\n" in text
    school.write_text(text.replace("        participants: [", "        participantz: [", 1), encoding="utf-8")
    _, payload = check_json(region)
    assert [d["code"] for d in payload["diagnostics"]] == ["S003"]


# --- subcommands ------------------------------------------------------------------


def test_deadline_prints_the_interpretation_and_d004() -> None:
    result = cli("deadline", "ноябрь-октябрь 2024", "--period", "2024-09-01..2025-08-31")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Срок: «ноябрь-октябрь 2024»"
    assert "01.11.2024" in result.stdout
    assert "в обратном порядке" in result.stdout
    assert lines[-1].startswith("D004 Срок «ноябрь-октябрь 2024» идёт в обратном порядке")


def test_deadline_json_and_english() -> None:
    result = cli("deadline", "ноябрь-октябрь 2024", "--period", "2024-09-01..2025-08-31", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["phrase"] == "ноябрь-октябрь 2024"
    assert payload["start"] == "2024-11-01"
    assert [i["code"] for i in payload["issues"]] == ["D004"]
    english = cli("deadline", "ноябрь-октябрь 2024", "--lang", "en")
    assert "D004 Deadline" in english.stdout


def test_deadline_clean_phrase_has_no_issues() -> None:
    result = cli("deadline", "до 01.10.2024", "--period", "2024-09-01..2025-08-31", "--approved", "2024-09-05")
    assert result.exit_code == 0
    assert "01.10.2024" in result.stdout
    assert not any(line[:1] == "D" and line[1:4].isdigit() for line in result.stdout.splitlines())


def test_rules_lists_the_rules_in_force() -> None:
    result = cli("rules")
    assert result.exit_code == 0
    listed = {line.split()[0]: line.split() for line in result.stdout.splitlines()}
    for code, severity, ruleset in (
        ("B001", "error", "base"),
        ("P010", "error", "500plus"),
        ("X001", "error", "crosslevel"),
    ):
        assert listed[code][1:3] == [severity, ruleset]
    assert "D004" not in listed  # built-in checks only with --all
    assert "D004" in {line.split()[0] for line in cli("rules", "--all").stdout.splitlines()}


def test_rules_with_one_ruleset() -> None:
    listed = {line.split()[0] for line in cli("rules", "--ruleset", "base").stdout.splitlines()}
    assert "B001" in listed
    assert "P010" not in listed
    assert "X001" not in listed


def test_explain_shows_rationale_and_source() -> None:
    result = cli("explain", "P010")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "P010 school-has-mentor (error, 500plus)"
    assert "Зачем:" in lines
    assert lines[lines.index("Зачем:") + 1]
    assert "Источник:" in lines
    assert cli("explain", "p010").stdout == result.stdout
    assert "Why:" in cli("explain", "P010", "--lang", "en").stdout


def test_test_subcommand_runs_the_rules_language_fixtures() -> None:
    result = cli("test", "tests/fixtures/rules-language")
    assert result.exit_code == 0, result.output
    cases = sum(len(f.cases) for f in collect(["tests/fixtures/rules-language"]))
    assert cases >= 18
    assert result.stdout.splitlines()[-1] == f"{cases} passed, 0 failed"
    assert result.stdout.count("ok   tests/fixtures/rules-language/R00") == cases


def test_test_subcommand_fails_on_a_wrong_expectation(tmp_path: Path) -> None:
    fixture = tmp_path / "B003.yaml"
    fixture.write_text(
        "code: B003\nrulesets: [base]\ncases:\n  - name: wrong\n    files:\n      plan.yaml: |\n"
        + "".join(f"        {line}\n" for line in WARNINGS_ONLY.splitlines())
        + "    expect:\n      - {code: B003, file: plan.yaml, line: 11, column: 9}\n",
        encoding="utf-8",
    )
    result = cli("test", fixture)
    assert result.exit_code == 1
    assert "FAIL" in result.stdout
    assert "missing:" in result.stdout
    assert result.stdout.splitlines()[-1] == "0 passed, 1 failed"


def test_graph_json_has_mentor_of_edges() -> None:
    result = cli("graph", "examples/demo-region", "--format", "json")
    assert result.exit_code == 0, result.output
    graph = json.loads(result.stdout)
    nodes = {n["id"] for n in graph["nodes"]}
    mentor_of = sorted((e["source"], e["target"]) for e in graph["edges"] if e["kind"] == "mentor_of")
    assert mentor_of == [
        ("organisation:lesnoy-gimn-1", "organisation:lesnoy-sosh-3"),
        ("organisation:lesnoy-gimn-1", "organisation:lesnoy-ust-kema"),
        ("organisation:rechnoy-licey-1", "organisation:rechnoy-sosh-7"),
        ("organisation:rechnoy-sosh-5", "organisation:rechnoy-sosh-12"),
    ]
    assert all(e["source"] in nodes and e["target"] in nodes for e in graph["edges"])
    only = json.loads(cli("graph", "examples/demo-region", "--edges", "mentor_of").stdout)
    assert {e["kind"] for e in only["edges"]} == {"mentor_of"}


def test_graph_with_an_unknown_edge_kind_is_a_usage_error() -> None:
    result = cli("graph", "examples/demo-region", "--edges", "mentor")
    assert result.exit_code == 2
    assert "mentor_of" in result.stderr  # the allowed kinds are listed
    no_traceback(result)


def test_graph_of_a_missing_path_is_an_error() -> None:
    """Regression: `graph` silently dropped a missing path and printed an empty graph with exit 0."""
    result = cli("graph", "no/such/dir")
    assert result.exit_code != 0
    assert "no/such/dir" in result.output
    no_traceback(result)


def test_test_subcommand_on_a_missing_path_is_a_usage_error() -> None:
    """Regression: `test` on a missing path died with FileNotFoundError."""
    result = cli("test", "no/such/fixtures")
    assert result.exit_code == 2
    assert "no/such/fixtures" in result.stderr
    no_traceback(result)


def test_explain_a_builtin_code_shows_its_fixture_example() -> None:
    result = cli("explain", "R002")
    assert result.exit_code == 0
    assert result.stdout.startswith("R002 rule-unknown-name (error, builtin)")
    assert "m.titel" in result.stdout
    assert ">>> custom.rules:6:13 R002" in result.stdout


# --- the installed console script -------------------------------------------------


def test_installed_console_script() -> None:
    script = Path(sys.executable).with_name("roadmap-check")
    executable = str(script) if script.exists() else shutil.which("roadmap-check")
    assert executable, "the roadmap-check console script is not installed"
    clean = subprocess.run(
        [executable, "examples/demo-region", "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.startswith("Проверено файлов: 8;")
    # The script ends with os._exit: every byte must still be flushed, and every exit code kept.
    failing = subprocess.run(
        [executable, "examples/seeds", "--no-cache", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert failing.returncode == 1, failing.stderr
    assert (
        json.loads(failing.stdout)["diagnostics"]
        == json.loads(check("examples/seeds", "--format", "json").stdout)["diagnostics"]
    )
    usage = subprocess.run([executable, "check", "--bogus"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2
    assert "--bogus" in usage.stderr
