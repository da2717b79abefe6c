"""roadmap-check: a rules engine and compliance checker for school-improvement roadmaps.

from roadmap_rules import check
report = check(["examples/demo-region"])   # a Report; nothing is printed
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roadmap_rules.config import Config
    from roadmap_rules.engine import Report

__version__ = "0.1.0"
"""The package's version (pyproject.toml reads it from here): a literal, because asking
`importlib.metadata` costs 0.03 s at every start."""


def check(paths: list[str], config: Config | None = None) -> Report:
    """Check files and directories with the given (or default) configuration."""
    from roadmap_rules.config import Config
    from roadmap_rules.engine import Engine

    return Engine(config or Config()).check_paths(paths)


__all__ = ["__version__", "check"]
