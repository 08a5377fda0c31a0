"""Writes of a learner's schedule: their own FSRS parameters, fitting them, and rescheduling."""

import contextlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from learnfrl.accounts.users import User
from quizzes.enums import FitOutcome, FitStatus
from quizzes.models import CardState, ScheduleFit, StudyProfile
from quizzes.parameters.offload import offloaded
from quizzes.parameters.selectors import review_history
from quizzes.rules import optimizing, scheduling
from quizzes.rules.optimizing import Fit
from quizzes.rules.scheduling import CARD_FIELDS, Schedule

logger = logging.getLogger(__name__)


def cards_rescheduled(*, user: User, schedule: Schedule, now: datetime) -> list[CardState]:
    """Replay every card's history under the schedule; nothing is written.

    A card whose review log does not account for all its reviews (its history was cut short) is
    left as it is: replaying part of a history would forget what the card went through.
    """
    history = review_history(user=user)
    cards = []
    for state in CardState.objects.filter(user=user).only("pk", "question_id", *CARD_FIELDS):
        reviews = history.get(state.question_id, [])
        if len(reviews) != state.reps:
            continue
        values = optimizing.reschedule_card(
            reviews,
            schedule=schedule,
            seed=f"{user.pk}:{state.question_id}",  # as review_record seeds the card's fuzz
            now=now,
        )
        state.values_set(values)
        cards.append(state)
    return cards


def cards_write(*, user: User, cards: list[CardState]) -> int:
    """Write rescheduled cards in bulk, inside the caller's transaction; return how many.

    The cards were computed outside the transaction, so the lock is held only to write. A card
    rated in between (its review count moved) is skipped: that rating's outcome stands.
    """
    assert transaction.get_connection().in_atomic_block, "write cards in one transaction"
    current = dict(
        CardState.objects.select_for_update().filter(user=user).values_list("pk", "reps")
    )
    kept = [card for card in cards if current.get(card.pk) == card.reps]
    CardState.objects.bulk_update(kept, CARD_FIELDS, batch_size=500)
    return len(kept)


def _profile_locked(user: User) -> StudyProfile:
    StudyProfile.objects.get_or_create(user=user)
    return StudyProfile.objects.select_for_update().get(user=user)


def parameters_apply(*, user: User, parameters: Sequence[float]) -> StudyProfile:
    """Use `parameters` from now on (empty: the defaults), keep the ones in use as the previous,
    and recompute every card's due date from its history, all in one transaction."""
    new = [float(value) for value in parameters]
    problem = scheduling.parameters_problem(new)
    if problem:
        raise ValueError(problem)
    # The learner's retention and day (StudyProfile's defaults if they saved none) with the new
    # parameters.
    saved = StudyProfile.objects.filter(user=user).first() or StudyProfile(user=user)
    schedule = replace(saved.schedule, parameters=scheduling.parameters_in_use(new))
    cards = cards_rescheduled(user=user, schedule=schedule, now=timezone.now())
    with transaction.atomic():
        profile = _profile_locked(user)
        if profile.parameters != new:
            profile.previous_parameters, profile.parameters = profile.parameters, new
            profile.save(update_fields=["parameters", "previous_parameters"])
        cards_write(user=user, cards=cards)
    user.study_profile = profile  # what this request reads next
    return profile


def parameters_go_back(*, user: User) -> StudyProfile:
    """Swap to the previous parameters (and keep the current ones as the previous)."""
    profile = StudyProfile.objects.filter(user=user).first() or StudyProfile(user=user)
    return parameters_apply(user=user, parameters=profile.previous_parameters)


def retention_apply(*, user: User, profile: StudyProfile) -> int:
    """After the desired retention changed: recompute every card's due date, in one
    transaction; return how many cards were rescheduled."""
    cards = cards_rescheduled(user=user, schedule=profile.schedule, now=timezone.now())
    with transaction.atomic():
        return cards_write(user=user, cards=cards)


