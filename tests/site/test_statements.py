"""quizzes.statements: the rows a rating and a quiz answer read and write without the ORM's
compiling are read and written exactly as the ORM reads and writes them."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models.signals import post_save, pre_save
from django.test import override_settings

from learnfrl.accounts.users import User
from quizzes.enums import ClaimStatus, MemoryState, ReviewOrigin
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardState,
    QuizAttempt,
    ReviewLog,
    StudyProfile,
)
from quizzes.statements import (
    Read,
    get_read,
    reads_run,
    row_built,
    row_get,
    row_insert,
    row_update,
    rows_fetched,
    rows_insert,
    rows_values,
    select_list,
    values_read,
)
from quizzes.study.selectors import study_profile
from tests.factories import (
    AttemptAnswerFactory,
    CardStateFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudyProfileFactory,
    UserFactory,
)
from tests.helpers import pipelines_sent

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def test_a_card_is_read_as_the_orm_reads_it():
    card = CardStateFactory.create(in_review=True, due=WHEN, last_review=WHEN - timedelta(days=3))
    read = row_get(CardState, user_id=card.user_id, question_id=card.question_id)
    assert read == card
    orm = CardState.objects.get(pk=card.pk)
    for field in CardState._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.due.tzinfo is not None
    assert read._state.adding is False


def test_no_row_is_none():
    user, question = UserFactory.create(), QuestionFactory.create()
    assert row_get(CardState, user_id=user.pk, question_id=question.pk) is None


def test_an_inserted_log_is_the_row_the_orm_reads_back():
    card = CardStateFactory.create()
    previous = {"state": MemoryState.REVIEW, "due": WHEN.isoformat(), "leech": False}
    log = ReviewLog(
        user=card.user,
        question=card.question,
        rating=3,
        reviewed_at=WHEN,
        duration_ms=None,
        origin=ReviewOrigin.QUIZ,
        state_before=MemoryState.REVIEW,
        previous_card=previous,
    )
    with transaction.atomic():
        row_insert(log)
    assert log.pk is not None
    assert log._state.adding is False
    stored = ReviewLog.objects.get(pk=log.pk)
    assert stored.reviewed_at == WHEN
    assert stored.previous_card == previous
    assert stored.duration_ms is None
    assert stored.origin == ReviewOrigin.QUIZ
    # The JSON column is filtered on as the ORM writes it (the quiz results look up leeches so).
    assert ReviewLog.objects.filter(pk=log.pk, previous_card__leech=False).exists()


def test_a_missing_json_value_is_stored_as_sql_null():
    card = CardStateFactory.create()
    log = ReviewLog(user=card.user, question=card.question, rating=1, reviewed_at=WHEN)
    with transaction.atomic():
        row_insert(log)
    assert ReviewLog.objects.filter(pk=log.pk, previous_card__isnull=True).exists()


def test_a_second_card_for_one_question_breaks_the_constraint_as_with_the_orm():
    card = CardStateFactory.create()
    twin = CardState(user=card.user, question=card.question, due=WHEN, created_at=WHEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        row_insert(twin)


def test_an_update_changes_only_the_rows_its_condition_names():
    card = CardStateFactory.create(in_review=True, reps=4)
    other = CardStateFactory.create(user=card.user, in_review=True, reps=4)
    values = {"reps": 5, "due": WHEN, "stability": 12.5, "is_leech": True}
    with transaction.atomic():
        assert row_update(CardState, where={"id": card.pk, "reps": 3}, values=values) == 0
        assert row_update(CardState, where={"id": card.pk, "reps": 4}, values=values) == 1
    card.refresh_from_db()
    other.refresh_from_db()
    assert (card.reps, card.due, card.stability, card.is_leech) == (5, WHEN, 12.5, True)
    assert other.reps == 4


def test_a_none_in_the_condition_is_is_null():
    first, second = AttemptAnswerFactory.create(), AttemptAnswerFactory.create(answered=True)
    values = {"answered_at": WHEN, "is_correct": False}
    with transaction.atomic():
        for answer in (first, second):
            where = {"id": answer.pk, "answered_at": None, "is_correct": None}
            row_update(AttemptAnswer, where=where, values=values)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.answered_at, first.is_correct) == (WHEN, False)
    assert second.is_correct is True


def test_an_unknown_column_is_refused_by_name():
    with pytest.raises(LookupError, match="no column 'user'"):
        row_get(CardState, user=1)


def test_the_learners_settings_are_read_once_a_request_and_kept_where_the_orm_keeps_them(
    django_assert_num_queries,
):
    profile = StudyProfileFactory.create(desired_retention=0.85)
    user = User.objects.get(pk=profile.user_id)
    with django_assert_num_queries(1):
        assert study_profile(user=user) == profile
        assert study_profile(user=user).desired_retention == 0.85
        assert user.study_profile == profile  # the ORM's own accessor finds it read
        assert study_profile(user=user).user is user


def test_a_learner_without_settings_gets_the_defaults_unsaved_with_one_read(
    django_assert_num_queries,
):
    user = UserFactory.create()
    with django_assert_num_queries(1):
        first = study_profile(user=user)
        again = study_profile(user=user)
    assert first._state.adding  # unsaved
    assert again is first
    assert first.desired_retention == StudyProfile().desired_retention


@pytest.mark.parametrize(
    "model", [CardState, ReviewLog, StudyProfile, AttemptAnswer, AnswerClaim, QuizAttempt]
)
def test_nothing_listens_for_saves_of_the_rows_written_without_save(model):
    # row_insert and row_update send no signals: this fails if a receiver is ever added.
    assert not pre_save.has_listeners(model)
    assert not post_save.has_listeners(model)


def test_a_row_joined_from_two_tables_builds_each_model_as_the_orm_reads_it():
    answer = AttemptAnswerFactory.create(answered=True)
    table = AttemptAnswer._meta.db_table
    joined = QuizAttempt._meta.db_table
    (row,) = rows_fetched(
        f"SELECT {select_list(AttemptAnswer, 'a')}, {select_list(QuizAttempt, 't')}"
        f' FROM "{table}" a JOIN "{joined}" t ON t.id = a.attempt_id WHERE a.id = %s',
        [answer.pk],
    )
    for model, alias, pk in (
        (AttemptAnswer, "a", answer.pk),
        (QuizAttempt, "t", answer.attempt_id),
    ):
        built = row_built(model, row, alias)
        orm = model._default_manager.get(pk=pk)
        for field in model._meta.concrete_fields:
            assert getattr(built, field.attname) == getattr(orm, field.attname), field.name
        assert built._state.adding is False


def test_a_saved_row_is_not_inserted_again():
    card = CardStateFactory.create()
    with pytest.raises(ValueError, match="saved already"):
        row_insert(card)


def test_a_failed_write_spoils_the_transaction_it_is_in_as_the_orms_do():
    card = CardStateFactory.create()
    twin = CardState(user=card.user, question=card.question, due=WHEN, created_at=WHEN)
    spoiled: list[bool] = []

    def insert_noting_the_transaction() -> None:
        try:
            row_insert(twin)
        finally:
            spoiled.append(transaction.get_connection().needs_rollback)

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_noting_the_transaction()
    assert spoiled == [True]


# --- a rating's one read: the learner's settings with their card ------------------------------


def test_the_settings_and_the_card_are_read_in_one_statement_as_the_orm_reads_them(
    django_assert_num_queries,
):
    from quizzes.study.selectors import card_read_with_settings

    card = CardStateFactory.create(in_review=True, due=WHEN, last_review=WHEN - timedelta(days=3))
    StudyProfileFactory.create(user=card.user, desired_retention=0.85)
    user = User.objects.get(pk=card.user_id)
    with django_assert_num_queries(1):
        read = card_read_with_settings(user=user, question_id=card.question_id)
        profile = study_profile(user=user)
    assert read.state == card
    orm = CardState.objects.get(pk=card.pk)
    for field in CardState._meta.concrete_fields:
        assert getattr(read.state, field.attname) == getattr(orm, field.attname), field.name
    assert profile.pk == StudyProfile.objects.get(user=user).pk
    assert profile.desired_retention == 0.85
    assert profile.user is user


def test_a_learner_with_no_settings_and_no_card_gets_the_defaults_and_none():
    from quizzes.study.selectors import card_read_with_settings

    user, question = UserFactory.create(), QuestionFactory.create()
    read = card_read_with_settings(user=user, question_id=question.pk)
    assert read.state is None
    profile = study_profile(user=user)
    assert profile._state.adding is True  # the defaults, unsaved
    assert profile.desired_retention == StudyProfile().desired_retention


def test_settings_read_already_are_not_read_again(django_assert_num_queries):
    from quizzes.study.selectors import card_read_with_settings

    card = CardStateFactory.create()
    user = User.objects.get(pk=card.user_id)
    study_profile(user=user)
    with django_assert_num_queries(1):
        read = card_read_with_settings(user=user, question_id=card.question_id)
    assert read.state == card


def test_columns_of_many_rows_are_read_as_values_list_reads_them():
    user = UserFactory.create()
    CardStateFactory.create(user=user, in_review=True, due=WHEN, last_review=WHEN - timedelta(1))
    CardStateFactory.create(user=user)  # new: no times, no stability
    CardStateFactory.create()  # another learner's
    names = ("id", "question_id", "state", "stability", "due", "last_review", "reps")
    read = sorted(rows_values(CardState, names, user_id=user.pk))
    orm = sorted(CardState.objects.filter(user=user).values_list(*names, named=True))
    assert [tuple(row) for row in read] == [tuple(row) for row in orm]
    assert [row._fields for row in read] == [names, names]
    reviewed = next(row for row in read if row.last_review is not None)
    assert reviewed.due == WHEN
    assert reviewed.due.tzinfo is not None


@pytest.mark.parametrize("use_tz", [True, False])
def test_times_of_many_rows_are_read_as_values_list_reads_them_with_or_without_zones(use_tz):
    """Times read without the ORM's converter for each value (SQLite's), as it reads them: in
    the connection's zone, or without one when time zones are off."""
    user = UserFactory.create()
    CardStateFactory.create(user=user, in_review=True, due=WHEN, last_review=WHEN - timedelta(1))
    CardStateFactory.create(user=user)
    names = ("id", "due", "last_review", "created_at")
    with override_settings(USE_TZ=use_tz):
        read = sorted(rows_values(CardState, names, user_id=user.pk))
        orm = sorted(CardState.objects.filter(user=user).values_list(*names, named=True))
    assert [tuple(row) for row in read] == [tuple(row) for row in orm]
    reviewed = next(row for row in read if row.last_review is not None)
    assert (reviewed.due.tzinfo is not None) is use_tz
    assert reviewed.due.replace(tzinfo=UTC) == WHEN
    assert {type(row.created_at) for row in read} == {datetime}


