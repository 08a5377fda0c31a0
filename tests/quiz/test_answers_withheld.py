"""While a quiz takes answers, the pages that show answers wait for it: any card's page, the back
of a study card, the data downloads and earlier quizzes' results send the learner back to the
quiz, saying why. (An outside audit read a running quiz's answer from its card's page by the
question id the quiz's form carries; a second found that withholding only the quiz's facts told
which cards those were, and that other cards' text often holds the answer.)"""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from quizzes.bank.cache import bank_current
from quizzes.enums import Rating
from quizzes.models import AnswerClaim, Question, QuizAttempt, ReviewLog
from quizzes.quiz.waiting import ANSWER_IN_QUIZ, ANSWERS_IN_DOWNLOAD
from tests.factories import (
    AttemptAnswerFactory,
    CardStateFactory,
    QuestionFactory,
    QuizAttemptFactory,
)
from tests.helpers import HX, queue_plan_statements, token_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
ANSWER = "the Irpin Declaration"


class Quiz(NamedTuple):
    attempt: QuizAttempt
    answered: Question
    waiting: Question


def quiz_started(user, waiting: Question | None = None) -> Quiz:
    """A quiz of the learner's started a minute ago: two questions, the first answered."""
    running = QuizAttemptFactory.create(user=user, started_at=NOW - timedelta(minutes=1))
    answered = QuestionFactory.create(answer="an answer given")
    AttemptAnswerFactory.create(attempt=running, question=answered, position=0, answered=True)
    waiting = waiting or QuestionFactory.create(answer=ANSWER)
    AttemptAnswerFactory.create(attempt=running, question=waiting, position=1)
    return Quiz(attempt=running, answered=answered, waiting=waiting)


@pytest.fixture
def quiz(user):
    return quiz_started(user)


def front_then_quiz(client, user) -> tuple[str, Quiz]:
    """The front of a study card shown before a quiz began (in another tab, say), and the quiz,
    which asks that card's question."""
    waiting = QuestionFactory.create(answer=ANSWER)
    front = client.get(reverse("quizzes:study")).content.decode()
    assert waiting.prompt in front
    return front, quiz_started(user, waiting=waiting)


def sent_to_quiz(response, quiz, notice=ANSWER_IN_QUIZ):
    """Whether the response sends the browser to `quiz`, with `notice` said there."""
    url = reverse("quizzes:quiz_attempt", args=[quiz.attempt.pk])
    target = response.headers.get("HX-Redirect") or response.headers.get("Location")
    said = [str(m) for m in get_messages(response.wsgi_request)]
    return response.status_code in (200, 302) and target == url and any(notice in m for m in said)


def card_page(client, question):
    return client.get(reverse("quizzes:card_detail", args=[question.pk]))


def test_a_card_waiting_in_the_quiz_shows_no_answer_on_its_page(learner_client, quiz):
    response = card_page(learner_client, quiz.waiting)
    assert sent_to_quiz(response, quiz)
    assert ANSWER not in response.content.decode()


def test_every_cards_page_waits_so_none_tells_which_cards_are_in_the_quiz(learner_client, quiz):
    """A fact's cards share its answer, and one card's text often holds another's: every card's
    page waits, the quiz's or not, answered in it or not."""
    twin = QuestionFactory.create(fact=quiz.waiting.fact, answer=ANSWER, multiple_choice=True)
    elsewhere = QuestionFactory.create(answer="somewhere else")
    for card in [twin, elsewhere, quiz.answered]:
        response = card_page(learner_client, card)
        assert sent_to_quiz(response, quiz)
        assert card.answer not in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_study_waits_for_the_quiz_with_no_card_shown(learner_client, quiz, headers):
    """Its cards are the quiz's questions, and their backs would wait anyway: the study page
    says so and leads back to the quiz, in every scope."""
    quiz_url = reverse("quizzes:quiz_attempt", args=[quiz.attempt.pk])
    sentence = bank_current().questions[quiz.waiting.pk].sentence_index
    scopes = [reverse("quizzes:study"), reverse("quizzes:study_passage", args=[sentence])]
    for url in scopes:
        response = learner_client.get(url, headers=headers)
        assert response.status_code == 200
        assert response.context_data["side"] == "quiz"
        assert response.context_data["quiz_url"] == quiz_url
        assert "token" not in response.context_data
        assert quiz.waiting.prompt not in response.content.decode()


def test_study_shows_cards_again_once_the_quiz_has_ended(learner_client, quiz, frozen, settings):
    """The panel looks again every minute, with JavaScript or without: once the quiz's time has
    run out, its next look brings a card (a review found it waiting for a reload)."""
    waiting = learner_client.get(reverse("quizzes:study")).content.decode()
    assert 'hx-trigger="load delay:60s"' in waiting
    assert '<noscript><meta http-equiv="refresh" content="60;url=/study/">' in waiting
    frozen.move_to(quiz.attempt.deadline + timedelta(seconds=settings.QUIZ_GRACE_SECONDS + 1))
    response = learner_client.get(reverse("quizzes:study"), {"refresh": "1"}, headers=HX)
    assert response.context_data["side"] == "front"


