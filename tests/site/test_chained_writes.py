"""quizzes.chained_writes: PostgreSQL's one-statement writes (a rating's card and its log entry, a
new quiz and its answers) write what the ORM writes, and nothing when the row they depend on has
moved on or is there already."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learnfrl.accounts.users import User
from quizzes.chained_writes import (
    row_insert_then_insert,
    row_insert_then_rows,
    row_update_then_insert,
)
from quizzes.enums import AttemptState, MemoryState, ReviewOrigin
from quizzes.models import AttemptAnswer, CardState, QuizAttempt, ReviewLog
from quizzes.quiz import services as quiz_services
from quizzes.study.selectors import study_profile
from tests.factories import CardStateFactory, QuestionFactory, QuizAttemptFactory, UserFactory
from tests.helpers import rating_recorded

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a write in a WITH clause is PostgreSQL's"
)


# --- a rating: the card and its log entry in one statement ------------------------------------


def _log_for(card: CardState, previous: dict[str, object] | None = None) -> ReviewLog:
    return ReviewLog(
        user=card.user,
        question=card.question,
        rating=3,
        reviewed_at=WHEN,
        duration_ms=1500,
        origin=ReviewOrigin.STUDY,
        state_before=MemoryState.REVIEW,
        previous_card=previous,
    )


@on_postgresql
def test_the_card_and_its_log_entry_are_written_as_the_orm_writes_them():
    card = CardStateFactory.create(in_review=True, reps=4)
    previous = {"state": MemoryState.REVIEW, "due": WHEN.isoformat(), "leech": False}
    log = _log_for(card, previous)
    written = row_update_then_insert(
        CardState,
        where={"id": card.pk, "reps": 4},
        values={"reps": 5, "due": WHEN + timedelta(days=3), "is_leech": True},
        instance=log,
    )
    assert written is True
    assert log.pk is not None
    assert log._state.adding is False
    card.refresh_from_db()
    assert (card.reps, card.due, card.is_leech) == (5, WHEN + timedelta(days=3), True)
    stored = ReviewLog.objects.get(pk=log.pk)
    assert (stored.reviewed_at, stored.duration_ms, stored.origin) == (WHEN, 1500, "study")
    assert stored.previous_card == previous
    assert ReviewLog.objects.filter(pk=log.pk, previous_card__leech=False).exists()


@on_postgresql
def test_no_log_entry_is_written_when_the_card_has_moved_on():
    card = CardStateFactory.create(in_review=True, reps=4)
    log = _log_for(card)
    written = row_update_then_insert(
        CardState, where={"id": card.pk, "reps": 3}, values={"reps": 4}, instance=log
    )
    assert written is False
    assert log._state.adding is True
    assert not ReviewLog.objects.filter(user=card.user).exists()


@on_postgresql
def test_a_null_json_value_is_stored_as_sql_null_in_one_statement_too():
    card = CardStateFactory.create(in_review=True, reps=1)
    log = _log_for(card)
    assert row_update_then_insert(
        CardState, where={"id": card.pk, "reps": 1}, values={"reps": 2}, instance=log
    )
    assert ReviewLog.objects.filter(pk=log.pk, previous_card__isnull=True).exists()


@on_postgresql
def test_a_rating_of_a_card_seen_before_is_one_statement_on_postgresql():
    """BEGIN, an UPDATE of the card, an INSERT of its log entry and COMMIT were four round trips:
    now one statement, which is its own transaction."""
    from django.test.utils import CaptureQueriesContext

    card = CardStateFactory.create(in_review=True, reps=4, last_review=WHEN - timedelta(days=5))
    study_profile(user=card.user)
    with CaptureQueriesContext(connection) as captured:
        recorded = rating_recorded(card.user, card.question_id, shown_reps=4, now=WHEN)
    writes = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1, writes
    assert writes[0].startswith("WITH updated AS (UPDATE")
    card.refresh_from_db()
    assert card.reps == 5
    previous = ReviewLog.objects.get(pk=recorded.log.pk).previous_card
    assert previous is not None
    assert previous["reps"] == 4


def _first_card(user: User, question_id: int) -> CardState:
    return CardState(
        user=user,
        question_id=question_id,
        state=MemoryState.LEARNING,
        step=0,
        reps=1,
        due=WHEN + timedelta(minutes=10),
        last_review=WHEN,
        created_at=WHEN,
    )


def _first_log(user: User, question_id: int) -> ReviewLog:
    return ReviewLog(
        user=user,
        question_id=question_id,
        rating=3,
        reviewed_at=WHEN,
        duration_ms=900,
        origin=ReviewOrigin.STUDY,
    )


@on_postgresql
def test_a_first_card_and_its_log_entry_are_written_as_the_orm_writes_them():
    user, question = UserFactory.create(), QuestionFactory.create()
    log = _first_log(user, question.pk)
    written = row_insert_then_insert(
        _first_card(user, question.pk), unique=("user_id", "question_id"), then=log
    )
    assert written is True
    assert log.pk is not None
    assert log._state.adding is False
    card = CardState.objects.get(user=user, question=question)
    assert (card.state, card.step, card.reps) == (MemoryState.LEARNING, 0, 1)
    assert (card.due, card.last_review, card.created_at) == (
        WHEN + timedelta(minutes=10),
        WHEN,
        WHEN,
    )
    stored = ReviewLog.objects.get(pk=log.pk)
    assert (stored.question_id, stored.reviewed_at, stored.duration_ms) == (question.pk, WHEN, 900)
    assert stored.state_before == ReviewLog._meta.get_field("state_before").get_default()
    assert ReviewLog.objects.filter(pk=log.pk, previous_card__isnull=True).exists()


@on_postgresql
def test_a_card_created_meanwhile_writes_nothing_and_spoils_no_transaction():
    """Another request's card is there: no second card, no log entry, and no error, so that a
    caller's transaction goes on (a quiz answer reads the card and rates it again)."""
    card = CardStateFactory.create(reps=2)
    log = _first_log(card.user, card.question_id)
    with transaction.atomic():
        written = row_insert_then_insert(
            _first_card(card.user, card.question_id), unique=("user_id", "question_id"), then=log
        )
        assert CardState.objects.filter(user=card.user).count() == 1  # the transaction goes on
    assert written is False
    assert log._state.adding is True
    card.refresh_from_db()
    assert card.reps == 2
    assert not ReviewLog.objects.filter(user=card.user).exists()