def test_no_rows_are_an_empty_list():
    assert rows_values(CardState, ("id",), user_id=UserFactory.create().pk) == []


def test_many_rows_are_inserted_in_one_statement_as_bulk_create_inserts_them(
    django_assert_num_queries,
):
    attempt = QuizAttemptFactory.create()
    questions = QuestionFactory.create_batch(3)
    mine = [
        {"attempt_id": attempt.pk, "question_id": q.pk, "position": i, "choice_order": [3, 1, 2]}
        for i, q in enumerate(questions)
    ]
    other = QuizAttemptFactory.create()
    theirs = [
        AttemptAnswer(attempt=other, question=q, position=i, choice_order=[3, 1, 2])
        for i, q in enumerate(questions)
    ]
    with transaction.atomic():
        with django_assert_num_queries(1):
            rows_insert(AttemptAnswer, mine)
        AttemptAnswer.objects.bulk_create(theirs)
    columns = [f.attname for f in AttemptAnswer._meta.concrete_fields if f.attname != "id"]
    written = AttemptAnswer.objects.filter(attempt=attempt).order_by("position")
    expected = AttemptAnswer.objects.filter(attempt=other).order_by("position")
    # The columns left out (the answer, its verdict, who marked it right) took their defaults.
    assert [{**a, "attempt_id": None} for a in written.values(*columns)] == [
        {**a, "attempt_id": None} for a in expected.values(*columns)
    ]
    assert len(written) == 3
    assert written[0].choice_order == [3, 1, 2]
    assert (written[0].response, written[0].is_correct, written[0].marked_right_by) == (
        "",
        None,
        "",
    )
    rows_insert(AttemptAnswer, [])  # nothing to insert: no statement


