"""Both cores for the heavy stages: fork workers that share the parent's memory.

Work is split by index (worker k takes items k, k+n, k+2n…), so no item is pickled on the
way in; only each worker's (small) result comes back through a pipe. Where fork is missing
(Windows, macOS's default), or for small inputs, the work runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

R = TypeVar("R")
T = TypeVar("T")

MIN_ITEMS_PER_WORKER = 200


def worker_count(items: int, requested: int | None = None) -> int:
    wanted = requested if requested is not None else int(os.environ.get("PALMARES_JOBS", "0") or 0)
    if wanted <= 0:
        wanted = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(wanted, items // MIN_ITEMS_PER_WORKER))


def run_split(task: Callable[[int, int], R], workers: int) -> list[R]:
    """`task(k, n)` for k in 0..n-1: worker 0 is this process, the others are forks."""
    if workers <= 1:
        return [task(0, 1)]
    children: list[tuple[int, int]] = []
    for k in range(1, workers):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child
            os.close(read)
            code = 0
            try:
                payload = pickle.dumps(("ok", task(k, workers)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                payload = pickle.dumps(("error", traceback.format_exc()))
                code = 1
            with os.fdopen(write, "wb") as pipe:
                pipe.write(payload)
            sys.stdout.flush()
            os._exit(code)
        os.close(write)
        children.append((pid, read))
    results: list[R] = []
    error: str | None = None
    try:
        results.append(task(0, workers))
    finally:
        for pid, read in children:
            with os.fdopen(read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(pid, 0)
            if not data:
                error = error or "a build worker died without a result"
                continue
            status, value = pickle.loads(data)
            if status == "ok":
                results.append(value)
            else:
                error = error or value
    if error is not None:
        raise RuntimeError(f"build worker failed:\n{error}")
    return results


class Shares:
    """Indices 0..total-1 handed out to whichever worker asks next: the first `singly` one
    at a time, the rest in chunks.

    Made before `run_split` forks, so every worker draws from the same counter (shared
    memory): a worker slowed by extra work (the open data, say) simply takes fewer items,
    and all of them finish together. A plan that starts with its heaviest items gets them
    spread over the workers, and a long tail costs one lock per chunk."""

    def __init__(self, total: int, chunk: int = 32, singly: int = 64) -> None:
        self.total = total
        self.chunk = chunk
        self.singly = singly
        self._next = multiprocessing.RawValue("q", 0)
        self._lock = multiprocessing.Lock()

    @property
    def claimed(self) -> int:
        return min(int(self._next.value), self.total)

    def __iter__(self) -> Iterator[int]:
        while True:
            with self._lock:
                start = self._next.value
                step = 1 if start < self.singly else self.chunk
                self._next.value = start + step
            if start >= self.total:
                return
            yield from range(start, min(start + step, self.total))


def each(
    items: Sequence[T],
    work: Callable[[Iterator[T]], R],
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[R]:
    """`work` over shares of `items`, one share per process, each result returned.

    The shares are drawn as the processes go (`Shares`), so a process slowed by a heavy
    item simply takes fewer; `progress(done, total)` is called from this process."""
    shares = Shares(len(items))
    total = len(items)

    def task(k: int, n: int) -> R:
        def share() -> Iterator[T]:
            for index in shares:
                yield items[index]
                if progress is not None and k == 0 and index % 50 == 0:
                    progress(shares.claimed, total)
            if progress is not None and k == 0:
                progress(total, total)

        return work(share())

    return run_split(task, worker_count(total, workers))
