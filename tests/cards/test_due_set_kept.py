"""A due date set on a card's page is part of its history: a change of study settings replays
every card's history, and a regrade replays one card's, and each made the card again from its
ratings alone, so the date the learner set was lost (an outside audit: a review card went back
to learning, due today, its Undo gone)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse

from quizzes.claims.services import card_regrade
from quizzes.enums import CardEditKind, MemoryState, Rating, ReviewOrigin
from quizzes.models import CardEdit, CardState, StudyProfile
from quizzes.parameters.services import cards_rescheduled, cards_write
from quizzes.rules.days import DayClock, day_of, day_start, next_day_start, start_of
from quizzes.rules.optimizing import Review, reschedule_card
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import rating_recorded
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SETTINGS = {"desired_retention": "0.90", "new_per_day": "20", "max_reviews_per_day": "200"}


@pytest.fixture
def question(db):
    return QuestionFactory(category=CategoryFactory(slug="dates", name="Dates"))


def rate(user, question, rating, when, origin=ReviewOrigin.STUDY):
    rating_recorded(user, question.pk, shown_reps=None, now=when, rating=rating, origin=origin)


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
    ("change", "clock"),
    [
        ({**SETTINGS, "desired_retention": "0.85"}, UTC_DAY),
        ({**SETTINGS, "time_zone": "UTC", "day_starts_at": "5"}, DayClock(ZoneInfo("UTC"), 5)),
        (
            {**SETTINGS, "time_zone": "America/Los_Angeles", "day_starts_at": "4"},
            DayClock(ZoneInfo("America/Los_Angeles"), 4),
        ),
    ],
    ids=["retention", "day start", "time zone"],
)
def test_a_change_of_settings_keeps_the_day_set_and_its_undo(
    learner_client, user, question, learning_card_moved, change, clock
):
    """The card stays due 30 days after the day it was moved, at the start of that day on the
    learner's clock now (the moment kept fell within day 29 once the day began an hour later)."""
    response = learner_client.post(reverse("quizzes:study_settings"), change)
    assert response.status_code == 302
    card = CardState.objects.get(pk=learning_card_moved.pk)
    edit = CardEdit.objects.get(kind=CardEditKind.SET_DUE)
    thirty = start_of(day_of(edit.made_at, clock) + timedelta(days=30), clock)
    assert (card.state, card.step, card.due) == (MemoryState.REVIEW, None, thirty)
    page = learner_client.get(reverse("quizzes:card_detail", args=[question.pk]))
    assert page.context["history"].undoable == CardEditKind.SET_DUE
    # Undo puts back the card as the new settings make it from its one rating, not the card
    # the old settings had made (the edit is written again with the replay).
    profile = StudyProfile.objects.get(user=user)
    alone = reschedule_card(
        [Review(NOW - timedelta(minutes=5), Rating.GOOD)],
        schedule=profile.schedule,
        seed=f"{user.pk}:{question.pk}",
        now=NOW,
    )
    learner_client.post(reverse("quizzes:card_undo", args=[question.pk]))
    assert CardState.objects.get(pk=card.pk).values() == alone


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
    (replayed,) = cards_rescheduled(user=user, schedule=DEFAULT_SCHEDULE, now=NOW).cards
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
    # Undo of the date puts back the regraded card (two Goods), not the one the Again had made.
    regraded = reschedule_card(
        [Review(NOW - timedelta(days=12), Rating.GOOD), Review(quizzed, Rating.GOOD)],
        schedule=DEFAULT_SCHEDULE,
        seed=f"{user.pk}:{question.pk}",
        now=NOW,
    )
    learner_client.post(reverse("quizzes:card_undo", args=[question.pk]))
    undone = CardState.objects.get(user=user, question=question).values()
    assert (undone.state, undone.stability, undone.due) == (
        regraded.state,
        regraded.stability,
        regraded.due,
    )


def test_a_due_date_set_while_the_settings_are_recomputed_stands(
    learner_client, user, question, learning_card_moved
):
    """The write skipped only a card rated in between: a date set (or undone) in between was
    written over (a review)."""
    profile = StudyProfile.objects.get_or_create(user=user)[0]
    replayed = cards_rescheduled(user=user, schedule=profile.schedule, now=NOW)
    learner_client.post(reverse("quizzes:card_due_set", args=[question.pk]), {"days": "300"})
    with transaction.atomic():
        cards_write(user=user, cards=replayed)
    assert CardState.objects.get(pk=learning_card_moved.pk).due == due_in(300)
