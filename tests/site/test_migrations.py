"""The Retake fix's data migration: past attempts get the length they most likely asked for."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from quizzes.enums import AttemptState

BEFORE = [("quizzes", "0005_drop_user_indexes_covered_by_composites")]
AFTER = [("quizzes", "0006_attempt_requested_length")]
WHEN = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def latest_schema_after():
    """Leave the database at the latest migrations, as the tests after this one expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_past_attempts_ask_again_for_the_smallest_length_that_covers_what_they_held():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="before-the-fix")
    attempt = old.get_model("quizzes", "QuizAttempt")
    held = {4: 5, 5: 5, 7: 10, 10: 10, 20: 20}
    for length in held:
        attempt.objects.create(
            user=user,
            length=length,
            seconds_per_question=30,
            started_at=WHEN,
            deadline=WHEN,
            state=AttemptState.FINISHED,
            finished_at=WHEN,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("quizzes", "QuizAttempt")
    assert dict(new.objects.values_list("length", "requested_length")) == held
