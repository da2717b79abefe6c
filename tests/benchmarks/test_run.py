"""benchmarks/run.py: one corpus measured end to end, and the verdict on issue 6's targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import benchmark_scripts

run = benchmark_scripts.load("run")
generate = benchmark_scripts.load("generate")


def _row(regions: int, floor: float, two: float, floor_two: float, warm: float, full: float, size: float) -> Any:
    return {"regions": regions, "floor": floor, "full_2cores": two, "floor_2cores": floor_two, "warm": warm,
            "full": full, "bytes": size}  # fmt: skip


def test_the_verdict_names_each_target_at_each_size() -> None:
    rows = [_row(1, 0.44, 0.41, 0.25, 0.02, 0.52, 2.9e6), _row(4, 2.0, 1.4, 1.1, 0.06, 2.0, 13.7e6)]
    lines = run.verdict(rows).splitlines()
    assert lines[0].startswith("target cold check on 2 cores ≤ 0.75× floor")
    assert "1: 0.93 NOT met (1.64× floor_2cores)" in lines[0]
    assert "4: 0.70 met (1.27× floor_2cores)" in lines[0]
    assert "1: 0.05 met" in lines[1]
    assert "4: 0.03 met" in lines[1]
    assert lines[2].startswith("target scaling exponent ≤ 1.1 — ")


def test_one_corpus_measured_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "small"
    args = ["--scale", "region", "--seed", "3", "--jobs", "1", "--municipalities", "2",
            "--schools-per-municipality", "2", "--measures", "10-20", "--out", str(out)]  # fmt: skip
    assert generate.main(args) == 0
    row = run.run_size(str(out), 1)
    for stage in run.STAGES:
        assert row[stage] > 0, stage
    assert row["floor"] > 0
    assert row["findings_total"] > 0  # the generator seeds defects
    assert row["peak_mb"] > 10
    table = run.table([{"regions": 1, **row}])
    assert "floor_2cores ×floor" in table.splitlines()[0]
    assert table.splitlines()[0].endswith("| recheck ms |")
    assert row["recheck"] > 0
