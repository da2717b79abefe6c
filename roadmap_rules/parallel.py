"""Work shared between this process and forked workers.

The engine's data (compiled rules, the workspace) is made of closures and
large graphs that are costly or impossible to pickle, so workers are forked
and inherit it; only task numbers go out and compact results come back. This
process works through the same queue of tasks instead of waiting, so on a
two-core machine one worker and this process keep both cores busy, and
whoever is free takes the next task.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def can_fork() -> bool:
    return "fork" in get_all_start_methods()


def share(
    function: Callable[[Any, T], R],
    state: Any,
    tasks: Sequence[T],
    jobs: int,
    meanwhile: Callable[[], object] | None = None,
) -> list[R]:
    """`function(state, task)` for every task, in task order, on `jobs` processes.

    `meanwhile` is work of this process's own that the tasks do not need (it
    runs once the workers have started on them, before this process takes any).

    Workers are forked, so they see `state` as it is now. A worker writes each
    result to a file of its own and passes on only its number, so it never
    waits for this process to read; this process unpickles what has arrived
    between its own tasks, so bringing results home is shared out like any
    other work. A task a worker did not finish (it died, or raised) is done
    here again, where an error shows.
    """
    if jobs <= 1 or len(tasks) <= 1 or not can_fork():
        if meanwhile is not None:
            meanwhile()
        return [function(state, task) for task in tasks]
    context = get_context("fork")
    counter: Synchronized[int] = context.Value("i", 0)
    done: dict[int, R] = {}
    with tempfile.TemporaryDirectory(prefix="roadmap-check-") as spool:
        readers = []
        for _ in range(jobs - 1):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(function, state, tasks, counter, writer, spool), daemon=True)
            process.start()
            writer.close()
            readers.append((process, reader))
        if meanwhile is not None:
            meanwhile()
        for i in _claim(counter, len(tasks)):
            done[i] = function(state, tasks[i])
            for _, reader in readers:
                _collect(reader, spool, done, wait=False)
        for process, reader in readers:
            _collect(reader, spool, done, wait=True)
            process.join()
    return [done[i] if i in done else function(state, task) for i, task in enumerate(tasks)]


def _claim(counter: Synchronized[int], count: int) -> Iterator[int]:
    """Task numbers from the shared counter until none are left."""
    while True:
        with counter.get_lock():
            i = counter.value
            counter.value = i + 1
        if i >= count:
            return
        yield i


def _work(
    function: Callable[[Any, T], R],
    state: Any,
    tasks: Sequence[T],
    counter: Synchronized[int],
    out: Connection,
    spool: str,
) -> None:
    try:
        for i in _claim(counter, len(tasks)):
            with open(os.path.join(spool, str(i)), "wb") as file:
                pickle.dump(function(state, tasks[i]), file, protocol=pickle.HIGHEST_PROTOCOL)
            out.send(i)
    except BaseException:  # the parent redoes what did not arrive, and reports any error
        os._exit(1)
    out.close()


def _collect(reader: Connection, spool: str, done: dict[int, Any], *, wait: bool) -> None:
    """Results a worker has finished: all that are ready, or (with `wait`) all it will send."""
    with contextlib.suppress(EOFError, OSError):  # the worker has finished (or died)
        while wait or reader.poll():
            i = reader.recv()
            with open(os.path.join(spool, str(i)), "rb") as file:
                done[i] = pickle.load(file)
