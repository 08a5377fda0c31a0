"""A card's history from its latest Forget on, and Undo after a change of settings: an outside
tester found a card forgotten and studied again left out of every reschedule and regrade for
good (its log held more ratings than its review count), the optimizer fed its ratings as one
history across the Forget, and Undo after new settings put back a card the old ones made."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from quizzes.cards.edits import card_edit_undo, card_forget
from quizzes.claims.services import card_regrade
from quizzes.enums import Rating, ReviewOrigin
from quizzes.models import CardState, ReviewLog, StudyProfile
from quizzes.parameters.selectors import review_history
from quizzes.parameters.services import cards_rescheduled, parameters_apply
from quizzes.rules import optimizing
from quizzes.rules.optimizing import Review, history_since_forget
from quizzes.rules.scheduling import DEFAULT_PARAMETERS, CardValues
from quizzes.study.services import study_undo
from tests.factories import QuestionFactory
from tests.helpers import rating_recorded
from tests.support.schedules import DEFAULT_SCHEDULE

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
NOW = START  # the `frozen` fixture's start
SETTINGS = {"desired_retention": "0.90", "new_per_day": "20", "max_reviews_per_day": "200"}


@pytest.fixture
def question(db):
    return QuestionFactory()


def rate(user, question, rating, when, origin=ReviewOrigin.STUDY):
    rating_recorded(user, question.pk, shown_reps=None, now=when, rating=rating, origin=origin)


def replayed(user, question, now) -> CardValues:
    """The card as its history since its Forget makes it under the learner's settings now."""
    schedule = StudyProfile.objects.get_or_create(user=user)[0].schedule
    reviews = review_history(user=user)[question.pk]
    return optimizing.reschedule_card(
        reviews, schedule=schedule, seed=f"{user.pk}:{question.pk}", now=now
    )


def forgotten_and_studied_again(user, question) -> datetime:
    """Three Goods, a Forget, two Goods since; the time after them."""
    when = START
    for _ in range(3):
        rate(user, question, Rating.GOOD, when)
        when += timedelta(days=5)
    card_forget(user=user, question_id=question.pk, now=when)
    when += timedelta(hours=1)
    for _ in range(2):
        rate(user, question, Rating.GOOD, when)
        when += timedelta(days=3)
    return when


def test_a_forgotten_card_studied_again_is_rescheduled(learner_client, user, question, frozen):
    frozen.move_to(forgotten_and_studied_again(user, question))
    before = CardState.objects.get(user=user, question=question).values()
    response = learner_client.post(
        reverse("quizzes:study_settings"), {**SETTINGS, "desired_retention": "0.80"}
    )
    assert response.status_code == 302
    after = CardState.objects.get(user=user, question=question).values()
    assert after.due is not None
    assert before.due is not None
    assert after.due > before.due  # a lower retention: a later date
    assert after == replayed(user, question, now=datetime.now(UTC))
    assert after.reps == 2


def test_the_history_since_the_forget_alone_is_replayed(user, question):
    forgotten_and_studied_again(user, question)
    assert [r.rating for r in review_history(user=user)[question.pk]] == [Rating.GOOD] * 2
    assert len(review_history(user=user, whole=True)[question.pk]) == 5
    # An undone Forget is gone from the history: the whole of it counts again.
    edit_undone = card_edit_undo(user=user, question_id=question.pk)
    assert edit_undone is None  # studied since: the Forget stays
    assert len(review_history(user=user)[question.pk]) == 2


def test_history_since_forget_keeps_reviews_after_it_only():
    at = START + timedelta(days=1)
    history = {
        1: [Review(START, 3), Review(at, 1), Review(at + timedelta(seconds=1), 3)],
        2: [Review(START, 3)],
        3: [Review(START, 4)],
    }
    kept = history_since_forget(history, {1: at, 2: at})
    assert kept == {1: [Review(at + timedelta(seconds=1), 3)], 3: [Review(START, 4)]}


def test_a_regrade_after_a_forget_rebuilds_the_card(user, question):
    rate(user, question, Rating.GOOD, START)
    card_forget(user=user, question_id=question.pk, now=START + timedelta(days=2))
    rate(user, question, Rating.GOOD, START + timedelta(days=3))
    quiz_at = START + timedelta(days=6)
    rate(user, question, Rating.AGAIN, quiz_at, origin=ReviewOrigin.QUIZ)
    with transaction.atomic():
        assert card_regrade(user=user, question_id=question.pk, reviewed_at=quiz_at)
    card = CardState.objects.get(user=user, question=question).values()
    assert card == replayed(user, question, now=quiz_at)
    assert card.lapses == 0  # the Again is gone from its memory


def test_a_regrade_of_a_rating_before_the_forget_leaves_the_card(user, question):
    """(Held before too, when the regrade skipped every forgotten card: kept so.)"""
    quiz_at = START
    rate(user, question, Rating.AGAIN, quiz_at, origin=ReviewOrigin.QUIZ)
    card_forget(user=user, question_id=question.pk, now=START + timedelta(days=1))
    rate(user, question, Rating.GOOD, START + timedelta(days=2))
    before = CardState.objects.get(user=user, question=question).values()
    with transaction.atomic():
        assert card_regrade(user=user, question_id=question.pk, reviewed_at=quiz_at)
    assert CardState.objects.get(user=user, question=question).values() == before
    assert ReviewLog.objects.get(reviewed_at=quiz_at).rating == Rating.GOOD


@pytest.mark.parametrize("change", ["parameters", "retention"])
def test_undo_after_new_settings_puts_back_the_card_they_make(
    learner_client, user, question, frozen, change
):
    """Four Goods, the last today; new settings; Undo of the last: the card is what its three
    earlier ratings make under the settings now."""
    last = START + timedelta(days=10)
    for days in (0, 0.01, 3, 10):
        rate(user, question, Rating.GOOD, START + timedelta(days=days))
    now = last + timedelta(minutes=5)
    frozen.move_to(now)
    if change == "parameters":
        parameters = list(DEFAULT_PARAMETERS)
        parameters[0:4] = [0.5, 1.0, 6.0, 20.0]
        parameters[8] = 2.5
        parameters_apply(user=user, parameters=parameters)
    else:
        response = learner_client.post(
            reverse("quizzes:study_settings"), {**SETTINGS, "desired_retention": "0.80"}
        )
        assert response.status_code == 302
    assert study_undo(user=user, now=now) is not None
    card = CardState.objects.get(user=user, question=question).values()
    assert card.reps == 3
    assert card == replayed(user, question, now=now)


def test_a_reschedule_reads_the_card_edits_once(user, question, django_assert_num_queries):
    """The review log, the card pages' edits (Set due dates and Forgets, one read), the cards:
    the Forgets were a read of their own."""
    forgotten_and_studied_again(user, question)
    with django_assert_num_queries(3):
        done = cards_rescheduled(user=user, schedule=DEFAULT_SCHEDULE, now=START)
    assert [card.question_id for card in done.cards] == [question.pk]
