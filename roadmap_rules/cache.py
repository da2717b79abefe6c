"""On-disk cache of per-file results and of whole reports, keyed by content.

A per-file entry is keyed by the file's content digest, its path, the tool
version and the configuration that shapes per-file work; a report entry by
every file's digest, the rule files' contents, the configuration and today's
date. Any change to any file therefore re-runs the cross-file stage, which is
what keeps dependants correct: a change to a referenced file re-checks the
files that reference it. The directory can be deleted at any time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from roadmap_rules import __version__

T = TypeVar("T")


@functools.cache
def code_fingerprint() -> str:
    """The installed code itself: a changed module must never be answered from an old cache."""
    package = Path(__file__).resolve().parent
    stats = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.*"))
    return hashlib.blake2b(repr(stats).encode(), digest_size=16).hexdigest()


def key(*parts: object) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(__version__.encode())
    digest.update(code_fingerprint().encode())
    for part in parts:
        digest.update(b"\0")
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get(self, kind: str, name: str) -> Any:
        path = self.directory / kind / name[:2] / name
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None

    def memo(self, kind: str, function: Callable[[str], T]) -> Callable[[str], T]:
        """`function` of a text, answered from the cache for a text seen before (e.g. a rule file's parse)."""

        def cached(text: str) -> T:
            name = key(kind, text)
            found = self.get(kind, name)
            if found is None:
                found = function(text)
                self.put(kind, name, found)
            return found  # type: ignore[no-any-return]

        return cached

    def put(self, kind: str, name: str, value: Any) -> None:
        folder = self.directory / kind / name[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (self.directory / ".gitignore").write_text("*\n", encoding="utf-8")
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(handle.name, folder / name)
        except OSError:
            pass  # a cache that cannot be written only costs time
