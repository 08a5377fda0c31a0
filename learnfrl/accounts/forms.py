"""The forms of sign-up, password reset and account deletion."""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm

from learnfrl.accounts.idents import ident_taken
from learnfrl.accounts.limits import limit_hit
from learnfrl.accounts.users import User
from quizzes.rules.days import zone_named

logger = logging.getLogger("learnfrl.limits")


class SignupForm(UserCreationForm[User]):
    email = forms.EmailField(
        label="E-mail (optional)",
        required=False,
        help_text="Only used to reset your password if you forget it.",
    )
    # The browser's time zone, filled in by site.js; the learner can change it in their study
    # settings. Anything but a zone we know (no JavaScript, an old browser, a forged post) means
    # the site's: a hidden field has no place to show an error.
    time_zone = forms.CharField(
        required=False,
        widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
    )

    def clean_username(self) -> str:
        """Django's check (a name taken but for its capitals), and one more: a name that folds
        to one an account holds ("teẞa" beside "tessa", which Django's check lets in), which
        would share that account's log-in counter (learnfrl/accounts/idents.py)."""
        username: str = super().clean_username()
        if username and ident_taken(username=username):
            raise forms.ValidationError(
                self.instance.unique_error_message(User, ["username"]), code="unique"
            )
        return username

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data.get("time_zone") or ""
        return name if zone_named(name) is not None else str(settings.TIME_ZONE)

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        model = User
        fields = ("username", "email")


class LimitedPasswordResetForm(PasswordResetForm):
    """Send at most PASSWORD_RESET_ADDRESS_RATE e-mails to one address, however many servers, and
    at most PASSWORD_RESET_CLIENT_ADDRESS_RATE of them at one client's asking, so no one client
    can spend the address's whole budget and leave the owner without a reset.

    Beyond either the e-mail is silently not sent: the page is the same either way, so it tells
    nobody whether the address has an account.
    """

    client = ""  # the asking client as the limits count it (set by the view)

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        to_email = args[4] if len(args) > 4 else kwargs["to_email"]
        address = to_email.strip().casefold()
        # The client's share first: a client past it does not spend the address's budget.
        share = limit_hit(
            scope="reset-client-address",
            ident=f"{self.client}|{address}",
            rate=settings.PASSWORD_RESET_CLIENT_ADDRESS_RATE,
        )
        if not share.allowed:
            logger.warning("Password-reset e-mail not sent: too many to one address from here")
            return
        verdict = limit_hit(
            scope="reset-address", ident=address, rate=settings.PASSWORD_RESET_ADDRESS_RATE
        )
        if not verdict.allowed:
            logger.warning("Password-reset e-mail not sent: too many to one address this hour")
            return
        super().send_mail(*args, **kwargs)


class AccountDeleteForm(forms.Form):
    """Deleting one's account: asked again for the password, so an unattended browser cannot."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you: this cannot be undone.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password
