"""Linking, graph checks and graph building at growing sizes: is it linear?

    python benchmarks/bench_graph.py [SCHOOLS ...]

One synthetic region per size: a regional roadmap, one municipal roadmap per
ten schools and one school roadmap per school, 60 measures each, with
`implements` down the levels, `depends_on` chains, free-text responsible
parties (registered names, people by initials, generic roles, an alias and a
few unknown bodies) and mentor / curator / coordinator assignments. Models are
made in memory (no YAML), so only `build_workspace`, `graph_findings` and
`build_graph` are timed.

Figures are ratios to a baseline measured in the same run (building one plain
dict of eight keys per measure), so they compare across machines; the last
line is the log-log slope of time against the number of measures, which is
about 1.0 for linear work.
"""

from __future__ import annotations

import functools
import gc
import math
import sys
import time
from collections.abc import Callable
from typing import Any

from roadmap_rules.diagnostics import Finding
from roadmap_rules.graph import build_graph, graph_findings
from roadmap_rules.model import Registry, Roadmap
from roadmap_rules.workspace import Workspace, build_workspace

MEASURES = 60
SIZES = (25, 50, 100, 200, 400)
SURNAMES = ("Иванова", "Петров", "Сидорова", "Кузнецов", "Смирнова", "Попов", "Васильева", "Соколов")
ROLES = ("Руководители ОО", "руководители и управленческие команды школ", "кураторы", "Рабочая группа", "педагоги")


def _initials(n: int) -> str:
    letters = "АБВГДЕЖЗИКЛМНОПРСТ"
    return f"{letters[n % len(letters)]}.{letters[(n // len(letters)) % len(letters)]}."


