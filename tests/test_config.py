"""Configuration: discovery, precedence, per-path rules, severity and parameter overrides, errors.

Precedence: defaults < the nearest `roadmap-check.toml` / `[tool.roadmap-check]`
above the checked files < `--config FILE` < command-line flags.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from roadmap_rules.cli import main
from roadmap_rules.config import Config, ConfigError, discover, load, resolve
from roadmap_rules.diagnostics import Severity
from roadmap_rules.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-region"
CROSSLEVEL = ROOT / "rulesets" / "crosslevel.rules"

# A clean school roadmap but for a backwards deadline (D004, error, line 13)
# and a measure without a responsible party (B003, error, line 16).
PLAN = """\
kind: roadmap
id: {id}
level: school
title: План мероприятий
period: {{start: 2024-09-01, end: 2025-08-31}}
approval: {{number: "1", date: 2024-09-05}}
sections:
  - number: "1."
    title: Организационно-управленческое направление
    measures:
      - number: "1.1."
        title: Семинар
        deadline: ноябрь-октябрь 2024
        responsible: [Директор]
        result: Протокол
      - number: "1.2."
        title: Совещание
        deadline: октябрь 2024
        result: Протокол
"""


def _plan(path: Path, plan_id: str = "plan-2024") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PLAN.format(id=plan_id), encoding="utf-8")
    return path


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _check_json(*args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    result = _cli(*args, "--format", "json", "--no-cache")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def _codes(diagnostics: list[dict[str, Any]]) -> list[str]:
    return [d["code"] for d in diagnostics]


# --- discovery ---------------------------------------------------------------


def test_defaults_without_any_config_file(tmp_path: Path) -> None:
    plan = _plan(tmp_path / "plans" / "plan.yaml")
    assert discover(plan) is None
    config = resolve([str(plan)], None)
    assert config == Config(base_dir=config.base_dir)
    assert config.fail_level == Severity.ERROR
    assert config.rulesets == ("base", "500plus", "crosslevel")
    assert config.source is None


def test_roadmap_check_toml_above_the_files_is_discovered(tmp_path: Path) -> None:
    own = _write(tmp_path / "roadmap-check.toml", 'ignore = ["D004"]\n')
    plan = _plan(tmp_path / "plans" / "region" / "plan.yaml")
    assert discover(plan) == own
    assert discover(plan.parent) == own
    config = resolve([str(plan)], None)
    assert config.ignore == ("D004",)
    assert config.source == str(own)
    assert config.base_dir == tmp_path
    _, diagnostics = _check_json(plan)
    assert _codes(diagnostics) == ["B003"]


def test_tool_section_of_pyproject_is_discovered(tmp_path: Path) -> None:
    pyproject = _write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "plans"\n\n[tool.roadmap-check]\nignore = ["B003"]\n',
    )
    plan = _plan(tmp_path / "plans" / "plan.yaml")
    assert discover(plan) == pyproject
    _, diagnostics = _check_json(plan)
    assert _codes(diagnostics) == ["D004"]


def test_pyproject_without_the_tool_section_is_passed_over(tmp_path: Path) -> None:
    own = _write(tmp_path / "roadmap-check.toml", 'ignore = ["D004"]\n')
    _write(tmp_path / "plans" / "pyproject.toml", '[project]\nname = "plans"\n\n[tool.ruff]\nline-length = 100\n')
    plan = _plan(tmp_path / "plans" / "plan.yaml")
    assert discover(plan) == own


def test_nearest_file_wins_and_roadmap_check_toml_before_pyproject(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'ignore = ["D004"]\n')
    _write(tmp_path / "plans" / "pyproject.toml", '[tool.roadmap-check]\nignore = ["B"]\n')
    nearest = _write(tmp_path / "plans" / "roadmap-check.toml", 'ignore = ["B003"]\n')
    plan = _plan(tmp_path / "plans" / "plan.yaml")
    assert discover(plan) == nearest
    _, diagnostics = _check_json(plan)
    assert _codes(diagnostics) == ["D004"]


# --- precedence ---------------------------------------------------------------


def test_precedence_defaults_discovered_explicit_flags(tmp_path: Path) -> None:
    _write(
        tmp_path / "roadmap-check.toml",
        'fail-level = "warning"\nlang = "en"\nseverity = { D004 = "warning", B003 = "warning" }\n',
    )
    explicit = _write(tmp_path / "elsewhere" / "ci.toml", 'fail-level = "info"\nseverity = { B003 = "info" }\n')
    plan = _plan(tmp_path / "plans" / "plan.yaml")

    discovered = resolve([str(plan)], None)
    assert discovered.fail_level == Severity.WARNING
    assert discovered.lang == "en"

    both = resolve([str(plan)], explicit)
    assert both.fail_level == Severity.INFO  # --config over the discovered file
    assert both.lang == "en"  # kept from the discovered file
    assert both.severity == {"D004": Severity.WARNING, "B003": Severity.INFO}  # merged, --config wins
    assert both.source == str(explicit)

    # Discovered file only: two warnings fail at fail-level warning.
    code, diagnostics = _check_json(plan)
    assert code == 1
    assert {(d["code"], d["severity"]) for d in diagnostics} == {("D004", "warning"), ("B003", "warning")}
    assert all(d["message"][0].isascii() for d in diagnostics)  # lang = "en" from the file

    # --config: B003 drops to info; fail-level info still fails.
    code, diagnostics = _check_json(plan, "--config", explicit)
    assert code == 1
    assert {(d["code"], d["severity"]) for d in diagnostics} == {("D004", "warning"), ("B003", "info")}

    # Flags over both files.
    code, diagnostics = _check_json(plan, "--config", explicit, "--fail-level", "error", "--lang", "ru")
    assert code == 0
    assert not any(d["message"][0].isascii() for d in diagnostics)


def test_ignore_flag_adds_to_the_configured_ignore_list(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'ignore = ["D004"]\n')
    plan = _plan(tmp_path / "plan.yaml")
    code, diagnostics = _check_json(plan, "--ignore", "B003")
    assert (code, diagnostics) == (0, [])


def test_select_flag_replaces_the_configured_select_list(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'select = ["D"]\n')
    plan = _plan(tmp_path / "plan.yaml")
    assert _codes(_check_json(plan)[1]) == ["D004"]
    assert _codes(_check_json(plan, "--select", "B")[1]) == ["B003"]


# --- per-path -----------------------------------------------------------------


@pytest.mark.parametrize("where", ["roadmap-check.toml", "pyproject.toml"])
def test_per_path_ignore_applies_only_under_its_paths(tmp_path: Path, where: str) -> None:
    section = (
        "[[per-path]]" if where == "roadmap-check.toml" else "[tool.roadmap-check]\n\n[[tool.roadmap-check.per-path]]"
    )
    _write(tmp_path / where, f'{section}\npaths = ["drafts/**"]\nignore = ["B"]\n')
    _plan(tmp_path / "drafts" / "plan.yaml", "draft-2024")
    _plan(tmp_path / "final" / "plan.yaml", "final-2024")
    _, diagnostics = _check_json(tmp_path)
    found = [(Path(d["file"]).parent.name, d["code"]) for d in diagnostics]
    assert found == [("drafts", "D004"), ("final", "D004"), ("final", "B003")]


def test_exclude_skips_files(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'exclude = ["*/drafts/*"]\n')
    _plan(tmp_path / "drafts" / "plan.yaml", "draft-2024")
    _plan(tmp_path / "final" / "plan.yaml", "final-2024")
    result = _cli(tmp_path, "--format", "json", "--no-cache")
    payload = json.loads(result.stdout)
    assert payload["summary"]["files"] == 1
    assert {Path(d["file"]).parent.name for d in payload["diagnostics"]} == {"final"}


# --- severity and params reach the rules --------------------------------------


def test_x006_rule_text_is_what_these_tests_assume() -> None:
    text = CROSSLEVEL.read_text(encoding="utf-8")
    rule = text[text.index("rule X006") :]
    rule = rule[: rule.index("}")]
    assert "param max_schools = 3" in rule
    assert "count(s.mentees) <= max_schools" in rule
    assert "severity warning" in rule


@pytest.mark.parametrize(("max_schools", "fires"), [(1, True), (2, False)])
def test_params_override_reaches_the_mentor_load_rule(tmp_path: Path, max_schools: int, fires: bool) -> None:
    """In the demo region lesnoy-gimn-1 mentors two schools and every other mentor one."""
    config = _write(tmp_path / "params.toml", f"params = {{ X006 = {{ max_schools = {max_schools} }} }}\n")
    code, diagnostics = _check_json(DEMO, "--config", config)
    x006 = [d for d in diagnostics if d["code"] == "X006"]
    assert code == 0  # X006 is a warning
    if fires:
        assert len(x006) == 1
        assert x006[0]["entity"] == "organisation:lesnoy-gimn-1"
        assert x006[0]["severity"] == "warning"
        assert "(не более 1)" in x006[0]["message"]
        assert Path(x006[0]["file"]).name == "registry.yaml"
    else:
        assert x006 == []
    assert [d for d in diagnostics if d["code"] != "X006"] == []


def test_params_and_severity_reach_the_engine() -> None:
    config = Config(params={"X006": {"max_schools": 1}}, severity={"X006": Severity.ERROR})
    report = Engine(config).check_paths([str(DEMO)])
    assert [(d.code, d.severity) for d in report.diagnostics] == [("X006", Severity.ERROR)]
    assert report.catalog["X006"].severity == Severity.ERROR
    assert report.fails(Severity.ERROR)


def test_severity_override_in_config_file_changes_exit_code(tmp_path: Path) -> None:
    config = _write(
        tmp_path / "strict.toml",
        'severity = { X006 = "error" }\nparams = { X006 = { max_schools = 1 } }\n',
    )
    code, diagnostics = _check_json(DEMO, "--config", config)
    assert code == 1
    assert [(d["code"], d["severity"]) for d in diagnostics] == [("X006", "error")]


def test_severity_override_of_a_builtin_check(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'severity = { D004 = "info", B003 = "warning" }\n')
    plan = _plan(tmp_path / "plan.yaml")
    code, diagnostics = _check_json(plan)
    assert code == 0
    assert {(d["code"], d["severity"]) for d in diagnostics} == {("D004", "info"), ("B003", "warning")}


def test_config_rulesets_are_resolved_next_to_the_config_file(tmp_path: Path) -> None:
    _write(
        tmp_path / "rules" / "region.rules",
        'ruleset region "Региональные правила" "Regional rules"\n\n'
        "rule C001 measure-has-evidence {\n"
        '    title "Указана форма предъявления" "Evidence is given"\n'
        "    severity warning\n"
        "    for m in measures\n"
        "    require m.evidence is present\n"
        "    at m\n"
        '    message "Нет формы предъявления у {m.number}" "No evidence for {m.number}"\n'
        "}\n",
    )
    _write(tmp_path / "roadmap-check.toml", 'rulesets = ["base", "rules/region.rules"]\n')
    plan = _plan(tmp_path / "plans" / "plan.yaml")
    _, diagnostics = _check_json(plan)
    assert [(d["code"], d["line"]) for d in diagnostics] == [("C001", 11), ("D004", 13), ("B003", 16), ("C001", 16)]


# --- errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("roadmap-check.toml", 'ignore = ["D004"]\nfail_levels = "warning"\n'),
        ("pyproject.toml", '[tool.roadmap-check]\nignore = ["D004"]\ncolour = "red"\n'),
        ("roadmap-check.toml", 'fail-level = "fatal"\n'),
        ("roadmap-check.toml", "ignore = [\n"),
    ],
    ids=["unknown key", "unknown key in pyproject", "bad value", "bad toml"],
)
def test_bad_discovered_config_file_is_a_usage_error(tmp_path: Path, where: str, text: str) -> None:
    config = _write(tmp_path / where, text)
    plan = _plan(tmp_path / "plan.yaml")
    with pytest.raises(ConfigError, match=str(config)):
        load(config)
    result = _cli(plan, "--no-cache")
    assert result.exit_code == 2
    assert str(config) in result.stderr
    assert "Traceback" not in result.output


def test_unknown_key_in_explicit_config_names_file_and_key(tmp_path: Path) -> None:
    config = _write(tmp_path / "ci.toml", 'ignore = ["D004"]\nfail_levels = "warning"\n')
    result = _cli(DEMO, "--config", config, "--no-cache")
    assert result.exit_code == 2
    assert str(config) in result.stderr
    assert "fail_levels" in result.stderr


def test_unknown_rule_parameter_is_r004(tmp_path: Path) -> None:
    config = _write(tmp_path / "params.toml", "params = { X006 = { max_school = 1 } }\n")
    code, diagnostics = _check_json(DEMO, "--config", config)
    assert code == 1
    assert _codes(diagnostics) == ["R004"]
    assert "X006" in diagnostics[0]["message"]
    assert "max_school" in diagnostics[0]["message"]
    assert diagnostics[0]["severity"] == "error"


def test_unknown_ruleset_in_config_is_r007(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'rulesets = ["base", "my-region"]\n')
    plan = _plan(tmp_path / "plan.yaml")
    _, diagnostics = _check_json(plan)
    r007 = [d for d in diagnostics if d["code"] == "R007"]
    assert len(r007) == 1
    assert "my-region" in r007[0]["message"]
    assert "B003" in _codes(diagnostics)  # the rulesets that exist still run


def test_unknown_rule_parameter_names_the_config_file(tmp_path: Path) -> None:
    """Regression: R004 from a config file was reported in a file called 'config' (`config:1:1`)."""
    config = _write(tmp_path / "params.toml", "params = { X006 = { max_school = 1 } }\n")
    _, diagnostics = _check_json(DEMO, "--config", config)
    assert [d["file"] for d in diagnostics] == [str(config)]


def test_params_for_an_unknown_rule_code_are_reported(tmp_path: Path) -> None:
    """Regression: params for a code that is no rule (a typo such as X06) were silently ignored."""
    config = _write(tmp_path / "params.toml", "params = { X06 = { max_schools = 1 } }\n")
    _, diagnostics = _check_json(DEMO, "--config", config)
    assert any(d["code"].startswith("R") and "X06" in d["message"] for d in diagnostics)


def test_codes_in_the_config_file_are_case_insensitive_like_the_flags(tmp_path: Path) -> None:
    _write(tmp_path / "roadmap-check.toml", 'ignore = ["d004"]\n')
    plan = _plan(tmp_path / "plan.yaml")
    assert _codes(_check_json(plan)[1]) == _codes(_check_json(plan, "--ignore", "d004")[1]) == ["B003"]


def test_unknown_lang_in_the_config_file_is_a_usage_error(tmp_path: Path) -> None:
    config = _write(tmp_path / "roadmap-check.toml", 'lang = "de"\n')
    result = _cli(_plan(tmp_path / "plan.yaml"), "--no-cache")
    assert result.exit_code == 2
    assert str(config) in result.stderr
