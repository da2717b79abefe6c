"""Configuration: defaults < nearest `roadmap-check.toml` / `[tool.roadmap-check]` < `--config` < flags.

```toml
[tool.roadmap-check]
rulesets = ["base", "500plus", "crosslevel", "rules/my-region.rules"]
select = []                 # codes or prefixes; empty = all
ignore = ["B006"]
fail-level = "error"        # error | warning | info
max-file-size = 5242880
exclude = ["drafts/**"]
severity = { D002 = "info" }
params = { X006 = { max_schools = 3 } }

[[tool.roadmap-check.per-path]]
paths = ["examples/seeds/**"]
ignore = ["G004"]
```
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from roadmap_rules.diagnostics import Severity
from roadmap_rules.loading.source import DEFAULT_MAX_BYTES
from roadmap_rules.rules.ruleset import DEFAULT_RULESETS


class _PerPath(BaseModel):
    model_config = ConfigDict(extra="forbid")
    paths: list[str]
    ignore: list[str] = Field(default_factory=list)
    select: list[str] = Field(default_factory=list)


class _ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    rulesets: list[str] | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_level: Severity | None = Field(None, alias="fail-level")
    max_file_size: int | None = Field(None, alias="max-file-size")
    exclude: list[str] | None = None
    severity: dict[str, Severity] | None = None
    params: dict[str, dict[str, Any]] | None = None
    per_path: list[_PerPath] | None = Field(None, alias="per-path")
    lang: Literal["ru", "en"] | None = None


@dataclass(frozen=True)
class PerPath:
    paths: tuple[str, ...]
    ignore: tuple[str, ...] = ()
    select: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    rulesets: tuple[str, ...] = DEFAULT_RULESETS
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: Severity = Severity.ERROR
    max_file_size: int = DEFAULT_MAX_BYTES
    exclude: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_path: tuple[PerPath, ...] = ()
    base_dir: Path = field(default_factory=Path.cwd)
    source: str | None = None
    lang: str = "ru"

    def enabled(self, code: str, file: str) -> bool:
        select, ignore = self.select, self.ignore
        for rule in self.per_path:
            if any(fnmatch.fnmatch(file, p) or fnmatch.fnmatch(_relative(file, self.base_dir), p) for p in rule.paths):
                select = select + rule.select
                ignore = ignore + rule.ignore
        if select and not any(code.startswith(s) for s in select):
            return False
        return not any(code.startswith(i) for i in ignore)


def _relative(file: str, base: Path) -> str:
    try:
        return str(Path(file).resolve().relative_to(base.resolve()))
    except ValueError:
        return file


class ConfigError(Exception):
    """A configuration file that cannot be used; the CLI exits with 2."""


def discover(start: Path) -> Path | None:
    """The nearest roadmap-check.toml, or pyproject.toml with [tool.roadmap-check], above `start`."""
    directory = start if start.is_dir() else start.parent
    for folder in [directory.resolve(), *directory.resolve().parents]:
        own = folder / "roadmap-check.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "roadmap-check" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error


def load(path: Path, base: Config | None = None) -> Config:
    """Read one config file on top of `base`."""
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("roadmap-check", {})
    try:
        parsed = _ConfigFile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from error
    config = base or Config()
    changes: dict[str, Any] = {"base_dir": path.parent, "source": str(path)}
    for name in ("rulesets", "exclude"):
        value = getattr(parsed, name)
        if value is not None:
            changes[name] = tuple(value)
    for name in ("select", "ignore"):  # codes as on the command line: case does not matter
        value = getattr(parsed, name)
        if value is not None:
            changes[name] = tuple(code.strip().upper() for code in value)
    if parsed.fail_level is not None:
        changes["fail_level"] = parsed.fail_level
    if parsed.max_file_size is not None:
        changes["max_file_size"] = parsed.max_file_size
    if parsed.severity:
        changes["severity"] = {**config.severity, **{k.upper(): v for k, v in parsed.severity.items()}}
    if parsed.params:
        changes["params"] = {**config.params, **{k.upper(): v for k, v in parsed.params.items()}}
    if parsed.per_path:
        changes["per_path"] = config.per_path + tuple(
            PerPath(tuple(p.paths), tuple(c.upper() for c in p.ignore), tuple(c.upper() for c in p.select))
            for p in parsed.per_path
        )
    if parsed.lang is not None:
        changes["lang"] = parsed.lang
    return replace(config, **changes)


def resolve(paths: list[str], explicit: Path | None) -> Config:
    config = Config()
    found = discover(Path(paths[0]) if paths else Path.cwd())
    if found is not None:
        config = load(found, config)
    if explicit is not None:
        config = load(explicit, config)
    return config
