"""The pipeline: load → validate → per-file checks → link → graph checks → rules → suppress → sort.

The engine returns a Report and prints nothing. Per-file work (reading,
validation, deadline checks, suppression comments) produces a `FileResult`
that depends on that file alone, so it can run in worker processes, be cached
by content, and be redone for one edited document while the rest stay as they
are (`Engine.recheck`). Cross-file work (linking, graph checks, rules) runs over
every current FileResult; only a recheck keeps the findings of the rules that
read one roadmap (`rules/locality.py`) for the files that did not change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from roadmap_rules import catalog as builtin
from roadmap_rules.cache import Cache, key
from roadmap_rules.config import Config
from roadmap_rules.deadlines import (
    DEADLINE_CHECKS,
    Deadline,
    DeadlineContext,
    deadline_issues,
    learnt,
    parse_deadline,
    prepare,
    remember,
)
from roadmap_rules.derived import derived_dir
from roadmap_rules.diagnostics import CheckInfo, Diagnostic, Finding, Location, Related, Severity, Span
from roadmap_rules.discovery import discover_files
from roadmap_rules.graph.checks import GRAPH_CHECKS, graph_findings
from roadmap_rules.loading.messages import NOT_FOUND, UNREADABLE
from roadmap_rules.loading.source import SpanLookup, content_digest, read_source
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.parallel import share
from roadmap_rules.rules.ast import RulesetNode
from roadmap_rules.rules.compiler import CompiledRule
from roadmap_rules.rules.parse import parse_text
from roadmap_rules.rules.problems import Problem
from roadmap_rules.rules.ruleset import Extends, RuleBook, extends_from, load_rulebook
from roadmap_rules.rules.runtime import Indexes, run_rules
from roadmap_rules.suppressions import Suppression, apply, find_suppressions
from roadmap_rules.validation import Model, revalidate, validate
from roadmap_rules.workspace import Workspace, build_workspace, entity_at, measure_keys

_BUILTINS: list[CheckInfo] = [
    *builtin.LOADING_CHECKS,
    *builtin.SUPPRESSION_CHECKS,
    *builtin.RULE_FILE_CHECKS,
    *DEADLINE_CHECKS,
    *GRAPH_CHECKS,
]
PARALLEL_MIN_BYTES = 1_000_000
"""Below this much YAML, forking a worker costs about what it saves (measured: at 1.7 MB two cores
already win, median 2.16 against 2.73 of the floor; one region, 2.9 MB: 1.19 against 1.46)."""
PARALLEL_MIN_MEASURES = 1000
"""The same bound for the cross-file stage, in measures (a megabyte holds about 2,500)."""


@dataclass
class FileResult:
    """What one file contributes, independent of every other file."""

    path: str
    digest: str
    model: Model | None
    diagnostics: list[Diagnostic]
    suppressions: list[Suppression]
    positions: SpanLookup | None = None
    """None only when the file could not be read; `_LazyPositions` then re-reads on demand."""
    source: dict[str, Any] | None = None
    """The data a clean model was validated from, kept only to cross from a worker process:
    pickled, it travels instead of the model, which is validated again on arrival (measured:
    half the cost of pickling and unpickling the pydantic model)."""

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.source is not None:
            state["model"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.source is not None:
            self.model, self.source = revalidate(self.source), None


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]
    files: tuple[str, ...]
    catalog: dict[str, CheckInfo]

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity == severity)

    def fails(self, level: Severity) -> bool:
        return any(d.severity.rank >= level.rank for d in self.diagnostics)


@dataclass(frozen=True, slots=True)
class _LocalFindings:
    """The one-roadmap rules' findings in one file, and what they were found from."""

    result: FileResult
    defined: bool
    """Its roadmap was linked (the first file with its id)."""
    findings: list[Diagnostic]


