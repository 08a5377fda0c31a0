"""Background tasks of accounts (django-tasks, run by `manage.py db_worker`)."""

from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.urls import get_script_prefix, set_script_prefix
from django_tasks import task


@task()
def password_reset_mails(
    *, email: str, domain: str, use_https: bool, script_prefix: str = "/", **mail: Any
) -> None:
    """Send the password-reset e-mail to every account holding `email`, as Django's form does.

    Queued by every reset request whose limits allow it, the address known or not: the request
    then takes the same time either way (sent inside it, the SMTP exchange told which addresses
    have an account). The limits were counted when it was queued. The link is made under the
    request's script prefix (a site served under /learn/), and `mail` holds the view's other
    settings of the e-mail (templates, sender, extra context).
    """
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    before = get_script_prefix()
    set_script_prefix(script_prefix)
    try:
        form.save(domain_override=domain, use_https=use_https, **mail)
    finally:
        set_script_prefix(before)
