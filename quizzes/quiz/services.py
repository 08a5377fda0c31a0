"""Writes of quizzes: start, answer and finish an attempt against the server's clock."""

import contextlib
import enum
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.db import IntegrityError, connection, transaction

from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, QuestionData, bank_current
from quizzes.chained_writes import row_insert_then_rows
from quizzes.claims.services import phrasing_record_refused
from quizzes.enums import AttemptEnding, AttemptState, Rating, ReviewOrigin
from quizzes.limits import MAX_RESPONSE_LENGTH
from quizzes.models import AttemptAnswer, QuizAttempt
from quizzes.quiz.answers import Fit, answer_fit, answer_stored, question_version
from quizzes.quiz.selectors import (
    AttemptView,
    answers_cutoff,
    attempt_running,
    attempt_view,
    quiz_questions_pick,
    quiz_start_reads,
    sibling_waiting_ids,
)
from quizzes.rules import days
from quizzes.rules.scheduling import Schedule
from quizzes.statements import row_insert, row_update, rows_insert, table_names
from quizzes.study.selectors import CardRead, card_read_with_settings, study_profile
from quizzes.study.services import ReviewStale, review_record


class AttemptRunning(Exception):
    """The learner already has a quiz running; it is attached."""

    def __init__(self, attempt: QuizAttempt):
        super().__init__(f"Quiz {attempt.pk} is still running.")
        self.attempt = attempt


class NotEnoughQuestions(Exception):
    """The chosen category has no active question the learner has not buried or suspended, nor
    one free of a sibling seen today."""


# Which running attempts a finish ends, by the columns of the attempt (`{t}` their table's alias,
# or nothing): one by its id, or every one whose deadline and grace have passed.
_FINISHED = {"one": "{t}id = %(attempt)s", "overdue": "{t}deadline < %(cutoff)s"}


@cache
def _finish_sql(which: str, vendor: str) -> tuple[str, str]:
    """A finish's two statements, written once for each kind (_FINISHED) and database: the ORM
    compiled them anew on every finish, 1.5 ms of a finish's 6 (docs/benchmarks.md)."""
    tables = table_names(attempts=QuizAttempt, answers=AttemptAnswer)
    attempts, answers = tables["attempts"], tables["answers"]
    close = (
        f"UPDATE {answers} SET is_correct = %(wrong)s"
        " WHERE answered_at IS NULL AND is_correct IS NULL"
        f" AND attempt_id IN (SELECT t.id FROM {attempts} t"
        f" WHERE {_FINISHED[which].format(t='t.')} AND t.state = %(running)s)"
    )
    # As the ORM writes Least: LEAST on PostgreSQL, MIN of two values on SQLite (elsewhere MIN
    # is an aggregate: the two databases this app runs on are the only ones written for).
    earlier = {
        "postgresql": "LEAST(CAST(%(now)s AS timestamp with time zone), deadline)",
        "sqlite": "MIN(%(now)s, deadline)",
    }[vendor]
    score = (
        f"UPDATE {attempts} SET state = %(finished)s, finished_at = {earlier},"
        " ending = %(ending)s,"
        f" score = (SELECT COUNT(*) FROM {answers} a WHERE a.attempt_id = {attempts}.id"
        " AND a.is_correct = %(right)s)"
        f" WHERE {_FINISHED[which].format(t='')} AND state = %(running)s"
    )
    return close, score