@dataclass
class Engine:
    config: Config = field(default_factory=Config)
    rulebook: RuleBook | None = None
    today: dt.date = field(default_factory=dt.date.today)
    jobs: int = 1
    cache: Cache | None = None
    results: dict[str, FileResult] = field(init=False, default_factory=dict)
    """The per-file results of the last `check_paths`, kept for `recheck` (an editor re-checks one of them);
    empty when the whole report came from the cache."""
    workspace: Workspace | None = field(init=False, default=None)
    """The workspace of the last report: the linked corpus, for reports that draw it (graph, timeline)."""
    _frozen: bool = field(init=False, default=False)
    _local: dict[str, _LocalFindings] = field(init=False, default_factory=dict, repr=False)
    """For each file of the last report: the findings of the one-roadmap rules (`CompiledRule.local`), kept
    so that `recheck` runs those rules again only on what changed."""

    def __post_init__(self) -> None:
        if self.rulebook is None:
            parse, extends = _rule_parser(self.cache)
            self.rulebook = load_rulebook(  # reads the rule files; composing them waits for `catalog`
                self.config.rulesets,
                base_dir=self.config.base_dir,
                severities=self.config.severity,
                params=self.config.params,
                config_source=self.config.source or "roadmap-check.toml",
                builtin_codes=frozenset(info.code for info in _BUILTINS),
                parse=parse,
                extends=extends,
            )

    @functools.cached_property
    def catalog(self) -> dict[str, CheckInfo]:
        """Every check by code, with the configuration's severities; the first use composes the rules."""
        assert self.rulebook is not None
        return self._configured([*_BUILTINS, *self.rulebook.catalog()])

    @functools.cached_property
    def _builtin_catalog(self) -> dict[str, CheckInfo]:
        """The checks of one file, which are all built in: resolving their findings needs no rules."""
        return self._configured(_BUILTINS)

    def _configured(self, infos: list[CheckInfo]) -> dict[str, CheckInfo]:
        table = {info.code: info for info in infos}
        for code, severity in self.config.severity.items():
            if code in table:
                info = table[code]
                table[code] = CheckInfo(
                    info.code, info.name, severity, info.title, info.rationale, info.source, info.origin
                )
        return table

    # --- one file -------------------------------------------------------------

    def check_file(self, path: str, raw: bytes | None, *, keep_source: bool = False) -> FileResult:
        """Everything that can be known about one file without the others (`keep_source`: see FileResult)."""
        if raw is None:
            finding = Finding("Y009", UNREADABLE, path)
            return FileResult(path, "", None, self._resolve([finding], {}, catalog=self._builtin_catalog), [])
        doc = read_source(path, raw, max_bytes=self.config.max_file_size)
        model, problems = validate(doc)
        findings = [*doc.problems, *problems]
        if isinstance(model, Roadmap):
            findings.extend(deadline_findings(path, model))
        suppressions, bad = find_suppressions(doc)
        findings.extend(bad)
        diagnostics = self._resolve(findings, {path: doc.positions}, {path: model}, self._builtin_catalog)
        source = doc.data if keep_source and model is not None and not problems else None
        return FileResult(path, doc.digest, model, diagnostics, suppressions, doc.positions, source)

    # --- a corpus -------------------------------------------------------------

    def load_paths(self, paths: Iterable[str]) -> tuple[list[FileResult], list[str]]:
        """Per-file results of every file under `paths`, and the paths that match nothing."""
        raws, missing = self._gather(paths)
        return self._check_files(raws), missing

    def check_paths(self, paths: Iterable[str]) -> Report:
        self._thaw()
        self.results, self.workspace = {}, None
        raws, missing = self._gather(paths)
        report_key = None
        digests: dict[str, str] = {}
        if self.cache is not None:
            digests = {path: content_digest(raw) for path, raw in raws.items() if raw is not None}
            report_key = key("report", sorted(raws), sorted(digests.items()), missing, self._fingerprint(), self.today)
            cached = self.cache.get("reports", report_key)
            if isinstance(cached, Report):
                return cached
        self._frozen = True  # what survives the block is frozen, however it ends
        with _collector_paused(keep=True):
            results = self._check_files(raws, digests)
            extra = [Finding("Y009", NOT_FOUND, p) for p in missing]
            report = self.report(results, extra)
            self.results = {r.path: r for r in results}
        if self.cache is not None and report_key is not None:
            self.cache.put("reports", report_key, report)
        return report

    def recheck(self, results: dict[str, FileResult], path: str, raw: bytes) -> Report:
        """Re-check one edited document against the other files' kept results (e.g. `self.results`)."""
        self._thaw()
        with _collector_paused():
            results[path] = self.check_file(path, raw)
            return self.report(list(results.values()), reuse=True)

    def _gather(self, paths: Iterable[str]) -> tuple[dict[str, bytes | None], list[str]]:
        files, missing = discover_files(paths, self.config.exclude)
        return {path: _read(path) for path in files}, missing

    def _check_files(self, raws: dict[str, bytes | None], digests: dict[str, str] | None = None) -> list[FileResult]:
        """Per-file results, from the cache where the content is known; `digests` saves hashing twice."""
        results: dict[str, FileResult] = {}
        todo: list[tuple[str, bytes | None]] = []
        fingerprint = self._fingerprint(per_file=True)
        for path, raw in raws.items():
            cached = None
            if self.cache is not None and raw is not None:
                digest = (digests or {}).get(path) or content_digest(raw)
                cached = self.cache.get("files", key("file", path, digest, fingerprint))
            if isinstance(cached, FileResult):
                results[path] = cached
            else:
                todo.append((path, raw))
        for result in self._run(todo):
            results[result.path] = result
            if self.cache is not None and result.digest:
                self.cache.put("files", key("file", result.path, result.digest, fingerprint), result)
        return [results[path] for path in raws]

    def _run(self, todo: list[tuple[str, bytes | None]]) -> list[FileResult]:
        """Per-file work, on every core when there is enough of it (see `parallel.share`)."""
        jobs = self._cores()
        if jobs <= 1 or sum(len(raw or b"") for _, raw in todo) < PARALLEL_MIN_BYTES:
            return [self.check_file(path, raw) for path, raw in todo]
        prepare()  # the deadline grammar, built once here rather than in every worker
        by_size = sorted(range(len(todo)), key=lambda i: -len(todo[i][1] or b""))
        chunks = _guided(by_size, jobs)
        results: list[FileResult | None] = [None] * len(todo)
        shared = share(_check_chunk, (self, todo), chunks, jobs, meanwhile=lambda: self.catalog)  # rules composed
        for chunk, (checked, parses) in zip(chunks, shared, strict=True):
            for i, result in zip(chunk, checked, strict=True):
                result.source = None  # this process's own results did not travel
                results[i] = result
            for reading, table in parses:
                remember(reading, table)
        return [result for result in results if result is not None]

    def _thaw(self, unfreeze: Callable[[], None] = gc.unfreeze) -> None:
        """Hand the kept corpus back to the collector, which frees what is let go as any garbage.

        Also what a dropped engine does (`__del__`): a frozen corpus's cycles would never be collected.
        `gc.unfreeze` is process-wide: it also thaws what the host froze (it only costs rescans). It is
        bound as a default: at interpreter exit this module's globals may already be gone."""
        if getattr(self, "_frozen", False):  # an engine whose __init__ failed has no fields
            unfreeze()
            self._frozen = False

    __del__ = _thaw

    def _cores(self) -> int:
        return min(self.jobs, os.cpu_count() or 1)

    def _fingerprint(self, *, per_file: bool = False) -> str:
        assert self.rulebook is not None
        if per_file:
            return key(repr(self.config))
        return key(repr(self.config), self.rulebook.fingerprint)

    # --- the cross-file stage -------------------------------------------------

    def report(self, results: list[FileResult], extra: list[Finding] | None = None, *, reuse: bool = False) -> Report:
        """The whole report over `results`; with `reuse`, the one-roadmap rules run again only on the files
        whose results changed since the last report (`recheck`)."""
        assert self.rulebook is not None
        ws = self.workspace = build_workspace(
            (r.path, r.model) for r in results if isinstance(r.model, Roadmap | Registry)
        )
        positions = _LazyPositions(results, self.config.max_file_size)
        models = {r.path: r.model for r in results}
        diagnostics = [d for r in results for d in r.diagnostics]
        diagnostics.extend(self._resolve(extra or [], positions))
        local = self._local_again(results, ws, positions, models) if reuse else None
        if local is None:
            found = self._cross_file(ws, positions, models, self.rulebook.rules)
            self._keep_local(results, ws, found)
            diagnostics.extend(found)
        else:
            diagnostics.extend(local)
            diagnostics.extend(self._cross_file(ws, positions, models, [r for r in self.rulebook.rules if not r.local]))
        suppressions = [s for r in results for s in r.suppressions]
        kept, problems = apply(diagnostics, suppressions, self.today)
        kept.extend(self._resolve(problems, positions, models))
        kept.sort(key=Diagnostic.sort_key)
        return Report(tuple(kept), tuple(r.path for r in results), self.catalog)

    def _cross_file(
        self,
        ws: Workspace,
        positions: _LazyPositions,
        models: Mapping[str, Model | None],
        rules: list[CompiledRule],
    ) -> list[Diagnostic]:
        """Graph checks and `rules`, split into parts; on a large corpus the parts run on every core.

        Workers are forked after the workspace is built, so they share it
        without copying; each returns its few diagnostics, already located.
        """
        parts = 1 + 4 * max(self.jobs, 1)
        jobs = self._cores() if len(ws.measures) >= PARALLEL_MIN_MEASURES else 1
        state = (self, ws, positions, models, Indexes(ws), rules)  # each process fills its own copy of the indexes
        found = share(_cross_file_chunk, state, [(part, parts) for part in range(parts)], jobs)
        return [d for chunk in found for d in chunk]

    def _cross_file_part(
        self,
        ws: Workspace,
        part: int,
        parts: int,
        indexes: Indexes,
        rules: list[CompiledRule],
    ) -> Iterator[Finding]:
        """Part 0: rule-file problems and graph checks; parts 1…: every (parts-1)-th of `rules`."""
        assert self.rulebook is not None
        if part == 0:
            for file, problem in self.rulebook.problems:
                yield Finding(problem.code, problem.message, file, span=problem.span, hint=problem.hint)
            yield from graph_findings(ws)
            return
        yield from run_rules(rules[part - 1 :: parts - 1], ws, self.rulebook.params, self.today, indexes)

    # --- the one-roadmap rules of an editor's re-check -----------------------

    def _keep_local(self, results: list[FileResult], ws: Workspace, found: list[Diagnostic]) -> None:
        """Keep each file's findings of the one-roadmap rules, from a report that ran every rule.

        A rule that failed (R006) stops where it failed, so its findings do not split by file: then
        nothing is kept, and a re-check runs every rule again."""
        assert self.rulebook is not None
        self._local = {}
        if any(d.code == "R006" for d in found):
            return
        codes = {r.code for r in self.rulebook.rules if r.local}
        by_file = _by_file(d for d in found if d.code in codes)
        defined = {roadmap.file for roadmap in ws.roadmaps}
        self._local = {r.path: _LocalFindings(r, r.path in defined, by_file.get(r.path, [])) for r in results}

    def _local_again(
        self, results: list[FileResult], ws: Workspace, positions: _LazyPositions, models: Mapping[str, Model | None]
    ) -> list[Diagnostic] | None:
        """The one-roadmap rules' findings: kept ones for unchanged files, found anew for the others; None
        when they must run over everything (nothing kept, or a rule failed).

        A file's findings are kept while its result is the same object and its roadmap is still the one
        its id names (when two files share an id, only the first is linked, and an edit can change which).
        The changed files' roadmaps are linked on their own: these rules read nothing else.
        """
        assert self.rulebook is not None
        if not self._local:
            return None
        defined = {roadmap.file for roadmap in ws.roadmaps}
        kept: list[Diagnostic] = []
        changed: list[FileResult] = []
        for r in results:
            entry = self._local.get(r.path)
            if entry is not None and entry.result is r and entry.defined == (r.path in defined):
                kept.extend(entry.findings)
            else:
                changed.append(r)
        rules = [r for r in self.rulebook.rules if r.local]
        own = build_workspace((r.path, r.model) for r in changed if r.path in defined and isinstance(r.model, Roadmap))
        found = self._resolve(run_rules(rules, own, self.rulebook.params, self.today), positions, models)
        if any(d.code == "R006" for d in found):
            return None
        by_file = _by_file(found)
        for r in changed:
            self._local[r.path] = _LocalFindings(r, r.path in defined, by_file.get(r.path, []))
        return kept + found

    def _resolve(
        self,
        findings: Iterable[Finding],
        positions: _PositionSource,
        models: Mapping[str, Model | None] | None = None,
        catalog: Mapping[str, CheckInfo] | None = None,
    ) -> list[Diagnostic]:
        """Findings → diagnostics: severity and name from the catalog (`self.catalog` unless given), spans
        from positions, and the entity from the file's model where the check did not name one."""
        catalog = self.catalog if catalog is None else catalog
        kept = [f for f in findings if self.config.enabled(f.code, f.file)]
        spans = _spans(kept, positions)
        out: list[Diagnostic] = []
        for finding in kept:
            info = catalog.get(finding.code)
            severity = info.severity if info else Severity.ERROR
            name = info.name if info else finding.code.lower()
            span = finding.span or spans[finding.file, finding.pointer, finding.on_key]
            location = Location(finding.file, finding.pointer, span)
            related = tuple(
                Related(Location(r.file, r.pointer, spans[r.file, r.pointer, r.on_key]), r.message)
                for r in finding.related
            )
            entity = finding.entity
            if entity is None and models is not None:
                model = models.get(finding.file)
                entity = entity_at(model, finding.pointer) if model is not None else None
            out.append(
                Diagnostic(finding.code, name, severity, finding.message, location, entity, related, finding.hint)
            )
        return out


