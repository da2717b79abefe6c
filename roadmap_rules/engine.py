"""The pipeline: load → validate → per-file checks → link → graph checks → rules → suppress → sort.

The engine returns a Report and prints nothing. Per-file work (reading,
validation, deadline checks) is kept per file in `FileResult`, so that one
document can be re-checked against the rest without reloading it.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from roadmap_rules import catalog as builtin
from roadmap_rules.config import Config
from roadmap_rules.deadlines import DEADLINE_CHECKS, deadline_issues, parse_deadline
from roadmap_rules.diagnostics import CheckInfo, Diagnostic, Finding, Location, Message, Related, Severity, Span
from roadmap_rules.graph.checks import GRAPH_CHECKS, graph_findings
from roadmap_rules.loading.messages import UNREADABLE
from roadmap_rules.loading.source import SourceDocument, read_source
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.rules.ruleset import RuleBook, load_rulebook
from roadmap_rules.rules.runtime import run_rules
from roadmap_rules.suppressions import Suppression, apply, find_suppressions
from roadmap_rules.validation import Model, validate
from roadmap_rules.workspace import Workspace, build_workspace

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".github", ".gitlab", ".roadmap-check-cache"})


@dataclass
class FileResult:
    """What one file contributes, independent of every other file."""

    doc: SourceDocument
    model: Model | None
    findings: list[Finding]
    suppressions: list[Suppression]


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    catalog: dict[str, CheckInfo]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def fails(self, level: Severity) -> bool:
        return any(d.severity.rank >= level.rank for d in self.diagnostics)


@dataclass
class Engine:
    config: Config = field(default_factory=Config)
    rulebook: RuleBook | None = None
    today: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        if self.rulebook is None:
            self.rulebook = load_rulebook(
                self.config.rulesets, base_dir=self.config.base_dir, severities=self.config.severity, params=self.config.params
            )

    @property
    def catalog(self) -> dict[str, CheckInfo]:
        assert self.rulebook is not None
        infos = [*builtin.LOADING_CHECKS, *builtin.SUPPRESSION_CHECKS, *builtin.RULE_FILE_CHECKS, *DEADLINE_CHECKS, *GRAPH_CHECKS, *self.rulebook.catalog()]
        table = {info.code: info for info in infos}
        for code, severity in self.config.severity.items():
            if code in table:
                info = table[code]
                table[code] = CheckInfo(info.code, info.name, severity, info.title, info.rationale, info.source, info.origin)
        return table

    # --- per file -------------------------------------------------------------

    def check_file(self, path: str, raw: bytes | None) -> FileResult:
        if raw is None:
            doc = SourceDocument(path=path, text="", digest="")
            return FileResult(doc, None, [Finding("Y009", UNREADABLE.format(error="нет доступа / no access"), path)], [])
        doc = read_source(path, raw, max_bytes=self.config.max_file_size)
        model, problems = validate(doc)
        findings = [*doc.problems, *problems]
        if isinstance(model, Roadmap):
            findings.extend(_deadline_findings(path, model))
        suppressions, bad = find_suppressions(doc)
        findings.extend(bad)
        return FileResult(doc, model, findings, suppressions)

    # --- whole corpus ---------------------------------------------------------

    def check_paths(self, paths: Iterable[str]) -> Report:
        files, missing = discover_files(paths, self.config.exclude)
        results = [self.check_file(path, _read(path)) for path in files]
        extra = [Finding("Y009", UNREADABLE.format(error="файл не найден / no such file"), p) for p in missing]
        return self.report(results, extra)

    def report(self, results: list[FileResult], extra: list[Finding] | None = None) -> Report:
        ws = build_workspace((r.doc.path, r.model) for r in results if isinstance(r.model, Roadmap | Registry))
        findings: list[Finding] = [*(extra or []), *(f for r in results for f in r.findings)]
        findings.extend(self._corpus_findings(ws))
        docs = {r.doc.path: r.doc for r in results}
        diagnostics = [d for d in (self._diagnostic(f, docs) for f in findings) if d is not None]
        suppressions = [s for r in results for s in r.suppressions]
        kept, problems = apply(diagnostics, suppressions, self.today)
        kept.extend(d for d in (self._diagnostic(f, docs) for f in problems) if d is not None)
        kept.sort(key=Diagnostic.sort_key)
        return Report(tuple(kept), tuple(r.doc.path for r in results), self.catalog)

    def _corpus_findings(self, ws: Workspace) -> Iterator[Finding]:
        assert self.rulebook is not None
        for file, problem in self.rulebook.problems:
            yield Finding(problem.code, problem.message, file, span=problem.span, hint=problem.hint)
        yield from graph_findings(ws)
        yield from run_rules(self.rulebook.rules, ws, self.rulebook.params, self.today)

    def _diagnostic(self, finding: Finding, docs: dict[str, SourceDocument]) -> Diagnostic | None:
        if not self.config.enabled(finding.code, finding.file):
            return None
        info = self.catalog_cache.get(finding.code)
        severity = info.severity if info else Severity.ERROR
        name = info.name if info else finding.code.lower()
        location = _locate(finding.file, finding.pointer, finding.span, docs, finding.on_key)
        related = tuple(Related(_locate(r.file, r.pointer, None, docs, r.on_key), r.message) for r in finding.related)
        return Diagnostic(finding.code, name, severity, finding.message, location, finding.entity, related, finding.hint)

    @property
    def catalog_cache(self) -> dict[str, CheckInfo]:
        cached: dict[str, CheckInfo] | None = self.__dict__.get("_catalog")
        if cached is None:
            cached = self.__dict__["_catalog"] = self.catalog
        return cached


def _deadline_findings(path: str, roadmap: Roadmap) -> Iterator[Finding]:
    approval = roadmap.approval.date if roadmap.approval else None
    period = roadmap.period
    from roadmap_rules.deadlines import DeadlineContext

    context = DeadlineContext(period.start if period else None, period.end if period else None, approval)
    for s, section in enumerate(roadmap.sections):
        for i, measure in enumerate(section.measures):
            if measure.deadline is None:
                continue
            deadline = parse_deadline(measure.deadline, context)
            pointer = f"/sections/{s}/measures/{i}/deadline"
            entity = f"measure:{roadmap.id}/{measure.id or measure.number or f'/sections/{s}/measures/{i}'}"
            for issue in deadline_issues(deadline, context):
                yield Finding(issue.code, issue.message, path, pointer, entity=entity, hint=issue.hint)


def _locate(file: str, pointer: str, span: Span | None, docs: dict[str, SourceDocument], on_key: bool = False) -> Location:
    if span is None:
        doc = docs.get(file)
        span = doc.positions.span(pointer, key=on_key) if doc else Span(1, 1, 1, 1)
    return Location(file, pointer, span)


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def discover_files(paths: Iterable[str], exclude: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Files, directories (recursively, *.yaml / *.yml) and globs; sorted, without repeats."""
    found: list[str] = []
    missing: list[str] = []
    patterns = tuple(exclude)
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
    unique = list(dict.fromkeys(os.path.normpath(p) for p in found))
    if patterns:
        import fnmatch

        unique = [p for p in unique if not any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(Path(p).as_posix(), pat) for pat in patterns)]
    return unique, missing


__all__ = ["Engine", "FileResult", "Message", "Report", "discover_files"]