# --- "Optimize my schedule" ---------------------------------------------------------------------


def fits_abandon(*, now: datetime, user: User | None = None) -> int:
    """Mark as failed the runs (the learner's, or everyone's) whose worker never finished them
    (stopped, or lost its task), and delete their tasks' rows from the task queue: no worker is
    to pick them up later, and nothing is left behind for them. How many were marked."""
    abandoned = ScheduleFit.objects.filter(
        status__in=FitStatus.unfinished(), requested_at__lt=ScheduleFit.abandoned_before(now)
    )
    if user is not None:
        abandoned = abandoned.filter(user=user)
    task_ids = [task_id for task_id in abandoned.values_list("task_id", flat=True) if task_id]
    count = abandoned.update(status=FitStatus.FAILED, finished_at=now)
    _task_rows_delete(task_ids)
    return count


def _task_rows_delete(task_ids: list[str]) -> None:
    """Delete the queued or running rows of these tasks (django-tasks' database backend)."""
    ids = []
    for task_id in task_ids:
        with contextlib.suppress(ValueError):  # another backend's id: no row of ours
            ids.append(uuid.UUID(task_id))
    if ids:
        DBTaskResult.objects.filter(id__in=ids).delete()


def _fit_update(fit: ScheduleFit, **fields: object) -> None:
    for name, value in fields.items():
        setattr(fit, name, value)
    fit.save(update_fields=list(fields))


def _evaluations(result: Fit) -> dict[str, object]:
    return {
        "parameters": list(result.parameters),
        "items": result.items,
        "candidates": result.candidates,
        "default_log_loss": result.default.log_loss,
        "default_rmse": result.default.rmse,
        "previous_log_loss": result.current.log_loss,
        "previous_rmse": result.current.rmse,
        "fitted_log_loss": result.fitted.log_loss,
        "fitted_rmse": result.fitted.rmse,
    }


def fit_run(*, fit_id: int) -> ScheduleFit:
    """Fit the learner's parameters to their whole review history; apply them (and reschedule
    every card) only if they predict that history better than the parameters in use.

    The body of the background task. A failure is recorded on the run, never raised.
    """
    fit = ScheduleFit.objects.select_related("user").get(pk=fit_id)
    if fit.is_finished:
        return fit
    if fit.is_abandoned(timezone.now()):
        # Taken up too late (the worker was down, or far behind): failed, as the settings page
        # has said since, which offers the learner another run instead.
        _fit_update(fit, status=FitStatus.FAILED, finished_at=timezone.now())
        return fit
    try:
        _fit_update(fit, status=FitStatus.FITTING)
        user = fit.user
        profile = StudyProfile.objects.filter(user=user).first() or StudyProfile(user=user)
        history = review_history(user=user)
        reviews = sum(len(card) for card in history.values())
        # Seconds on every core: at a low priority, so the web's requests come first.
        result = offloaded(optimizing.fit)(
            history,
            current=profile.scheduler_parameters,
            day=profile.day,
            now=timezone.now(),
        )
        if isinstance(result, optimizing.NotEnoughReviews):
            outcome = FitOutcome.NOT_ENOUGH
            _fit_update(fit, reviews=reviews, items=result.items, candidates=result.candidates)
        else:
            _fit_update(fit, reviews=reviews, **_evaluations(result))
            outcome = FitOutcome.NOT_BETTER
            if result.is_better:
                _fit_update(fit, status=FitStatus.RESCHEDULING)
                parameters_apply(user=user, parameters=result.parameters)
                outcome = FitOutcome.APPLIED
        _fit_update(fit, status=FitStatus.DONE, outcome=outcome, finished_at=timezone.now())
    except Exception:
        logger.exception("Fitting the parameters of user %s failed", fit.user_id)
        _fit_update(fit, status=FitStatus.FAILED, finished_at=timezone.now())
    return fit
