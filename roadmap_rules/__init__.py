"""roadmap-check: a rules engine and compliance checker for school-improvement roadmaps.

from roadmap_rules import check
report = check(["examples/demo-region"])
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadmap-check")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0"


def check(paths: list[str], config: object | None = None) -> object:
    """Check files and directories; returns a `roadmap_rules.engine.Report`."""
    from roadmap_rules.config import Config
    from roadmap_rules.engine import Engine

    engine = Engine(config if isinstance(config, Config) else Config())
    return engine.check_paths(paths)


__all__ = ["__version__", "check"]
