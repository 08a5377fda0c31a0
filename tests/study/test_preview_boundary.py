"""The interval on a rating button is the one the rating gives, across the day boundary too.

The intervals are computed when the answer is shown; if the scheduler's day count since the card's
last review moves before the rating is posted (a card left open overnight), or the learner's
parameters change, nothing is recorded and the buttons are shown again with fresh intervals.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import MemoryState, Rating
from quizzes.models import CardState, ReviewLog
from quizzes.rules import scheduling
from quizzes.rules.days import day_of
from quizzes.study.notices import PREVIEW_STALE_NOTICE
from quizzes.study.tokens import card_token_read
from tests.factories import CardStateFactory, QuestionFactory, StudyProfileFactory
from tests.helpers import HX
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# 03:00 in UTC, the learner's zone: their next day starts at 4 a.m., an hour from now.
NOW = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)


@pytest.fixture
def question(db):
    return QuestionFactory(slug="only-card", answer="27 February 2022")


def show_answer(client, *, htmx=True):
    front = client.get(reverse("quizzes:study"), headers=HX if htmx else {})
    return client.post(
        reverse("quizzes:study_answer"),
        {"token": front.context_data["token"]},
        headers=HX if htmx else {},
    )


def post_rating(client, back, rating, *, htmx=True):
    return client.post(
        reverse("quizzes:study_review"),
        {"token": back.context_data["token"], "rating": rating, "response": ""},
        headers=HX if htmx else {},
    )


def intervals(back) -> dict[int, str]:
    return {int(button.rating): button.interval for button in back.context_data["buttons"]}


def expected_intervals(user, question, at) -> dict[int, str]:
    card = CardState.objects.get(user=user, question=question).values()
    preview = scheduling.preview(
        card, now=at, schedule=DEFAULT_SCHEDULE, seed=f"{user.pk}:{question.pk}"
    )
    return {rating: scheduling.interval_label(gap) for rating, gap in preview.items()}


def label(due, now) -> str:
    """The button's label for a card now due at `due`: an interval of days counts the
    learner's days (the card is due at the start of one)."""
    return scheduling.interval_label(
        timedelta(days=(day_of(due, UTC_DAY) - day_of(now, UTC_DAY)).days)
    )


def learning_card(user, question):
    """A card rated Good for the first time 23 hours ago: in learning, due since."""
    return CardStateFactory(
        user=user,
        question=question,
        learning=True,
        step=1,
        stability=2.3065,
        difficulty=2.118,
        last_review=NOW - timedelta(hours=23),
        due=NOW - timedelta(hours=22, minutes=50),
        reps=1,
    )


def review_card(user, question):
    """A card in review, last reviewed 2 days and 23 hours ago, due an hour ago."""
    return CardStateFactory(
        user=user,
        question=question,
        in_review=True,
        stability=3.0,
        difficulty=5.0,
        last_review=NOW - timedelta(days=2, hours=23),
        due=NOW - timedelta(hours=1),
        reps=4,
    )


@pytest.mark.parametrize("make_card", [learning_card, review_card], ids=["learning", "review"])
def test_a_card_left_open_across_the_day_boundary_shows_its_buttons_again(
    learner_client, user, question, frozen, make_card
):
    make_card(user, question)
    back = show_answer(learner_client)
    shown = intervals(back)
    assert shown == expected_intervals(user, question, NOW)

    frozen.shift(timedelta(hours=2))  # past 4 a.m.: a day more since the last review
    later = NOW + timedelta(hours=2)
    assert expected_intervals(user, question, later) != shown
    again = post_rating(learner_client, back, Rating.GOOD)

    assert again.status_code == 200
    assert again.context_data["side"] == "back"
    assert again.context_data["notice"] == PREVIEW_STALE_NOTICE
    assert intervals(again) == expected_intervals(user, question, later)
    assert not ReviewLog.objects.exists()

    # Rated now, the card gets exactly what the fresh button says.
    before = CardState.objects.get(user=user, question=question)
    post_rating(learner_client, again, Rating.GOOD)
    after = CardState.objects.get(user=user, question=question)
    assert after.reps == before.reps + 1
    assert label(after.due, later) == intervals(again)[Rating.GOOD]


def test_a_card_left_open_within_the_same_day_count_is_rated_as_shown(
    learner_client, user, question, frozen
):
    learning_card(user, question)
    back = show_answer(learner_client)
    frozen.shift(timedelta(minutes=50))  # 03:50: still the learner's day of the last review
    post_rating(learner_client, back, Rating.GOOD)
    card = CardState.objects.get(user=user, question=question)
    assert card.reps == 2
    later = NOW + timedelta(minutes=50)
    assert label(card.due, later) == intervals(back)[Rating.GOOD]


def test_without_javascript_the_buttons_are_shown_again_on_a_page_of_their_own(
    learner_client, user, question, frozen
):
    review_card(user, question)
    back = show_answer(learner_client, htmx=False)
    frozen.shift(timedelta(hours=2))
    again = post_rating(learner_client, back, Rating.HARD, htmx=False)
    assert again.status_code == 200
    assert "<html" in again.content.decode()
    assert again.context_data["notice"] == PREVIEW_STALE_NOTICE
    assert not ReviewLog.objects.exists()


def test_the_token_on_the_back_carries_when_the_intervals_were_computed(
    learner_client, user, question, frozen
):
    review_card(user, question)
    frozen.shift(timedelta(minutes=3))
    back = show_answer(learner_client)
    token = card_token_read(back.context_data["token"], user_id=user.pk)
    assert token.previewed_at == NOW + timedelta(minutes=3)
    assert token.parameters_key == scheduling.parameters_key(scheduling.DEFAULT_PARAMETERS)


def test_new_parameters_between_answer_and_rating_show_the_buttons_again(
    learner_client, user, question
):
    review_card(user, question)
    profile = StudyProfileFactory.create(user=user)
    back = show_answer(learner_client)
    profile.parameters = [round(w * 1.1, 4) for w in scheduling.DEFAULT_PARAMETERS[:4]] + list(
        scheduling.DEFAULT_PARAMETERS[4:]
    )
    profile.save()
    again = post_rating(learner_client, back, Rating.GOOD)
    assert again.context_data["notice"] == PREVIEW_STALE_NOTICE
    assert not ReviewLog.objects.exists()
    post_rating(learner_client, again, Rating.GOOD)
    assert CardState.objects.get(user=user).state == MemoryState.REVIEW
    assert ReviewLog.objects.count() == 1
