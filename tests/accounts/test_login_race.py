"""Log-ins in flight together cannot all slip under a limit (PostgreSQL: real concurrent
requests, each on its own connection; skipped on SQLite)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.quiz.test_concurrency import together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GUESSES = 8


def test_failed_log_ins_sent_at_once_from_one_client_stop_at_its_limit(settings):
    settings.LOGIN_CLIENT_RATE = "3/15m"
    names = iter(range(GUESSES))

    def guess():
        username = f"someone{next(names)}"  # a new account each: only the client limit applies
        client = Client(REMOTE_ADDR="203.0.113.9")
        return client.post(reverse("login"), {"username": username, "password": "wrong"})

    results, errors = together(GUESSES, guess)
    assert errors == []
    reached_a_password_check = [r for r in results if r.status_code == 200]
    assert len(reached_a_password_check) == 3  # a peek, then a count, let all eight through
    assert len(results) == GUESSES
