"""One signed-in account's requests, from all its sessions, are held to LEARNER_REQUEST_RATE:
beyond it a 429 at once, which reads the session alone; other accounts and visitors who are not
signed in are served as ever."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django.urls import reverse

from tests.helpers import HX

pytestmark = [pytest.mark.django_db]

NOW = datetime(2026, 3, 2, 10, 0, 0, 500_000, tzinfo=UTC)

STUDY = reverse("quizzes:study")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_account_over_its_rate_gets_429_from_every_session_while_others_are_served(
    user, other_user, settings, frozen
):
    settings.LEARNER_REQUEST_RATE = "3/2s"
    # One account, three sessions (three devices, or a script logged in three times).
    sessions = [signed_in(user) for _ in range(3)]
    other = signed_in(other_user)
    assert [s.get(STUDY).status_code for s in sessions] == [200, 200, 200]
    refused = [sessions[0].get(STUDY), sessions[2].get(STUDY, headers=HX)]
    assert [r.status_code for r in refused] == [429, 429]
    assert other.get(STUDY).status_code == 200
    # When to try again: the end of the two-second window, 1.5 s on.
    assert refused[0]["Retry-After"] == "2"
    assert "Too many requests from your account" in refused[0].content.decode()
    # htmx shows the message in the page's busy notice, leaving the part it asked for.
    assert refused[1]["HX-Retarget"] == "#busy-notice"
    assert refused[1]["HX-Reswap"] == "innerHTML"
    assert "HX-Retarget" not in refused[0]
    # A learner's page, refused or not, stays out of shared caches.
    assert "no-store" in refused[0]["Cache-Control"]
    frozen.shift(timedelta(seconds=2))
    assert sessions[1].get(STUDY).status_code == 200


def test_a_refusal_reads_the_session_only(user, settings, frozen, django_assert_num_queries):
    settings.LEARNER_REQUEST_RATE = "1/2s"
    client = signed_in(user)
    assert client.get(STUDY).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(STUDY).status_code == 429


def test_visitors_not_signed_in_are_not_counted(settings, frozen, client):
    settings.LEARNER_REQUEST_RATE = "1/2s"
    login = reverse("login")
    assert [client.get(login).status_code for _ in range(3)] == [200, 200, 200]


def test_the_liveness_checks_are_not_counted_and_read_no_session(
    user, settings, frozen, django_assert_num_queries
):
    """Counting would cost /ping (the benchmark's floor: no database) more than answering."""
    settings.LEARNER_REQUEST_RATE = "1/2s"
    client = signed_in(user)
    with django_assert_num_queries(0):
        assert [client.get("/ping").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(STUDY).status_code == 200


def test_no_rate_means_no_limit(user, settings, frozen):
    settings.LEARNER_REQUEST_RATE = ""
    client = signed_in(user)
    assert {client.get(STUDY).status_code for _ in range(5)} == {200}


def test_the_default_rate_leaves_a_person_room_and_a_bad_one_stops_the_checks(settings):
    from learnfrl import settings as production
    from learnfrl.accounts.limits import rate_parse

    rate = rate_parse(production.LEARNER_REQUEST_RATE)
    assert rate.count / rate.seconds >= 5
    settings.LEARNER_REQUEST_RATE = "lots"
    with pytest.raises(SystemCheckError, match="LEARNER_REQUEST_RATE"):
        call_command("check")
