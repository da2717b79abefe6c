"""roadmap-check: a rules engine and compliance checker for school-improvement roadmaps.

from roadmap_rules import check
report = check(["examples/demo-region"])   # a Report; nothing is printed
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from roadmap_rules.config import Config
    from roadmap_rules.engine import Report

try:
    __version__ = version("roadmap-check")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"


def check(paths: list[str], config: Config | None = None) -> Report:
    """Check files and directories with the given (or default) configuration."""
    from roadmap_rules.config import Config
    from roadmap_rules.engine import Engine

    return Engine(config or Config()).check_paths(paths)


__all__ = ["__version__", "check"]
