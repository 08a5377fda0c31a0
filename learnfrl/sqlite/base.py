"""Django's SQLite backend, with write transactions queued by an exclusive file lock.

SQLite allows one writer at a time. When a second writer finds the database locked, SQLite's busy
handler sleeps and retries at growing intervals (1, 2, 5, 10 … 100 ms), so under concurrent
ratings the unlucky request waits far longer than the write it waits for (p99 over 100 ms in
bench/). Taking an exclusive flock() on a file beside the database before BEGIN IMMEDIATE makes
writers, in every process and thread, queue for it and retry every millisecond or so. A writer
that cannot get it within the database's timeout gets "database is locked" (a 503 page), as it
would from SQLite. Reads take no lock. In-memory databases (the tests) are left as they are.
"""

import fcntl
import os
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_lock_fd: int | None = None

    def _writer_lock_acquire(self) -> None:
        if self._writer_lock_fd is not None or self.is_in_memory_db():
            return
        fd = os.open(f"{self.settings_dict['NAME']}.writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + float(self.settings_dict["OPTIONS"].get("timeout", 5))
        # A write holds the lock about a millisecond (a rating: two statements and the commit),
        # so a waiter looks again within one: sleeping up to 4 ms, as it did, left the lock free
        # while writers slept. A look is one system call.
        pause = 0.0001
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise OperationalError("database is locked") from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.001)
        except BaseException:
            os.close(fd)
            raise
        self._writer_lock_fd = fd

    def _writer_lock_release(self) -> None:
        fd, self._writer_lock_fd = self._writer_lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the lock

    # Django's SQLite wrapper has these private methods; django-stubs does not declare them,
    # hence the one ignore on each call to the superclass.
    def _start_transaction_under_autocommit(self) -> None:
        self._writer_lock_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._writer_lock_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._writer_lock_release()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._writer_lock_release()

    def _close(self) -> None:
        self._writer_lock_release()
        super()._close()  # type: ignore[misc]
