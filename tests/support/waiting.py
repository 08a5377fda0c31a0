"""A computation that never finishes, for the tests of the low-priority processes: it says which
process runs it, then waits."""

import os
import time
from pathlib import Path


def pid_then_wait(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    while True:
        time.sleep(1)


def refuse_to_start() -> None:
    """An initializer that fails: every process of the pool dies as it starts."""
    raise SystemExit(3)
