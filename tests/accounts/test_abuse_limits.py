"""Abuse limits beyond the per-(username, client) lock-out: password spraying, one account guessed
from many addresses, and password reset per client and per target address."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.devices import COOKIE, device_entry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)


def log_in(client, username, password="wrong"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_one_client_guessing_across_many_usernames_is_refused_with_a_page(settings, frozen):
    settings.LOGIN_CLIENT_RATE = "6/15m"
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    victims = UserFactory.create_batch(6)
    for victim in victims:
        assert log_in(sprayer, victim.username).status_code == 200
    refused = log_in(sprayer, victims[0].username, PASSWORD)
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many failed log-ins"
    assert refused.context["retry_at"] == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert int(refused["Retry-After"]) == 14 * 60 + 50
    assert "_auth_user_id" not in sprayer.session
    # Another client is not affected, and the window ends.
    assert (
        log_in(Client(REMOTE_ADDR="192.0.2.44"), victims[0].username, PASSWORD).status_code == 302
    )
    frozen.move_to(NOW + timedelta(minutes=15))
    assert log_in(sprayer, victims[0].username, PASSWORD).status_code == 302


def test_one_account_guessed_from_many_addresses_pauses_only_unknown_browsers(settings, user):
    settings.LOGIN_ACCOUNT_RATE = "8/15m"
    owner = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(owner, user.username, PASSWORD).status_code == 302
    assert COOKIE in owner.cookies
    owner.post(reverse("logout"))
    for n in range(8):  # a botnet: one guess from each of eight addresses
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.username)

    stranger = log_in(Client(REMOTE_ADDR="198.51.100.200"), user.username, PASSWORD)
    assert stranger.status_code == 429
    assert stranger.context["title"] == "Log-in paused for this account"
    # The owner's browser, known to the account, still gets in: the attack cannot lock them out.
    assert log_in(owner, user.username, PASSWORD).status_code == 302
    # Other accounts are untouched.
    someone = UserFactory()
    assert (
        log_in(Client(REMOTE_ADDR="198.51.100.201"), someone.username, PASSWORD).status_code == 302
    )


def test_the_account_pause_ends_with_its_window(settings, user):
    settings.LOGIN_ACCOUNT_RATE = "3/15m"
    with time_machine.travel(NOW, tick=False) as traveller:
        for n in range(3):
            log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.username)
        assert log_in(Client(REMOTE_ADDR="192.0.2.1"), user.username, PASSWORD).status_code == 429
        traveller.move_to(NOW + timedelta(minutes=15))
        assert log_in(Client(REMOTE_ADDR="192.0.2.1"), user.username, PASSWORD).status_code == 302


def test_a_forged_known_device_cookie_does_not_count(settings, user):
    settings.LOGIN_ACCOUNT_RATE = "2/15m"
    for n in range(2):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.username)
    forger = Client(REMOTE_ADDR="198.51.100.9")
    forger.cookies[COOKIE] = "0123456789abcdef"
    assert log_in(forger, user.username, PASSWORD).status_code == 429


def test_a_browser_known_before_the_module_moved_is_still_known(settings, user):
    # Cookies already in browsers were signed with this salt: changing it forgets them all.
    settings.LOGIN_ACCOUNT_RATE = "2/15m"
    for n in range(2):
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.username)
    owner = Client(REMOTE_ADDR="198.51.100.9")
    owner.cookies[COOKIE] = signing.get_cookie_signer(salt=COOKIE + "learnfrl.devices.known").sign(
        device_entry(user)
    )
    assert log_in(owner, user.username, PASSWORD).status_code == 302


def request_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_at_most_five_reset_emails_an_hour_go_to_one_address_with_the_same_answer(settings):
    user = UserFactory(email="owner@example.com", email_verified=True)
    answers = []
    for n in range(30):  # thirty requests, from thirty addresses
        answers.append(request_reset(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.email))
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == 5
    assert {m.to[0] for m in mail.outbox} == {"owner@example.com"}


def test_reset_for_an_unknown_address_answers_exactly_as_for_a_known_one():
    UserFactory(email="owner@example.com")
    known = request_reset(Client(REMOTE_ADDR="198.51.100.1"), "owner@example.com")
    unknown = request_reset(Client(REMOTE_ADDR="198.51.100.2"), "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_reset_requests_from_one_client_are_limited_with_a_page(settings, frozen):
    settings.PASSWORD_RESET_CLIENT_RATE = "3/h"
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        assert request_reset(client, f"someone{n}@example.com").status_code == 302
    refused = request_reset(client, "someone@example.com")
    assert refused.status_code == 429
    assert refused.context["title"] == "Too many password-reset requests"
    assert refused.context["retry_at"] == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert request_reset(Client(REMOTE_ADDR="192.0.2.1"), "a@example.com").status_code == 302


def test_each_reset_request_counts_once_however_many_accounts_hold_the_address(settings):
    """Counted per e-mail, two older accounts of an attacker's holding the victim's address
    spent every client's allowance before the victim's own e-mail (an outside audit)."""
    settings.PASSWORD_RESET_CLIENT_ADDRESS_RATE = "2/h"
    decoys = [
        UserFactory(email="HANK@example.com", email_verified=True),
        UserFactory(email="hank@example.com", email_verified=True),
    ]
    victim = UserFactory(email="hank@example.com", email_verified=True)
    request_reset(Client(REMOTE_ADDR="198.51.100.7"), "hank@example.com")
    bodies = [str(m.body) for m in mail.outbox]
    assert len(bodies) == 3
    assert any(str(victim.username) in body for body in bodies)
    assert all(any(str(d.username) in body for body in bodies) for d in decoys)


def test_a_reset_is_queued_alike_for_a_known_and_an_unknown_address(settings):
    """The e-mails go from the task worker: the request does the same work whether or not the
    address has an account (sent inside it, the SMTP exchange's time told them apart)."""
    from django_tasks import task_backends
    from django_tasks.backends.dummy import DummyBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    UserFactory(email="owner@example.com")
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    request_reset(Client(REMOTE_ADDR="198.51.100.1"), "owner@example.com")
    request_reset(Client(REMOTE_ADDR="198.51.100.2"), "nobody@example.com")
    queued = [r.kwargs for r in backend.results]
    assert [q["email"] for q in queued] == ["owner@example.com", "nobody@example.com"]
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_reset_link_made_by_the_worker_keeps_the_sites_script_prefix(settings):
    """A site served under /learn/: the worker's own prefix is "/", and its links 404'd (a
    review of the change)."""
    import re

    from django.core.management import call_command
    from django.urls import set_script_prefix

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(email="owner@example.com", email_verified=True)
    # The web server's handler sets the request's prefix (the test client's does not).
    set_script_prefix("/learn/")
    try:
        Client().post("/accounts/password_reset/", {"email": "owner@example.com"})
    finally:
        set_script_prefix("/")  # the worker process's own
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    [sent] = mail.outbox
    assert re.search(r"://testserver/learn/accounts/reset/", str(sent.body)), sent.body
