"""A race on PostgreSQL: two "Optimize my schedule" requests at the same instant queue one run."""

import pytest
from django.utils import timezone

from quizzes import tasks
from quizzes.enums import FitStatus
from quizzes.models import ReviewLog, ScheduleFit
from quizzes.rules.optimizing import MIN_ITEMS
from tests.factories import QuestionFactory, UserFactory
from tests.quiz.test_concurrency import ROUNDS, together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_optimize_requests_at_once_queue_one_run(settings):
    # Queued in the database and left there: the race is about the request, not the fit.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for _round in range(ROUNDS):
        user = UserFactory.create()
        now = timezone.now()
        question = QuestionFactory.create()
        ReviewLog.objects.bulk_create(  # enough reviews for a fit to be queued at all
            ReviewLog(user=user, question=question, rating=3, reviewed_at=now)
            for _ in range(MIN_ITEMS)
        )
        results, errors = together(
            2, lambda user=user, now=now: tasks.fit_request(user=user, now=now)
        )
        assert errors == []
        assert len({fit.pk for fit in results}) == 1
        assert ScheduleFit.objects.filter(user=user).count() == 1
        assert ScheduleFit.objects.get(user=user).status == FitStatus.QUEUED
