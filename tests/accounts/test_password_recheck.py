"""The password given again on a signed-in account's own forms (e-mail, delete, password change)
is a guess like a log-in's: past PASSWORD_RECHECK_RATE the session is logged out (an outside
audit guessed 30 times in 12 s). A password changed keeps its own browser known to the account,
as a reset does, and the lock-out page says how long in words, with Retry-After."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from learnfrl.accounts.devices import COOKIE
from learnfrl.accounts.views import RECHECKS_SPENT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violet-harbour-4821-new"


def email_change(client, password):
    return client.post(
        reverse("account_email"),
        {"address-email": "thief@example.com", "address-password": password},
    )


def delete(client, password):
    return client.post(reverse("account_delete"), {"delete-password": password})


def password_change(client, old):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )


@pytest.mark.parametrize("form", [email_change, delete, password_change])
def test_past_the_rate_a_wrong_password_logs_the_session_out(settings, user, form):
    settings.PASSWORD_RECHECK_RATE = "3/15m"
    client = Client()
    client.force_login(user)
    for _ in range(3):
        assert form(client, "wrong").status_code in (200, 400)
    refused = form(client, "wrong")
    assert refused.status_code == 302
    assert refused.url == reverse("login")
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [RECHECKS_SPENT]
    # Logged out: the right password now changes nothing, and the account is as it was.
    assert form(client, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.email != "thief@example.com"
    assert user.check_password(PASSWORD)
    assert client.get(reverse("account")).status_code == 302


def test_the_count_is_the_accounts_across_its_forms_and_sessions(settings, user):
    settings.PASSWORD_RECHECK_RATE = "3/15m"
    first, second = Client(), Client()
    first.force_login(user)
    second.force_login(user)
    email_change(first, "wrong")
    delete(second, "wrong")
    password_change(first, "wrong")
    assert email_change(second, "wrong").url == reverse("login")
    # Another account is not affected.
    other = Client()
    other.force_login(UserFactory.create())
    assert email_change(other, "wrong").status_code == 400


def test_the_right_password_within_the_rate_still_works(settings, user):
    settings.PASSWORD_RECHECK_RATE = "3/15m"
    client = Client()
    client.force_login(user)
    email_change(client, "wrong")
    email_change(client, "wrong")
    assert email_change(client, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.email == "thief@example.com"


def test_a_password_changed_keeps_its_own_browser_known(settings, user):
    """The known-device cookie is bound to the password: the browser that changed it was
    forgotten with strangers' and could be paused out of its own account."""
    settings.LOGIN_ACCOUNT_RATE = "3/15m"
    browser = Client(REMOTE_ADDR="192.0.2.44")
    browser.force_login(user)
    changed = password_change(browser, PASSWORD)
    assert changed.status_code == 302
    assert COOKIE in changed.cookies
    browser.post(reverse("logout"))
    for n in range(3):
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            reverse("login"), {"username": user.username, "password": "wrong"}
        )
    stranger = Client(REMOTE_ADDR="198.51.100.200").post(
        reverse("login"), {"username": user.username, "password": NEW_PASSWORD}
    )
    assert stranger.status_code == 429
    owner = browser.post(reverse("login"), {"username": user.username, "password": NEW_PASSWORD})
    assert owner.status_code == 302


def test_the_lock_out_page_says_how_long_in_words_with_retry_after(settings, user):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "log-in is paused for 15 minutes" in locked.content.decode()
    assert "PT15M" not in locked.content.decode()
    assert locked["Retry-After"] == "900"


def test_a_log_in_with_the_right_password_starts_the_count_again(settings, user):
    """Logged out by the re-checks, the owner logs in again: one slip must not log them out
    again for the rest of the window (a review of the change)."""
    settings.PASSWORD_RECHECK_RATE = "3/15m"
    client = Client()
    client.force_login(user)
    for _ in range(4):
        email_change(client, "wrong")
    assert client.get(reverse("account")).status_code == 302  # logged out
    logged_in = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert logged_in.status_code == 302
    assert email_change(client, "wrong").status_code == 400


def test_the_admins_own_password_change_counts_too(settings):
    """The admin's header links to its own password change, which was Django's: uncounted."""
    settings.PASSWORD_RECHECK_RATE = "3/15m"
    staff = UserFactory.create(is_staff=True)
    client = Client()
    client.force_login(staff)
    url = reverse("admin:password_change")
    data = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    codes = [client.post(url, data).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 302]
    right = Client(REMOTE_ADDR="192.0.2.44")
    right.force_login(staff)
    changed = right.post(url, {**data, "old_password": PASSWORD})
    assert changed.status_code == 302
    assert changed["Location"] == reverse("admin:password_change_done")
    assert COOKIE in changed.cookies
