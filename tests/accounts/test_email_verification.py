"""An address is verified, by a link mailed to it, before a password reset goes to it.

Anyone could give someone else's address at sign-up or on the account page, and its owner then
received resets for an account that was not theirs; a typo'd address received a stranger's (an
outside audit)."""

import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.emails import ALREADY_VERIFIED, LINKS_SPENT, NO_ADDRESS, VERIFIED
from learnfrl.accounts.limits import rate_parse
from learnfrl.accounts.tasks import email_link_mail
from learnfrl.accounts.users import User
from learnfrl.accounts.verification import (
    EmailVerification,
    email_link_token,
    email_verified,
)
from tests.factories import PASSWORD, UserFactory, address_verified

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
NEW_PASSWORD = "violet-harbour-4821"


def sign_up(client, email, **extra):
    data = {"username": "newlearner", "email": email}
    passwords = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(reverse("signup"), {**data, **passwords}, **extra)


def link_in(message) -> str:
    """The path of the verification link a mail holds."""
    found = re.search(r"https?://[^/]+(/account/email/verify/\S+/)", str(message.body))
    assert found is not None, message.body
    return found.group(1)


def request_reset(email, client_address="198.51.100.1"):
    return Client(REMOTE_ADDR=client_address).post(reverse("password_reset"), {"email": email})


def reset_mails():
    return [m for m in mail.outbox if "/accounts/reset/" in str(m.body)]


def said(response) -> list[str]:
    """The messages the next page shows (those of earlier requests not shown yet among them)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def change_address(client, email):
    data = {"address-email": email, "address-password": PASSWORD}
    return client.post(reverse("account_email"), data)


# --- the link is mailed --------------------------------------------------------------------------


def test_sign_up_with_an_address_mails_a_link_to_verify_it(client):
    assert sign_up(client, "me@example.com").status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["me@example.com"]
    assert "newlearner" in str(sent.body)
    assert link_in(sent).startswith("/account/email/verify/")
    assert not email_verified(user=User.objects.get(username="newlearner"))


def test_sign_up_without_an_address_mails_nothing(client):
    assert sign_up(client, "").status_code == 302
    assert mail.outbox == []


def test_the_link_is_mailed_by_the_worker_not_inside_the_request(client, settings):
    """As the reset mails are: a request's time does not depend on SMTP."""
    from django_tasks import task_backends
    from django_tasks.backends.dummy import DummyBackend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    sign_up(client, "me@example.com", secure=True)
    [queued] = backend.results
    assert queued.task.func == email_link_mail.func
    user = User.objects.get(username="newlearner")
    assert queued.kwargs == {
        "user_id": user.pk,
        "email": "me@example.com",
        "domain": "testserver",
        "use_https": True,
        "script_prefix": "/",
    }
    assert mail.outbox == []
    # The token is made by the worker: the task's arguments, kept in the database, hold none.
    email_link_mail.call(**queued.kwargs)
    [sent] = mail.outbox
    assert "https://testserver/account/email/verify/" in str(sent.body)


