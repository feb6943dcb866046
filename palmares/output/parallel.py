"""Both cores for the heavy stages: fork workers that share the parent's memory.

Work is split by index (worker k takes items k, k+n, k+2n…), so no item is pickled on the
way in; only each worker's (small) result comes back through a pipe. Where fork is missing
(Windows, macOS's default), or for small inputs, the work runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

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
    """`task(k, n)` for k in 0..n-1: worker 0 is this process, the others are forks.

    Ctrl+C reaches every process of the group: the parent raises KeyboardInterrupt whatever
    the workers sent back (one stopped while writing its result leaves it cut short), and
    when a worker alone was stopped by it, so that the command line says « interrompu »
    in one line."""
    if workers <= 1:
        return [task(0, 1)]
    children: list[tuple[int, int]] = []
    parent = os.getpid()
    try:
        for k in range(1, workers):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                os._exit(_child(task, k, workers, read, write))
            os.close(write)
            children.append((pid, read))
        own = task(0, workers)
    except BaseException:
        if os.getpid() != parent:  # pragma: no cover - a child, stopped as it was forked
            os._exit(INTERRUPTED)
        for pid, read in children:  # this process's own error is the one to tell
            _collect(pid, read)
        raise
    results: list[R] = [own]
    errors: list[str] = []
    interrupted = False
    for pid, read in children:
        status, value = _collect(pid, read)
        if status == "ok":
            results.append(value)
        elif status == "interrupted":
            interrupted = True
        else:
            errors.append(value)
    if interrupted:
        raise KeyboardInterrupt
    if errors:
        raise RuntimeError(f"build worker failed:\n{errors[0]}")
    return results


def _child(task: Callable[[int, int], Any], k: int, workers: int, read: int, write: int) -> int:
    """A worker's life, its exit status the value: its result pickled into the pipe. Ctrl+C
    ends it at once, as the system ends any program: no exception may unwind into the
    parent's code that the fork copied (it would say « interrompu » a second time, and
    clean up the parent's staging folder), not even one from a Ctrl+C that came before the
    default action was set."""
    try:
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
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
        return code
    except KeyboardInterrupt:
        return INTERRUPTED
    except BaseException:
        return 1


INTERRUPTED = 128 + signal.SIGINT
"""A worker's exit status when Ctrl+C stopped it before its default action was set."""


def _collect(pid: int, read: int) -> tuple[str, Any]:
    """A worker's result once it has ended: ("ok", result), ("interrupted", None) when
    Ctrl+C stopped it, or ("error", why); a worker that died before writing all of it is an
    error, not an exception."""
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT) or (
        os.WIFEXITED(status) and os.WEXITSTATUS(status) == INTERRUPTED
    ):
        return "interrupted", None
    return result_of(data)


def result_of(data: bytes) -> tuple[str, Any]:
    """What a worker's pipe held: its pickled (status, value), whole or cut short."""
    if not data:
        return "error", "a build worker died without a result"
    try:
        found: tuple[str, Any] = pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, ValueError) as err:
        return "error", f"a build worker's result was cut short ({err})"
    return found


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
