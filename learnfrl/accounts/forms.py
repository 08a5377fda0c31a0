"""The forms of sign-up, password reset and account deletion."""

import logging
from typing import Any, cast

from confusable_homoglyphs import categories, confusables
from django import forms
from django.conf import settings
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
    UsernameField,
)
from django.contrib.sites.shortcuts import get_current_site
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import HttpRequest
from django.urls import get_script_prefix

from learnfrl.accounts.idents import ident_taken
from learnfrl.accounts.limits import address_ident, limit_hit
from learnfrl.accounts.tasks import password_reset_mails
from learnfrl.accounts.users import User
from learnfrl.forms import FirstErrorFocused
from quizzes.rules.days import zone_named

logger = logging.getLogger("learnfrl.limits")


# NFKC composition can shorten a name a few times over ("e" and a combining accent become "é"),
# so a typed name is refused unread only beyond this multiple of the longest name an account has.
TYPED_NAME_MULTIPLE = 4


def username_typed_most() -> int:
    """The longest username a form will normalise: longer, it is refused as it arrived."""
    field = cast(models.CharField[str, str], User._meta.get_field(User.USERNAME_FIELD))
    return TYPED_NAME_MULTIPLE * (field.max_length or 0)


class BoundedUsernameField(UsernameField):
    """Django's username field, which refuses a name far past the longest one before NFKC
    normalising it: 800,000 characters of one ligature took 1.7 s to normalise (to 14.4 million
    characters), and a log-in or sign-up may send that in every request."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > username_typed_most():
            raise forms.ValidationError(
                "That username is far longer than any account's (%(limit)d characters at most).",
                code="max_length",
                params={"limit": self.max_length or 0},
            )
        return super().to_python(value)


class LoginForm(AuthenticationForm):
    """Django's log-in form, which also refuses a username longer than any account's.

    Django's form shows the limit to the browser but does not check it, so the name went on to
    the password check and to django-axes, whose failure record then could not be written on
    PostgreSQL (a 500) and held the whole name on SQLite.
    """

    username = BoundedUsernameField(widget=forms.TextInput(attrs={"autofocus": True}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.CharField, self.fields["username"])
        field.validators.append(MaxLengthValidator(field.max_length))


# Scripts that one writing system mixes, judged as one (Unicode TR39's "highly restrictive" sets,
# without Latin): a Japanese name mixes Han with kana, which confusable_homoglyphs counts as
# mixed scripts, and refused "高橋エリカ".
ONE_WRITING_SYSTEM = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "BOPOMOFO"}),
    frozenset({"HAN", "HANGUL"}),
)


def username_deceives(username: str) -> bool:
    """Whether a name mixes scripts with a letter that passes for another script's: a Cyrillic
    "a" among Latin letters reads as "alice" (confusable_homoglyphs, as django-registration)."""
    scripts = categories.unique_aliases(username) - {"COMMON"}
    if any(scripts <= system for system in ONE_WRITING_SYSTEM):
        return False
    return bool(confusables.is_dangerous(username))


class SignupForm(FirstErrorFocused, UserCreationForm[User]):
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
        """Django's check (a name taken but for its capitals), and two more: a name that mixes
        look-alike letters of two scripts (username_deceives), and a name that folds to one an
        account holds ("teẞa" beside "tessa", which Django's check lets in), which would share
        that account's log-in counter (learnfrl/accounts/idents.py)."""
        username: str = super().clean_username()
        if username and username_deceives(username):
            raise forms.ValidationError(
                "That username mixes alphabets whose letters look alike (Latin and Cyrillic, "
                "say), so it could pass for someone else's. Please write it in one alphabet.",
                code="confusable",
            )
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
        field_classes = {"username": BoundedUsernameField}


# The password-reset view's settings of its e-mail that the worker is handed.
_MAIL_SETTINGS = (
    "subject_template_name",
    "email_template_name",
    "html_email_template_name",
    "from_email",
    "extra_email_context",
)


class LimitedPasswordResetForm(PasswordResetForm):
    """Send at most PASSWORD_RESET_ADDRESS_RATE resets to one address, however many servers, and
    at most PASSWORD_RESET_CLIENT_ADDRESS_RATE of them at one client's asking, so no one client
    can spend the address's whole budget and leave the owner without a reset. Each request
    counts once, however many accounts hold the address (counted per e-mail, two accounts of an
    attacker's holding a victim's address spent every allowance before the victim's turn).

    Beyond either nothing is sent; within them the e-mails are queued (accounts.tasks), the
    address known or not. The page, and the time it takes, are the same either way: they tell
    nobody whether the address has an account.
    """

    client = ""  # the asking client as the limits count it (set by the view)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail"  # as the site says it everywhere else

    def save(  # type: ignore[override]
        self,
        domain_override: str | None = None,
        *,
        use_https: bool = False,
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        # Every spelling that reaches one mailbox counts as one (address_ident).
        address = address_ident(self.cleaned_data["email"])
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
        domain = domain_override or get_current_site(request).domain
        # What the view says of the e-mail, each a text (a task's arguments are JSON); a token
        # generator is not one, and the worker's is Django's default, as the view's is.
        mail = {name: kwargs[name] for name in _MAIL_SETTINGS if kwargs.get(name) is not None}
        password_reset_mails.enqueue(
            email=self.cleaned_data["email"],
            domain=domain,
            use_https=use_https,
            script_prefix=get_script_prefix(),
            **mail,
        )


# SetPasswordForm is generic to mypy only: at run time it takes no [User] (django-stubs-ext makes
# only model forms subscriptable).
class NewPasswordForm(FirstErrorFocused, SetPasswordForm):  # type: ignore[type-arg]
    """Django's new password of a reset, which, refused, puts the cursor on the field in error
    (the second, say, when the two differ), not nowhere."""


class AccountDeleteForm(FirstErrorFocused, forms.Form):
    """Deleting one's account: asked again for the password, so an unattended browser cannot.
    Refused, the cursor is on its password, beside why (at the page's foot, out of view)."""

    password = forms.CharField(
        label="Your password, to delete your account",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you: deleting cannot be undone.",
    )
    # The page's other form asks for the password too: each field's name and id say its form
    # ("delete-password", "address-password"), so neither a label nor a password manager can
    # take one for the other.
    prefix = "delete"

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.", code="password_incorrect")
        return password


class EmailChangeForm(AccountDeleteForm):
    """The address a password reset is sent to: set, changed or removed, with the password given
    again (whoever holds an unattended session must not be able to send resets to themselves)."""

    email = forms.EmailField(
        label="E-mail",
        required=False,
        max_length=254,  # the account's column: longer was a 500 on PostgreSQL
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Only used to reset your password if you forget it. Leave it empty to remove it.",
    )
    field_order = ("email", "password")
    prefix = "address"

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        # Not the deletion form's "Your password": two fields of one page named alike.
        self.fields["password"].label = "Your password, to save the e-mail"
        self.fields["password"].help_text = "To be sure it is you."
        self.fields["email"].initial = user.email
