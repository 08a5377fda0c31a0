"""A race on PostgreSQL: a card's first review is one statement that writes nothing when another
request has made the card meanwhile. Here that other request is a real second connection, which
holds its card uncommitted while this one writes, then commits or rolls back."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from quizzes.enums import ReviewOrigin
from quizzes.models import AttemptAnswer, CardState, QuizAttempt, ReviewLog
from quizzes.quiz import selectors as quiz_selectors
from quizzes.quiz import services as quiz_services
from quizzes.study import services
from quizzes.study.services import ReviewStale
from tests.factories import CardStateFactory, QuestionFactory, QuizAttemptFactory, UserFactory
from tests.helpers import rating_recorded

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# How long the other request holds its card uncommitted once this one has read none.
HOLD_SECONDS = 0.3


@contextmanager
def beaten_after_the_read(
    monkeypatch,
    user,
    question,
    *,
    commit: bool,
    read: tuple[object, str] = (services, "card_state_for"),
) -> Iterator[list[float]]:
    """This request reads no card (through `read`, a module and the name it calls the read by);
    at that moment another request makes it (reps 3) and holds it uncommitted for HOLD_SECONDS,
    then commits or rolls back. Yields how long the write waited."""
    made, release, waited = threading.Event(), threading.Event(), []
    failures: list[BaseException] = []

    def other_request() -> None:
        try:
            with transaction.atomic():
                CardStateFactory.create(user=user, question=question, in_review=True, reps=3)
                made.set()
                release.wait(5)
                transaction.set_rollback(not commit)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
            made.set()
        finally:
            connections.close_all()

    other = threading.Thread(target=other_request)

    module, name = read
    original = getattr(module, name)

    def read_then_beaten(**kwargs):
        found = original(**kwargs)
        if not other.is_alive() and not made.is_set():
            other.start()
            made.wait(5)
            threading.Timer(HOLD_SECONDS, release.set).start()
            waited.append(time.monotonic())
        return found

    monkeypatch.setattr(module, name, read_then_beaten)
    try:
        yield waited
    finally:
        release.set()
        other.join(5)
    assert failures == []
    if waited:
        waited[0] = time.monotonic() - waited[0]


def test_a_study_rating_beaten_to_the_first_review_waits_and_is_stale(monkeypatch):
    user, question = UserFactory.create(), QuestionFactory.create()
    with (
        beaten_after_the_read(monkeypatch, user, question, commit=True) as waited,
        pytest.raises(ReviewStale),
    ):
        rating_recorded(user, question.pk, shown_reps=0, now=timezone.now())
    assert waited[0] >= HOLD_SECONDS * 0.8  # the write waited for the other's commit
    assert CardState.objects.get(user=user).reps == 3
    assert not ReviewLog.objects.filter(user=user).exists()


def test_a_quiz_answer_beaten_to_the_first_review_is_applied_on_top_of_it(monkeypatch):
    """Inside the answer's own transaction, as a quiz answer records its review."""
    user, question = UserFactory.create(), QuestionFactory.create()
    with beaten_after_the_read(monkeypatch, user, question, commit=True), transaction.atomic():
        recorded = rating_recorded(user, question.pk, shown_reps=None, now=timezone.now())
    assert CardState.objects.get(user=user).reps == 4
    logs = ReviewLog.objects.filter(user=user)
    assert [log.pk for log in logs] == [recorded.log.pk]
    assert logs[0].previous_card is not None
    assert logs[0].previous_card["reps"] == 3


def test_a_first_review_whose_rival_rolled_back_is_written(monkeypatch):
    user, question = UserFactory.create(), QuestionFactory.create()
    with beaten_after_the_read(monkeypatch, user, question, commit=False) as waited:
        recorded = rating_recorded(user, question.pk, shown_reps=0, now=timezone.now())
    assert waited[0] >= HOLD_SECONDS * 0.8
    assert CardState.objects.get(user=user).reps == 1
    assert ReviewLog.objects.get(user=user).pk == recorded.log.pk


@pytest.mark.parametrize("read_with_the_quiz", [False, True], ids=["read-alone", "read-with-quiz"])
def test_a_quiz_answer_beaten_between_its_read_and_its_write_is_applied_on_top(
    monkeypatch, read_with_the_quiz
):
    """Through the quiz's own service: its first read (the settings with the card) finds none,
    and on PostgreSQL no second look follows; the card another request made meanwhile is met by
    the write, then read, and the answer applied on top of it, in the answer's transaction. The
    read is the service's own, or (as the answer view reads it) the one joined to the quiz's."""
    user = UserFactory.create()
    question = QuestionFactory.create()
    now = timezone.now()
    attempt = QuizAttemptFactory.create(
        user=user,
        length=1,
        started_at=now,
        deadline=now + timedelta(minutes=5),
        with_answers=[question],
    )
    read = (quiz_selectors, "card_read_from_row")
    if not read_with_the_quiz:
        read = (quiz_services, "card_read_with_settings")
    with beaten_after_the_read(monkeypatch, user, question, commit=True, read=read) as waited:
        view = None
        if read_with_the_quiz:
            view = quiz_selectors.attempt_view_shown(
                user=user, attempt_id=attempt.pk, answering=question.pk
            )
            assert view is not None
            assert view.answering_card is not None
        result = quiz_services.attempt_answer(
            attempt=view.attempt if view else QuizAttempt.objects.get(pk=attempt.pk),
            question_id=question.pk,
            response=question.answer,
            now=now,
            view=view,
        )
    assert result.outcome == quiz_services.AnswerOutcome.SCORED
    assert waited[0] >= HOLD_SECONDS * 0.8  # the write waited for the other's commit
    assert CardState.objects.get(user=user).reps == 4
    log = ReviewLog.objects.get(user=user)
    assert log.origin == ReviewOrigin.QUIZ
    assert log.previous_card is not None
    assert log.previous_card["reps"] == 3
    assert AttemptAnswer.objects.get(attempt=attempt).answered_at == now
