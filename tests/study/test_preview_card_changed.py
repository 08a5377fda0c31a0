"""The interval on a rating button is the one the rating gives, when the card itself changed too.

A regrade of a quiz's answer ("I was right" on its results) and a Set due date on the card's page
rewrite a card's memory or state but not its review count. If one happens in another tab between
the answer shown and the rating posted, nothing is recorded and the back is shown again with the
intervals the changed card gives, as when a day passes or the parameters change.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from quizzes.claims.services import card_regrade
from quizzes.enums import MemoryState, Rating, ReviewOrigin
from quizzes.models import CardState, ReviewLog
from quizzes.rules import scheduling
from quizzes.rules.days import day_of
from quizzes.study.notices import PREVIEW_STALE_NOTICE
from quizzes.study.tokens import card_token_make, card_token_read
from tests.factories import CardStateFactory, QuestionFactory
from tests.helpers import HX, rating_recorded
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Noon in UTC, the learner's zone: their day began at 4 a.m.
NOW = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
QUIZZED = NOW - timedelta(days=1)


@pytest.fixture
def question(db):
    return QuestionFactory(slug="only-card", answer="27 February 2022")


def show_answer(client):
    front = client.get(reverse("quizzes:study"), headers=HX)
    return client.post(
        reverse("quizzes:study_answer"), {"token": front.context_data["token"]}, headers=HX
    )


def post_rating(client, token, rating):
    return client.post(
        reverse("quizzes:study_review"),
        {"token": token, "rating": rating, "response": ""},
        headers=HX,
    )


def intervals(back) -> dict[int, str]:
    return {int(button.rating): button.interval for button in back.context_data["buttons"]}


def expected_intervals(user, question) -> dict[int, str]:
    card = CardState.objects.get(user=user, question=question).values()
    preview = scheduling.preview(
        card, now=NOW, schedule=DEFAULT_SCHEDULE, seed=f"{user.pk}:{question.pk}"
    )
    return {rating: scheduling.interval_label(gap) for rating, gap in preview.items()}


def label(due) -> str:
    """The button's label for a card now due at `due` (a count of the learner's days)."""
    return scheduling.interval_label(
        timedelta(days=(day_of(due, UTC_DAY) - day_of(NOW, UTC_DAY)).days)
    )


def quizzed_wrong(user, question):
    """A review card that a quiz answered Again yesterday: relearning, due since."""
    for days_ago, rating in ((11, Rating.GOOD), (11 - 0.01, Rating.GOOD), (7, Rating.GOOD)):
        rating_recorded(
            user, question.pk, shown_reps=None, now=NOW - timedelta(days=days_ago), rating=rating
        )
    rating_recorded(
        user, question.pk, shown_reps=None, now=QUIZZED, rating=Rating.AGAIN, origin="quiz"
    )
    assert CardState.objects.get(user=user).state == MemoryState.RELEARNING


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


def due_set_in_another_tab(client, question):
    client.post(reverse("quizzes:card_due_set", args=[question.pk]), {"days": "3"})


def assert_shown_again_then_rated_as_shown(client, user, question, back, *, logs: int):
    """A Good posted from `back` records nothing and shows the back again with the intervals
    the card gives now; a Good from that back gives what its button says."""
    again = post_rating(client, back.context_data["token"], Rating.GOOD)
    assert again.context_data["side"] == "back"
    assert again.context_data["notice"] == PREVIEW_STALE_NOTICE
    assert intervals(again) == expected_intervals(user, question)
    assert ReviewLog.objects.count() == logs

    post_rating(client, again.context_data["token"], Rating.GOOD)
    assert ReviewLog.objects.count() == logs + 1
    card = CardState.objects.get(user=user, question=question)
    assert label(card.due) == intervals(again)[Rating.GOOD]


def test_a_quiz_answer_regraded_in_another_tab_shows_the_buttons_again(
    learner_client, user, question
):
    quizzed_wrong(user, question)
    back = show_answer(learner_client)
    shown = intervals(back)
    # "I was right" on the quiz's results: the Again becomes Good, the card is rebuilt.
    with transaction.atomic():
        assert card_regrade(user=user, question_id=question.pk, reviewed_at=QUIZZED)
    assert CardState.objects.get(user=user).state == MemoryState.REVIEW
    assert expected_intervals(user, question)[Rating.GOOD] != shown[Rating.GOOD]

    assert_shown_again_then_rated_as_shown(learner_client, user, question, back, logs=4)
    assert ReviewLog.objects.filter(origin=ReviewOrigin.STUDY).count() == 4


def test_a_learning_card_set_due_in_another_tab_shows_the_buttons_again(
    learner_client, user, question
):
    learning_card(user, question)
    back = show_answer(learner_client)
    due_set_in_another_tab(learner_client, question)
    card = CardState.objects.get(user=user)
    assert (card.state, card.step, card.reps) == (MemoryState.REVIEW, None, 1)

    assert_shown_again_then_rated_as_shown(learner_client, user, question, back, logs=0)


def test_the_back_of_an_unchanged_card_is_rated_as_its_button_showed(
    learner_client, user, question
):
    learning_card(user, question)
    back = show_answer(learner_client)
    token = card_token_read(back.context_data["token"], user_id=user.pk)
    card = CardState.objects.get(user=user).values()
    assert token.card_key == scheduling.card_key(card)

    post_rating(learner_client, back.context_data["token"], Rating.GOOD)
    after = CardState.objects.get(user=user)
    assert after.reps == 2
    assert label(after.due) == intervals(back)[Rating.GOOD]


@pytest.mark.parametrize("made", ["front", "back before fingerprints"])
def test_a_token_without_the_card_fingerprint_is_checked_as_before(
    learner_client, user, question, made
):
    """The front's token, and a back's made before tokens carried the card's values, record
    a rating of a card changed since, as they always did (its review count still agrees)."""
    learning_card(user, question)
    front = learner_client.get(reverse("quizzes:study"), headers=HX).context_data["token"]
    shown = card_token_read(front, user_id=user.pk)
    token = front
    if made != "front":
        token = card_token_make(
            user_id=user.pk,
            question_id=question.pk,
            reps=shown.reps,
            now=shown.shown_at,
            scope=shown.scope,
            retention=shown.retention,
            previewed_at=NOW,
            parameters_key=scheduling.parameters_key(scheduling.DEFAULT_PARAMETERS),
        )
    assert card_token_read(token, user_id=user.pk).card_key == ""
    due_set_in_another_tab(learner_client, question)

    response = post_rating(learner_client, token, Rating.GOOD)
    assert response.context_data["notice"] != PREVIEW_STALE_NOTICE
    assert CardState.objects.get(user=user).reps == 2
    assert ReviewLog.objects.count() == 1
