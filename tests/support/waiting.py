"""Computations for the tests of the low-priority processes: one that says which process runs
it, then waits (two minutes at most, so that a process left running ends a test rather than
hanging it); one that leaves a mark when it runs; an initializer that fails."""

import os
import time
from pathlib import Path

WAIT_AT_MOST = 120


def pid_then_wait(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    time.sleep(WAIT_AT_MOST)


def mark(path: str) -> None:
    Path(path).write_text("ran")


def refuse_to_start() -> None:
    """An initializer that fails: every process of the pool dies as it starts."""
    raise SystemExit(3)
