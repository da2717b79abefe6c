"""Which files a check covers: files, directories (recursively) and globs."""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".github",
        ".gitlab",
        ".roadmap-check-cache",
    }
)


def discover_files(paths: Iterable[str], exclude: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """YAML files under `paths`, sorted and without repeats; and the paths that match nothing."""
    found: list[str] = []
    missing: list[str] = []
    for raw in paths:
        candidates = sorted(glob.glob(raw, recursive=True)) if glob.has_magic(raw) else [raw]
        if not candidates:
            missing.append(raw)
        for candidate in candidates:
            if os.path.isdir(candidate):
                for root, dirs, names in os.walk(candidate):
                    dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
                    found.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(YAML_SUFFIXES))
            elif os.path.exists(candidate):
                found.append(candidate)
            else:
                missing.append(candidate)
    by_real: dict[str, str] = {}
    for p in found:  # one file named two ways (relative and absolute, via a link) is checked once
        by_real.setdefault(os.path.realpath(p), os.path.normpath(p))
    unique = list(by_real.values())
    patterns = tuple(exclude)
    if patterns:
        unique = [p for p in unique if not any(fnmatch.fnmatch(Path(p).as_posix(), pat) for pat in patterns)]
    return unique, missing