def test_the_worker_sends_nothing_for_an_address_changed_or_verified_since(user):
    queued = {"user_id": user.pk, "domain": "testserver", "use_https": False}
    email_link_mail.call(email="old@example.com", **queued)  # the account holds another now
    address_verified(user)
    email_link_mail.call(email=user.email, **queued)  # verified meanwhile
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_link_made_by_the_worker_keeps_the_sites_script_prefix(settings):
    from django.core.management import call_command
    from django.urls import set_script_prefix

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    url = reverse("signup")  # the test client's paths are without the prefix
    set_script_prefix("/learn/")  # as the web server's handler sets it for the request
    try:
        data = {"username": "newlearner", "email": "me@example.com"}
        Client().post(url, {**data, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    finally:
        set_script_prefix("/")  # the worker process's own
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    [sent] = mail.outbox
    assert "://testserver/learn/account/email/verify/" in str(sent.body)


# --- the link's page: a button whose POST verifies -----------------------------------------------


def test_following_the_link_logged_out_verifies_the_address(client):
    sign_up(client, "me@example.com")
    client.post(reverse("logout"))
    link = link_in(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert page.context["account"].email == "me@example.com"
    assert ">Verify this address</button>" in page.content.decode()
    done = client.post(link)
    assert (done.status_code, done.url) == (302, reverse("login"))
    assert VERIFIED.format(email="me@example.com") in said(done)
    assert email_verified(user=User.objects.get(username="newlearner"))


def test_the_link_verifies_from_a_logged_in_session_and_the_account_page_says_so(
    learner_client, user
):
    token = email_link_token(user=user, email=user.email)
    before = learner_client.get(reverse("account"))
    assert before.context["email_verified"] is False
    assert ">Send the link again</button>" in before.content.decode()

    done = learner_client.post(reverse("email_verify", args=[token]))
    assert (done.status_code, done.url) == (302, reverse("account"))
    after = learner_client.get(reverse("account"))
    assert after.context["email_verified"] is True
    assert "(verified)" in after.content.decode()
    assert "Send the link again" not in after.content.decode()
    # The link again: it says so, and changes nothing.
    again = learner_client.get(reverse("email_verify", args=[token]))
    assert (again.status_code, again.context["verified"]) == (200, True)


def test_a_get_of_the_link_changes_nothing(client, user):
    """Mail scanners fetch the links in a message: only the button's POST verifies."""
    url = reverse("email_verify", args=[email_link_token(user=user, email=user.email)])
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    assert not EmailVerification.objects.exists()
    assert not email_verified(user=user)


# --- links that verify nothing -------------------------------------------------------------------


def _forged(user):
    token = email_link_token(user=user, email=user.email)
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _signed_elsewhere(user):
    # A valid signature under another salt (the known-device cookie's, say) is no link.
    return signing.dumps({"u": user.pk, "a": "x"}, salt="learnfrl.devices.known")


def assert_refused_both_ways(client, url, *, fault: str, heading: str) -> None:
    """The link's page and its button each answer a 400 saying why, and verify nothing."""
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert response.context["fault"] == fault
        assert f"<h1>{heading}</h1>" in response.content.decode()
    assert not EmailVerification.objects.exists()


@pytest.mark.parametrize(
    "make",
    [_forged, _signed_elsewhere, lambda user: "not-a-token"],
    ids=["altered", "another-salt", "junk"],
)
def test_a_forged_link_is_refused_and_changes_nothing(client, user, make):
    url = reverse("email_verify", args=[make(user)])
    assert_refused_both_ways(client, url, fault="forged", heading="This link is not valid")


def test_an_expired_link_is_refused_and_changes_nothing(client, user, frozen, settings):
    settings.EMAIL_VERIFY_DAYS = 3
    url = reverse("email_verify", args=[email_link_token(user=user, email=user.email)])
    frozen.move_to(NOW + timedelta(days=3, seconds=1))
    assert_refused_both_ways(client, url, fault="expired", heading="This link has expired")


def test_a_link_still_works_on_its_last_day(client, user, frozen, settings):
    settings.EMAIL_VERIFY_DAYS = 3
    url = reverse("email_verify", args=[email_link_token(user=user, email=user.email)])
    frozen.move_to(NOW + timedelta(days=3) - timedelta(seconds=1))
    assert client.post(url).status_code == 302
    assert email_verified(user=user)


def test_a_link_for_an_address_the_account_no_longer_holds_is_refused(learner_client, user):
    token = email_link_token(user=user, email=user.email)
    change_address(learner_client, "new@example.com")
    url = reverse("email_verify", args=[token])
    assert_refused_both_ways(
        learner_client,
        url,
        fault="stale",
        heading="This link is for an address the account no longer has",
    )
    assert not email_verified(user=User.objects.get(pk=user.pk))


def test_a_link_for_a_deleted_account_is_refused(client, user):
    url = reverse("email_verify", args=[email_link_token(user=user, email=user.email)])
    user.delete()
    assert client.post(url).status_code == 400


def test_another_learners_link_cannot_verify_someone_elses_address(client):
    """The link names its account: Mallory's verifies Mallory's address, whoever posts it, and
    nothing once she has moved to someone else's address; naming another account breaks it."""
    victim = UserFactory.create(email="victim@example.com")
    mallory = UserFactory.create(username="mallory", email="mallory@example.com")
    token = email_link_token(user=mallory, email=mallory.email)

    client.force_login(victim)  # posted from the victim's own session: still Mallory's account
    client.post(reverse("email_verify", args=[token]))
    assert not email_verified(user=victim)
    assert email_verified(user=mallory)

    mallory_client = Client()
    mallory_client.force_login(mallory)
    change_address(mallory_client, "victim@example.com")
    assert mallory_client.post(reverse("email_verify", args=[token])).status_code == 400
    assert not email_verified(user=User.objects.get(pk=mallory.pk))
    # The link for her new address went to it, the victim's mailbox, not to her.
    assert mail.outbox[-1].to == ["victim@example.com"]

    # Her link with the victim's account id put in, and her signature kept.
    payload, signature = token.split(":", 1)
    claims = json.loads(signing.b64_decode(payload.encode()))
    renamed = json.dumps({**claims, "u": victim.pk}, separators=(",", ":"))
    forged = f"{signing.b64_encode(renamed.encode()).decode()}:{signature}"
    assert mallory_client.post(reverse("email_verify", args=[forged])).status_code == 400
    assert not email_verified(user=victim)


# --- a changed address ---------------------------------------------------------------------------


def test_changing_the_address_unverifies_it_and_mails_the_new_one_a_link(learner_client, user):
    address_verified(user)
    old = user.email
    response = change_address(learner_client, "new@example.com")
    assert response.status_code == 302
    user.refresh_from_db()
    assert not email_verified(user=user)
    [sent] = mail.outbox
    assert sent.to == ["new@example.com"]
    # Back to the old address: not verified either; its owner follows a new link.
    change_address(learner_client, old)
    user.refresh_from_db()
    assert not email_verified(user=user)


def test_an_address_changed_anywhere_else_is_unverified_too(user):
    """In the admin, or in a shell: a verification holds for the address it was made for."""
    address_verified(user)
    user.email = "admin-typed@example.com"
    user.save()
    assert not EmailVerification.objects.filter(user=user).exists()
    assert not email_verified(user=user)


def test_an_address_changed_without_a_save_is_unverified_too(user):
    """A bulk update sends no post_save: a verification counts only for the address it names."""
    address_verified(user)
    User.objects.filter(pk=user.pk).update(email="bulk@example.com")
    assert not email_verified(user=User.objects.get(pk=user.pk))


def test_a_save_of_the_same_address_keeps_it_verified(learner_client, user):
    address_verified(user)
    change_address(learner_client, user.email)
    assert email_verified(user=user)
    assert mail.outbox == []


# --- sending the link again ----------------------------------------------------------------------


def test_send_the_link_again_mails_a_new_link(learner_client, user):
    response = learner_client.post(reverse("email_verify_send"))
    assert (response.status_code, response.url) == (302, reverse("account"))
    [sent] = mail.outbox
    assert sent.to == [user.email]
    assert learner_client.post(link_in(sent)).status_code == 302
    assert email_verified(user=user)
    # Verified: nothing more is sent.
    again = learner_client.post(reverse("email_verify_send"))
    assert ALREADY_VERIFIED in said(again)
    assert len(mail.outbox) == 1


def test_send_the_link_again_is_limited_per_account(client, settings, frozen):
    settings.EMAIL_VERIFY_RATE = "3/h"
    # Room in this client's share of the address (2 an hour by default): the account's own
    # limit is the one under test.
    settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE = "10/h"
    sign_up(client, "me@example.com")  # the first link counts too
    for _ in range(2):
        client.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 3
    refused = client.post(reverse("email_verify_send"))
    assert refused.status_code == 302
    assert LINKS_SPENT.format(wait="59\xa0minutes") in said(refused)
    page = client.get(reverse("account")).content.decode()
    assert "Too many links to verify your address (or to this address) were sent" in page
    assert len(mail.outbox) == 3
    # Another account is not held back, and the window ends.
    other = Client()
    other.force_login(UserFactory.create())
    other.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 4
    frozen.move_to(NOW + timedelta(hours=1))
    client.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 5


def test_links_to_one_address_are_limited_from_all_accounts_together(settings):
    """Accounts made within SIGNUP_RATE, each within its own share of links, mailed one
    stranger's address without end (a review)."""
    settings.EMAIL_VERIFY_ADDRESS_RATE = "3/h"
    for n in range(5):
        # Each from a client of its own: one client's share of an address is smaller (below).
        sender = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        sender.force_login(
            UserFactory.create(email="Stranger@Example.com" if n % 2 else "stranger@example.com")
        )
        sender.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 3
    # Another address is not held back.
    other = Client()
    other.force_login(UserFactory.create(email="someone.else@example.com"))
    other.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 4


def sign_up_as(username, email, client_address):
    """A sign-up from a client of its own address, giving `email`."""
    data = {"username": username, "email": email}
    passwords = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return Client(REMOTE_ADDR=client_address).post(reverse("signup"), {**data, **passwords})


def test_one_client_cannot_spend_an_addresss_links_and_leave_its_owner_none(settings, frozen):
    """A client's few accounts (within SIGNUP_RATE), each giving a stranger's address, spent the
    address's links for the hour, and its owner could get none (a review)."""
    settings.EMAIL_VERIFY_ADDRESS_RATE = "5/h"
    settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE = "2/h"
    answers = [
        sign_up_as(f"taker{n}", "Stranger@Example.com" if n % 2 else "stranger@example.com", ip)
        for n, ip in enumerate(["203.0.113.7"] * 5)
    ]
    assert len(mail.outbox) == 2
    assert LINKS_SPENT.format(wait="59\xa0minutes") in said(answers[-1])
    # The owner, from another client, still gets a link to their own account.
    owner = Client(REMOTE_ADDR="198.51.100.9")
    owner.force_login(UserFactory.create(username="owner", email="stranger@example.com"))
    owner.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 3
    assert "owner" in str(mail.outbox[-1].body)


def test_every_spelling_that_reaches_one_mailbox_counts_as_that_address(settings, frozen):
    """The mailer sends a domain in its ASCII form, so "example.com" in full-width letters, or
    with a final dot, reached example.com under a counter of its own: one client's accounts
    mailed one address five times past its share (an outside review)."""
    settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE = "2/h"
    spellings = [
        "stranger@example.com",
        "stranger@\uff45xample.com",
        "stranger@e\uff58ample.COM",
        "STRANGER@exa\uff4dple.com",
        "stranger@example.com.",
    ]
    for n, email in enumerate(spellings):
        sign_up_as(f"taker{n}", email, "203.0.113.7")
    assert len(mail.outbox) == 2


def test_a_reset_counts_every_spelling_of_its_address_as_one(client, settings, frozen):
    """The reset's limits key the address as the verification's do."""
    settings.PASSWORD_RESET_CLIENT_ADDRESS_RATE = "2/h"
    UserFactory.create(email="stranger@example.com", email_verified=True)
    for email in ["stranger@example.com", "stranger@\uff45xample.com", "Stranger@EXAMPLE.com."]:
        client.post(reverse("password_reset"), {"email": email})
    # Only the exact spelling finds the account; the others still spend the client's share.
    assert len(mail.outbox) == 1
    client.post(reverse("password_reset"), {"email": "stranger@example.com"})
    assert len(mail.outbox) == 1


def test_a_clients_share_of_an_address_counts_its_whole_ipv6_network(settings, frozen):
    """Walking through the addresses of one /64 is one client, as for the reset's share."""
    settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE = "2/h"
    for n in range(1, 5):
        sign_up_as(f"taker{n}", "stranger@example.com", f"2001:db8:1:2::{n}")
    assert len(mail.outbox) == 2
    sign_up_as("elsewhere", "stranger@example.com", "2001:db8:1:3::1")
    assert len(mail.outbox) == 3


def test_links_refused_by_one_limit_count_toward_none(settings, frozen):
    """A link refused for the client's share is handed back to the address's budget, and one
    refused for the account's to the client's share: else refusals alone spent them."""
    settings.EMAIL_VERIFY_RATE = "1/h"
    settings.EMAIL_VERIFY_ADDRESS_RATE = "3/h"
    settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE = "2/h"
    taker = Client(REMOTE_ADDR="203.0.113.7")
    taker.force_login(UserFactory.create(email="stranger@example.com"))
    for _ in range(4):  # one sent, three refused for the account
        taker.post(reverse("email_verify_send"))
    assert len(mail.outbox) == 1
    for n in range(3):  # one more within the client's share, two refused for it
        sign_up_as(f"taker{n}", "stranger@example.com", "203.0.113.7")
    assert len(mail.outbox) == 2
    # The address's budget holds one more link, for another client.
    sign_up_as("elsewhere", "stranger@example.com", "198.51.100.9")
    assert len(mail.outbox) == 3
    sign_up_as("elsewhere2", "stranger@example.com", "198.51.100.10")
    assert len(mail.outbox) == 3


def test_a_clients_default_share_is_less_than_the_address_and_a_bad_one_stops_the_checks(
    settings,
):
    from learnfrl import settings as production

    share = rate_parse(production.EMAIL_VERIFY_CLIENT_ADDRESS_RATE)
    budget = rate_parse(production.EMAIL_VERIFY_ADDRESS_RATE)
    assert share.seconds == budget.seconds
    assert share.count < budget.count  # else one client spends the address's whole budget
    settings.EMAIL_VERIFY_CLIENT_ADDRESS_RATE = "lots"
    with pytest.raises(SystemCheckError, match="EMAIL_VERIFY_CLIENT_ADDRESS_RATE"):
        call_command("check")


def test_a_changed_address_counts_toward_the_same_limit(learner_client, settings):
    """Else a session could mail any address without end by changing it back and forth."""
    settings.EMAIL_VERIFY_RATE = "2/h"
    for n in range(4):
        change_address(learner_client, f"someone{n}@example.com")
    assert [m.to for m in mail.outbox] == [["someone0@example.com"], ["someone1@example.com"]]


def test_send_the_link_again_without_an_address_says_so(learner_client, user):
    user.email = ""
    user.save()
    response = learner_client.post(reverse("email_verify_send"))
    assert NO_ADDRESS in said(response)
    assert mail.outbox == []


# --- accounts made before -----------------------------------------------------------------------


def test_the_migration_keeps_earlier_addresses_working_but_those_two_accounts_share():
    from importlib import import_module

    from django.apps import apps

    alone = UserFactory.create(email="alone@example.com")
    shared = [
        UserFactory.create(email="Shared@example.com"),
        UserFactory.create(email="shared@example.com"),
    ]
    none_given = UserFactory.create(email="")
    EmailVerification.objects.all().delete()  # as before the migration
    migrating = SimpleNamespace(connection=connection)  # what the migration reads of its editor
    migration = import_module("learnfrl.migrations.0003_trust_addresses_held_alone")
    migration.trust_addresses_held_alone(apps, migrating)
    assert [email_verified(user=u) for u in (alone, *shared, none_given)] == [
        True,
        False,
        False,
        False,
    ]
    assert EmailVerification.objects.get(user=alone).verified_at is None


# --- resets go to verified addresses only -------------------------------------------------------


def test_a_reset_to_an_unverified_address_sends_nothing_and_answers_the_same():
    UserFactory.create(email="given@example.com")  # an address given, never verified
    UserFactory.create(email="owner@example.com", email_verified=True)
    unverified = request_reset("given@example.com", "198.51.100.1")
    verified = request_reset("owner@example.com", "198.51.100.2")
    unknown = request_reset("nobody@example.com", "198.51.100.3")
    answers = {(r.status_code, r["Location"]) for r in (unverified, verified, unknown)}
    assert answers == {(302, reverse("password_reset_done"))}
    assert [m.to for m in reset_mails()] == [["owner@example.com"]]


def test_an_account_that_gave_a_verified_owners_address_gets_none_of_its_resets():
    """The audit's case: someone signs up with another's address; the owner, asking for their
    own reset, gets a mail for their own account alone."""
    owner = UserFactory.create(email="owner@example.com", email_verified=True)
    UserFactory.create(username="mallory", email="owner@example.com")
    request_reset("owner@example.com")
    [sent] = reset_mails()
    assert owner.username in str(sent.body)
    assert "mallory" not in str(sent.body)


def test_following_the_link_verifies_the_address_then_a_reset_is_sent(client):
    sign_up(client, "me@example.com")
    client.post(reverse("logout"))
    request_reset("me@example.com")
    assert reset_mails() == []
    assert client.post(link_in(mail.outbox[0])).status_code == 302
    request_reset("me@example.com", "198.51.100.2")
    [sent] = reset_mails()
    assert sent.to == ["me@example.com"]


def test_a_changed_address_gets_no_reset_until_its_own_link_is_followed(learner_client, user):
    address_verified(user)
    old = user.email
    change_address(learner_client, "new@example.com")
    request_reset("new@example.com", "198.51.100.1")
    request_reset(old, "198.51.100.2")
    assert reset_mails() == []
    learner_client.post(link_in(mail.outbox[-1]))
    request_reset("new@example.com", "198.51.100.3")
    assert [m.to for m in reset_mails()] == [["new@example.com"]]
