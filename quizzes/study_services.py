"""Writes of studying: ratings, Undo, and the learner's study settings."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from quizzes import scheduling
from quizzes.elapsed import elapsed_days_changed
from quizzes.enums import ReviewOrigin
from quizzes.models import CardState, ReviewLog, StudyProfile
from quizzes.schedule_services import retention_apply
from quizzes.scheduling import CardValues
from quizzes.study_selectors import card_values, study_profile
from quizzes.tokens import CardToken


class ReviewStale(Exception):
    """The card changed since the learner saw it (a double click or a second tab)."""


class PreviewStale(Exception):
    """The intervals on the rating buttons are no longer what a rating would give: a day has
    passed since they were computed (a card left open overnight), or the learner's parameters
    changed. Nothing was recorded; the buttons should be shown again."""


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
    origin: str = ReviewOrigin.STUDY,
    parameters: tuple[float, ...] = scheduling.DEFAULT_PARAMETERS,
    previewed_at: datetime | None = None,
) -> RecordedReview:
    """Apply a rating to the learner's card and log it, in one transaction.

    `shown_reps` is the card's review count when the learner was shown it: if the card has been
    reviewed since, nothing is recorded and ReviewStale is raised. Quiz answers pass None: a quiz
    answer that races another review of the same card is applied on top of it. `previewed_at` is
    when the learner was shown the rating's interval: if the scheduler's day count since the
    card's last review has moved since then, nothing is recorded and PreviewStale is raised.

    Concurrency is optimistic: the card is read and rescheduled outside the transaction, which
    then only writes — the card on the condition that its review count is still the one read
    (or, for a first review, under the one-card-per-question constraint) — so the write lock that
    SQLite takes for a transaction is held for two statements only.
    """
    rated = _Rating(user, question_id, rating, now, duration_ms, origin)
    nested = transaction.get_connection().in_atomic_block
    for _try in range(3):
        state = CardState.objects.filter(user=user, question_id=question_id).first()
        before = card_values(state)
        if shown_reps is not None and before.reps != shown_reps:
            raise ReviewStale
        if previewed_at is not None and elapsed_days_changed(
            before.last_review, shown_at=previewed_at, posted_at=now
        ):
            raise PreviewStale
        after = scheduling.review(
            before,
            rating,
            now=now,
            desired_retention=desired_retention,
            seed=f"{user.pk}:{question_id}",
            parameters=parameters,
        )
        try:
            log = _review_write(rated, state=state, before=before, after=after)
        except IntegrityError:
            # Another request created this learner's card first. Inside a caller's transaction
            # that transaction is spoiled: let the caller roll it back.
            if nested:
                raise ReviewStale from None
            log = None
        if log is not None:
            return RecordedReview(log=log, card=after)
        if shown_reps is not None:
            raise ReviewStale
    raise ReviewStale


@dataclass(frozen=True)
class _Rating:
    """What a review records besides the card: who rated which question, how, when, where."""

    user: User
    question_id: int
    rating: int
    now: datetime
    duration_ms: int | None
    origin: str


def _review_write(
    rated: _Rating, *, state: CardState | None, before: CardValues, after: CardValues
) -> ReviewLog | None:
    """Write the card and its log entry together; None if the card changed since it was read."""
    # savepoint=False: no savepoint round trips; a conflict leaves the block normally.
    with transaction.atomic(savepoint=False):
        if state is None:
            CardState.objects.create(
                user=rated.user,
                question_id=rated.question_id,
                created_at=rated.now,
                **_card_fields(after),
            )
        elif not CardState.objects.filter(pk=state.pk, reps=before.reps).update(
            **_card_fields(after)
        ):
            return None
        return ReviewLog.objects.create(
            user=rated.user,
            question_id=rated.question_id,
            rating=rated.rating,
            reviewed_at=rated.now,
            duration_ms=rated.duration_ms,
            origin=rated.origin,
            state_before=None if state is None else before.state,
            previous_card=None if state is None else before.as_dict(),
        )


# A card left open longer than this was not being thought about: its duration is capped.
MAX_REVIEW_DURATION = timedelta(hours=1)


def review_record_shown(
    *, user: User, question_id: int, token: CardToken, rating: int, now: datetime
) -> RecordedReview:
    """Record a study rating of the card the token says the learner was shown, with the
    interval its button showed.

    Raises ReviewStale if the card has been reviewed since it was shown, PreviewStale if the
    interval shown is no longer what the rating gives (a day passed, or new parameters).
    """
    parameters = study_profile(user=user).scheduler_parameters
    if token.previewed_at is not None and token.parameters_key != scheduling.parameters_key(
        parameters
    ):
        raise PreviewStale
    elapsed = min(max(now - token.shown_at, timedelta(0)), MAX_REVIEW_DURATION)
    return review_record(
        user=user,
        question_id=question_id,
        rating=rating,
        now=now,
        desired_retention=token.retention,
        shown_reps=token.reps,
        duration_ms=int(elapsed.total_seconds() * 1000),
        parameters=parameters,
        previewed_at=token.previewed_at,
    )


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
        if log is None or log.origin != ReviewOrigin.STUDY:
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
    """Save the learner's study settings; a new desired retention reschedules their cards."""
    before = study_profile(user=user).desired_retention
    profile, _ = StudyProfile.objects.update_or_create(
        user=user,
        defaults={
            "desired_retention": desired_retention,
            "new_per_day": new_per_day,
            "max_reviews_per_day": max_reviews_per_day,
        },
    )
    if profile.desired_retention != before:
        retention_apply(user=user, profile=profile)
    return profile