class _PositionSource(Protocol):
    """Where a file's positions come from: a plain dict, or `_LazyPositions`."""

    def get(self, path: str, /) -> SpanLookup | None: ...


class _LazyPositions:
    """Positions of any file: kept ones first, else read the file again (rare: only files with findings)."""

    def __init__(self, results: list[FileResult], max_bytes: int) -> None:
        self._known = {r.path: r.positions for r in results if r.positions is not None}
        self._max_bytes = max_bytes

    def get(self, path: str) -> SpanLookup | None:
        found = self._known.get(path)
        if found is None and os.path.isfile(path):
            raw = _read(path)
            if raw is not None:
                found = self._known[path] = read_source(path, raw, max_bytes=self._max_bytes).positions
        return found


def _spans(findings: list[Finding], positions: _PositionSource) -> dict[tuple[str, str, bool], Span]:
    """The span of every place the findings name, found file by file: a file's positions (a tree that
    may have to be parsed again) are needed once, however its places are spread over the findings."""
    places = {(f.file, f.pointer, f.on_key) for f in findings if f.span is None}
    places.update((r.file, r.pointer, r.on_key) for f in findings for r in f.related)
    spans: dict[tuple[str, str, bool], Span] = {}
    file, known = None, None
    for place in sorted(places):
        if place[0] != file:
            file = place[0]
            known = positions.get(file)
        spans[place] = known.span(place[1], key=place[2]) if known is not None else Span(1, 1, 1, 1)
    return spans


