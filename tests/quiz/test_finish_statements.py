"""A quiz's finish as SQL written once (`_finish_one`) does what the ORM's `_finish_update`
does for that one attempt, on both databases: the same rows, the same answer."""

from datetime import timedelta

import pytest

from quizzes.enums import AttemptEnding, AttemptState
from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.quiz import services
from tests.factories import AttemptAnswerFactory, QuestionFactory, QuizAttemptFactory

pytestmark = pytest.mark.django_db


def _attempt(*, finished: bool, questions) -> QuizAttempt:
    """A quiz of four: one answered right, one wrong, two not answered."""
    attempt = QuizAttemptFactory.create(length=4, finished=finished)
    for position, question in enumerate(questions):
        AttemptAnswerFactory.create(
            attempt=attempt,
            question=question,
            position=position,
            **({"answered": True, "is_correct": position == 0} if position < 2 else {}),
        )
    return attempt


def _written(attempt: QuizAttempt) -> tuple:
    attempt.refresh_from_db()
    answers = AttemptAnswer.objects.filter(attempt=attempt).order_by("position")
    return (
        attempt.state,
        attempt.finished_at,
        attempt.ending,
        attempt.score,
        [(a.answered_at, a.is_correct) for a in answers],
    )


@pytest.mark.parametrize("finished", [False, True], ids=["running", "finished"])
@pytest.mark.parametrize("close_unanswered", [True, False], ids=["close", "no-close"])
@pytest.mark.parametrize(
    "offset",
    [
        timedelta(seconds=-30, microseconds=250_000),
        timedelta(0),
        timedelta(microseconds=1),
        timedelta(seconds=5, microseconds=999_999),
        timedelta(seconds=-1, microseconds=999_999),
    ],
    ids=["before", "at", "just-after", "after", "just-before"],
)
def test_the_sql_finish_writes_what_the_orm_finish_writes(finished, close_unanswered, offset):
    questions = QuestionFactory.create_batch(4)
    by_orm = _attempt(finished=finished, questions=questions)
    by_sql = _attempt(finished=finished, questions=questions)
    now = by_orm.deadline + offset
    ending = AttemptEnding.FINISHED_EARLY
    done_orm = services._finish_update(
        QuizAttempt.objects.filter(pk=by_orm.pk),
        now=now,
        ending=ending,
        close_unanswered=close_unanswered,
    )
    done_sql = services._finish_one(
        attempt_id=by_sql.pk, now=now, ending=ending, close_unanswered=close_unanswered
    )
    assert done_sql == done_orm == (0 if finished else 1)
    assert _written(by_sql) == _written(by_orm)
    if not finished:
        assert by_sql.state == AttemptState.FINISHED
        assert by_sql.finished_at == min(now, by_sql.deadline)
        assert by_sql.score == 1
