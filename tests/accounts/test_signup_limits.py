"""Sign-up's limits per client: the accounts it makes (SIGNUP_RATE), and, looser, the attempts
that make none (SIGNUP_ATTEMPT_RATE), each refused with a page that says when to try again."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.users import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 23, 10, tzinfo=UTC)
GOOD_PASSWORD = "violet-harbour-4821"


def sign_up(client, username, confirmation=GOOD_PASSWORD):
    return client.post(
        reverse("signup"),
        {"username": username, "password1": GOOD_PASSWORD, "password2": confirmation},
    )


def sign_up_and_out(client, username):
    response = sign_up(client, username)
    client.post(reverse("logout"))
    return response


def test_mistyped_confirmations_do_not_count_toward_the_accounts_an_address_can_make(settings):
    """A learner who mistyped the confirmation a few times was refused, and so was everyone
    behind the same address (an outside audit): only the accounts made count."""
    settings.SIGNUP_RATE = "10/h"
    household = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(4):
        assert sign_up(household, "mistyper", confirmation="violet-harbour-4812").status_code == 200
    for n in range(10):
        assert sign_up_and_out(household, f"member{n}").status_code == 302, n
    refused = sign_up(household, "one-too-many")
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many sign-ups"
    assert User.objects.filter(username__startswith="member").count() == 10
    assert not User.objects.filter(username="one-too-many").exists()


def test_failed_sign_ups_are_limited_on_their_own_until_the_window_ends(settings, frozen):
    settings.SIGNUP_ATTEMPT_RATE = "4/h"
    prober = Client(REMOTE_ADDR="203.0.113.9")
    UserFactory(username="taken")
    for _ in range(4):
        assert sign_up(prober, "taken").status_code == 200
    refused = sign_up(prober, "free-name")
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many failed sign-ups"
    assert refused.context["retry_at"] == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert not User.objects.filter(username="free-name").exists()
    # Another client is not affected, and the window ends.
    assert sign_up(Client(REMOTE_ADDR="192.0.2.44"), "someone").status_code == 302
    frozen.move_to(NOW + timedelta(minutes=37))
    assert sign_up(prober, "free-name").status_code == 302


@pytest.mark.parametrize(
    ("rate", "at", "seconds", "minutes"),
    [("10/h", "10:00", 36 * 60 + 50, 36), ("10/15m", "09:30", 6 * 60 + 50, 6)],
)
def test_a_refused_sign_up_says_when_to_try_again(settings, frozen, rate, at, seconds, minutes):
    """The page said "in an hour" whatever the window, and sent no Retry-After."""
    settings.SIGNUP_RATE = rate
    client = Client(REMOTE_ADDR="198.51.100.1")
    for n in range(10):
        assert sign_up_and_out(client, f"learner{n}").status_code == 302
    refused = sign_up(client, "one-too-many")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == seconds
    text = refused.content.decode().replace("\N{NO-BREAK SPACE}", " ")  # as timeuntil writes
    assert f"You can try again after {at} (UTC), in about {minutes} minutes." in text
    assert "in an hour" not in text


def test_past_the_limit_the_page_does_not_say_whether_a_name_is_taken(settings):
    """The limited page read the form, and so still said "already exists" of a taken name: past
    the limit, names could be probed without end."""
    settings.SIGNUP_ATTEMPT_RATE = "10/h"
    UserFactory(username="taken")
    prober = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(10):
        sign_up(prober, "mistyped", confirmation="violet-harbour-4812")
    taken, free = sign_up(prober, "taken"), sign_up(prober, "free-name")
    assert (taken.status_code, free.status_code) == (429, 429)
    assert "already exists" not in taken.content.decode()
    assert taken.context["message"] == free.context["message"]


def test_a_sign_up_that_meets_a_database_error_counts_as_no_account_made(settings, monkeypatch):
    """An attempt that made no account because the database failed (the 503 page) kept its
    account count: a learner retrying through a busy moment used up their address's accounts
    (a review)."""
    from django.db import OperationalError

    from learnfrl.accounts.forms import SignupForm

    settings.SIGNUP_RATE = "2/h"
    client = Client(REMOTE_ADDR="198.51.100.50", raise_request_exception=False)

    def locked(form, commit=True):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(SignupForm, "save", locked)
        for _ in range(3):
            assert sign_up(client, "someone").status_code == 503
    assert sign_up_and_out(client, "someone").status_code == 302
    assert sign_up_and_out(client, "someone-else").status_code == 302
    assert User.objects.filter(username__startswith="someone").count() == 2
