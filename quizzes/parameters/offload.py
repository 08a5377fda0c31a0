"""Where the expensive computations run: the workload simulator's and the optimizer's, in a
process of their own at a low CPU priority.

A simulation is pure Python and costs up to seconds of CPU; a fit of the FSRS parameters to
20,000 reviews costs seconds on every core (fsrs-rs trains in parallel). Run on a request thread a
simulation holds the web process's GIL, which that process's other threads need between every
query of every other learner's request; run in the background worker at the web's priority, a fit
takes the cores the web wants. In a process of its own, at the lowest priority (nice, and Linux's
idle scheduling class), either takes the CPU only when the requests leave it idle: with one
account asking for both in a loop, another learner's /study/ waited many times its usual time.
Each process (web or worker) runs WORKLOAD_PROCESSES such processes, started on first use; work
beyond them waits its turn (the caller waiting without the GIL).

The pool is pebble's, not the standard library's: a computation its caller stops waiting for is
stopped too (its process killed and replaced; the others' work goes on), where the standard
pool could only drop work not yet started and left a late one running to its end, holding up
every computation queued behind it.
"""

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar, cast

from django.conf import settings
from pebble import ProcessExpired, ProcessPool

# How much lower than the web's the CPU priority of these processes is (nice, 0 to 19).
NICENESS = 10

_lock = threading.Lock()
_pools: dict[str, ProcessPool] = {}
# Callers of this process waiting for a computation whose caller capped them (`waiting_most`).
_waiting_lock = threading.Lock()
_waiting = 0

P = ParamSpec("P")
R = TypeVar("R")


class OffloadFailed(Exception):
    """The computation's process did not answer in time, or died."""


class OffloadBusy(OffloadFailed):
    """As many callers of this process as were allowed are waiting already: nothing was run."""


@contextlib.contextmanager
def _one_of_waiting(most: int | None) -> Iterator[None]:
    """Count the caller among this process's waiting ones, or raise OffloadBusy if `most` are.

    Each waits on a request thread: uncapped, every thread of a web process could wait for the
    one low-priority process, and the process's other learners' pages waited for a thread."""
    global _waiting
    if most is None:
        yield
        return
    with _waiting_lock:
        if _waiting >= most:
            raise OffloadBusy
        _waiting += 1
    try:
        yield
    finally:
        with _waiting_lock:
            _waiting -= 1


def _lower_priority() -> None:
    """Lower this process's CPU priority: nice, and on Linux the idle scheduling class too."""
    os.nice(NICENESS)
    # A nice process still takes a share of a busy CPU (about a tenth at nice 10): with one
    # account asking for simulations in a loop, that share was enough to slow other learners'
    # pages on PostgreSQL. The idle class (SCHED_IDLE) runs only when nothing else wants the
    # CPU; the threads a fit starts later inherit it. Where the platform has no such class (not
    # Linux), nice alone is what there is.
    if hasattr(os, "SCHED_IDLE"):
        # A sandbox that forbids it: nice still holds.
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


class _Late:
    """What a computation taken up after its caller stopped waiting gives, instead of running."""


def _unless_late(
    deadline: float | None, function: Callable[..., R], args: tuple[Any, ...], kwargs: Any
) -> R | _Late:
    """Run `function` in the pool's process, unless its caller stopped waiting before it was
    taken up: a computation queued behind a long one would otherwise still run, for nobody."""
    if deadline is not None and time.time() > deadline:
        return _Late()
    return function(*args, **kwargs)


def _pool() -> ProcessPool:
    with _lock:
        pool = _pools.get("pool")
        if pool is not None and pool.active:
            return pool
        replaced = pool
        # Spawned, not forked: a fork of a threaded web process may copy a lock held.
        pool = ProcessPool(
            max_workers=settings.WORKLOAD_PROCESSES,
            initializer=_lower_priority,
            context=multiprocessing.get_context("spawn"),
        )
        _pools["pool"] = pool
    if replaced is not None:
        _stop(replaced)
    return pool


def _stop(pool: ProcessPool) -> None:
    """Stop `pool`'s processes, killing work running in them. A caller still waiting for work
    of that pool may hear it failed at once or only at its own timeout."""
    pool.stop()
    pool.join()


def _forget(pool: ProcessPool) -> None:
    """Stop `pool`, and let the next computation start a new one if it is still this process's
    (another thread may have replaced it already: that pool is left alone)."""
    with _lock:
        if _pools.get("pool") is pool:
            del _pools["pool"]
    _stop(pool)


def offload_shutdown() -> None:
    """Stop this process's low-priority processes (the next computation starts them again)."""
    with _lock:
        pool = _pools.pop("pool", None)
    if pool is not None:
        _stop(pool)


def offloaded(
    function: Callable[P, R], *, timeout: float | None = None, waiting_most: int | None = None
) -> Callable[P, R]:
    """`function`, to be called in a low-priority process, or on the calling thread when
    WORKLOAD_PROCESSES is 0; the call raises OffloadFailed when it takes longer than `timeout`
    seconds (None: however long), counted from the call, or its process dies (a new one is
    started for the next). A computation running by then is stopped (its process is killed and
    replaced); one still queued does not run when its turn comes. With `waiting_most`, a call
    made while that many capped calls of this process wait raises OffloadBusy at once. `function`
    and what it takes and gives are pickled: a function of a module, and plain data."""

    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        if settings.WORKLOAD_PROCESSES <= 0:
            return function(*args, **kwargs)
        with _one_of_waiting(waiting_most):
            return _run(function, args, kwargs, timeout)

    return call


def _run(function: Callable[..., R], args: Any, kwargs: Any, timeout: float | None) -> R:
    """Run `function` in this process's pool and wait for it (offloaded's call)."""
    deadline = None if timeout is None else time.time() + timeout
    pool = _pool()
    try:
        # The pool's own timeout, counted from the computation's start, is a backstop: the
        # caller's, counted from the call, runs out first.
        future = pool.schedule(
            _unless_late, args=(deadline, function, args, kwargs), timeout=timeout
        )
    except RuntimeError as stopped:
        # Stopped by another thread, or broken, between being handed out and used here.
        raise OffloadFailed from stopped
    try:
        result = future.result(timeout=timeout)
    except ProcessExpired as died:
        # Its process died (killed, out of memory): the pool has started another.
        raise OffloadFailed from died
    except BrokenProcessPool as broken:
        # Every process died as it started: the next computation starts a new pool.
        _forget(pool)
        raise OffloadFailed from broken
    except TimeoutError as late:
        # Nobody waits for it any more. Running, its process is killed (left to run, it
        # held up every later computation of this process); queued, it gives up when taken.
        if future.running():
            future.cancel()
        raise OffloadFailed from late
    if isinstance(result, _Late):
        # Taken up in the instant between its deadline and the wait's end.
        raise OffloadFailed
    return cast("R", result)
