"""Writes of a learner's schedule: their own FSRS parameters, fitting them, and rescheduling."""

import contextlib
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learnfrl.accounts.users import User
from quizzes.enums import FitOutcome, FitStatus
from quizzes.limits import FIT_SECONDS
from quizzes.models import CardEdit, CardState, ReviewLog, ScheduleFit, StudyProfile
from quizzes.parameters.offload import offloaded
from quizzes.parameters.selectors import card_edits_read, review_count, review_history
from quizzes.rules import optimizing, scheduling
from quizzes.rules.days import day_start
from quizzes.rules.optimizing import Fit
from quizzes.rules.scheduling import CARD_FIELDS, Schedule

logger = logging.getLogger(__name__)


class Rescheduled(NamedTuple):
    """Every card replayed (cards_rescheduled), to write in one transaction (cards_write)."""

    cards: list[CardState]
    # Each card's review count and due date as read, by card: the write skips one that moved.
    read: dict[int, tuple[int, datetime | None]]
    # The Set due dates made again, by card: their edits are written with it.
    moved: dict[int, list[optimizing.Moved]]
    # Each card's last review and the card as it now was before it, by card, and the start of
    # the learner's day: the logs of today's reviews are written with it (what Undo puts back).
    before_last: dict[int, tuple[datetime, scheduling.CardValues]]
    today: datetime


def cards_rescheduled(*, user: User, schedule: Schedule, now: datetime) -> Rescheduled:
    """Replay every card's history under the schedule, its Set due dates included; nothing is
    written.

    A card whose review log does not account for all its reviews (its history was cut short) is
    left as it is: replaying part of a history would forget what the card went through.
    """
    edits = card_edits_read(user=user)
    history = review_history(user=user, forgotten=edits.forgotten)
    dues_set = edits.dues_set
    done = Rescheduled([], {}, {}, {}, day_start(now, schedule.day))
    for state in CardState.objects.filter(user=user).only("pk", "question_id", *CARD_FIELDS):
        reviews = history.get(state.question_id, [])
        if len(reviews) != state.reps:
            continue
        done.read[state.pk] = (state.reps, state.due)
        moved: list[optimizing.Moved] = []
        before: list[scheduling.CardValues] = []
        values = optimizing.reschedule_card(
            reviews,
            schedule=schedule,
            seed=f"{user.pk}:{state.question_id}",  # as review_record seeds the card's fuzz
            now=now,
            dues_set=dues_set.get(state.question_id, ()),
            moved=moved,
            before_last=before,
        )
        state.values_set(values)
        done.cards.append(state)
        if moved:
            done.moved[state.pk] = moved
        if before and reviews[-1].reviewed_at >= done.today:
            done.before_last[state.pk] = (reviews[-1].reviewed_at, before[0])
    return done


def cards_write(*, user: User, cards: Rescheduled) -> int:
    """Write rescheduled cards in bulk, with their Set due dates as the replay made them again,
    inside the caller's transaction; return how many.

    The cards were computed outside the transaction, so the lock is held only to write. A card
    rated, moved or put back by Undo in between (its review count or due date changed) is
    skipped: what the learner did stands.
    """
    assert transaction.get_connection().in_atomic_block, "write cards in one transaction"
    current = {
        pk: (reps, due)
        for pk, reps, due in CardState.objects.select_for_update()
        .filter(user=user)
        .values_list("pk", "reps", "due")
    }
    kept = [card for card in cards.cards if current.get(card.pk) == cards.read[card.pk]]
    CardState.objects.bulk_update(kept, CARD_FIELDS, batch_size=500)
    edits = [
        CardEdit(pk=move.edit_id, due=move.due, previous_card=move.previous)
        for card in kept
        for move in cards.moved.get(card.pk, ())
    ]
    CardEdit.objects.bulk_update(edits, ["due", "previous_card"], batch_size=500)
    _undo_rewrite(user=user, cards=cards, kept=kept)
    return len(kept)


def _undo_rewrite(*, user: User, cards: Rescheduled, kept: list[CardState]) -> None:
    """Give today's last review of each card written the card as the new schedule now makes it
    before that review, as a regrade does: Undo of the rating puts back that card, where it put
    back one computed with the old settings (an outside tester's find). Only today's can be
    undone; a first review's log keeps none."""
    last = {
        card.question_id: cards.before_last[card.pk]
        for card in kept
        if card.pk in cards.before_last
    }
    if not last:
        return
    logs = ReviewLog.objects.filter(
        user=user, reviewed_at__gte=cards.today, previous_card__isnull=False
    ).only("pk", "question_id", "reviewed_at", "previous_card")
    changed = []
    for log in logs:
        at, before = last.get(log.question_id, (None, None))
        if before is None or log.reviewed_at != at or log.previous_card is None:
            continue
        log.previous_card = {**before.as_dict(), "leech": log.previous_card.get("leech", False)}
        log.state_before = before.state
        changed.append(log)
    ReviewLog.objects.bulk_update(changed, ["previous_card", "state_before"], batch_size=500)


def _profile_locked(user: User) -> StudyProfile:
    StudyProfile.objects.get_or_create(user=user)
    return StudyProfile.objects.select_for_update().get(user=user)


