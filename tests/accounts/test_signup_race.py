"""A race on PostgreSQL: two sign-ups at the same instant, of one name or of two names that fold
to one ("tessa", "teẞa"), make one account; the other is told the name is taken."""

import pytest
from django.test import Client

from learnfrl.accounts.idents import AccountIdent
from learnfrl.accounts.users import User
from tests.accounts.test_account_pause import sign_up
from tests.quiz.test_concurrency import ROUNDS, together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _sign_up(username: str, address: str) -> int:
    return int(sign_up(Client(REMOTE_ADDR=address), username).status_code)


@pytest.mark.parametrize("spelling", ["look-alike", "capitals"])
def test_two_sign_ups_of_names_that_fold_to_one_make_one_account(spelling):
    for n in range(ROUNDS):
        name = f"tessa{n}"
        other = name.replace("ss", "\u1e9e") if spelling == "look-alike" else name.upper()
        names = iter([name, other])
        address = f"192.0.2.{n + 1}"
        results, errors = together(
            2, lambda names=names, address=address: _sign_up(next(names), address)
        )
        assert errors == []
        assert sorted(results) == [200, 302]
        made = [u for u in User.objects.all() if u.username.casefold() == name]
        assert len(made) == 1
        assert AccountIdent.objects.filter(user=made[0]).exists()


def test_sign_ups_sent_together_from_one_address_make_no_more_accounts_than_its_limit(settings):
    """Each account's count is taken before the form is read: a burst cannot all pass a look."""
    settings.SIGNUP_RATE = "3/h"
    names = iter([f"burst{n}" for n in range(6)])
    results, errors = together(6, lambda: _sign_up(next(names), "192.0.2.77"))
    assert errors == []
    assert sorted(results) == [302] * 3 + [429] * 3
    assert User.objects.filter(username__startswith="burst").count() == 3
