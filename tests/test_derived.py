"""The private directory of derived data (grammar tables, parsed rule files): used only when safe."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from roadmap_rules import derived
from roadmap_rules import engine as engine_module
from roadmap_rules.config import Config
from roadmap_rules.engine import Engine
from roadmap_rules.rules import parse as parse_module


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ROADMAP_CHECK_DERIVED", raising=False)
    derived.derived_dir.cache_clear()
    yield tmp_path / "roadmap-check"
    derived.derived_dir.cache_clear()


def test_the_directory_is_made_private_to_the_user(home: Path) -> None:
    assert derived.derived_dir() == home
    assert stat.S_IMODE(home.stat().st_mode) & 0o077 == 0
    assert str(derived.lark_cache("rules-grammar")).startswith(str(home))


def test_a_directory_others_can_write_to_is_not_used(home: Path) -> None:
    home.mkdir()
    os.chmod(home, 0o777)
    assert derived.derived_dir() is None
    assert derived.lark_cache("rules-grammar") is False


def test_it_can_be_turned_off(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_CHECK_DERIVED", "off")
    assert derived.derived_dir() is None
    assert not home.exists()


def test_rule_files_are_parsed_once_per_content(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = Engine(Config())
    assert any((home / "ruleset-parses").rglob("*"))

    def spy(text: str) -> Any:
        raise AssertionError("parsed again")

    monkeypatch.setattr(engine_module, "parse_text", spy)
    second = Engine(Config())
    assert first.rulebook is not None
    assert second.rulebook is not None
    assert [r.code for r in second.rulebook.rules] == [r.code for r in first.rulebook.rules]


def test_a_kept_parse_compiles_without_the_grammar(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Placeholders that are not field paths (`{share s in …}`) are parsed with the file and kept with it."""
    Engine(Config())

    def no_grammar() -> Any:
        raise AssertionError("the grammar was loaded")

    monkeypatch.setattr(parse_module, "parser", no_grammar)
    parse_module.parse_expression.cache_clear()
    second = Engine(Config())
    assert second.rulebook is not None
    assert not second.rulebook.problems
    holes = {
        r.code: [p for p in r.message[0].parts if not isinstance(p, str)] for r in second.rulebook.rules if r.message
    }
    assert len(holes["P012"]) == 2  # the share of schools, and min_share
