"""Background tasks (django-tasks): work too long for a request, run by `manage.py db_worker`."""

from django_tasks import task


@task()
def schedule_fit(fit_id: int) -> str:
    """Fit a learner's FSRS parameters (a ScheduleFit run); return the run's final status."""
    from quizzes.parameters.services import fit_run

    return fit_run(fit_id=fit_id).status
