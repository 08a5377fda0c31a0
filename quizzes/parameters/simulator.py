"""Where the workload simulator runs: in a process of its own, at a low CPU priority.

A simulation is pure Python and costs up to seconds of CPU. Run on a request thread it holds the
web process's GIL, which that process's other threads need between every query of every other
learner's request, and it takes a core they want: with one account simulating, another learner's
/study/ waited many times its usual time. In its own process it holds no GIL of the web's, and at
a lower priority (nice) it takes the CPU only when the requests leave it idle. Each web process
runs WORKLOAD_PROCESSES such processes, started on the first simulation; simulations beyond them
wait their turn (their request threads waiting without the GIL).
"""

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings

from quizzes.rules import simulating

# How much lower than the web's the simulator's CPU priority is (nice, 0 to 19).
SIMULATOR_NICENESS = 10

_lock = threading.Lock()
_pools: dict[str, ProcessPoolExecutor] = {}


class SimulatorFailed(Exception):
    """The simulator's process did not answer in time, or died."""


def _lower_priority() -> None:
    os.nice(SIMULATOR_NICENESS)


def _pool() -> ProcessPoolExecutor:
    with _lock:
        pool = _pools.get("pool")
        if pool is None:
            # Spawned, not forked: a fork of a threaded web process may copy a lock held.
            pool = ProcessPoolExecutor(
                max_workers=settings.WORKLOAD_PROCESSES,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_lower_priority,
            )
            _pools["pool"] = pool
        return pool


def simulator_shutdown() -> None:
    """Stop this process's simulator processes (the next simulation starts them again)."""
    with _lock:
        pool = _pools.pop("pool", None)
    if pool is not None:
        pool.shutdown(cancel_futures=True)


def simulate(inputs: simulating.Inputs, *, timeout: float) -> simulating.Workload:
    """Run `simulating.simulate` in the simulator's process, or on this thread when
    WORKLOAD_PROCESSES is 0; SimulatorFailed when it takes longer than `timeout` seconds or its
    process dies (a new one is started for the next)."""
    if settings.WORKLOAD_PROCESSES <= 0:
        return simulating.simulate(inputs)
    future = None
    try:
        future = _pool().submit(simulating.simulate, inputs)
        return future.result(timeout=timeout)
    except BrokenProcessPool as broken:
        simulator_shutdown()
        raise SimulatorFailed from broken
    except TimeoutError as late:
        # Nobody waits for it any more: if it has not started, it never will (a simulation left
        # queued would hold up every later one of this process).
        if future is not None:
            future.cancel()
        raise SimulatorFailed from late