class ParametersWithdrawn(Exception):
    """parameters_apply wrote nothing: the caller's own write (`along`) could not be made."""


def parameters_apply(
    *, user: User, parameters: Sequence[float], along: Callable[[], bool] | None = None
) -> StudyProfile:
    """Use `parameters` from now on (empty: the defaults), keep the ones in use as the previous,
    and recompute every card's due date from its history, all in one transaction; `along`, a
    write of the caller's, is made first in that transaction, and nothing is written (raising
    ParametersWithdrawn) if it returns False."""
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
        # The profile locked first, as deleting the account takes it before the learner's
        # runs: `along` locking a run first deadlocked with it on PostgreSQL.
        profile = _profile_locked(user)
        if along is not None and not along():
            raise ParametersWithdrawn
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
    """Mark as failed the runs (the learner's, or everyone's) that lost their worker
    (ScheduleFit.abandoned), and end their tasks' rows in the task queue: no worker is to pick
    them up later, and nothing is left behind for them. How many were marked."""
    with transaction.atomic():
        # Locked as they are read: a worker taking one up meanwhile waits, then finds it failed.
        found = ScheduleFit.objects.select_for_update().filter(ScheduleFit.abandoned(now))
        if user is not None:
            found = found.filter(user=user)
        abandoned = list(found.values_list("pk", "task_id"))
        ScheduleFit.objects.filter(pk__in=[pk for pk, _task in abandoned]).update(
            status=FitStatus.FAILED, finished_at=now
        )
    _task_rows_end([task_id for _pk, task_id in abandoned if task_id], now=now)
    return len(abandoned)


def _task_rows_end(task_ids: list[str], *, now: datetime) -> None:
    """End the rows of these tasks in the task queue (django-tasks' database backend): one no
    worker took is deleted; one a worker took is marked failed (pruned with the finished ones),
    not deleted, since a worker still alive saves to it when its task returns, and a row gone
    from under it stopped the worker."""
    ids = []
    for task_id in task_ids:
        with contextlib.suppress(ValueError):  # another backend's id: no row of ours
            ids.append(uuid.UUID(task_id))
    if ids:
        rows = DBTaskResult.objects.filter(id__in=ids)
        rows.filter(status=TaskResultStatus.READY).delete()
        rows.filter(status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now
        )


def _fit_advance(fit: ScheduleFit, **fields: object) -> bool:
    """Write these fields of a run that is still unfinished; False (and `fit` read again) if it
    was failed meanwhile, as an abandoned run (fits_abandon): the worker then stops there."""
    written = ScheduleFit.objects.filter(pk=fit.pk, status__in=FitStatus.unfinished()).update(
        **fields
    )
    if not written:
        with contextlib.suppress(ScheduleFit.DoesNotExist):  # its learner deleted meanwhile
            fit.refresh_from_db()
        return False
    for name, value in fields.items():
        setattr(fit, name, value)
    return True


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
    now = timezone.now()
    if fit.is_finished:
        return fit
    if fit.is_abandoned(now):
        # Taken up too late (the worker was down, or far behind): failed, as the settings page
        # has said since, which offers the learner another run instead.
        _fit_advance(fit, status=FitStatus.FAILED, finished_at=now)
        return fit
    if not _fit_advance(fit, status=FitStatus.FITTING, started_at=now):
        return fit
    try:
        user = fit.user
        profile = StudyProfile.objects.filter(user=user).first() or StudyProfile(user=user)
        history = review_history(user=user)
        # All the learner's reviews, as the page counts them beside it (the fit reads each card
        # from its latest Forget: fewer, when a card was forgotten).
        reviews = review_count(user=user)
        # Seconds on every core: at a low priority, so the web's requests come first; waited
        # for FIT_SECONDS at most (the run then fails), well before it counts as abandoned.
        result = offloaded(optimizing.fit, timeout=FIT_SECONDS)(
            history,
            current=profile.scheduler_parameters,
            day=profile.day,
            now=timezone.now(),
        )
        if isinstance(result, optimizing.NotEnoughReviews):
            outcome = FitOutcome.NOT_ENOUGH
            figures: dict[str, object] = {
                "reviews": reviews,
                "items": result.items,
                "candidates": result.candidates,
            }
        else:
            outcome = FitOutcome.NOT_BETTER
            figures = {"reviews": reviews, **_evaluations(result)}
            if result.is_better:
                if not _fit_advance(fit, status=FitStatus.RESCHEDULING, **figures):
                    return fit
                # Done in the transaction that applies them: a run failed meanwhile (it lost
                # its worker, by the clock) applies nothing.
                with contextlib.suppress(ParametersWithdrawn):
                    parameters_apply(
                        user=user,
                        parameters=result.parameters,
                        along=lambda: _fit_advance(
                            fit,
                            status=FitStatus.DONE,
                            outcome=FitOutcome.APPLIED,
                            finished_at=timezone.now(),
                        ),
                    )
                return fit
        _fit_advance(
            fit, status=FitStatus.DONE, outcome=outcome, finished_at=timezone.now(), **figures
        )
    except Exception:
        logger.exception("Fitting the parameters of user %s failed", fit.user_id)
        _fit_advance(fit, status=FitStatus.FAILED, finished_at=timezone.now())
    return fit
