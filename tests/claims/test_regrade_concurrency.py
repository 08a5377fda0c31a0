"""Races on PostgreSQL: "I was right" and an editor's Accept at the same moment count an answer
once, and never wait on each other in a circle.

They need real concurrent transactions, so they run in CI's PostgreSQL pass (DATABASE_URL set);
on SQLite they are skipped.
"""

import pytest
from django.utils import timezone

from quizzes.bank.cache import bank_current
from quizzes.claims import decisions, services
from quizzes.enums import QuestionKind, Rating
from quizzes.models import AnswerClaim, Fact, QuizAttempt, ReviewLog
from quizzes.quiz import services as quiz_services
from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.quiz.test_concurrency import together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 4


def _wrong_quiz(category, learner):
    """A finished one-question quiz of `category` whose typed answer was refused."""
    now = timezone.now()
    attempt = quiz_services.attempt_start(
        user=learner, category_slug=category.slug, length=5, seconds_per_question=30, now=now
    )
    answer = attempt.answers.get()
    quiz_services.attempt_answer(
        attempt=attempt, question_id=answer.question_id, response="Ilya Ponomaryov", now=now
    )
    attempt.refresh_from_db()
    assert attempt.score == 0
    answer.refresh_from_db()
    return attempt, answer


def _setup(round_number):
    category = CategoryFactory.create(slug=f"people-{round_number}")
    question = QuestionFactory.create(
        category=category, answer="Ilya Ponomarev", kind=QuestionKind.TYPED
    )
    learner, editor = UserFactory.create(), UserFactory.create(is_staff=True)
    attempt, answer = _wrong_quiz(category, learner)
    return question, learner, editor, attempt, answer


def _mark(learner, attempt, answer, question):
    data = bank_current().questions[question.pk]
    return lambda: services.answer_mark_right(
        user=learner, attempt_id=attempt.pk, answer_id=answer.pk, question=data, now=timezone.now()
    )


def _accept(question, editor):
    fact_id = Fact.objects.get(questions=question).pk
    return lambda: decisions.phrasing_accept(
        fact_id=fact_id, normalised="ilya ponomaryov", editor=editor, now=timezone.now()
    )


def _one_each(*actions):
    """An action for `together` that runs each of `actions` in one of the threads."""
    queue = list(actions)
    return lambda: queue.pop()()


def test_i_was_right_and_an_editors_accept_at_once_count_the_answer_once():
    for round_number in range(ROUNDS):
        question, learner, editor, attempt, answer = _setup(round_number)
        _results, errors = together(
            2, _one_each(_mark(learner, attempt, answer, question), _accept(question, editor))
        )
        assert not errors, errors
        attempt.refresh_from_db()
        assert attempt.score == 1
        assert ReviewLog.objects.get(user=learner, question=question).rating == Rating.GOOD
        assert AnswerClaim.objects.filter(attempt_answer=answer).count() == 1


def test_two_accepts_at_once_add_the_form_once_and_regrade_once():
    for round_number in range(ROUNDS):
        question, _learner, editor, attempt, _answer = _setup(round_number)
        _results, errors = together(2, _accept(question, editor))
        assert not errors, errors
        assert len(Fact.objects.get(questions=question).accepted_answers) == 1
        assert QuizAttempt.objects.get(pk=attempt.pk).score == 1


def test_two_clicks_of_i_was_right_at_once_mark_once():
    for round_number in range(ROUNDS):
        question, learner, _editor, attempt, answer = _setup(round_number)
        results, errors = together(2, _mark(learner, attempt, answer, question))
        assert not errors, errors
        assert sorted(r.marked for r in results) == [False, True]
        assert QuizAttempt.objects.get(pk=attempt.pk).score == 1
