"""Deadline parsing throughput: phrases per second, cold and warm.

    python benchmarks/bench_deadlines.py [COUNT]

Cold: the parse cache is cleared and every phrase is distinct (the worst case, a
first run over new documents). Warm: the same phrases again, served from the
cache (a national run repeats the same few hundred phrasings). The baseline is
`datetime.strptime` over the same number of plain dates, measured in the same
run, so the ratio is comparable across machines.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime

from roadmap_rules.deadlines import DeadlineContext, clear_cache, parse_deadline

MONTHS = ("январь", "февраля", "марте", "апр.", "май", "июня", "июль", "августа",
          "сентябрь", "окт.", "ноября", "Декабрь")  # fmt: skip
CONTEXTS = (
    DeadlineContext(date(2024, 1, 1), date(2024, 12, 31), date(2023, 12, 29)),
    DeadlineContext(date(2024, 9, 1), date(2025, 8, 31), date(2024, 9, 5)),
)


def generate(count: int, seed: int = 20240905) -> list[str]:
    """A mix of the shapes found in real roadmaps, made distinct by their values."""
    rng = random.Random(seed)
    shapes: tuple[Callable[[int, int, int, int], str], ...] = (
        lambda y, m, d, n: f"{MONTHS[m]} {y} г.",
        lambda y, m, d, n: f"{MONTHS[m]} - {MONTHS[(m + 2) % 12]} {y} года",
        lambda y, m, d, n: f"До {d:02d}.{m + 1:02d}.{y} - {n % 3 + 1} мониторинг",
        lambda y, m, d, n: f"{d:02d}.{m + 1:02d}.{y}",
        lambda y, m, d, n: f"В течение {y}/{(y + 1) % 100:02d} учебного года",
        lambda y, m, d, n: f"{MONTHS[m]} {y} года, {MONTHS[(m + 5) % 12]} {y + 1} года",
        lambda y, m, d, n: f"{n % 4 + 1} квартал {y} года",
        lambda y, m, d, n: f"не менее {n % 5 + 2} раз в год, по плану работы ОО № {n}",
        lambda y, m, d, n: f"в течение года в соответствии с графиком № {n}",
        lambda y, m, d, n: f"с {d} {MONTHS[m]} по {d} {MONTHS[(m + 1) % 12]} {y} г.",
    )
    seen: set[str] = set()
    out: list[str] = []
    n = 0
    while len(out) < count:
        n += 1
        phrase = rng.choice(shapes)(rng.randint(2019, 2027), rng.randrange(12),
                                    rng.randint(1, 28), n)  # fmt: skip
        if phrase not in seen:
            seen.add(phrase)
            out.append(phrase)
    return out


def rate(work: Callable[[], object], count: int, repeat: int = 3) -> float:
    """Best of `repeat` runs, in items per second."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return count / best


def _parse_all(phrases: Iterable[str], context: DeadlineContext) -> None:
    for phrase in phrases:
        parse_deadline(phrase, context)


def main(count: int = 20_000) -> None:
    phrases = generate(count)
    dates = [f"{i % 28 + 1:02d}.{i % 12 + 1:02d}.{2019 + i % 9}" for i in range(count)]
    context = CONTEXTS[0]

    def cold() -> None:
        clear_cache()
        _parse_all(phrases, context)

    baseline = rate(lambda: [datetime.strptime(s, "%d.%m.%Y") for s in dates], count)
    cold_rate = rate(cold, count)
    _parse_all(phrases, context)
    warm_rate = rate(lambda: _parse_all(phrases, context), count)

    print(f"{count} distinct phrases, {len(set(phrases))} unique")
    print(f"{'measure':<34}{'items/s':>12}{'× strptime':>12}")
    for name, value in (
        ("datetime.strptime (baseline)", baseline),
        ("parse_deadline, cold cache", cold_rate),
        ("parse_deadline, warm cache", warm_rate),
    ):
        print(f"{name:<34}{value:>12,.0f}{value / baseline:>12.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
