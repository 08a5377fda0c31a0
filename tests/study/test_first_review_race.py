"""A race on PostgreSQL: a card's first review is one statement that writes nothing when another
request has made the card meanwhile. Here that other request is a real second connection, which
holds its card uncommitted while this one writes, then commits or rolls back."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections, transaction
from django.utils import timezone

from quizzes.models import CardState, ReviewLog
from quizzes.study import services
from quizzes.study.selectors import card_state_for
from quizzes.study.services import ReviewStale
from tests.factories import CardStateFactory, QuestionFactory, UserFactory
from tests.helpers import rating_recorded

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# How long the other request holds its card uncommitted once this one has read none.
HOLD_SECONDS = 0.3


@contextmanager
def beaten_after_the_read(monkeypatch, user, question, *, commit: bool) -> Iterator[list[float]]:
    """This request reads no card; at that moment another request makes it (reps 3) and holds it
    uncommitted for HOLD_SECONDS, then commits or rolls back. Yields how long the write waited."""
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

    def read_then_beaten(**kwargs):
        found = card_state_for(**kwargs)
        if not other.is_alive() and not made.is_set():
            other.start()
            made.wait(5)
            threading.Timer(HOLD_SECONDS, release.set).start()
            waited.append(time.monotonic())
        return found

    monkeypatch.setattr(services, "card_state_for", read_then_beaten)
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
