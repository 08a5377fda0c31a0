"""Every write to the learning domain goes through a function here."""

import contextlib
import enum
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least

from quizzes import scheduling, selectors
from quizzes.article import passage_offset
from quizzes.models import (
    AttemptAnswer,
    CardState,
    Category,
    Choice,
    Question,
    QuizAttempt,
    ReviewLog,
    StudyProfile,
)
from quizzes.scheduling import CardValues


@dataclass
class LoadSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.deactivated)} deactivated, {len(self.unchanged)} unchanged"
        )


def _question_values(entry: dict[str, Any], category: Category, position: int) -> dict[str, Any]:
    return {
        "category": category,
        "kind": entry["kind"],
        "prompt": entry["prompt"],
        "answer": entry["answer"],
        "accepted_answers": list(entry.get("accepted_answers", [])),
        "explanation": entry["explanation"],
        "source_passage": entry["passage"],
        "passage_offset": passage_offset(entry["passage"]),
        "position": position,
        "is_active": entry.get("active", True),
    }


def _choices_sync(
    question: Question, wanted: list[tuple[str, bool]], existing: list[Choice]
) -> bool:
    """Make the choices equal `wanted`, reusing rows in place; return whether any changed."""
    current = [(c.text, c.is_correct) for c in existing]
    if current == wanted:
        return False
    # Clear correctness and texts first: the one-correct and unique-text constraints hold after
    # every statement, not only at the end.
    Choice.objects.filter(question=question).update(is_correct=False)
    for choice in existing:
        choice.text = f"__renaming_choice_{choice.pk}__"
    Choice.objects.bulk_update(existing, ["text"])
    for order, (text, is_correct) in enumerate(wanted):
        if order < len(existing):
            choice = existing[order]
            choice.text, choice.is_correct, choice.order = text, is_correct, order
            choice.save(update_fields=["text", "is_correct", "order"])
        else:
            Choice.objects.create(question=question, text=text, is_correct=is_correct, order=order)
    Choice.objects.filter(pk__in=[c.pk for c in existing[len(wanted) :]]).delete()
    return True


@transaction.atomic
def bank_load(*, data: dict[str, Any]) -> LoadSummary:
    """Write a validated bank: add new questions, update changed ones in place, deactivate the rest.

    Questions are matched by slug, so learners' card states and reviews stay attached to them.
    """
    categories: dict[str, Category] = {}
    for order, entry in enumerate(data["categories"]):
        category, _ = Category.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "description": entry.get("description", ""),
                "display_order": order,
            },
        )
        categories[category.slug] = category

    summary = LoadSummary()
    existing = {q.slug: q for q in Question.objects.select_for_update().prefetch_related("choices")}
    for position, entry in enumerate(data["questions"]):
        values = _question_values(entry, categories[entry["category"]], position)
        wanted = [(c["text"], c["correct"]) for c in entry.get("choices", [])]
        question = existing.pop(entry["slug"], None)
        if question is None:
            question = Question.objects.create(slug=entry["slug"], **values)
            Choice.objects.bulk_create(
                Choice(question=question, text=text, is_correct=correct, order=order)
                for order, (text, correct) in enumerate(wanted)
            )
            summary.added.append(question.slug)
            continue
        changed = [name for name, value in values.items() if getattr(question, name) != value]
        for name in changed:
            setattr(question, name, values[name])
        choices_changed = _choices_sync(question, wanted, list(question.choices.all()))
        if changed or choices_changed:
            question.save()
            summary.updated.append(question.slug)
        else:
            summary.unchanged.append(question.slug)

    for question in existing.values():
        if question.is_active:
            question.is_active = False
            question.save(update_fields=["is_active", "updated_at"])
            summary.deactivated.append(question.slug)
        else:
            summary.unchanged.append(question.slug)
    return summary


# --- reviews ------------------------------------------------------------------------------------


class ReviewStale(Exception):
    """The card changed since the learner saw it (a double click or a second tab)."""


@dataclass(frozen=True)
class RecordedReview:
    log: ReviewLog
    card: CardValues


def _card_fields(values: CardValues) -> dict[str, Any]:
    return {
        "state": values.state,
        "step": values.step,
        "stability": values.stability,
        "difficulty": values.difficulty,
        "due": values.due,
        "last_review": values.last_review,
        "reps": values.reps,
        "lapses": values.lapses,
    }