def generate(schools: int) -> list[tuple[str, Roadmap | Registry]]:
    """A region with `schools` schools, one municipality per ten, as validated models."""
    municipalities = max(1, schools // 10)
    orgs: list[dict[str, Any]] = [
        {"id": "region", "name": "Синтетическая область", "type": "region"},
        {
            "id": "iro",
            "name": "ГАУ ДПО «Институт развития образования»",
            "short": "ИРО",
            "type": "centre",
            "parent": "region",
            "aliases": ["ИРО области"],
        },
    ]
    people: list[dict[str, Any]] = []
    mentors: list[dict[str, str]] = []
    curators: list[dict[str, str]] = []
    coordinators: list[dict[str, str]] = []
    for m in range(municipalities):
        orgs.append({"id": f"mun-{m}", "name": f"Муниципальный округ {m}", "type": "municipality", "parent": "region"})
        orgs.append(
            {
                "id": f"uo-{m}",
                "name": f"Управление образования округа {m}",
                "short": f"УО-{m}",
                "type": "authority",
                "parent": f"mun-{m}",
            }
        )
        people.append({"id": f"coord-{m}", "name": f"{SURNAMES[m % 8]} {_initials(m)}", "organisation": f"uo-{m}"})
        coordinators.append({"municipality": f"mun-{m}", "coordinator": f"coord-{m}"})
    for s in range(schools):
        status = ["leader"] if s % 5 == 0 else ["ШНОР"]
        orgs.append(
            {
                "id": f"school-{s}",
                "name": f"МБОУ «СОШ № {s}»",
                "type": "school",
                "parent": f"mun-{s % municipalities}",
                "status": status,
            }
        )
        people.append(
            {"id": f"head-{s}", "name": f"{SURNAMES[s % 8]} {_initials(1000 + s)}", "organisation": f"school-{s}"}
        )
        if status == ["ШНОР"]:
            mentors.append({"school": f"school-{s}", "mentor": f"school-{s - s % 5}"})
            curators.append({"school": f"school-{s}", "curator": f"coord-{s % municipalities}"})
    registry = Registry.model_validate(
        {
            "kind": "registry",
            "organisations": orgs,
            "people": people,
            "mentors": mentors,
            "curators": curators,
            "coordinators": coordinators,
        }
    )
    files: list[tuple[str, Roadmap | Registry]] = [("registry.yaml", registry)]

    def plan(rid: str, level: str, org: str, parent: str | None, responsible: Callable[[int], list[str]]) -> Roadmap:
        measures = []
        for i in range(MEASURES):
            measure: dict[str, Any] = {
                "id": f"m{i}",
                "number": f"{i // 10 + 1}.{i % 10 + 1}",
                "title": f"Мероприятие {i} карты {rid}",
                "deadline": "декабрь 2024",
                "responsible": responsible(i),
            }
            if i:
                measure["depends_on"] = [f"m{i - 1}"]
            if parent is not None and i % 3 == 0:
                measure["implements"] = [f"{parent}/m{i}"]
            measures.append(measure)
        data = {
            "kind": "roadmap",
            "id": rid,
            "level": level,
            "organisation": org,
            "title": f"План {rid}",
            "sections": [{"number": "1.", "title": "Мероприятия", "measures": measures}],
        }
        if parent is not None:
            data["implements"] = parent
        return Roadmap.model_validate(data)

    files.append(
        ("region.yaml", plan("region-2024", "region", "region", None, lambda i: ["ИРО" if i % 7 else "ИРО области"]))
    )
    for m in range(municipalities):
        authority = f"УО-{m}"

        def municipal(i: int, authority: str = authority) -> list[str]:
            return [authority, ROLES[i % len(ROLES)]]

        files.append((f"mun-{m}.yaml", plan(f"mun-{m}-2024", "municipality", f"mun-{m}", "region-2024", municipal)))
    for s in range(schools):
        head = f"{SURNAMES[s % 8]} {_initials(1000 + s)}"

        def school(i: int, head: str = head) -> list[str]:
            return [head if i % 2 else "Руководители ОО", "Неизвестный центр" if i == MEASURES - 1 else "ИРО"]

        files.append(
            (
                f"school-{s}.yaml",
                plan(f"school-{s}-2024", "school", f"school-{s}", f"mun-{s % municipalities}-2024", school),
            )
        )
    return files


def best(work: Callable[[], object], repeat: int = 3) -> float:
    """Best of `repeat` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # a collection landing in one size and not another is noise, not scaling
        try:
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return min(times)


def baseline(count: int) -> float:
    """Building `count` plain dicts of eight keys: the unit the figures are given in."""
    return best(lambda: [{"a": i, "b": i, "c": i, "d": i, "e": i, "f": i, "g": i, "h": i} for i in range(count)])


def slope(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) against log(x)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly, strict=True)) / sum((a - mx) ** 2 for a in lx)


def _all_findings(ws: Workspace) -> list[Finding]:
    return list(graph_findings(ws))


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    rows: list[tuple[int, float, float, float, float, int]] = []
    for schools in sizes:
        files = generate(schools)
        ws = build_workspace(files)
        measures = len(ws.measures)
        base = baseline(measures)
        t_ws = best(functools.partial(build_workspace, files))
        t_checks = best(functools.partial(_all_findings, ws))
        t_graph = best(functools.partial(build_graph, ws))
        findings = sum(1 for _ in graph_findings(ws))
        rows.append((measures, base, t_ws, t_checks, t_graph, findings))
    header = ("measures", "base ms", "workspace", "checks", "graph", "µs/measure", "findings")
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, (9, 8, 10, 8, 8, 11, 9), strict=True)))
    for measures, base, t_ws, t_checks, t_graph, findings in rows:
        per = (t_ws + t_checks + t_graph) / measures * 1e6
        print(
            f"{measures:>9} {base * 1e3:>8.2f} {t_ws / base:>9.1f}x {t_checks / base:>7.1f}x {t_graph / base:>7.1f}x"
            f" {per:>11.1f} {findings:>9}"
        )
    if len(rows) > 1:
        xs = [float(r[0]) for r in rows]
        print(
            "log-log slope (1.0 = linear): "
            f"workspace {slope(xs, [r[2] for r in rows]):.2f}, checks {slope(xs, [r[3] for r in rows]):.2f}, "
            f"graph {slope(xs, [r[4] for r in rows]):.2f}, baseline {slope(xs, [r[1] for r in rows]):.2f}"
        )
    print("figures: time / baseline at the same size (baseline = one 8-key dict per measure)")


if __name__ == "__main__":
    main(sys.argv[1:])
