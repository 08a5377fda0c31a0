"""PostgreSQL's prepared statements (settings.py): the statements a connection repeats are
planned once."""

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


def test_the_study_queue_is_planned_once_per_connection_and_the_setting_taken_back(monkeypatch):
    """The queue statement runs with its generic plan (PostgreSQL planned it anew for every
    request, most of its time); every other statement keeps PostgreSQL's own choice."""
    from django.utils import timezone

    from quizzes.study import queue
    from tests.factories import UserFactory

    user = UserFactory.create()
    seen = []
    real = queue._generic_plan

    def noted(cursor):
        chosen = real(cursor)
        cursor.execute("SHOW plan_cache_mode")
        seen.append(cursor.fetchone()[0])
        return chosen

    monkeypatch.setattr(queue, "_generic_plan", noted)
    study = queue.study_queue(user=user, now=timezone.now())
    assert seen == ["force_generic_plan"]
    assert study.reviewed_today == 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"
