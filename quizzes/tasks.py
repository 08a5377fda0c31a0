"""Background tasks (django-tasks): work too long for a request, run by `manage.py db_worker`.

Each task is a thin edge over a service, as a view is, and so is queueing it: this module imports
the services, and they never import it.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django_tasks import task

from learnfrl.accounts.limits import limit_release, limit_reserve
from learnfrl.accounts.users import User
from quizzes.enums import FitStatus
from quizzes.models import ScheduleFit, StudyProfile
from quizzes.parameters.selectors import optimize_shortfall, usable_reviews
from quizzes.parameters.services import fit_run, fits_abandon
from quizzes.rules import optimizing


@task()
def schedule_fit(fit_id: int) -> str:
    """Fit a learner's FSRS parameters (a ScheduleFit run); return the run's final status."""
    return fit_run(fit_id=fit_id).status


class FitRefused(Exception):
    """No fit was queued for the learner: the message says why."""


def fit_request(*, user: User, now: datetime) -> ScheduleFit:
    """Queue a fit of the learner's parameters, or return the run already under way.

    Refused (FitRefused) below the optimizer's minimum of usable reviews, where a fit could only say
    "not enough", and beyond OPTIMIZE_RATE runs per learner: each run costs a worker seconds.
    """
    fits_abandon(user=user, now=now)
    under_way = ScheduleFit.objects.filter(user=user, status__in=FitStatus.unfinished()).first()
    if under_way is not None:
        return under_way
    # Read, not `user.study_profile`: the fit may change the profile before the page reads it,
    # and an unsaved default tied to `user` would be cached on it in its place.
    profile = StudyProfile.objects.filter(user=user).first() or StudyProfile()
    counted = usable_reviews(user=user, profile=profile, now=now)
    if counted.usable < optimizing.MIN_ITEMS:
        raise FitRefused(optimize_shortfall(usable=counted.usable, reviews=counted.reviews))
    # Counted before the run is written, so that clicks in flight together cannot all pass;
    # handed back when this click queues nothing (refused, or a run queued a moment ago).
    counted_run = limit_reserve(scope="optimize", ident=str(user.pk), rate=settings.OPTIMIZE_RATE)
    verdict = counted_run.verdict
    if not verdict.allowed:
        limit_release(counted_run)
        raise FitRefused(
            "Your schedule was optimized several times this hour, and each run takes a while. "
            f"Try again after {verdict.retry_at:%H:%M} UTC."
        )
    try:
        with transaction.atomic():
            fit = ScheduleFit.objects.create(user=user, requested_at=now)
    except IntegrityError:
        # One unfinished run per learner (a constraint): a second click finds the first, and
        # does not use up one of the hour's runs (a double click used two).
        limit_release(counted_run)
        return ScheduleFit.objects.get(user=user, status__in=FitStatus.unfinished())
    result = schedule_fit.enqueue(fit.pk)
    ScheduleFit.objects.filter(pk=fit.pk).update(task_id=str(result.id))
    fit.refresh_from_db()
    return fit
