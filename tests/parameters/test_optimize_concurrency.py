"""Races on PostgreSQL: two "Optimize my schedule" requests at the same instant queue one run,
and use up one of the hour's runs (a double click used two: an outside audit); a fit applied
while its learner deletes their account does not deadlock."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone

from learnfrl.accounts.limits import limit_peek
from learnfrl.accounts.services import account_delete
from learnfrl.accounts.users import User
from quizzes import tasks
from quizzes.enums import FitStatus
from quizzes.models import ReviewLog, ScheduleFit, StudyProfile
from quizzes.parameters.services import parameters_apply
from quizzes.rules.optimizing import MIN_ITEMS
from tests.factories import QuestionFactory, ScheduleFitFactory, UserFactory
from tests.quiz.test_concurrency import ROUNDS, together
from tests.support.locks import backend_pid, wait_until_blocked

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


def test_a_fit_applied_while_its_learner_deletes_their_account_does_not_deadlock():
    # The run was locked first (its end, written with the parameters), then the profile;
    # deleting the account takes the profile, then the runs: PostgreSQL found a deadlock and
    # killed one of them (the deletion, a 500).
    user = UserFactory.create()
    StudyProfile.objects.create(user=user)
    run = ScheduleFitFactory.create(
        user=user, status=FitStatus.RESCHEDULING, requested_at=timezone.now()
    )
    ready = threading.Event()
    deleter_pid: list[int] = []
    errors: list[BaseException] = []

    def delete() -> None:
        try:
            ready.wait(10)
            deleter_pid.append(backend_pid())
            account_delete(user=User.objects.get(pk=user.pk))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def end_run() -> bool:
        ended = (
            ScheduleFit.objects.filter(pk=run.pk, status__in=FitStatus.unfinished()).update(
                status=FitStatus.DONE, finished_at=timezone.now()
            )
            == 1
        )
        ready.set()
        wait_until_blocked(deleter_pid, what="the account's deletion")
        return ended

    deleter = threading.Thread(target=delete)
    deleter.start()
    try:
        parameters_apply(user=user, parameters=[], along=end_run)
    finally:
        deleter.join(timeout=30)
    assert errors == []
    assert not User.objects.filter(pk=user.pk).exists()
