"""PostgreSQL race tests: which connection is which, and waiting until one waits on a lock."""

import time

from django.db import connection


def backend_pid() -> int:
    """This thread's connection's server process."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def wait_until_blocked(pid_box: list[int], *, what: str, timeout: float = 10.0) -> None:
    """Return once the connection whose server process `pid_box` will hold waits on a lock
    (it reached the write the test races); `what` names that write in the failure."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid_box:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid_box[0]]
                )
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
        time.sleep(0.01)
    raise AssertionError(f"{what} never reached a lock")