def deadline_findings(path: str, roadmap: Roadmap) -> Iterator[Finding]:
    """The built-in deadline checks (D-codes) of every measure of one roadmap."""
    context = _deadline_context(roadmap)
    keys: dict[str, str] | None = None  # built only when a measure has an issue: most have none
    for s, section in enumerate(roadmap.sections):
        for i, measure in enumerate(section.measures):
            if measure.deadline is None:
                continue
            deadline = parse_deadline(measure.deadline, context)
            issues = deadline_issues(deadline, context)
            if not issues:
                continue
            pointer = f"/sections/{s}/measures/{i}"
            keys = keys or measure_keys(roadmap)
            entity = keys[pointer]
            for issue in issues:
                yield Finding(issue.code, issue.message, path, pointer + "/deadline", entity=entity, hint=issue.hint)


def _rule_parser(cache: Cache | None) -> tuple[Callable[[str], RulesetNode | Problem], Extends | None]:
    """Rule files are parsed once per content, and what each extends is kept apart, so that reading
    them needs no parse: kept with the tool's derived data, else in the project cache, else not at all."""
    directory = derived_dir()
    store = Cache(directory) if directory is not None else cache
    if store is None:
        return parse_text, None
    parse = store.memo("ruleset-parses", parse_text)
    return parse, store.memo("ruleset-extends", extends_from(parse))


