"""Background tasks of accounts (django-tasks, run by `manage.py db_worker`)."""

from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task


@task()
def password_reset_mails(*, email: str, domain: str, use_https: bool) -> None:
    """Send the password-reset e-mail to every account holding `email`, as Django's form does.

    Queued by every reset request whose limits allow it, the address known or not: the request
    then takes the same time either way (sent inside it, the SMTP exchange told which addresses
    have an account). The limits were counted when it was queued.
    """
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(domain_override=domain, use_https=use_https)
