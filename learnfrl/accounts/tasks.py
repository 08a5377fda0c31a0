"""Background tasks of accounts (django-tasks, run by `manage.py db_worker`)."""

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import get_script_prefix, set_script_prefix
from django_tasks import task

from learnfrl.accounts.users import User
from learnfrl.accounts.verification import email_link_token, email_verified, users_verified


class VerifiedPasswordResetForm(PasswordResetForm):
    """Django's reset form, which sends only to accounts whose current address is verified
    (learnfrl/accounts/verification.py): an address given but never verified may be a
    stranger's."""

    def get_users(self, email: str) -> Iterable[Any]:
        return users_verified(super().get_users(email))


@contextlib.contextmanager
def _script_prefix(prefix: str) -> Iterator[None]:
    """Make links under the request's script prefix (a site served under /learn/): the worker's
    own is "/"."""
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        yield
    finally:
        set_script_prefix(before)


@task()
def password_reset_mails(
    *, email: str, domain: str, use_https: bool, script_prefix: str = "/", **mail: Any
) -> None:
    """Send the password-reset e-mail to every account holding `email` verified, as Django's
    form does.

    Queued by every reset request whose limits allow it, the address known or not, verified or
    not: the request then takes the same time either way (sent inside it, the SMTP exchange told
    which addresses have an account). The limits were counted when it was queued. `mail` holds
    the view's other settings of the e-mail (templates, sender, extra context).
    """
    form = VerifiedPasswordResetForm({"email": email})
    if not form.is_valid():
        return
    with _script_prefix(script_prefix):
        form.save(domain_override=domain, use_https=use_https, **mail)


@task()
def email_link_mail(
    *, user_id: int, email: str, domain: str, use_https: bool, script_prefix: str = "/"
) -> None:
    """Send the link that verifies `email` to it, if account `user_id` still holds it unverified.

    Queued by sign-up, a changed address and "Send the link again" (within EMAIL_VERIFY_RATE),
    so that no request waits on SMTP. The token is made here: the task's arguments, kept in the
    database, hold none.
    """
    user = User._default_manager.filter(pk=user_id).first()
    if user is None or user.email != email or email_verified(user=user):
        return  # deleted, changed or verified since it was queued
    context = {
        "user": user,
        "email": email,
        "protocol": "https" if use_https else "http",
        "domain": domain,
        "token": email_link_token(user=user, email=email),
        "days": settings.EMAIL_VERIFY_DAYS,
    }
    with _script_prefix(script_prefix):
        body = render_to_string("registration/email_verify_email.txt", context)
    subject = render_to_string("registration/email_verify_subject.txt", context)
    send_mail("".join(subject.splitlines()), body, None, [email])