def _deadline_context(roadmap: Roadmap) -> DeadlineContext:
    approval = roadmap.approval.date if roadmap.approval else None
    period = roadmap.period
    return DeadlineContext(period.start if period else None, period.end if period else None, approval)


@contextlib.contextmanager
def _collector_paused(*, keep: bool = False) -> Iterator[None]:
    """A growing corpus of small objects: the cyclic collector would only re-scan it, so it waits.

    With `keep`, what survives (the corpus the engine keeps) is frozen out of the
    collector before it resumes: its first collection would otherwise walk every
    object (measured: 0.07 of the parse floor on 4 regions), and freeing the
    cyclic entity graph as garbage costs as much again. The corpus is let go by
    `Engine._thaw`; a process that ends (the CLI) never pays for it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _by_file(diagnostics: Iterable[Diagnostic]) -> dict[str, list[Diagnostic]]:
    """Diagnostics grouped by the file they are located in."""
    grouped: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        grouped.setdefault(d.location.file, []).append(d)
    return grouped


def _guided(items: list[int], jobs: int, largest: int = 8) -> list[list[int]]:
    """Tasks of `items` (largest files first) that shrink towards the end: a share of what is left, at most
    `largest` files, at last one file at a time, so that every process finishes at about the same time and
    the last results to cross between processes are few."""
    chunks: list[list[int]] = []
    at = 0
    while at < len(items):
        size = max(1, min(largest, (len(items) - at) // (2 * jobs)))
        chunks.append(items[at : at + size])
        at += size
    return chunks


def _read(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _check_chunk(
    state: tuple[Engine, list[tuple[str, bytes | None]]], chunk: list[int]
) -> tuple[list[FileResult], list[tuple[DeadlineContext, dict[str, Deadline]]]]:
    """Files checked, and the deadline parses made for them: rules read deadlines again later, in
    processes forked from this one, which would otherwise parse a worker's phrases anew (measured:
    0.08 of the floor on 4 regions)."""
    engine, todo = state
    results = [engine.check_file(*todo[i], keep_source=True) for i in chunk]
    parses = []
    for result in results:
        if isinstance(result.model, Roadmap):
            phrases = (m.deadline for section in result.model.sections for m in section.measures if m.deadline)
            parses.append(learnt(_deadline_context(result.model), phrases))
    return results, parses


def _cross_file_chunk(
    state: tuple[Engine, Workspace, _LazyPositions, Mapping[str, Model | None], Indexes, list[CompiledRule]],
    task: tuple[int, int],
) -> list[Diagnostic]:
    engine, ws, positions, models, indexes, rules = state
    findings = engine._cross_file_part(ws, *task, indexes, rules)
    return engine._resolve(findings, positions, models)


__all__ = ["Engine", "FileResult", "Report", "deadline_findings", "discover_files"]