def test_rows_beyond_the_databases_parameters_are_inserted_in_as_many_statements_as_needed(
    monkeypatch, django_assert_num_queries
):
    """One statement holds as many rows as the database takes parameters (SQLite's 999): here
    room for two rows a statement, so five rows take three, and every row is written."""
    attempt = QuizAttemptFactory.create()
    questions = QuestionFactory.create_batch(5)
    rows = [
        {"attempt_id": attempt.pk, "question_id": q.pk, "position": i, "choice_order": [i]}
        for i, q in enumerate(questions)
    ]
    columns = len([f for f in AttemptAnswer._meta.concrete_fields if f.attname != "id"])
    monkeypatch.setattr(connection.features, "max_query_params", columns * 2 + 1)
    with transaction.atomic(), django_assert_num_queries(3):
        rows_insert(AttemptAnswer, rows)
    written = AttemptAnswer.objects.filter(attempt=attempt).order_by("position")
    assert [(a.question_id, a.choice_order) for a in written] == [
        (q.pk, [i]) for i, q in enumerate(questions)
    ]


def test_a_callable_default_is_called_for_each_row_inserted(monkeypatch):
    """As the ORM calls a callable default for each instance (a time, a new id, a new list):
    called once for every row, a default that must differ from row to row would not."""
    user, question = UserFactory.create(), QuestionFactory.create()
    field = AnswerClaim._meta.get_field("created_at")
    made = iter([WHEN, WHEN + timedelta(seconds=1)])
    monkeypatch.setattr(field, "_get_default", lambda: next(made))
    rows = [
        {
            "user_id": user.pk,
            "question_id": question.pk,
            "fact_id": question.fact_id,
            "response": response,
            "normalised": response,
            "origin": ReviewOrigin.STUDY,
        }
        for response in ("first", "second")
    ]
    rows_insert(AnswerClaim, rows)
    stamped = AnswerClaim.objects.filter(user=user).order_by("response")
    assert [c.created_at for c in stamped] == [WHEN, WHEN + timedelta(seconds=1)]
    assert [c.status for c in stamped] == [ClaimStatus.PENDING] * 2  # a constant default


