"""One signed-in account's requests, from all its sessions, are held to LEARNER_REQUEST_RATE:
beyond it a 429 at once, which reads the session alone; other accounts and visitors who are not
signed in are served as ever."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.helpers import HX, queries_fail

pytestmark = [pytest.mark.django_db]

NOW = datetime(2026, 3, 2, 10, 0, 0, 500_000, tzinfo=UTC)

STUDY = reverse("quizzes:study")
# A request each of the layers before the view refuses: each still loads the session and
# renders a page, so each counts.
REFUSED_BEFORE_THE_VIEW = {
    "a post without its CSRF token": ("post", reverse("quizzes:study_undo"), 403),
    "another post without its CSRF token": ("post", reverse("quizzes:quiz_start"), 403),
    "an address no URL matches": ("get", "/nope/x", 404),
    "a NUL in a field": ("get", STUDY + "?q=%00", 400),
    "the slash redirect": ("get", STUDY.rstrip("/"), 301),
}


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


@pytest.mark.parametrize("refused", REFUSED_BEFORE_THE_VIEW.values(), ids=REFUSED_BEFORE_THE_VIEW)
def test_requests_refused_before_their_view_count_and_are_refused_as_cheaply_once_over(
    refused, user, settings, frozen, django_assert_num_queries
):
    """A loop of posts without a token, or of addresses that match nothing, was never counted:
    each a 403 or 404 page, past the account's rate."""
    settings.LEARNER_REQUEST_RATE = "3/2s"
    method, path, status = refused
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    send = getattr(client, method)
    # Counted once each: the fourth is the first beyond the rate.
    assert [send(path).status_code for _ in range(3)] == [status] * 3
    with django_assert_num_queries(1):  # the session
        over = send(path, headers=HX)
    assert over.status_code == 429
    assert over["HX-Retarget"] == "#busy-notice"
    assert over["Retry-After"] == "2"
    assert "no-store" in over["Cache-Control"]
    assert over["X-Frame-Options"] == "DENY"
    assert client.get(STUDY).status_code == 429


def test_an_ordinary_page_counts_once(user, settings, frozen):
    settings.LEARNER_REQUEST_RATE = "4/2s"
    client = signed_in(user)
    assert [client.get(STUDY).status_code for _ in range(5)] == [200, 200, 200, 200, 429]


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
    checks = [client.get(path) for path in ("/healthz", "/favicon.ico", "/ping") * 2]
    assert [r.status_code for r in checks] == [200, 302, 200] * 2
    # A session read would have said so: Django's session layer varies the answer on Cookie.
    assert not [r for r in checks if "Cookie" in r.get("Vary", "")]
    assert client.get(STUDY).status_code == 200


@pytest.mark.parametrize("path", [STUDY, "/nope/x"])
def test_a_database_away_while_the_session_is_read_for_the_count_is_the_503_page(
    path, user, settings
):
    settings.LEARNER_REQUEST_RATE = "3/2s"
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with queries_fail(OperationalError("could not connect"), on="django_session"):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("refused", REFUSED_BEFORE_THE_VIEW.values(), ids=REFUSED_BEFORE_THE_VIEW)
def test_a_cache_away_while_counting_is_the_503_page(refused, user, settings, monkeypatch):
    def away(**kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr("learnfrl.middleware.limit_hit", away)
    settings.LEARNER_REQUEST_RATE = "3/2s"
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.force_login(user)
    method, path, _ = refused
    for response in (client.get(STUDY), getattr(client, method)(path)):
        assert response.status_code == 503
        assert response["Retry-After"] == "30"


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