@on_postgresql
def test_a_first_rating_is_one_statement_on_postgresql():
    """BEGIN, an INSERT of the card, an INSERT of its log entry and COMMIT were four round trips:
    now one statement, which is its own transaction."""
    from django.test.utils import CaptureQueriesContext

    user, question = UserFactory.create(), QuestionFactory.create()
    study_profile(user=user)
    with CaptureQueriesContext(connection) as captured:
        recorded = rating_recorded(user, question.pk, shown_reps=0, now=WHEN)
    writes = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SELECT")]
    assert len(writes) == 1, writes
    assert writes[0].startswith("WITH created AS (INSERT")
    assert CardState.objects.get(user=user, question=question).reps == 1
    assert ReviewLog.objects.get(pk=recorded.log.pk).question_id == question.pk


def test_a_write_in_a_with_clause_is_refused_where_the_database_cannot_run_it():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL runs it")
    card = CardStateFactory.create(in_review=True, reps=1)
    with pytest.raises(NotImplementedError):
        row_update_then_insert(
            CardState, where={"id": card.pk}, values={"reps": 2}, instance=_log_for(card)
        )
    user, question = UserFactory.create(), QuestionFactory.create()
    with pytest.raises(NotImplementedError):
        row_insert_then_insert(
            _first_card(user, question.pk),
            unique=("user_id", "question_id"),
            then=_first_log(user, question.pk),
        )


@on_postgresql
def test_a_text_too_long_for_its_column_is_refused_in_one_statement_not_cut_short():
    from django.db import DataError

    card = CardStateFactory.create(in_review=True, reps=1)
    log = _log_for(card)
    log.origin = "study" * 20
    with pytest.raises(DataError), transaction.atomic():
        row_update_then_insert(
            CardState, where={"id": card.pk, "reps": 1}, values={"reps": 2}, instance=log
        )
    card.refresh_from_db()
    assert card.reps == 1
    assert not ReviewLog.objects.filter(user=card.user).exists()


# --- a quiz start: the quiz and its answers in one statement -----------------------------------


