"""A computation that never finishes, for the tests of the low-priority processes: it says which
process runs it, then waits."""

import os
import time
from pathlib import Path


def pid_then_wait(path: str) -> None:
    Path(path).write_text(str(os.getpid()))
    while True:
        time.sleep(1)
