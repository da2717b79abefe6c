"""Staged benchmark: time, throughput and memory per stage, as ratios to the parse floor.

    python benchmarks/run.py --scale region            # 1, 2 and 4 regions; scaling exponent
    python benchmarks/run.py --scale national          # 85 regions (minutes)
    python benchmarks/run.py --corpus DIR              # an existing corpus
    python benchmarks/run.py ... --repeat N            # timed runs per whole check (3), the least kept

The floor is PyYAML's C loader (`yaml.load(..., CSafeLoader)`) over the same
files on one core, measured in the same run, so figures compare across noisy
machines. Each size is measured in a process of its own, and each whole check
in a new process again, started as the command line starts: nothing learnt
before, and the peak memory is the check's own.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def measure(corpus: str, repeat: int) -> dict[str, Any]:
    """Time every stage over one corpus in this process, and whole checks each in a new process.

    Whole checks (cold on one and two cores, warm) run as the command line runs them: in a process
    of their own, with nothing learnt before (`check_once`). Each is timed `repeat` times and the
    least is kept, as for the floor, and each follows a pass of the floor: the machine slows down and
    speeds up over minutes (its cores are now and then busy with someone else's work), so floor and
    checks are sampled side by side."""
    sys.path.insert(0, str(ROOT))
    import yaml

    from roadmap_rules.deadlines import clear_cache
    from roadmap_rules.engine import Engine, deadline_findings, discover_files
    from roadmap_rules.graph.checks import graph_findings
    from roadmap_rules.loading import read_source
    from roadmap_rules.loading.fast import TreePositions
    from roadmap_rules.model import Roadmap
    from roadmap_rules.rules.runtime import run_rules
    from roadmap_rules.validation import validate
    from roadmap_rules.workspace import build_workspace

    files, _ = discover_files([corpus])
    out: dict[str, Any] = {"files": len(files)}
    gc.disable()  # as the engine does while it holds a corpus: the collector would only re-scan it
    t = time.perf_counter()
    raws = [Path(f).read_bytes() for f in files]
    out["read"] = time.perf_counter() - t
    out["bytes"] = sum(len(r) for r in raws)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    floors: list[float] = []

    def floor_pass() -> None:
        """One more pass of the floor; `out["floor"]` is the least so far (the denominator of every figure)."""
        t = time.perf_counter()
        _parse_all(raws, loader)
        floors.append(time.perf_counter() - t)
        out["floor"] = min(floors)

    twos: list[float] = []

    def floor_two_pass() -> None:
        """The floor's work split between this process and a forked one, at once: what two cores give here.

        Two cores need not do twice the work of one. Where they are two threads of one physical core, or
        the host is busy, the pair is slower than that. `full_2cores` is read against this figure."""
        import multiprocessing

        t = time.perf_counter()
        child = multiprocessing.get_context("fork").Process(target=_parse_all, args=(raws[1::2], loader))
        child.start()
        _parse_all(raws[0::2], loader)
        child.join()
        twos.append(time.perf_counter() - t)
        out["floor_2cores"] = min(twos)

    floor_pass()
    floor_pass()
    floor_two_pass()
    t = time.perf_counter()
    for f, r in zip(files, raws, strict=True):
        read_source(f, r, fast=False)
    out["parse_exact"] = time.perf_counter() - t
    t = time.perf_counter()
    docs = [read_source(f, r) for f, r in zip(files, raws, strict=True)]
    out["parse"] = time.perf_counter() - t
    out["fast_files"] = sum(isinstance(d.positions, TreePositions) for d in docs)
    t = time.perf_counter()
    models = [(d.path, validate(d)[0]) for d in docs]
    out["models"] = time.perf_counter() - t
    clear_cache()
    t = time.perf_counter()
    deadline_count = sum(len(list(deadline_findings(p, m))) for p, m in models if isinstance(m, Roadmap))
    out["deadlines"] = time.perf_counter() - t
    t = time.perf_counter()
    ws = build_workspace((p, m) for p, m in models if m is not None)
    out["link"] = time.perf_counter() - t
    t = time.perf_counter()
    graph_count = len(list(graph_findings(ws)))
    out["graph"] = time.perf_counter() - t
    engine = Engine()
    assert engine.rulebook is not None
    t = time.perf_counter()
    rule_count = len(list(run_rules(engine.rulebook.rules, ws, engine.rulebook.params)))
    out["rules"] = time.perf_counter() - t
    del docs, models, ws
    results, _ = engine.load_paths([corpus])
    t = time.perf_counter()
    engine.report(results)
    out["report"] = time.perf_counter() - t
    # What an editor asks after each change: one file again, against the others' kept results.
    edited = results[len(results) // 2].path
    changed = Path(edited).read_bytes() + b"\n# edited\n"
    t = time.perf_counter()
    engine.recheck({r.path: r for r in results}, edited, changed)
    out["recheck"] = time.perf_counter() - t
    del results, engine

    def best(jobs: int, cache_dir: str | None = None) -> dict[str, Any]:
        runs = []
        for _ in range(repeat):
            floor_pass()
            if jobs > 1 and not cache_dir:
                floor_two_pass()
            runs.append(check_once(corpus, jobs, cache_dir))
        return min(runs, key=lambda run: float(run["seconds"]))

    full = best(1)
    out["full"], out["findings_total"] = full["seconds"], full["findings"]
    two = best(2)
    out["full_2cores"], out["peak_mb"] = two["seconds"], two["peak_mb"]
    with tempfile.TemporaryDirectory(prefix="roadmap-cache-") as cache_dir:
        check_once(corpus, 2, cache_dir)
        out["warm"] = best(2, cache_dir)["seconds"]
    out["findings"] = {"deadlines": deadline_count, "graph": graph_count, "rules": rule_count}
    return out


def _parse_all(raws: list[bytes], loader: Any) -> None:
    import yaml

    for raw in raws:
        yaml.load(raw, Loader=loader)


def check_once(corpus: str, jobs: int, cache_dir: str | None) -> dict[str, Any]:
    """One whole check in a new process: seconds, findings, and the peak memory of its largest process."""
    args = ["--check", corpus, "--jobs", str(jobs)]
    if cache_dir:
        args += ["--cache-dir", cache_dir]
    return _child(args)


def check(corpus: str, jobs: int, cache_dir: str | None) -> None:
    """The child of `check_once`: what `roadmap-check` does between start-up and output."""
    import os

    sys.path.insert(0, str(ROOT))
    from roadmap_rules.cache import Cache
    from roadmap_rules.engine import Engine

    cache = Cache(Path(cache_dir)) if cache_dir else None
    t = time.perf_counter()
    report = Engine(jobs=jobs, cache=cache).check_paths([corpus])
    seconds = time.perf_counter() - t
    peak = max(_own_peak_kb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)  # this process, its worker
    print(json.dumps({"seconds": seconds, "findings": len(report.diagnostics), "peak_mb": peak / 1024}), flush=True)
    os._exit(0)  # as the command line ends: without freeing the corpus


def _own_peak_kb() -> int:
    """This process's peak resident memory in kB.

    From /proc where there is one: on Linux `ru_maxrss` of a process started by fork and exec keeps the
    peak of the forked copy of its parent (the benchmark, with every stage's data), not its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peers(corpus: str, floor: float) -> dict[str, float]:
    """The same structural check with the general tools a user would otherwise pick, as ratios to the floor.

    Only tools found on this machine are run: check-jsonschema (pip) and
    Spectral (npm, `SPECTRAL` names its executable). Each validates every file
    against our committed JSON Schemas, one process per batch of files.
    """
    import os
    import shutil

    files = sorted(str(p) for p in Path(corpus).rglob("*.yaml") if "schemas" not in p.parts)
    kinds: dict[str, list[str]] = {"roadmap": [], "registry": []}
    for path in files:
        head = Path(path).read_text(encoding="utf-8")[:4096]
        kinds["registry" if "kind: registry" in head else "roadmap"].append(path)
    out: dict[str, float] = {}
    checker = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    if Path(checker).exists():
        start = time.perf_counter()
        for kind, paths in kinds.items():
            schema = ROOT / "schemas" / f"{kind}.schema.json"
            for i in range(0, len(paths), 500):
                subprocess.run(
                    [checker, "--schemafile", str(schema), *paths[i : i + 500]], capture_output=True, check=False
                )
        out["check-jsonschema"] = (time.perf_counter() - start) / floor
    spectral = os.environ.get("SPECTRAL") or shutil.which("spectral")
    if spectral:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            for kind, paths in kinds.items():
                ruleset = Path(tmp) / f"{kind}.spectral.json"
                schema_json = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
                then = {"function": "schema", "functionOptions": {"dialect": "draft2020-12", "schema": schema_json}}
                rules = {"rules": {"schema": {"given": "$", "severity": "error", "then": then}}}
                ruleset.write_text(json.dumps(rules), encoding="utf-8")
                for i in range(0, len(paths), 500):
                    subprocess.run(
                        [spectral, "lint", "--quiet", "--ruleset", str(ruleset), *paths[i : i + 500]],
                        capture_output=True,
                        check=False,
                    )
            out["spectral"] = (time.perf_counter() - start) / floor
    return out


def run_size(corpus: str, repeat: int) -> dict[str, Any]:
    return _child(["--measure", corpus, "--repeat", str(repeat)])


def _child(args: list[str]) -> dict[str, Any]:
    """This script run again with `args` in a new process; what it prints last, as JSON."""
    result = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def generate(scale: int, out: Path, seed: int) -> None:
    subprocess.run(
        [sys.executable, str(HERE / "generate.py"), "--scale", str(scale), "--out", str(out), "--seed", str(seed)],
        check=True,
        capture_output=True,
    )


STAGES = (
    "read",
    "parse_exact",
    "parse",
    "models",
    "deadlines",
    "link",
    "graph",
    "rules",
    "report",
    "full",
    "floor_2cores",
    "full_2cores",
    "warm",
)
"""Stages as ratios to the floor. `parse_exact` is PyYAML with positions for every file; `parse` takes the
fast path where it can; `report` is the whole cross-file stage (link, graph, rules, suppressions, locating).
`floor_2cores` is the floor itself on two processes at once: 0.50 where two cores do twice the work of one.
`recheck ms` (outside the ratios: an editor's wait) is one file checked again against the others' kept results."""


def table(rows: list[dict[str, Any]]) -> str:
    header = "| regions | files | fast | MB | floor s | " + " | ".join(f"{s} ×floor" for s in STAGES)
    header += " | peak MB | recheck ms |"
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rows:
        floor = r["floor"] or 1e-9
        cells = " | ".join(f"{r[s] / floor:.2f}" for s in STAGES)
        lines.append(
            f"| {r['regions']} | {r['files']} | {r['fast_files']} | {r['bytes'] / 1e6:.1f} | {r['floor']:.2f} "
            f"| {cells} | {r['peak_mb']:.0f} | {r['recheck'] * 1000:.0f} |"
        )
    return "\n".join(lines)


def exponent(rows: list[dict[str, Any]], stage: str) -> float | None:
    if len(rows) < 2:
        return None
    xs = [math.log(r["bytes"]) for r in rows]
    ys = [math.log(max(r[stage], 1e-9)) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["region", "national"], default="region")
    parser.add_argument("--corpus", help="benchmark an existing corpus directory instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per whole check, the least kept")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--check", help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check:
        check(args.check, args.jobs, args.cache_dir)
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return
    rows: list[dict[str, Any]] = []
    if args.corpus:
        rows.append({"regions": "-", **run_size(args.corpus, args.repeat)})
    else:
        sizes = [1, 2, 4] if args.scale == "region" else [85]
        with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
            for n in sizes:
                out = Path(tmp) / f"r{n}"
                generate(n, out, args.seed)
                row = {"regions": n, **run_size(str(out), args.repeat)}
                row["peers"] = peers(str(out), row["floor"])
                rows.append(row)
                print(f"measured {n} region(s)", file=sys.stderr)
    print(table(rows))
    for row in rows:
        if row.get("peers"):
            compared = ", ".join(f"{tool} {ratio:.2f}× floor" for tool, ratio in row["peers"].items())
            print(f"peers on {row['regions']} region(s), schema validation only: {compared}")
    for stage in ("full", "parse", "rules", "link"):
        k = exponent(rows, stage)
        if k is not None:
            print(f"scaling exponent ({stage} time vs bytes): {k:.2f}")
    print(verdict(rows))


TARGETS = (("full_2cores", 0.75, "cold check on 2 cores"), ("warm", 0.15, "warm re-check"))
"""Issue 6's targets, as ratios to the floor (besides peak memory on the national corpus and the exponent)."""


def verdict(rows: list[dict[str, Any]]) -> str:
    """Each target, met or not, at each size; a 2-core figure also against the floor's own on 2 cores."""
    lines = []
    for stage, limit, name in TARGETS:
        cells = []
        for r in rows:
            ratio = r[stage] / (r["floor"] or 1e-9)
            cell = f"{r['regions']}: {ratio:.2f} {'met' if ratio <= limit else 'NOT met'}"
            if stage == "full_2cores":
                cell += f" ({r[stage] / (r['floor_2cores'] or 1e-9):.2f}× floor_2cores)"
            cells.append(cell)
        lines.append(f"target {name} ≤ {limit}× floor — " + "; ".join(cells))
    k = exponent(rows, "full")
    if k is not None:
        lines.append(f"target scaling exponent ≤ 1.1 — {k:.2f} {'met' if k <= 1.1 else 'NOT met'}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
