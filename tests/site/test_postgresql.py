"""PostgreSQL's prepared statements (settings.py): the statements a connection repeats are
planned once."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.skipif(
        not settings.DATABASE_PREPARED_STATEMENTS, reason="DATABASE_PREPARED_STATEMENTS=0"
    ),
]


def test_a_statement_a_connection_repeats_is_prepared_and_planned_once():
    """psycopg prepares a statement the fifth time a connection sends it: the study queue and
    the figures key are then planned once per connection, not once per request."""
    with connection.cursor() as cursor:
        for n in range(6):
            cursor.execute("SELECT %s::int + 1 AS learnfrl_prepared_check", [n])
            assert cursor.fetchone()[0] == n + 1
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%learnfrl_prepared_check%"],
        )
        assert cursor.fetchone()[0] == 1


def test_the_study_queue_is_planned_once_per_connection_and_the_setting_taken_back(
    monkeypatch,
):
    """The queue statement runs with its generic plan (PostgreSQL planned it anew for every
    request, most of its time), the setting sent with it in one pipeline (one round trip);
    every other statement keeps PostgreSQL's own choice."""
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from quizzes.study import queue
    from tests.factories import UserFactory

    user = UserFactory.create()
    connection.ensure_connection()
    psycopg_connection = connection.connection
    real_pipeline = psycopg_connection.pipeline
    pipelined: list[list[str]] = []

    @contextmanager
    def pipeline() -> Iterator[object]:
        with CaptureQueriesContext(connection) as inside, real_pipeline() as started:
            yield started
        pipelined.append([query["sql"].strip().split()[0] for query in inside.captured_queries])

    monkeypatch.setattr(psycopg_connection, "pipeline", pipeline)
    with CaptureQueriesContext(connection) as captured:
        study = queue.study_queue(user=user, now=timezone.now())
    assert study.reviewed_today == 0
    sent = [query["sql"].strip().split()[0] for query in captured.captured_queries]
    assert sent[-3:] == ["SET", "WITH", "RESET"]
    assert pipelined == [["SET", "WITH", "RESET"]]
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"


@pytest.mark.django_db(transaction=True)
def test_a_queue_statement_that_fails_leaves_the_setting_as_it_was(monkeypatch):
    from django.db import DatabaseError
    from django.utils import timezone

    from quizzes.study import queue
    from tests.factories import UserFactory

    user = UserFactory.create()
    # The statement as written for this database (kept once written): one that fails.
    monkeypatch.setattr(queue, "_queue_sql", lambda *written: "SELECT 1 / 0 AS broken")
    with pytest.raises(DatabaseError):
        queue.study_queue(user=user, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"


def test_the_questions_seen_today_are_planned_once_per_connection():
    """A quiz start reads them alone (the queue reads them within its statement): PostgreSQL
    planned that read anew on every start, as it did the queue, until given its generic plan."""
    from django.utils import timezone

    from quizzes.study.siblings import seen_today
    from tests.factories import UserFactory

    user = UserFactory.create()
    for _ in range(8):
        assert seen_today(user=user, day_start=timezone.now()) == ([], [])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT custom_plans, generic_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ["%seen AS (%SELECT s.question_id AS question_id, 0 AS studied FROM seen s UNION ALL%"],
        )
        ((custom, generic),) = cursor.fetchall()
        assert custom == 0
        assert generic >= 2
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"
