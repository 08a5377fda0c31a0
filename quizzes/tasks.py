"""Background tasks (django-tasks): work too long for a request, run by `manage.py db_worker`.

Each task is a thin edge over a service, as a view is, and so is queueing it: this module imports
the services, and they never import it.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django_tasks import task

from learnfrl.accounts.users import User
from quizzes.enums import FitStatus
from quizzes.models import ScheduleFit
from quizzes.parameters.services import fit_run, fits_abandon


@task()
def schedule_fit(fit_id: int) -> str:
    """Fit a learner's FSRS parameters (a ScheduleFit run); return the run's final status."""
    return fit_run(fit_id=fit_id).status


def fit_request(*, user: User, now: datetime) -> ScheduleFit:
    """Queue a fit of the learner's parameters, or return the run already under way."""
    fits_abandon(user=user, now=now)
    try:
        with transaction.atomic():
            fit = ScheduleFit.objects.create(user=user, requested_at=now)
    except IntegrityError:
        # One unfinished run per learner (a constraint): a second click finds the first.
        return ScheduleFit.objects.get(user=user, status__in=FitStatus.unfinished())
    result = schedule_fit.enqueue(fit.pk)
    ScheduleFit.objects.filter(pk=fit.pk).update(task_id=str(result.id))
    fit.refresh_from_db()
    return fit
