"""A race on PostgreSQL: two "Optimize my schedule" requests at the same instant queue one run,
and use up one of the hour's runs (a double click used two: an outside audit)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from learnfrl.accounts.limits import limit_peek
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
        # Enough usable reviews for a fit to be queued at all: cards rated Good, then again days
        # later (a second review a day or more after the first is what the optimizer learns
        # from; fsrs-rs sets aside a first rating given to fewer than 20 cards).
        ReviewLog.objects.bulk_create(
            ReviewLog(
                user=user, question=question, rating=3, reviewed_at=now - timedelta(days=days)
            )
            for question in QuestionFactory.create_batch(max(MIN_ITEMS, 20))
            for days in (10, 3)
        )
        results, errors = together(
            2, lambda user=user, now=now: tasks.fit_request(user=user, now=now)
        )
        assert errors == []
        assert len({fit.pk for fit in results}) == 1
        assert ScheduleFit.objects.filter(user=user).count() == 1
        assert ScheduleFit.objects.get(user=user).status == FitStatus.QUEUED
        hour = limit_peek(scope="optimize", ident=str(user.pk), rate=settings.OPTIMIZE_RATE)
        assert hour.count == 1
