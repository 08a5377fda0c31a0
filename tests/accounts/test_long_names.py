"""Usernames longer than any account's, and accounts whose folded name is long: refused before
any costly work, and counted like any other (an outside audit's finding: a 500 on PostgreSQL,
the whole name written to django-axes' records on SQLite, and a pause one client could cause)."""

import unicodedata
from contextlib import contextmanager
from typing import Literal
from unittest.mock import patch

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.forms import username_typed_most
from learnfrl.accounts.limits import account_ident, axes_name_most, axes_username
from learnfrl.accounts.users import User
from tests.accounts.test_account_pause import NEW_PASSWORD, log_in, reset_password, sign_up
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIGATURE = "\ufdfa"  # one character whose NFKC form is eighteen
LONG_FOLDING = "\u00df" * 150  # "ß": the longest name, case-folding to twice as long ("ss")


@contextmanager
def longest_normalised():
    """Yield a list that ends up holding the length of each string NFKC-normalised meanwhile."""
    lengths: list[int] = []
    real = unicodedata.normalize

    def counting(form: Literal["NFC", "NFD", "NFKC", "NFKD"], text: str) -> str:
        lengths.append(len(text))
        return real(form, text)

    with patch("unicodedata.normalize", counting):
        yield lengths


@pytest.mark.parametrize("length", [151, 600, 601, 5_000])
def test_a_username_longer_than_any_accounts_is_refused_by_the_log_in_form(length):
    response = log_in(Client(REMOTE_ADDR="203.0.113.7"), "a" * length)
    assert response.status_code == 200
    assert response.context["form"].has_error("username", "max_length")
    assert not AccessAttempt.objects.exists()


def test_a_huge_username_is_refused_without_being_normalised():
    """800,000 of one ligature took 1.7 s to normalise and 8.9 s a log-in in all."""
    with longest_normalised() as lengths:
        response = log_in(Client(REMOTE_ADDR="203.0.113.7"), LIGATURE * 800_000)
        signed_up = sign_up(Client(REMOTE_ADDR="203.0.113.8"), LIGATURE * 800_000)
    assert response.status_code == 200
    assert response.context["form"].has_error("username", "max_length")
    assert signed_up.status_code == 200
    assert signed_up.context["form"].has_error("username", "max_length")
    assert max(lengths, default=0) <= username_typed_most()
    assert not AccessAttempt.objects.exists()
    assert User.objects.count() == 0


@pytest.mark.parametrize("length", [300, 700], ids=["counted-then-given-back", "never-counted"])
def test_over_long_names_count_toward_no_limit(settings, length):
    settings.LOGIN_CLIENT_RATE = "3/15m"
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert log_in(client, "a" * length).status_code == 200
    # The client's failures are still all to come.
    assert [log_in(client, f"nobody{n}").status_code for n in range(4)] == [200, 200, 200, 429]


def test_an_account_whose_name_folds_past_axes_column_has_a_fitting_record():
    assert len(account_ident(LONG_FOLDING)) == 300
    recorded = axes_username(None, {"username": LONG_FOLDING})
    assert axes_name_most() == 255
    assert len(recorded) <= axes_name_most()
    assert recorded == axes_username(None, {"username": "\u1e9e" * 150})  # capital sharp s
    assert recorded != axes_username(None, {"username": LONG_FOLDING[:-1]})


def test_an_account_whose_name_folds_long_is_locked_out_per_client_not_paused():
    """On PostgreSQL its failure records did not fit: each guess was a 500, no lock-out came,
    and twenty guesses from one client paused the account for its owner."""
    owner = UserFactory(username=LONG_FOLDING)
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    answers = [log_in(attacker, owner.username).status_code for _ in range(22)]
    assert answers[:4] == [200] * 4
    assert set(answers[4:]) == {429}  # the fifth guess locks this client out
    assert log_in(attacker, owner.username, PASSWORD).status_code == 429  # locked out here
    assert log_in(Client(REMOTE_ADDR="192.0.2.44"), owner.username, PASSWORD).status_code == 302


def test_a_completed_reset_ends_the_lock_out_of_an_account_whose_name_folds_long():
    owner_account = UserFactory(
        username=LONG_FOLDING, email="long@example.com", email_verified=True
    )
    owner = Client(REMOTE_ADDR="192.0.2.44")
    for _ in range(5):
        log_in(owner, owner_account.username)
    assert log_in(owner, owner_account.username, PASSWORD).status_code == 429
    reset_password(owner, owner_account.email)
    owner.post(reverse("logout"))
    assert log_in(owner, owner_account.username, NEW_PASSWORD).status_code == 302
