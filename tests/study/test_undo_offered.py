"""Undo on the study page takes back the learner's latest action of today if it was a study one
(a rating, a bury, a suspension), and is offered exactly when it would: not after a quiz's
answers, nor after a Forget or Set due date on a card's page, nor for yesterday's actions."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import HoldKind, HoldOrigin, Rating, ReviewOrigin
from quizzes.models import CardHold, CardState, QuizAttempt, ReviewLog
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import HX, rate, token_of, utc_day_profile
from tests.html import input_value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
UNDO = 'data-shortcut="undo"'


@pytest.fixture
def bank(db):
    dates = CategoryFactory(slug="dates", name="Dates")
    return [
        QuestionFactory(category=dates, slug=f"q-{i}", prompt=f"Prompt number {i}?")
        for i in range(8)
    ]


def study_page(client) -> str:
    return client.get(reverse("quizzes:study")).content.decode()


def quiz_taken(client, user, frozen) -> None:
    """A five-question quiz started and every question answered (each answer a review)."""
    client.post(
        reverse("quizzes:quiz_start"),
        {"category": "", "length": 5, "seconds_per_question": 30},
    )
    attempt = QuizAttempt.objects.get(user=user)
    url = reverse("quizzes:quiz_answer", args=[attempt.pk])
    for _ in range(5):
        html = client.get(reverse("quizzes:quiz_attempt", args=[attempt.pk])).content.decode()
        frozen.shift(timedelta(seconds=3))
        client.post(url, {"question": input_value(html, "question"), "response": "27 Feb 2022"})
    assert ReviewLog.objects.filter(user=user, origin=ReviewOrigin.QUIZ).count() == 5


def test_after_a_quiz_undo_is_not_offered_and_takes_nothing_back(
    learner_client, user, bank, frozen
):
    rate(learner_client, study_page(learner_client), Rating.GOOD)
    assert UNDO in study_page(learner_client)
    frozen.shift(timedelta(minutes=1))
    quiz_taken(learner_client, user, frozen)

    html = study_page(learner_client)
    assert UNDO not in html
    assert not learner_client.get(reverse("quizzes:study")).context["queue"].can_undo
    response = learner_client.post(reverse("quizzes:study_undo"), headers=HX)
    assert "There is nothing to take back." in response.content.decode()
    assert ReviewLog.objects.filter(user=user).count() == 6


def test_a_rating_after_the_quiz_is_offered_for_undo_again(learner_client, user, bank, frozen):
    quiz_taken(learner_client, user, frozen)
    assert UNDO not in study_page(learner_client)
    frozen.shift(timedelta(minutes=1))
    rate(learner_client, study_page(learner_client), Rating.GOOD)
    assert UNDO in study_page(learner_client)
    response = learner_client.post(reverse("quizzes:study_undo"), headers=HX)
    assert "Your last rating was taken back." in response.content.decode()
    # Only the study rating: the quiz's answers stay, and Undo has nothing more to offer.
    assert ReviewLog.objects.filter(user=user).count() == 5
    assert UNDO not in study_page(learner_client)


def test_a_bury_after_the_quiz_is_offered_for_undo(learner_client, user, bank, frozen):
    quiz_taken(learner_client, user, frozen)
    frozen.shift(timedelta(minutes=1))
    front = study_page(learner_client)
    back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
    learner_client.post(
        reverse("quizzes:study_hold"), {"token": token_of(back.content.decode()), "action": "bury"}
    )
    assert UNDO in study_page(learner_client)
    response = learner_client.post(reverse("quizzes:study_undo"), headers=HX)
    assert "The card you buried is back." in response.content.decode()


def can_undo(client) -> bool:
    return client.get(reverse("quizzes:study")).context["queue"].can_undo


def undo(client) -> str:
    return client.post(reverse("quizzes:study_undo"), headers=HX).content.decode()


NOTHING = "There is nothing to take back."


def test_a_forget_on_the_card_page_after_a_rating_is_not_taken_back_by_study_undo(
    learner_client, user, bank, frozen
):
    rate(learner_client, study_page(learner_client), Rating.GOOD)
    question_id = ReviewLog.objects.get(user=user).question_id
    frozen.shift(timedelta(minutes=1))
    learner_client.post(reverse("quizzes:card_forget", args=[question_id]))
    assert not can_undo(learner_client)
    assert NOTHING in undo(learner_client)
    assert ReviewLog.objects.filter(user=user).count() == 1


def test_a_due_date_set_after_a_rating_is_kept_and_the_rating_too(
    learner_client, user, bank, frozen
):
    rate(learner_client, study_page(learner_client), Rating.GOOD)
    question_id = ReviewLog.objects.get(user=user).question_id
    frozen.shift(timedelta(minutes=1))
    learner_client.post(reverse("quizzes:card_due_set", args=[question_id]), {"days": "30"})
    due = CardState.objects.get(user=user, question_id=question_id).due
    assert not can_undo(learner_client)
    assert NOTHING in undo(learner_client)
    assert CardState.objects.get(user=user, question_id=question_id).due == due
    assert ReviewLog.objects.filter(user=user).count() == 1
    # A study action after the edit is offered again.
    frozen.shift(timedelta(minutes=1))
    rate(learner_client, study_page(learner_client), Rating.GOOD)
    assert can_undo(learner_client)
    assert "Your last rating was taken back." in undo(learner_client)


def test_yesterdays_rating_is_neither_offered_nor_taken_back_once_the_day_turns(
    learner_client, user, bank, frozen
):
    utc_day_profile(user)
    frozen.move_to(datetime(2026, 3, 3, 3, 59, tzinfo=UTC))
    rate(learner_client, study_page(learner_client), Rating.GOOD)
    assert can_undo(learner_client)
    frozen.move_to(datetime(2026, 3, 3, 4, 1, tzinfo=UTC))  # the learner's day starts at 4
    assert not can_undo(learner_client)
    assert NOTHING in undo(learner_client)
    assert ReviewLog.objects.filter(user=user).count() == 1


def test_yesterdays_suspension_is_neither_offered_nor_lifted(learner_client, user, bank):
    utc_day_profile(user)
    CardHold.objects.create(
        user=user,
        question=bank[0],
        kind=HoldKind.SUSPEND,
        until=None,
        placed_at=NOW - timedelta(days=1),
        origin=HoldOrigin.STUDY,
    )
    assert not can_undo(learner_client)
    assert NOTHING in undo(learner_client)
    assert CardHold.objects.filter(user=user).count() == 1
