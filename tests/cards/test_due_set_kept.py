"""A due date set on a card's page is part of its history: a change of study settings replays
every card's history, and a regrade replays one card's, and each made the card again from its
ratings alone, so the date the learner set was lost (an outside audit: a review card went back
to learning, due today, its Undo gone)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.claims.services import card_regrade
from quizzes.enums import CardEditKind, MemoryState, Rating, ReviewOrigin
from quizzes.models import CardEdit, CardState
from quizzes.parameters.services import cards_rescheduled
from quizzes.rules.days import day_start, next_day_start
from quizzes.study.services import review_record
from tests.factories import CategoryFactory, QuestionFactory
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SETTINGS = {"desired_retention": "0.90", "new_per_day": "20", "max_reviews_per_day": "200"}


@pytest.fixture
def question(db):
    return QuestionFactory(category=CategoryFactory(slug="dates", name="Dates"))


def rate(user, question, rating, when, origin=ReviewOrigin.STUDY):
    review_record(
        user=user,
        question_id=question.pk,
        rating=rating,
        now=when,
        schedule=DEFAULT_SCHEDULE,
        shown_reps=None,
        origin=origin,
    )


def due_in(days: int) -> datetime:
    start = day_start(NOW, UTC_DAY)
    for _day in range(days):
        start = next_day_start(start, UTC_DAY)
    return start


@pytest.fixture
def learning_card_moved(learner_client, user, question, frozen):
    """One Good (the card is in learning), then its due date set 30 days ahead."""
    rate(user, question, Rating.GOOD, NOW - timedelta(minutes=5))
    learner_client.post(reverse("quizzes:card_due_set", args=[question.pk]), {"days": "30"})
    card = CardState.objects.get(user=user, question=question)
    assert (card.state, card.due) == (MemoryState.REVIEW, due_in(30))
    return card


@pytest.mark.parametrize(
    "change",
    [
        {**SETTINGS, "desired_retention": "0.85"},
        {**SETTINGS, "time_zone": "UTC", "day_starts_at": "5"},
        {**SETTINGS, "time_zone": "Asia/Tokyo", "day_starts_at": "4"},
    ],
    ids=["retention", "day start", "time zone"],
)
def test_a_change_of_settings_keeps_the_due_date_set_and_its_undo(
    learner_client, user, question, learning_card_moved, change
):
    response = learner_client.post(reverse("quizzes:study_settings"), change)
    assert response.status_code == 302
    card = CardState.objects.get(pk=learning_card_moved.pk)
    assert (card.state, card.step, card.due) == (MemoryState.REVIEW, None, due_in(30))
    page = learner_client.get(reverse("quizzes:card_detail", args=[question.pk]))
    assert page.context["history"].undoable == CardEditKind.SET_DUE


def test_a_replay_makes_the_due_date_again_where_it_was_set_among_the_ratings(
    learner_client, user, question, frozen
):
    """Ratings, a due date set, then a rating on that day: replayed under the same schedule,
    the card is the one the learner has (a replay of the ratings alone was another)."""
    for days_ago, rating in ((20, Rating.GOOD), (19, Rating.GOOD), (10, Rating.AGAIN)):
        rate(user, question, rating, NOW - timedelta(days=days_ago))
    frozen.move_to(NOW - timedelta(days=9))
    learner_client.post(reverse("quizzes:card_due_set", args=[question.pk]), {"days": "5"})
    frozen.move_to(NOW)
    rate(user, question, Rating.GOOD, NOW)
    held = CardState.objects.get(user=user, question=question).values()
    (replayed,) = cards_rescheduled(user=user, schedule=DEFAULT_SCHEDULE, now=NOW)
    assert replayed.values() == held


def test_a_regraded_quiz_answer_keeps_a_due_date_set_after_it(
    learner_client, user, question, frozen
):
    rate(user, question, Rating.GOOD, NOW - timedelta(days=12))
    quizzed = NOW - timedelta(days=2)
    rate(user, question, Rating.AGAIN, quizzed, origin=ReviewOrigin.QUIZ)
    frozen.move_to(NOW)
    learner_client.post(reverse("quizzes:card_due_set", args=[question.pk]), {"days": "30"})
    assert card_regrade(user=user, question_id=question.pk, reviewed_at=quizzed)
    card = CardState.objects.get(user=user, question=question)
    assert (card.state, card.due) == (MemoryState.REVIEW, due_in(30))
    assert CardEdit.objects.filter(kind=CardEditKind.SET_DUE).count() == 1