def test_many_rows_breaking_a_constraint_write_none_of_them():
    attempt = QuizAttemptFactory.create()
    question = QuestionFactory.create()
    twice = [
        {"attempt_id": attempt.pk, "question_id": question.pk, "position": i} for i in range(2)
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(AttemptAnswer, twice)
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


def test_rows_inserted_name_known_columns_the_same_in_each_and_never_the_key():
    attempt = QuizAttemptFactory.create()
    question = QuestionFactory.create()
    row = {"attempt_id": attempt.pk, "question_id": question.pk, "position": 0}
    with pytest.raises(LookupError, match="AttemptAnswer has no column 'nope'"):
        rows_insert(AttemptAnswer, [{**row, "nope": 1}])
    with pytest.raises(ValueError, match="name the same columns"):
        rows_insert(AttemptAnswer, [row, {**row, "position": 1, "response": "x"}])
    with pytest.raises(ValueError, match="primary keys"):
        rows_insert(AttemptAnswer, [{**row, "id": 99}])
    assert not AttemptAnswer.objects.filter(attempt=attempt).exists()


def test_a_read_of_many_rows_needs_a_condition_and_known_columns():
    with pytest.raises(ValueError, match="at least one"):
        rows_values(CardState, ("id",))
    with pytest.raises(LookupError, match="CardState has no column 'nope'"):
        rows_values(CardState, ("id", "nope"), user_id=1)


def test_rows_inserted_leave_out_no_column_the_orm_or_the_database_would_fill():
    from django.db import models as django_models
    from django.test.utils import isolate_apps

    with isolate_apps("quizzes"):

        class Stamped(django_models.Model):
            made = django_models.DateTimeField(auto_now_add=True)
            note = django_models.CharField(max_length=5, blank=True)

            class Meta:
                app_label = "quizzes"

            def __str__(self) -> str:
                return self.note

        with pytest.raises(ValueError, match="'made': the ORM sets it"):
            rows_insert(Stamped, [{"note": "x"}])


# --- reads sent together ------------------------------------------------------------------------


def test_reads_sent_together_give_what_each_gives_alone():
    user, unset = UserFactory.create(), UserFactory.create()
    StudyProfileFactory.create(user=user, new_per_day=7)
    CardStateFactory.create(user=user, in_review=True, due=WHEN, last_review=WHEN - timedelta(1))
    CardStateFactory.create(user=user)
    CardStateFactory.create(user=unset)  # another learner's
    names = ("id", "question_id", "stability", "last_review")
    cards, profile, none = reads_run(
        values_read(CardState, names, user_id=user.pk),
        get_read(StudyProfile, user_id=user.pk),
        get_read(StudyProfile, user_id=unset.pk),
    )
    assert sorted(cards) == sorted(rows_values(CardState, names, user_id=user.pk))
    assert profile == row_get(StudyProfile, user_id=user.pk)
    assert profile.new_per_day == 7
    assert none is None


@pytest.mark.postgres
def test_reads_sent_together_are_one_round_trip_on_postgresql():
    user = UserFactory.create()
    with pipelines_sent() as sent:
        reads_run(
            values_read(CardState, ("id",), user_id=user.pk),
            get_read(StudyProfile, user_id=user.pk),
        )
    assert [len(statements) for statements in sent] == [2]


@pytest.mark.parametrize("place", [0, 1, 2], ids=["first", "middle", "last"])
def test_a_read_that_fails_among_others_raises_and_the_rest_of_the_transaction_goes_on(place):
    user = UserFactory.create()
    broken = Read("SELECT nothing FROM no_such_table", [], lambda names, rows: rows)
    reads = [get_read(StudyProfile, user_id=user.pk), get_read(User, id=user.pk)]
    reads.insert(place, broken)
    with pytest.raises(DatabaseError), transaction.atomic():
        reads_run(*reads)
    assert reads_run(get_read(User, id=user.pk))[0] == user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reads_sent_together_replace_a_kept_connection_found_dead():
    """A kept connection whose server process is gone is found dead and replaced before reads
    sent together, as before any of Django's own statements (the check's own statement, queued
    in a pipeline, would see nothing)."""
    import psycopg

    user = UserFactory.create()
    # Django's own attributes, which django-stubs does not declare.
    assert connection.health_check_enabled  # type: ignore[attr-defined]
    connection.ensure_connection()
    server_pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [server_pid])
    time.sleep(0.2)  # the server closes the connection
    # As a new request's first statement finds it.
    connection.health_check_done = False  # type: ignore[attr-defined]
    found = reads_run(get_read(User, id=user.pk), get_read(StudyProfile, user_id=user.pk))
    assert found == [user, None]
    assert connection.connection.info.backend_pid != server_pid
