"""Races on PostgreSQL: two requests at the same moment never record twice.

These need real concurrent transactions, so they run in CI's PostgreSQL pass (DATABASE_URL set);
on SQLite they are skipped.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from quizzes.enums import AttemptEnding, Rating, ReportStatus, ReviewOrigin
from quizzes.models import AttemptAnswer, CardState, QuestionReport, QuizAttempt, ReviewLog
from quizzes.quiz import services as quiz_services
from quizzes.reports import services as report_services
from quizzes.study import services as study_services
from tests.factories import QuestionFactory, QuizAttemptFactory, UserFactory
from tests.support.schedules import DEFAULT_SCHEDULE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROUNDS = 5


def together(count, action):
    """Run `action` in `count` threads released at the same instant; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(action())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def _rate_twice(user, question, shown_reps):
    now = timezone.now()

    def rate():
        return study_services.review_record(
            user=user,
            question_id=question.pk,
            rating=Rating.GOOD,
            now=now,
            schedule=DEFAULT_SCHEDULE,
            shown_reps=shown_reps,
        )

    return together(2, rate)


def test_two_ratings_of_the_same_card_at_once_record_one_review():
    for _ in range(ROUNDS):
        user, question = UserFactory.create(), QuestionFactory.create()
        for shown_reps in (0, 1):  # a brand-new card, then a card being reviewed
            results, errors = _rate_twice(user, question, shown_reps)
            assert len(results) == 1, errors
            assert all(isinstance(e, study_services.ReviewStale) for e in errors)
            assert ReviewLog.objects.filter(user=user).count() == shown_reps + 1
            assert CardState.objects.get(user=user).reps == shown_reps + 1


def _attempt(user, questions):
    now = timezone.now()
    return QuizAttemptFactory.create(
        user=user,
        length=len(questions),
        started_at=now,
        deadline=now + timedelta(minutes=10),
        with_answers=questions,
    )


def _answer_twice(attempt, question):
    def submit():
        return quiz_services.attempt_answer(
            attempt=QuizAttempt.objects.select_related("user").get(pk=attempt.pk),
            question_id=question.pk,
            response=question.answer,
            now=timezone.now(),
        ).outcome

    return together(2, submit)


def test_two_answers_to_the_same_quiz_question_record_one():
    for _ in range(ROUNDS):
        user = UserFactory.create()
        questions = [QuestionFactory.create(), QuestionFactory.create()]
        attempt = _attempt(user, questions)
        results, errors = _answer_twice(attempt, questions[0])
        assert not errors
        assert sorted(r.value for r in results) == ["already_answered", "scored"]
        assert AttemptAnswer.objects.filter(attempt=attempt, answered_at__isnull=False).count() == 1
        assert ReviewLog.objects.filter(user=user, origin=ReviewOrigin.QUIZ).count() == 1


def _finish_twice(attempt_id):
    def finish():
        return quiz_services.attempt_finish(
            attempt=QuizAttempt.objects.get(pk=attempt_id),
            now=timezone.now(),
            ending=AttemptEnding.FINISHED_EARLY,
        )

    return together(2, finish)


def test_two_finishes_of_the_same_attempt_score_it_once():
    for _ in range(ROUNDS):
        user = UserFactory.create()
        attempt = _attempt(user, [QuestionFactory.create()])
        AttemptAnswer.objects.filter(attempt=attempt).update(
            answered_at=timezone.now(), is_correct=True
        )
        results, errors = _finish_twice(attempt.pk)
        assert not errors
        assert sorted(results) == [False, True]
        attempt.refresh_from_db()
        assert (attempt.state, attempt.score) == ("finished", 1)


def _answer_and_finish_together(attempt, question):
    def submit():
        return quiz_services.attempt_answer(
            attempt=QuizAttempt.objects.select_related("user").get(pk=attempt.pk),
            question_id=question.pk,
            response=question.answer,
            now=timezone.now(),
        ).outcome

    def finish():
        return quiz_services.attempt_finish(
            attempt=QuizAttempt.objects.get(pk=attempt.pk),
            now=timezone.now(),
            ending=AttemptEnding.FINISHED_EARLY,
        )

    barrier = threading.Barrier(2)
    outcome, errors = {}, []

    def run(name, action):
        try:
            barrier.wait()
            outcome[name] = action()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=("answer", submit)),
        threading.Thread(target=run, args=("finish", finish)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcome, errors


def test_an_answer_racing_the_finish_is_scored_in_it_or_refused():
    seen = set()
    for _ in range(ROUNDS * 4):
        user = UserFactory.create()
        questions = [QuestionFactory.create(), QuestionFactory.create()]
        attempt = _attempt(user, questions)
        outcome, errors = _answer_and_finish_together(attempt, questions[0])
        assert not errors
        assert outcome["finish"] is True
        attempt.refresh_from_db()
        right = AttemptAnswer.objects.filter(attempt=attempt, is_correct=True).count()
        # The results never show a tick the score did not count.
        assert (attempt.state, attempt.score) == ("finished", right)
        reviewed = ReviewLog.objects.filter(user=user, origin="quiz").count()
        if outcome["answer"] == quiz_services.AnswerOutcome.SCORED:
            assert (right, reviewed) == (1, 1)
        else:
            assert outcome["answer"] == quiz_services.AnswerOutcome.NOT_RUNNING
            assert (right, reviewed) == (0, 0)
        seen.add(outcome["answer"])
    assert seen  # both orders are legal; which one wins each round is up to the scheduler


def test_two_reports_of_the_same_question_at_once_keep_one_open():
    for _ in range(ROUNDS):
        user, question = UserFactory.create(), QuestionFactory.create()

        def report(user=user, question=question):
            return report_services.report_create(
                user=user,
                question_id=question.pk,
                origin=ReviewOrigin.STUDY,
                response="",
                comment="The date is wrong.",
                now=timezone.now(),
            )

        results, errors = together(2, report)
        assert len(results) == 1, errors
        assert all(isinstance(e, report_services.ReportAlreadyOpen) for e in errors)
        assert QuestionReport.objects.filter(user=user, status=ReportStatus.OPEN).count() == 1


def test_three_quiz_starts_at_once_start_one_and_the_others_are_told_of_it():
    """The start writes the quiz and its answers without the ORM: the unique running quiz per
    learner still lets one start through and tells the others which quiz is running."""
    QuestionFactory.create_batch(6)
    for _ in range(8):
        user = UserFactory.create()

        def start(user=user):
            return quiz_services.attempt_start(
                user=user, category_slug=None, length=4, seconds_per_question=30, now=timezone.now()
            )

        results, errors = together(3, start)
        assert len(results) == 1, errors
        assert all(isinstance(e, quiz_services.AttemptRunning) for e in errors), errors
        assert all(e.attempt.pk == results[0].pk for e in errors)
        assert QuizAttempt.objects.filter(user=user).count() == 1
        assert AttemptAnswer.objects.filter(attempt__user=user).count() == 4
