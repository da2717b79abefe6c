"""Work shared between this process and forked workers.

The engine's data (compiled rules, the workspace) is made of closures and
large graphs that are costly or impossible to pickle, so workers are forked
and inherit it; only small task descriptions go out and compact results come
back. This process takes a share of the tasks itself instead of waiting: on a
two-core machine one worker and this process keep both cores busy.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_STATE: Any = None
_FUNCTION: Callable[[Any, Any], Any] | None = None


def can_fork() -> bool:
    return "fork" in get_all_start_methods()


def share(function: Callable[[Any, T], R], state: Any, tasks: Sequence[T], jobs: int) -> list[R]:
    """`function(state, task)` for every task, in task order, on `jobs` processes.

    Every `jobs`-th task (from the first) runs here; the rest go to `jobs - 1`
    forked workers, which inherit `state` as it is at the fork.
    """
    if jobs <= 1 or len(tasks) <= 1 or not can_fork():
        return [function(state, task) for task in tasks]
    global _STATE, _FUNCTION
    _STATE, _FUNCTION = state, function
    results: list[Any] = [None] * len(tasks)
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=get_context("fork"), initializer=gc.disable) as pool:
            futures: dict[int, Future[R]] = {i: pool.submit(_run, task) for i, task in enumerate(tasks) if i % jobs}
            for i in range(0, len(tasks), jobs):
                results[i] = function(state, tasks[i])
            for i, future in futures.items():
                results[i] = future.result()
    finally:
        _STATE = _FUNCTION = None
    return results


def _run(task: Any) -> Any:
    assert _FUNCTION is not None
    return _FUNCTION(_STATE, task)
