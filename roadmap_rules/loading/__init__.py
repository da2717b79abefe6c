"""Reading files: bytes to data with positions; no checks beyond what reading needs."""

from __future__ import annotations

from roadmap_rules.loading.source import C_LOADER_AVAILABLE, Positions, SourceDocument, SpanLookup, read_source

__all__ = ["C_LOADER_AVAILABLE", "Positions", "SourceDocument", "SpanLookup", "read_source"]
