"""A bury and a suspend of one card at the same instant: the suspension is never lost.

Needs PostgreSQL's concurrent transactions (CI's PostgreSQL pass); skipped on SQLite.
"""

import threading

import pytest
from django.db import connections, transaction
from django.utils import timezone

from quizzes.cards.services import hold_place
from quizzes.enums import HoldKind, HoldOrigin
from quizzes.models import CardHold
from tests.factories import QuestionFactory, UserFactory
from tests.support.locks import backend_pid, wait_until_blocked
from tests.support.schedules import UTC_DAY

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_bury_sent_while_a_suspend_is_being_written_never_loses_the_suspension():
    user, question = UserFactory.create(), QuestionFactory.create()
    now = timezone.now()
    suspended = threading.Event()
    bury_pid: list[int] = []
    outcome: list[object] = []

    def bury():
        try:
            suspended.wait(10)
            bury_pid.append(backend_pid())
            outcome.append(
                hold_place(
                    user=user,
                    question_id=question.pk,
                    kind=HoldKind.BURY,
                    now=now,
                    clock=UTC_DAY,
                    origin=HoldOrigin.STUDY,
                )
            )
        except Exception as error:
            outcome.append(error)
        finally:
            connections.close_all()

    burier = threading.Thread(target=bury)
    burier.start()
    # The suspend is written but not yet committed when the bury arrives: the bury must wait
    # for it and then leave it be.
    with transaction.atomic():
        hold_place(
            user=user,
            question_id=question.pk,
            kind=HoldKind.SUSPEND,
            now=now,
            clock=UTC_DAY,
            origin=HoldOrigin.STUDY,
        )
        suspended.set()
        wait_until_blocked(bury_pid, what="the bury")
    burier.join(timeout=30)
    assert outcome == [HoldKind.SUSPEND]
    assert CardHold.objects.get(user=user, question=question).kind == HoldKind.SUSPEND


def test_burying_and_suspending_together_always_ends_suspended():
    for _ in range(10):
        user, question = UserFactory.create(), QuestionFactory.create()
        barrier = threading.Barrier(2)

        def place(kind, user=user, question=question, barrier=barrier):
            try:
                barrier.wait()
                hold_place(
                    user=user,
                    question_id=question.pk,
                    kind=kind,
                    now=timezone.now(),
                    clock=UTC_DAY,
                    origin=HoldOrigin.STUDY,
                )
            finally:
                connections.close_all()

        threads = [threading.Thread(target=place, args=(k,)) for k in HoldKind]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert CardHold.objects.get(user=user, question=question).kind == HoldKind.SUSPEND