def review_record(
    *,
    user: User,
    question_id: int,
    rating: int,
    now: datetime,
    desired_retention: float,
    shown_reps: int | None,
    duration_ms: int | None = None,
    origin: str = ReviewLog.Origin.STUDY,
) -> RecordedReview:
    """Apply a rating to the learner's card and log it, in one transaction.

    `shown_reps` is the card's review count when the learner was shown it: if the card has been
    reviewed since, nothing is recorded and ReviewStale is raised. Quiz answers pass None: a quiz
    answer that races another review of the same card is applied on top of it.

    Concurrency is optimistic: the card is read and rescheduled outside the transaction, which
    then only writes — the card on the condition that its review count is still the one read
    (or, for a first review, under the one-card-per-question constraint) — so the write lock that
    SQLite takes for a transaction is held for two statements only.
    """
    nested = transaction.get_connection().in_atomic_block
    for _try in range(3):
        state = CardState.objects.filter(user=user, question_id=question_id).first()
        before = selectors.card_values(state)
        if shown_reps is not None and before.reps != shown_reps:
            raise ReviewStale
        after = scheduling.review(
            before,
            rating,
            now=now,
            desired_retention=desired_retention,
            seed=f"{user.pk}:{question_id}",
        )
        try:
            # savepoint=False: no savepoint round trips; a conflict leaves the block normally.
            with transaction.atomic(savepoint=False):
                if state is None:
                    CardState.objects.create(
                        user=user, question_id=question_id, created_at=now, **_card_fields(after)
                    )
                    written = True
                else:
                    written = bool(
                        CardState.objects.filter(pk=state.pk, reps=before.reps).update(
                            **_card_fields(after)
                        )
                    )
                if written:
                    log = ReviewLog.objects.create(
                        user=user,
                        question_id=question_id,
                        rating=rating,
                        reviewed_at=now,
                        duration_ms=duration_ms,
                        origin=origin,
                        state_before=None if state is None else before.state,
                        previous_card=None if state is None else before.as_dict(),
                    )
        except IntegrityError:
            # Another request created this learner's card first. Inside a caller's transaction
            # that transaction is spoiled: let the caller roll it back.
            if nested:
                raise ReviewStale from None
            written = False
        if written:
            return RecordedReview(log=log, card=after)
        if shown_reps is not None:
            raise ReviewStale
    raise ReviewStale


def review_undo(*, user: User) -> ReviewLog | None:
    """Take back the learner's latest study rating: restore the card and delete the log entry.

    Returns the removed entry, or None when there is nothing to undo (no study review, or the card
    has been reviewed again since, e.g. by a quiz).
    """
    with transaction.atomic(savepoint=False):
        log = (
            ReviewLog.objects.select_for_update()
            .filter(user=user)
            .order_by("-reviewed_at", "-id")
            .first()
        )
        if log is None or log.origin != ReviewLog.Origin.STUDY:
            return None
        state = (
            CardState.objects.select_for_update()
            .filter(user=user, question_id=log.question_id)
            .first()
        )
        previous = CardValues.from_dict(log.previous_card) if log.previous_card else None
        expected_reps = (previous.reps if previous else 0) + 1
        if state is None or state.reps != expected_reps:
            return None
        if previous is None:
            state.delete()
        else:
            CardState.objects.filter(pk=state.pk).update(**_card_fields(previous))
        log.delete()
    return log


def profile_save(
    *, user: User, desired_retention: float, new_per_day: int, max_reviews_per_day: int
) -> StudyProfile:
    profile, _ = StudyProfile.objects.update_or_create(
        user=user,
        defaults={
            "desired_retention": desired_retention,
            "new_per_day": new_per_day,
            "max_reviews_per_day": max_reviews_per_day,
        },
    )
    return profile


# --- quizzes ------------------------------------------------------------------------------------


class AttemptRunning(Exception):
    """The learner already has a quiz running; it is attached."""

    def __init__(self, attempt: QuizAttempt):
        super().__init__(f"Quiz {attempt.pk} is still running.")
        self.attempt = attempt


class NotEnoughQuestions(Exception):
    """The chosen category has no active questions."""


def _finish_update(attempts, *, now: datetime, ending: str, close_unanswered: bool = True) -> int:
    """Finish the given running attempts, scoring them from their answers."""
    correct = (
        AttemptAnswer.objects.filter(attempt=OuterRef("pk"), is_correct=True)
        .order_by()
        .values("attempt")
        .annotate(n=Count("id"))
        .values("n")
    )
    running = attempts.filter(state=QuizAttempt.State.RUNNING)
    # One statement needs no transaction of its own; two do.
    with transaction.atomic() if close_unanswered else contextlib.nullcontext():
        if close_unanswered:
            # Close the unanswered questions first (wrong, as unanswered ones count). This waits
            # for an answer being stored to commit (it holds that row), and an answer arriving
            # later finds its row closed and is refused (_answer_store), so the score below, a
            # statement that starts after these locks, counts exactly the answers shown as right.
            AttemptAnswer.objects.filter(
                attempt__in=running, answered_at__isnull=True, is_correct__isnull=True
            ).update(is_correct=False)
        return running.update(
            state=QuizAttempt.State.FINISHED,
            finished_at=Least(Value(now), F("deadline")),
            ending=ending,
            score=Coalesce(Subquery(correct), 0),
        )


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
    done = _finish_update(
        QuizAttempt.objects.filter(pk=attempt.pk),
        now=now,
        ending=ending,
        close_unanswered=close_unanswered,
    )
    if refresh:
        attempt.refresh_from_db()
    return bool(done)


