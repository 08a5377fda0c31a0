"""quizzes.chained_writes: a new quiz and its answers in one PostgreSQL statement, written as the
ORM writes them, and nothing written when the learner has a quiz running already."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quizzes.chained_writes import row_insert_then_rows
from quizzes.enums import AttemptState
from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.quiz import services as quiz_services
from tests.factories import QuestionFactory, QuizAttemptFactory, UserFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a write in a WITH clause is PostgreSQL's"
)


def _attempt(user) -> QuizAttempt:
    return QuizAttempt(
        user=user,
        length=3,
        requested_length=3,
        seconds_per_question=30,
        started_at=WHEN,
        deadline=WHEN + timedelta(seconds=90),
    )


def _rows(questions) -> list[dict]:
    return [
        {"question_id": q.pk, "position": i, "choice_order": [3, 1, 2]}
        for i, q in enumerate(questions)
    ]


@on_postgresql
def test_a_quiz_and_its_answers_are_one_statement_written_as_the_orm_writes_them(
    django_assert_num_queries,
):
    user, questions = UserFactory.create(), QuestionFactory.create_batch(3)
    attempt = _attempt(user)
    with django_assert_num_queries(1):
        written = row_insert_then_rows(
            attempt, then=AttemptAnswer, link="attempt_id", rows=_rows(questions)
        )
    assert written is True
    assert attempt.pk is not None
    assert attempt._state.adding is False
    stored = QuizAttempt.objects.get(pk=attempt.pk)
    assert (stored.state, stored.started_at, stored.deadline, stored.finished_at) == (
        AttemptState.RUNNING,
        WHEN,
        WHEN + timedelta(seconds=90),
        None,
    )
    # The answers' columns, those the rows left out included, as bulk_create writes them.
    other = QuizAttemptFactory.create()
    AttemptAnswer.objects.bulk_create(
        AttemptAnswer(attempt=other, question=q, position=i, choice_order=[3, 1, 2])
        for i, q in enumerate(questions)
    )
    columns = [f.attname for f in AttemptAnswer._meta.concrete_fields if f.attname != "id"]
    mine = AttemptAnswer.objects.filter(attempt=attempt).order_by("position").values(*columns)
    theirs = AttemptAnswer.objects.filter(attempt=other).order_by("position").values(*columns)
    assert [{**a, "attempt_id": None} for a in mine] == [{**a, "attempt_id": None} for a in theirs]
    assert {a["attempt_id"] for a in mine} == {attempt.pk}


@on_postgresql
def test_a_quiz_running_already_writes_nothing_and_spoils_no_transaction():
    running = QuizAttemptFactory.create()
    attempt = _attempt(running.user)
    questions = QuestionFactory.create_batch(2)
    with transaction.atomic():
        written = row_insert_then_rows(
            attempt, then=AttemptAnswer, link="attempt_id", rows=_rows(questions)
        )
        assert QuizAttempt.objects.filter(user=running.user).count() == 1  # it goes on
    assert written is False
    assert attempt.pk is None
    assert attempt._state.adding is True
    assert not AttemptAnswer.objects.filter(question__in=questions).exists()


@on_postgresql
def test_the_rows_leave_their_link_to_the_statement():
    user, question = UserFactory.create(), QuestionFactory.create()
    rows = [{"question_id": question.pk, "position": 0, "attempt_id": 1}]
    with pytest.raises(ValueError, match="without 'attempt_id'"):
        row_insert_then_rows(_attempt(user), then=AttemptAnswer, link="attempt_id", rows=rows)
    with pytest.raises(ValueError, match="without 'attempt_id'"):
        row_insert_then_rows(_attempt(user), then=AttemptAnswer, link="attempt_id", rows=[])
    assert not QuizAttempt.objects.filter(user=user).exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no WITH write")
def test_elsewhere_it_is_refused():
    user, question = UserFactory.create(), QuestionFactory.create()
    with pytest.raises(NotImplementedError):
        row_insert_then_rows(
            _attempt(user), then=AttemptAnswer, link="attempt_id", rows=_rows([question])
        )


@on_postgresql
def test_a_quiz_start_writes_in_one_statement_without_a_transaction_of_its_own():
    """BEGIN (a savepoint inside a test), two INSERTs and COMMIT were four round trips."""
    user = UserFactory.create()
    QuestionFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        attempt = quiz_services.attempt_start(
            user=user, category_slug=None, length=4, seconds_per_question=30, now=timezone.now()
        )
    sent = [q["sql"] for q in queries.captured_queries]
    writes = [sql for sql in sent if "INSERT" in sql]
    assert len(writes) == 1
    assert 'INSERT INTO "quizzes_quizattempt"' in writes[0]
    assert 'INSERT INTO "quizzes_attemptanswer"' in writes[0]
    assert not [sql for sql in sent if sql.startswith(("SAVEPOINT", "BEGIN", "RELEASE"))]
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_a_quiz_start_beside_a_running_quiz_is_told_of_it(monkeypatch):
    """The start's own write finds the quiz another request started after its read."""
    running = QuizAttemptFactory.create()
    QuestionFactory.create_batch(3)
    # The read saw no quiz running: the other request's came after it.
    monkeypatch.setattr(quiz_services, "attempt_running_now", lambda **kwargs: None)
    with pytest.raises(quiz_services.AttemptRunning) as told:
        quiz_services.attempt_start(
            user=running.user,
            category_slug=None,
            length=2,
            seconds_per_question=30,
            now=timezone.now(),
        )
    assert told.value.attempt.pk == running.pk
    assert QuizAttempt.objects.filter(user=running.user).count() == 1
