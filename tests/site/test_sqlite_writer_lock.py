"""The SQLite backend's writer lock (learnfrl/sqlite/base.py), on a real database file."""

import time

import pytest
from django.db import OperationalError, connection

from learnfrl.sqlite.base import DatabaseWrapper


@pytest.fixture
def wrappers(tmp_path, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip("the writer lock is part of the SQLite backend")
    made: list[DatabaseWrapper] = []
    # Connections of our own to a file beside the test database, outside pytest-django's.
    django_db_blocker.unblock()

    def make(timeout: float) -> DatabaseWrapper:
        settings = {
            **connection.settings_dict,
            "NAME": str(tmp_path / "lock.sqlite3"),
            "TEST": {},
            "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": timeout},
        }
        wrapper = DatabaseWrapper(settings, alias=f"lock-test-{len(made)}")
        wrapper.ensure_connection()
        made.append(wrapper)
        return wrapper

    yield make
    for wrapper in made:
        wrapper.close()
    django_db_blocker.restore()


def begin(wrapper: DatabaseWrapper) -> None:
    wrapper._start_transaction_under_autocommit()


def test_a_second_writer_waits_and_gets_database_locked_after_its_timeout(wrappers):
    first, second = wrappers(5), wrappers(0.2)
    begin(first)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="database is locked"):
        begin(second)
    assert 0.2 <= time.monotonic() - started < 2
    assert second._writer_lock_fd is None  # nothing left held after the failure
    first._commit()


def test_the_lock_is_released_by_commit_and_by_rollback(wrappers):
    first, second = wrappers(5), wrappers(0.5)
    begin(first)
    first._commit()
    begin(second)  # free again
    second._rollback()
    begin(first)
    assert first._writer_lock_fd is not None
    first._rollback()
    assert first._writer_lock_fd is None


def test_closing_a_connection_releases_its_lock(wrappers):
    first, second = wrappers(5), wrappers(0.5)
    begin(first)
    first.close()
    begin(second)
    second._rollback()