def attempts_finish_overdue(*, now: datetime, user: User | None = None) -> int:
    """Finish every running attempt whose deadline (plus the grace) has passed."""
    cutoff = now - timedelta(seconds=settings.QUIZ_GRACE_SECONDS)
    attempts = QuizAttempt.objects.filter(deadline__lt=cutoff)
    if user is not None:
        attempts = attempts.filter(user=user)
    return _finish_update(attempts, now=now, ending=QuizAttempt.Ending.TIME_UP)


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
    attempts_finish_overdue(now=now, user=user)
    running = QuizAttempt.objects.filter(user=user, state=QuizAttempt.State.RUNNING).first()
    if running is not None:
        raise AttemptRunning(running)
    bank = selectors.bank_current()
    pool = bank.active_in(category_slug)
    if not pool:
        raise NotEnoughQuestions
    chosen = selectors.quiz_questions_pick(user=user, pool=pool, length=length, now=now, rng=rng)
    category = next((c for c in bank.categories if c.slug == category_slug), None)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                category=category,
                length=len(chosen),
                seconds_per_question=seconds_per_question,
                started_at=now,
                deadline=now + timedelta(seconds=seconds_per_question * len(chosen)),
            )
            answers = []
            for position, question in enumerate(chosen):
                order = [c.id for c in question.choices]
                rng.shuffle(order)
                answers.append(
                    AttemptAnswer(
                        attempt=attempt,
                        question_id=question.id,
                        position=position,
                        choice_order=order,
                    )
                )
            AttemptAnswer.objects.bulk_create(answers)
    except IntegrityError:
        # Another request started one a moment ago.
        raise AttemptRunning(
            QuizAttempt.objects.get(user=user, state=QuizAttempt.State.RUNNING)
        ) from None
    return attempt


class AnswerOutcome(enum.Enum):
    SCORED = "scored"
    ALREADY_ANSWERED = "already_answered"
    TOO_LATE = "too_late"
    NOT_RUNNING = "not_running"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class AnswerResult:
    outcome: AnswerOutcome
    finished: bool


def attempt_answer(
    *,
    attempt: QuizAttempt,
    answer: AttemptAnswer,
    question: selectors.QuestionData,
    response: str,
    now: datetime,
    desired_retention: float,
    unanswered_after: int,
) -> AnswerResult:
    """Score one answer, feed it to the learner's schedule, and finish the attempt at the end.

    The first answer to a question is kept; an answer after the deadline plus the grace is not
    scored and finishes the attempt. `unanswered_after` is how many questions stay unanswered once
    this one is.
    """
    if not attempt.is_running:
        return AnswerResult(AnswerOutcome.NOT_RUNNING, True)
    if now > attempt.deadline + timedelta(seconds=settings.QUIZ_GRACE_SECONDS):
        attempt_finish(
            attempt=attempt, now=now, ending=QuizAttempt.Ending.LATE_ANSWER, refresh=False
        )
        return AnswerResult(AnswerOutcome.TOO_LATE, True)
    verdict, chosen = question.judge(response)
    is_correct = bool(verdict)  # in a quiz, no answer or an unknown choice counts as wrong
    text = chosen.text if chosen else ("" if question.has_choices else response)
    try:
        stored = _answer_store(
            attempt=attempt,
            answer=answer,
            question=question,
            now=now,
            text=text,
            chosen=chosen,
            is_correct=is_correct,
            desired_retention=desired_retention,
        )
    except ReviewStale:
        # The card was being created by a study rating at the same moment: nothing was stored.
        return AnswerResult(AnswerOutcome.CONFLICT, False)
    if not stored:
        if not QuizAttempt.objects.filter(pk=attempt.pk, state=QuizAttempt.State.RUNNING).exists():
            # The quiz was finished (another tab, the timer) just before: the answer is refused.
            return AnswerResult(AnswerOutcome.NOT_RUNNING, True)
        return AnswerResult(AnswerOutcome.ALREADY_ANSWERED, False)
    if unanswered_after == 0:
        # Every other question was answered before this request read them: nothing to close.
        attempt_finish(
            attempt=attempt,
            now=now,
            ending=QuizAttempt.Ending.COMPLETED,
            refresh=False,
            close_unanswered=False,
        )
        return AnswerResult(AnswerOutcome.SCORED, True)
    return AnswerResult(AnswerOutcome.SCORED, False)


def _answer_store(
    *, attempt, answer, question, now, text, chosen, is_correct, desired_retention
) -> bool:
    """Keep the answer and feed it to the schedule, together; False if it was answered before."""
    with transaction.atomic(savepoint=False):
        # The condition keeps the first answer when two arrive together, and refuses one whose
        # quiz has finished (the finish closes unanswered rows: is_correct is set). It names the
        # row's own columns only: a condition through a join becomes a subquery, which
        # PostgreSQL does not re-check after waiting for the other writer.
        stored = AttemptAnswer.objects.filter(
            pk=answer.pk, answered_at__isnull=True, is_correct__isnull=True
        ).update(
            answered_at=now,
            response=text[:500],
            chosen_choice_id=chosen.id if chosen else None,
            is_correct=is_correct,
        )
        if stored:
            review_record(
                user=attempt.user,
                question_id=question.id,
                rating=scheduling.GOOD if is_correct else scheduling.AGAIN,
                now=now,
                desired_retention=desired_retention,
                shown_reps=None,
                origin=ReviewLog.Origin.QUIZ,
            )
    return bool(stored)