def _start(user, now, length=2):
    """A quiz started for `user` through the service, as its view starts one."""
    return quiz_services.attempt_start(
        user=user, category_slug=None, length=length, seconds_per_question=30, now=now
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
        written = quiz_services._attempt_write(attempt, _rows(questions))
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
def test_a_quiz_of_any_length_is_one_statement_text_with_a_parameter_a_column():
    """The answers go as an array a column: psycopg converts a statement once and keeps it only
    up to 50 parameters, and a VALUES row a value gave a quiz of 20 questions 180."""
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append((sql, len(params)))
        return execute(sql, params, many, context)

    questions = QuestionFactory.create_batch(20)
    for length in (2, 20):
        attempt = _attempt(UserFactory.create())
        with connection.execute_wrapper(keep):
            assert quiz_services._attempt_write(attempt, _rows(questions[:length]))
    (two_sql, two_params), (twenty_sql, twenty_params) = sent
    assert twenty_sql == two_sql
    assert twenty_params == two_params <= 50
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 20


@on_postgresql
def test_a_quiz_running_already_writes_nothing_and_spoils_no_transaction():
    running = QuizAttemptFactory.create()
    attempt = _attempt(running.user)
    questions = QuestionFactory.create_batch(2)
    with transaction.atomic():
        written = quiz_services._attempt_write(attempt, _rows(questions))
        assert QuizAttempt.objects.filter(user=running.user).count() == 1  # it goes on
    assert written is False
    assert (attempt.pk, attempt._state.adding) == (None, True)
    assert not AttemptAnswer.objects.filter(question__in=questions).exists()


@on_postgresql
def test_the_rows_leave_their_link_to_the_statement():
    user, question = UserFactory.create(), QuestionFactory.create()
    rows = [{"question_id": question.pk, "position": 0, "attempt_id": 1}]
    with pytest.raises(ValueError, match="sets 'attempt_id' itself"):
        quiz_services._attempt_write(_attempt(user), rows)
    with pytest.raises(ValueError, match="at least one"):
        quiz_services._attempt_write(_attempt(user), [])
    assert not QuizAttempt.objects.filter(user=user).exists()


@on_postgresql
def test_answers_breaking_a_constraint_are_an_error_and_write_no_quiz():
    """Only the running quiz's index is met without an error: two answers in one position are
    the IntegrityError they would be with the ORM, and the quiz is not written either."""
    user, questions = UserFactory.create(), QuestionFactory.create_batch(2)
    rows = [{**row, "position": 0} for row in _rows(questions)]
    with pytest.raises(IntegrityError), transaction.atomic():
        quiz_services._attempt_write(_attempt(user), rows)
    assert not QuizAttempt.objects.filter(user=user).exists()
    assert not AttemptAnswer.objects.filter(question__in=questions).exists()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no WITH write")
def test_elsewhere_it_is_refused():
    user, question = UserFactory.create(), QuestionFactory.create()
    with pytest.raises(NotImplementedError):
        row_insert_then_rows(
            _attempt(user),
            unique=("user_id",),
            then=AttemptAnswer,
            link="attempt_id",
            rows=_rows([question]),
        )


@on_postgresql
def test_a_quiz_start_writes_in_one_statement_without_a_transaction_of_its_own():
    """BEGIN (a savepoint inside a test), two INSERTs and COMMIT were four round trips."""
    user = UserFactory.create()
    QuestionFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        attempt = _start(user, timezone.now(), length=4)
    sent = [q["sql"] for q in queries.captured_queries]
    writes = [sql for sql in sent if "INSERT" in sql]
    assert len(writes) == 1
    assert 'INSERT INTO "quizzes_quizattempt"' in writes[0]
    assert 'INSERT INTO "quizzes_attemptanswer"' in writes[0]
    assert not [sql for sql in sent if sql.startswith(("SAVEPOINT", "BEGIN", "RELEASE"))]
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 4


def test_a_quiz_start_beside_a_running_quiz_is_told_of_it(monkeypatch):
    """The start reads no running quiz before its write: the write meets it (whether it was
    started long before or by another request a moment ago), and only then is it read."""
    running = QuizAttemptFactory.create()
    QuestionFactory.create_batch(3)
    steps = []
    read, write = quiz_services.attempt_running_now, quiz_services._attempt_write

    def reading(**kwargs):
        steps.append("read")
        return read(**kwargs)

    def writing(*args):
        steps.append("write")
        return write(*args)

    monkeypatch.setattr(quiz_services, "attempt_running_now", reading)
    monkeypatch.setattr(quiz_services, "_attempt_write", writing)
    with pytest.raises(quiz_services.AttemptRunning) as told:
        _start(running.user, running.started_at + timedelta(seconds=1))  # before its deadline
    assert told.value.attempt.pk == running.pk
    assert steps == ["write", "read"]
    assert QuizAttempt.objects.filter(user=running.user).count() == 1


def test_a_quiz_start_with_nothing_to_pick_beside_a_running_quiz_is_told_of_the_quiz():
    """With no question left to pick, the learner is still sent to the quiz they have running
    rather than told there are no questions (no write meets it: it is looked for first)."""
    running = QuizAttemptFactory.create()  # and the bank has no question at all
    with pytest.raises(quiz_services.AttemptRunning) as told:
        _start(running.user, running.started_at + timedelta(seconds=1))  # before its deadline
    assert told.value.attempt.pk == running.pk
    with pytest.raises(quiz_services.NotEnoughQuestions):
        _start(UserFactory.create(), running.started_at + timedelta(seconds=1))


def test_a_start_whose_running_quiz_finished_meanwhile_is_written_again(monkeypatch):
    """The write met a running quiz that was finished before the start could read it: the
    start is written again rather than told of a quiz that is no longer running."""
    user = UserFactory.create()
    QuestionFactory.create_batch(3)
    write = quiz_services._attempt_write
    tries = []

    def met_once(attempt, answers):
        tries.append(attempt)
        return False if len(tries) == 1 else write(attempt, answers)

    monkeypatch.setattr(quiz_services, "_attempt_write", met_once)
    attempt = _start(user, timezone.now())
    assert len(tries) == 2
    assert QuizAttempt.objects.get(user=user, state=AttemptState.RUNNING) == attempt
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 2
