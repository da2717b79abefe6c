"""Where roadmap-check keeps what it derives from its own files: grammar tables, parsed rule files.

These are not results (the per-project cache of `cache.Cache` holds those, and
`--no-cache` bypasses it); they are what every process would otherwise compute
again at start-up, like Python's own .pyc files. Each entry is keyed by the
content it was derived from and the tool's version, and is only ever a saving.

The directory is private to the user (`$XDG_CACHE_HOME/roadmap-check`, else
`~/.cache/roadmap-check`, created with mode 0700), because what is read back
from it is unpickled: a directory that others can write to is not used at all.
`ROADMAP_CHECK_DERIVED=off` turns it off.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from roadmap_rules import __version__


@functools.cache
def derived_dir() -> Path | None:
    """The private directory, or None where there is none that is safe to use."""
    if os.environ.get("ROADMAP_CHECK_DERIVED", "").lower() in ("off", "0", "no"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = Path(base) / "roadmap-check"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
    except (OSError, RuntimeError):
        return None
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return directory


def lark_cache(name: str) -> str | bool:
    """The `cache` argument for a Lark grammar: a file in the private directory (lark checks that it
    was made from the same grammar, options and lark version), or False to build the tables anew."""
    directory = derived_dir()
    return str(directory / f"{name}-{__version__}.lark") if directory is not None else False
