"""A quiz's finish, as SQL written once for both its kinds (one attempt by its id; every overdue
one, the minutely command's), on both databases: the state, the time (the deadline at the
latest, to the microsecond), the ending, the score, and the unanswered questions closed."""

from datetime import timedelta

import pytest

from quizzes.enums import AttemptEnding, AttemptState
from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.quiz import services
from tests.factories import AttemptAnswerFactory, QuestionFactory, QuizAttemptFactory

pytestmark = pytest.mark.django_db

OFFSETS = [
    timedelta(seconds=-30, microseconds=250_000),
    timedelta(0),
    timedelta(microseconds=1),
    timedelta(seconds=5, microseconds=999_999),
    timedelta(seconds=-1, microseconds=999_999),
]
OFFSET_IDS = ["before", "at", "just-after", "after", "just-before"]


def _attempt(*, finished: bool) -> QuizAttempt:
    """A quiz of four: one answered right, one wrong, two not answered."""
    attempt = QuizAttemptFactory.create(length=4, finished=finished)
    for position, question in enumerate(QuestionFactory.create_batch(4)):
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
        [a.is_correct for a in answers],
    )


@pytest.mark.parametrize("close_unanswered", [True, False], ids=["close", "no-close"])
@pytest.mark.parametrize("offset", OFFSETS, ids=OFFSET_IDS)
def test_finishing_one_attempt_scores_it_and_stops_its_clock_at_the_deadline_at_latest(
    close_unanswered, offset
):
    attempt = _attempt(finished=False)
    now = attempt.deadline + offset
    done = services._finish(
        "one",
        attempt=attempt.pk,
        now=now,
        ending=AttemptEnding.FINISHED_EARLY,
        close_unanswered=close_unanswered,
    )
    assert done == 1
    unanswered = False if close_unanswered else None
    assert _written(attempt) == (
        AttemptState.FINISHED,
        min(now, attempt.deadline),
        AttemptEnding.FINISHED_EARLY,
        1,
        [True, False, unanswered, unanswered],
    )


@pytest.mark.parametrize("offset", OFFSETS, ids=OFFSET_IDS)
def test_an_attempt_already_finished_is_not_finished_again(offset):
    attempt = _attempt(finished=True)
    before = _written(attempt)
    done = services._finish(
        "one", attempt=attempt.pk, now=attempt.deadline + offset, ending=AttemptEnding.COMPLETED
    )
    assert done == 0
    assert _written(attempt) == before


def test_the_overdue_finish_ends_only_running_attempts_past_the_cutoff():
    overdue, in_time, done_before = (
        _attempt(finished=False),
        _attempt(finished=False),
        _attempt(finished=True),
    )
    QuizAttempt.objects.filter(pk=in_time.pk).update(deadline=overdue.deadline + timedelta(hours=1))
    finished_before = _written(done_before)
    cutoff = overdue.deadline + timedelta(microseconds=1)
    now = cutoff + timedelta(minutes=1)
    done = services._finish("overdue", cutoff=cutoff, now=now, ending=AttemptEnding.TIME_UP)
    assert done == 1
    assert _written(overdue) == (
        AttemptState.FINISHED,
        overdue.deadline,
        AttemptEnding.TIME_UP,
        1,
        [True, False, False, False],
    )
    assert _written(in_time)[0] == AttemptState.RUNNING
    assert _written(in_time)[4] == [True, False, None, None]
    assert _written(done_before) == finished_before