def _finish(
    which: str,
    *,
    now: datetime,
    ending: str,
    close_unanswered: bool = True,
    attempt: int | None = None,
    cutoff: datetime | None = None,
) -> int:
    """Finish the running attempts `which` names (_FINISHED: the `attempt` of that id, or those
    whose deadline is before `cutoff`), scoring them from their answers; how many it finished."""
    close, score = _finish_sql(which, connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {
        "attempt": attempt,
        "cutoff": adapt(cutoff),
        "running": AttemptState.RUNNING.value,
        "finished": AttemptState.FINISHED.value,
        "ending": str(ending),
        "now": adapt(now),
        "wrong": False,
        "right": True,
    }
    # One statement needs no transaction of its own; two do.
    with (
        transaction.atomic() if close_unanswered else contextlib.nullcontext(),
        transaction.mark_for_rollback_on_error(),
        connection.cursor() as cursor,
    ):
        if close_unanswered:
            # Close the unanswered questions first (wrong, as unanswered ones count). This waits
            # for an answer being stored to commit (it holds that row), and an answer arriving
            # later finds its row closed and is refused (_answer_store), so the score below, a
            # statement that starts after these locks, counts exactly the answers shown as right.
            cursor.execute(close, params)
        cursor.execute(score, params)
        finished: int = cursor.rowcount
        return finished


def attempt_finish(
    *,
    attempt: QuizAttempt,
    now: datetime,
    ending: str,
    refresh: bool = True,
    close_unanswered: bool = True,
) -> bool:
    """Finish a running attempt and score it; return False if it was already finished.

    With `refresh`, `attempt` is reloaded to show its final state and score. Without
    `close_unanswered` the caller knows every question was answered (and committed).
    """
    done = _finish(
        "one", attempt=attempt.pk, now=now, ending=ending, close_unanswered=close_unanswered
    )
    if refresh:
        attempt.refresh_from_db()
    return bool(done)


def attempt_finish_if_overdue(*, attempt: QuizAttempt, now: datetime) -> bool:
    """Finish a running attempt whose deadline (plus the grace) has passed; say if it did."""
    if attempt.is_running and _overdue(attempt, now):
        return attempt_finish(attempt=attempt, now=now, ending=AttemptEnding.TIME_UP)
    return False


def _overdue(attempt: QuizAttempt, now: datetime) -> bool:
    """Whether the attempt's deadline, and the grace after it, have passed."""
    return attempt.deadline < answers_cutoff(now)


def attempt_finish_by_learner(*, attempt: QuizAttempt, now: datetime) -> bool:
    """Finish the attempt when the learner asks (or their page's clock reaches zero). `attempt`
    is not reloaded: the results page that follows reads it afresh."""
    if not attempt.is_running:
        return False
    ending = AttemptEnding.TIME_UP if now >= attempt.deadline else AttemptEnding.FINISHED_EARLY
    return attempt_finish(attempt=attempt, now=now, ending=ending, refresh=False)


def attempt_running_now(*, user: User, now: datetime, bank: Bank) -> QuizAttempt | None:
    """The learner's running quiz, in one read; if it is overdue it is finished, and None."""
    running = attempt_running(user=user, bank=bank)
    if running is None or not _overdue(running, now):
        return running
    # Over either way: finished here, or by another request a moment before.
    attempt_finish(attempt=running, now=now, ending=AttemptEnding.TIME_UP, refresh=False)
    return None


def attempts_finish_overdue(*, now: datetime) -> int:
    """Finish every learner's running attempt whose deadline (plus the grace) has passed (the
    minutely command; pages finish the one they touch, attempt_running_now)."""
    cutoff = answers_cutoff(now)
    attempts = QuizAttempt.objects.filter(deadline__lt=cutoff, state=AttemptState.RUNNING)
    # A read first: most minutes find none, and the update is a write transaction even when it
    # changes nothing (on SQLite the one write lock every rating waits on).
    if not attempts.exists():
        return 0
    return _finish("overdue", cutoff=cutoff, now=now, ending=AttemptEnding.TIME_UP)


def attempt_start(
    *,
    user: User,
    category_slug: str | None,
    length: int,
    seconds_per_question: int,
    now: datetime,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Start a quiz: fix its questions and their choice order, its start time and its deadline.

    Raises AttemptRunning when the learner already has a quiz running (after finishing any that
    are overdue), and NotEnoughQuestions when the category has no active question.
    """
    rng = rng or random.Random()
    bank = bank_current()
    # No read for a running quiz first: the write itself meets one (the one-running-quiz
    # constraint), and only then is it read (_attempt_running_raise). Most starts find none.
    held, profile, cards = quiz_start_reads(user=user, now=now)
    pool = tuple(q for q in bank.active_in(category_slug) if q.id not in held)
    if profile.bury_siblings:
        waiting = sibling_waiting_ids(
            user=user,
            pool=pool,
            day_start=days.day_start(now, profile.day),
            bank=bank,
            cards=cards,
        )
        pool = tuple(q for q in pool if q.id not in waiting)
    if not pool:
        _attempt_running_raise(user=user, now=now, bank=bank)
        raise NotEnoughQuestions
    chosen = quiz_questions_pick(
        user=user,
        pool=pool,
        length=length,
        now=now,
        schedule=profile.schedule,
        rng=rng,
        cards=cards,
        order=bank.quiz_order,
    )
    category = bank.category(category_slug)
    attempt = QuizAttempt(
        user=user,
        category=category,
        length=len(chosen),
        requested_length=length,
        seconds_per_question=seconds_per_question,
        started_at=now,
        deadline=now + timedelta(seconds=seconds_per_question * len(chosen)),
    )
    answers = []
    for position, question in enumerate(chosen):
        order = [c.id for c in question.choices]
        rng.shuffle(order)
        answers.append({"question_id": question.id, "position": position, "choice_order": order})
    for _try in range(3):
        if _attempt_write(attempt, answers):
            return attempt
        # A quiz is running (started before, or by another request a moment ago): the learner
        # is sent to it. One that is overdue is finished, and this start written again.
        _attempt_running_raise(user=user, now=now, bank=bank)
    raise RuntimeError("A quiz start met a running quiz three times and never found it")


def _attempt_running_raise(*, user: User, now: datetime, bank: Bank) -> None:
    """Raise AttemptRunning with the learner's running quiz not overdue (finishing one that is)."""
    running = attempt_running_now(user=user, now=now, bank=bank)
    if running is not None:
        raise AttemptRunning(running)


def _attempt_write(attempt: QuizAttempt, answers: list[dict[str, Any]]) -> bool:
    """Insert a new attempt and its answers (without their attempt: it is set here); False if
    the learner has a quiz running already."""
    if connection.vendor == "postgresql":
        # One statement, its own transaction: BEGIN, two INSERTs and COMMIT were four round trips.
        return row_insert_then_rows(
            attempt,
            unique=("user_id",),
            unique_where={"state": AttemptState.RUNNING},
            then=AttemptAnswer,
            link="attempt_id",
            rows=answers,
        )
    with transaction.atomic():
        try:
            row_insert(attempt)
        except IntegrityError:
            # The one running quiz a learner may have (leaving the block rolls it back).
            return False
        rows_insert(AttemptAnswer, [{"attempt_id": attempt.pk, **row} for row in answers])
    return True


class AnswerOutcome(enum.Enum):
    SCORED = "scored"
    ALREADY_ANSWERED = "already_answered"
    TOO_LATE = "too_late"
    NOT_RUNNING = "not_running"
    CONFLICT = "conflict"
    CHANGED = "changed"  # an editor changed the question since it was shown: asked again


class NotInAttempt(Exception):
    """The question answered is not one of the attempt's."""


class NotAChoice(Exception):
    """A choice question was answered with something no page of the attempt showed."""


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    finished: bool
    view: AttemptView | None = None  # the answers after this one, to show the next question


def attempt_answer(
    *,
    attempt: QuizAttempt,
    question_id: int,
    response: str,
    now: datetime,
    bank: Bank | None = None,
    view: AttemptView | None = None,
    version: str = "",
) -> AnswerResult:
    """Score one answer, feed it to the learner's schedule, and finish the attempt at the end.

    The first answer to a question is kept; an answer after the deadline plus the grace is not
    scored and finishes the attempt; one to a question changed since it was shown is not scored
    (CHANGED): its choice deleted, or, when the page sent the question's `version`
    (answers.question_version), anything it showed or grades by. Raises NotInAttempt if the
    question is not the attempt's, NotAChoice if the answer is no choice the question has or
    had. `view`: the attempt's answers, if read.
    """
    if not attempt.is_running:
        return AnswerResult(AnswerOutcome.NOT_RUNNING, True)
    view = view or attempt_view(attempt=attempt)
    answer = next((a for a in view.answers if a.question_id == question_id), None)
    if answer is None:
        raise NotInAttempt
    if _overdue(attempt, now):
        attempt_finish(attempt=attempt, now=now, ending=AttemptEnding.LATE_ANSWER, refresh=False)
        return AnswerResult(AnswerOutcome.TOO_LATE, True)
    question = (bank or bank_current()).questions[question_id]
    if answer.answered_at is None:  # else the first answer stands, and is said to
        if version and version != question_version(question):
            # Changed since its page was made, or this process has not seen the change yet.
            question = bank_current(fresh=True).questions[question_id]
            if version != question_version(question):
                return AnswerResult(AnswerOutcome.CHANGED, False, view)
        fit = answer_fit(question, answer.choice_order, response)
        if fit == Fit.NOT_A_CHOICE:  # or a choice added that this process has not seen yet
            question = bank_current(fresh=True).questions[question_id]
            fit = answer_fit(question, answer.choice_order, response)
        if fit == Fit.NOT_A_CHOICE:
            raise NotAChoice
        if fit == Fit.CHANGED:  # scored, it fed the schedule an Again the learner never gave
            return AnswerResult(AnswerOutcome.CHANGED, False, view)
    # The learner's card and settings in one read, written only if no review moved it on since.
    # No card yet: SQLite looks again inside the answer's transaction (a study rating making it
    # at that moment is seen, not refused); PostgreSQL's one statement meets such a card itself.
    if view.answering_card is not None and view.answering_card[0] == question_id:
        read = view.answering_card[1]  # read with the answers
    else:
        read = card_read_with_settings(user=attempt.user, question_id=question_id)
    card = read if read.state is not None or connection.vendor == "postgresql" else None
    try:
        stored = _answer_store(
            attempt=attempt,
            answer=answer,
            question=question,
            response=response,
            now=now,
            schedule=study_profile(user=attempt.user).schedule,
            card=card,
        )
    except ReviewStale:
        # The card was being created by a study rating at the same moment: nothing was stored.
        # (SQLite; on PostgreSQL the answer reads that card and is applied on top of it.)
        return AnswerResult(AnswerOutcome.CONFLICT, False, view)
    if not stored:
        if not QuizAttempt.objects.filter(pk=attempt.pk, state=AttemptState.RUNNING).exists():
            # The quiz was finished (another tab, the timer) just before: the answer is refused.
            return AnswerResult(AnswerOutcome.NOT_RUNNING, True)
        return AnswerResult(AnswerOutcome.ALREADY_ANSWERED, False, view)
    answer.answered_at = now
    if view.current is None:
        # Every other question was answered before this request read them: nothing to close.
        attempt_finish(
            attempt=attempt,
            now=now,
            ending=AttemptEnding.COMPLETED,
            refresh=False,
            close_unanswered=False,
        )
        return AnswerResult(AnswerOutcome.SCORED, True)
    return AnswerResult(AnswerOutcome.SCORED, False, view)


def _answer_store(
    *,
    attempt: QuizAttempt,
    answer: AttemptAnswer,
    question: QuestionData,
    response: str,
    now: datetime,
    schedule: Schedule,
    card: CardRead | None,
) -> bool:
    """Keep the answer, feed it to the schedule and send a typed answer the grader refused to
    the editors' queue, in one transaction; False if it was answered before."""
    given = answer_stored(question, response)
    with transaction.atomic(savepoint=False):
        # The condition keeps the first answer when two arrive together, and refuses one whose
        # quiz has finished (the finish closes unanswered rows: is_correct is set). It names the
        # row's own columns only: a condition through a join becomes a subquery, which
        # PostgreSQL does not re-check after waiting for the other writer.
        stored = row_update(
            AttemptAnswer,
            where={"id": answer.pk, "answered_at": None, "is_correct": None},
            values={
                "answered_at": now,
                "response": given.text[:MAX_RESPONSE_LENGTH],
                "chosen_choice_id": given.chosen_choice_id,
                "is_correct": given.is_correct,
            },
        )
        if stored:
            review_record(
                user=attempt.user,
                question_id=answer.question_id,
                rating=Rating.GOOD if given.is_correct else Rating.AGAIN,
                now=now,
                schedule=schedule,
                shown_reps=None,
                origin=ReviewOrigin.QUIZ,
                card=card,
            )
            phrasing_record_refused(
                user=attempt.user,
                question=question,
                response=response,
                origin=ReviewOrigin.QUIZ,
                now=now,
                attempt_answer_id=answer.pk,
                answered_now=True,
                correct=given.verdict,
            )
    return bool(stored)
