"""Undo on the study page takes back study actions only: after a quiz's answers it is not offered
(a quiz's answers are the quiz's), and a study action after the quiz is offered again."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from quizzes.enums import Rating, ReviewOrigin
from quizzes.models import QuizAttempt, ReviewLog
from tests.factories import CategoryFactory, QuestionFactory
from tests.helpers import HX, rate, token_of
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