def test_a_card_rated_as_a_quiz_begins_is_recorded_and_study_then_waits(learner_client, user):
    """A back shown before the quiz began is the learner's own answer: its rating counts, and the
    next card waits for the quiz."""
    question = QuestionFactory.create(answer=ANSWER)
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
    quiz = quiz_started(user, waiting=question)
    rated = learner_client.post(
        reverse("quizzes:study_review"),
        {"token": back.context_data["token"], "rating": Rating.GOOD},
        headers=HX,
    )
    assert rated.context_data["side"] == "quiz"
    assert ReviewLog.objects.filter(user=user, question=quiz.waiting).exists()


def test_the_study_page_reads_no_more_for_the_quiz(
    learner_client, quiz, settings, django_assert_max_num_queries
):
    """Whether a quiz takes answers comes with the queue's own statement: the session, the
    user, their study settings and the queue, as for a card."""
    bank_current()
    settings.BANK_CACHE_SECONDS = 3600  # as in production: the bank is not checked every read
    with django_assert_max_num_queries(4 + queue_plan_statements()):
        assert learner_client.get(reverse("quizzes:study")).context_data["side"] == "quiz"


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_the_back_of_a_study_card_waiting_in_the_quiz_is_not_shown(learner_client, user, headers):
    front, quiz = front_then_quiz(learner_client, user)  # the question alone: the quiz shows it
    response = learner_client.post(
        reverse("quizzes:study_answer"),
        {"token": token_of(front), "response": "a guess"},
        headers=headers,
    )
    assert sent_to_quiz(response, quiz)
    assert ANSWER not in response.content.decode()


def test_a_stale_rating_shows_no_back_while_a_quiz_takes_answers(learner_client, user, frozen):
    """A back shown before the quiz, rated once the day has turned (its buttons are shown again,
    with their answer): the rating records nothing, and the learner goes back to the quiz."""
    question = QuestionFactory.create(answer=ANSWER)
    CardStateFactory.create(
        user=user,
        question=question,
        in_review=True,
        stability=3.0,
        difficulty=5.0,
        last_review=NOW - timedelta(days=2),
        due=NOW - timedelta(hours=1),
        reps=4,
    )
    front = learner_client.get(reverse("quizzes:study"))
    back = learner_client.post(
        reverse("quizzes:study_answer"), {"token": front.context_data["token"]}
    )
    frozen.shift(timedelta(hours=18))  # past the learner's next day start: the buttons go stale
    started = QuizAttemptFactory.create(user=user, started_at=NOW + timedelta(hours=18))
    rated = learner_client.post(
        reverse("quizzes:study_review"),
        {"token": back.context_data["token"], "rating": Rating.GOOD, "response": ""},
    )
    assert sent_to_quiz(rated, Quiz(attempt=started, answered=question, waiting=question))
    assert ANSWER not in rated.content.decode()
    assert not ReviewLog.objects.exists()


def test_i_was_right_on_a_card_waiting_in_the_quiz_makes_no_claim(learner_client, user):
    front, quiz = front_then_quiz(learner_client, user)
    response = learner_client.post(
        reverse("quizzes:study_claim"), {"token": token_of(front), "response": "a guess"}
    )
    assert sent_to_quiz(response, quiz)
    assert not AnswerClaim.objects.exists()


@pytest.mark.parametrize(
    "download", ["export_anki", "export_reviews", "export_cards", "export_account"]
)
def test_the_downloads_wait_for_the_quiz(learner_client, quiz, download):
    """The deck holds every answer; the review log and the cards name questions by slugs,
    which may spell them."""
    response = learner_client.get(reverse(f"quizzes:{download}"))
    assert sent_to_quiz(response, quiz, notice=ANSWERS_IN_DOWNLOAD)
    assert response.get("Content-Disposition") is None


def test_an_earlier_quizs_results_wait_for_the_quiz(learner_client, user, quiz):
    earlier = QuizAttemptFactory.create(
        user=user, started_at=NOW - timedelta(days=1), finished=True, with_answers=[quiz.waiting]
    )
    response = learner_client.get(reverse("quizzes:quiz_results", args=[earlier.pk]))
    assert sent_to_quiz(response, quiz, notice="wait until the quiz you are taking has ended")


def test_once_the_quiz_is_past_its_deadline_and_grace_everything_shows(
    learner_client, user, quiz, frozen, settings
):
    earlier = QuizAttemptFactory.create(
        user=user, started_at=NOW - timedelta(days=1), finished=True, with_answers=[quiz.waiting]
    )
    frozen.move_to(quiz.attempt.deadline + timedelta(seconds=settings.QUIZ_GRACE_SECONDS + 1))
    assert ANSWER in card_page(learner_client, quiz.waiting).content.decode()
    for download in ["export_anki", "export_reviews", "export_cards", "export_account"]:
        assert learner_client.get(reverse(f"quizzes:{download}")).status_code == 200
    results = learner_client.get(reverse("quizzes:quiz_results", args=[earlier.pk]))
    assert results.status_code == 200


def test_another_learners_quiz_withholds_nothing_of_mine(learner_client, other_user):
    theirs = QuizAttemptFactory.create(user=other_user, started_at=NOW - timedelta(minutes=1))
    question = QuestionFactory.create(answer=ANSWER)
    AttemptAnswerFactory.create(attempt=theirs, question=question, position=0)
    assert ANSWER in card_page(learner_client, question).content.decode()
    assert learner_client.get(reverse("quizzes:export_anki")).status_code == 200
