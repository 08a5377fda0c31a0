"""The admin's list of accounts says whose address is verified, and staff who may change accounts
can verify them: an address two accounts shared before verification began stays unverified
(migration 0003), and a learner of one who forgot their password got no reset to verify it by."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.admin.templatetags.admin_list import result_headers
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.users import User
from learnfrl.accounts.verification import EmailVerification, email_link_token, email_verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNTS = reverse("admin:auth_user_changelist")


def staff_client(*codenames: str, superuser: bool = False) -> Client:
    staff = UserFactory.create(is_staff=True, is_superuser=superuser, email_verified=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(staff)
    return client


def verify_selected(client: Client, *users: User):
    data = {"action": "addresses_verify", ACTION_CHECKBOX_NAME: [str(u.pk) for u in users]}
    return client.post(ACCOUNTS, data)


def actions_offered(response) -> list[str]:
    """The names of the actions the list offers (none at all: no form)."""
    form = response.context["action_form"]
    return [name for name, _ in form.fields["action"].choices] if form else []


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_list_says_whose_address_is_verified_in_one_query(django_assert_max_num_queries):
    verified = UserFactory.create_batch(10, email_verified=True)
    unverified = UserFactory.create_batch(10)
    no_address = UserFactory.create_batch(10, email="")
    client = staff_client(superuser=True)
    with django_assert_max_num_queries(8):  # seven in all: a query a row would be thirty more
        response = client.get(ACCOUNTS)
    changelist = response.context["cl"]
    assert "address_verified" in changelist.list_display
    shown = {user.pk: user.address_verified for user in changelist.result_list}
    assert {shown[user.pk] for user in verified} == {True}
    assert {shown[user.pk] for user in (*unverified, *no_address)} == {False}
    assert "E-mail verified" in [str(header["text"]) for header in result_headers(changelist)]


def test_a_verification_of_an_old_address_is_not_shown_as_the_current_ones():
    user = UserFactory.create(email_verified=True)
    User.objects.filter(pk=user.pk).update(email="bulk@example.com")  # no post_save
    response = staff_client(superuser=True).get(ACCOUNTS)
    [shown] = [u for u in response.context["cl"].result_list if u.pk == user.pk]
    assert shown.address_verified is False


def test_the_action_verifies_each_current_address_and_skips_those_without_one():
    unverified = UserFactory.create_batch(2)
    no_address = UserFactory.create(email="")
    trusted = UserFactory.create()  # verified by the migration: no time of verification
    EmailVerification.objects.create(user=trusted, email=trusted.email, verified_at=None)
    response = verify_selected(staff_client(superuser=True), *unverified, no_address, trusted)
    assert response.status_code == 302
    assert [email_verified(user=user) for user in unverified] == [True, True]
    assert not EmailVerification.objects.filter(user=no_address).exists()
    assert EmailVerification.objects.get(user=trusted).verified_at is None
    assert said(response) == [
        "Marked the e-mail addresses of 2 account(s) verified. Skipped 2: 1 with no e-mail "
        "address, 1 verified already."
    ]


def test_an_address_changed_while_the_action_runs_is_not_verified_in_its_place(monkeypatch):
    """The action reads the accounts, then verifies each with its row locked: an address
    changed in between is the account's new one, which nobody has verified."""
    user = UserFactory.create(email="old@example.com")

    def changed_first(*, user, email):
        User.objects.filter(pk=user.pk).update(email="new@example.com")  # as another request
        return email_link_token(user=user, email=email)

    monkeypatch.setattr("learnfrl.accounts.admin.email_link_token", changed_first)
    response = verify_selected(staff_client(superuser=True), user)
    assert not EmailVerification.objects.filter(user=user).exists()
    assert said(response) == [
        "Marked the e-mail addresses of 0 account(s) verified. Skipped 1: 1 whose address "
        "changed meanwhile."
    ]


def test_an_address_two_accounts_share_is_verified_only_once_one_of_them_holds_it():
    """Verified for both, the shared address got each account's reset (a review): the takeover
    the migration left it unverified to close. The action skips it, saying why, until the other
    account's address is changed; then the reset goes to the owner alone."""
    owner = UserFactory.create(email="shared@example.com")
    other = UserFactory.create(email="Shared@example.com")  # the other account, unverified
    operator = staff_client(superuser=True)
    response = verify_selected(operator, owner, other)
    assert not email_verified(user=owner)
    assert not email_verified(user=other)
    assert said(response) == [
        "Marked the e-mail addresses of 0 account(s) verified. Skipped 2: 2 whose address "
        "another account also holds (change one of them first)."
    ]
    assert not LogEntry.objects.exists()

    User.objects.filter(pk=other.pk).update(email="")
    verify_selected(operator, owner)
    assert email_verified(user=owner)
    # The admin's history says who verified it.
    [entry] = LogEntry.objects.all()
    assert (entry.object_id, entry.change_message) == (
        str(owner.pk),
        "Verified the e-mail address (admin action).",
    )
    Client(REMOTE_ADDR="198.51.100.1").post(
        reverse("password_reset"), {"email": "shared@example.com"}
    )
    [reset] = [m for m in mail.outbox if "/accounts/reset/" in str(m.body)]
    assert owner.username in str(reset.body)


def learner_client() -> Client:
    client = Client()
    client.force_login(UserFactory.create())
    return client


@pytest.mark.parametrize(
    "refused",
    [
        pytest.param(lambda: staff_client("view_user"), id="staff who may only view accounts"),
        pytest.param(learner_client, id="a learner"),
    ],
)
def test_only_staff_who_may_change_accounts_can_run_the_action(refused):
    user = UserFactory.create()
    asker = refused()
    listed = asker.get(ACCOUNTS)
    if listed.status_code == 200:  # a learner is sent to the admin's log-in page instead
        assert "addresses_verify" not in actions_offered(listed)
    verify_selected(asker, user)
    assert not email_verified(user=user)
    # Staff who may change accounts are offered it, and it verifies.
    allowed = staff_client("view_user", "change_user")
    assert "addresses_verify" in actions_offered(allowed.get(ACCOUNTS))
    verify_selected(allowed, user)
    assert email_verified(user=user)
