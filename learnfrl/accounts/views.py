"""Sign-up, log-in and password reset, with their abuse limits; the account page."""

import logging
import unicodedata
from datetime import datetime
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from learnfrl.accounts.backends import REFUSED_BEFORE_CHECK
from learnfrl.accounts.devices import COOKIE, device_knows, device_remember
from learnfrl.accounts.emails import email_link_send
from learnfrl.accounts.forms import (
    AccountDeleteForm,
    EmailChangeForm,
    LimitedPasswordResetForm,
    LoginForm,
    NewPasswordForm,
    SignupForm,
    username_typed_most,
)
from learnfrl.accounts.idents import ident_held_by
from learnfrl.accounts.limits import (
    account_ident,
    axes_name,
    limit_clear,
    limit_hit,
    limit_release,
    limit_reserve,
    limits_refused,
    name_client_clear,
    name_client_hit,
)
from learnfrl.accounts.services import account_delete
from learnfrl.accounts.users import User
from learnfrl.accounts.verification import email_verified
from learnfrl.clientip import client_limit_ip
from learnfrl.views import too_many_page
from quizzes.study.services import profile_start

logger = logging.getLogger("learnfrl.limits")


SIGNUP_PAGE = "registration/signup.html"


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Sign-up, within two limits per client: SIGNUP_RATE accounts made, and, looser,
    SIGNUP_ATTEMPT_RATE attempts that make none (a mistyped confirmation, a name taken).

    When every attempt counted toward the accounts' limit, a learner's slips shut out their
    address, and everyone behind it. Each count is taken before the form is read and handed
    back when the attempt turns out not to count (limit_reserve), as the log-in's are, so
    sign-ups in flight together cannot all slip under a limit. A refused attempt is not read:
    past a limit, the form says nothing of whether a name is taken.
    """
    if request.user.is_authenticated:
        return redirect("quizzes:study")
    if request.method != "POST":
        return render(request, SIGNUP_PAGE, {"form": SignupForm()})
    client = client_limit_ip(request)
    failed = limit_reserve(scope="signup-failed", ident=client, rate=settings.SIGNUP_ATTEMPT_RATE)
    made = limit_reserve(scope="signup", ident=client, rate=settings.SIGNUP_RATE)
    refused = limits_refused(failed, made)
    if refused is not None:
        return _signup_refused(
            request, client=client, accounts=not made.verdict.allowed, retry_at=refused.retry_at
        )
    form = SignupForm(request.POST)
    try:
        user = _signup_account(form)
    except BaseException:
        # No account was made (a database error, answered with the 503 page): counted as one,
        # a learner retrying through a busy moment used up their address's accounts.
        limit_release(made)
        raise
    if user is None:
        limit_release(made)  # no account made: it counts as a failed attempt
        return render(request, SIGNUP_PAGE, {"form": form})
    limit_release(failed)
    profile_start(user=user, time_zone=form.cleaned_data["time_zone"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome, {user.username}! Your first cards are ready.")
    if user.email:
        email_link_send(request, user)
    return redirect("quizzes:study")


def _signup_account(form: SignupForm) -> User | None:
    """The account the form makes, or None with the form saying why it made none."""
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            user = form.save()
            if not ident_held_by(user=user):
                # Another sign-up took a name this one folds to a moment ago.
                raise IntegrityError("the folded name is held by another account")
    except IntegrityError:
        # Checked when the form was read, taken since (the same name, or a look-alike): the
        # account is not made, and the form says so as it would have.
        form.add_error("username", form.instance.unique_error_message(User, ["username"]))
        return None
    return user


def _signup_refused(
    request: HttpRequest, *, client: str, accounts: bool, retry_at: datetime
) -> HttpResponse:
    """The 429 page of a sign-up past a limit (`accounts`: the accounts made, else the failed
    attempts), saying to try again when every window it is past has ended."""
    if accounts:
        title = "Too many sign-ups"
        message = "Too many sign-ups from your address: no more accounts can be made from it now."
    else:
        title = "Too many failed sign-ups"
        message = (
            "Too many sign-up attempts from your address failed, so sign-up from it is paused "
            "for a while."
        )
    logger.warning("Sign-up refused for client %s: %s", client, title.lower())
    return too_many_page(
        request, title=title, message=message, retry_at=retry_at, offer_reset=False
    )


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lock-out page (AXES_LOCKOUT_CALLABLE): how long, in minutes, and when to try
    again (Retry-After), as the site's other 429s say. django-axes' own page gave an ISO 8601
    duration ("PT15M") and no Retry-After."""
    minutes = settings.AXES_COOLOFF_MINUTES
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LoginView(auth_views.LoginView):
    """Django's log-in, with two limits beside django-axes' per (username, client) lock-out.

    - Failed log-ins from one client across all usernames (password spraying): refused with a
      429 page until the window ends.
    - Failed log-ins for one account from anywhere (one account guessed from many addresses):
      only browsers that have logged in to it before may try until the window ends, so the owner
      is never locked out by someone else's guesses. A log-in from such a browser, or a completed
      password reset, ends the pause.

    Only attempts that reach a password check and fail count: one refused by these limits or by
    django-axes' lock-out, a missing field, or a success gives its reserved count back. Each
    count is taken before the check (limit_reserve), so attempts in flight together cannot all
    slip under a limit.
    """

    authentication_form = LoginForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = client_limit_ip(request)
        username = request.POST.get("username", "")
        if not username or not request.POST.get("password", ""):
            return super().post(request, *args, **kwargs)  # the form says what is missing
        if len(username) > username_typed_most():
            return super().post(request, *args, **kwargs)  # the form refuses it unread
        ident = account_ident(username)
        spraying = limit_reserve(
            scope="login-client", ident=client, rate=settings.LOGIN_CLIENT_RATE
        )
        if not spraying.verdict.allowed:
            limit_release(spraying)
            logger.warning("Log-ins refused for client %s: too many failures", client)
            return too_many_page(
                request,
                title="Too many failed log-ins",
                message="There were too many failed log-ins from your address, for any account.",
                retry_at=spraying.verdict.retry_at,
                offer_reset=True,
            )
        guessed = limit_reserve(
            scope="login-account", ident=ident, rate=settings.LOGIN_ACCOUNT_RATE
        )
        if not guessed.verdict.allowed and not _device_knows_username(request, username):
            limit_release(spraying)
            limit_release(guessed)
            logger.warning("Log-in refused for an account under attack, from %s", client)
            return too_many_page(
                request,
                title="Log-in paused for this account",
                message=(
                    "This account has had many failed log-ins from different places, so log-ins "
                    "from browsers that have not logged in to it before are paused for a while. "
                    "A browser you have logged in with before can still log in, and so can you "
                    "after resetting your password."
                ),
                retry_at=guessed.verdict.retry_at,
                offer_reset=True,
            )
        response = super().post(request, *args, **kwargs)
        if not self._password_check_failed:
            limit_release(spraying)
            limit_release(guessed)
        elif not name_client_hit(
            scope="login-pair", name=ident, client=client, rate=_axes_rate()
        ).allowed:
            # More checked guesses at this name from this client than django-axes allows (a
            # burst that passed its look together): they count toward the client's limit, not
            # the account's, so that one client still cannot pause an account.
            limit_release(guessed)
        return response

    _password_check_failed = False

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        response = super().form_valid(form)
        # django-axes' count from this client ends, and from a browser the account knows (the
        # owner) so does the pause: it has done its work.
        _name_counts_end(
            user, client=client_limit_ip(self.request), pause=device_knows(self.request, user)
        )
        _rechecks_end(user)
        device_remember(self.request, response, user)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        # django-axes refuses a locked-out pair before any password is checked (and its
        # middleware answers the lock-out page): that is not a guess at the password. A guess
        # whose failure locks the pair out is one, and counts (backends.AxesBackend).
        refused_by_axes = bool(getattr(self.request, REFUSED_BEFORE_CHECK, False))
        self._password_check_failed = not refused_by_axes and form.has_error(
            NON_FIELD_ERRORS, "invalid_login"
        )
        return super().form_invalid(form)


def _axes_rate() -> str:
    """django-axes' lock-out as a rate: AXES_FAILURE_LIMIT failures a cool-off."""
    return f"{settings.AXES_FAILURE_LIMIT}/{int(settings.AXES_COOLOFF_TIME.total_seconds())}s"


def _name_counts_end(user: User, *, client: str | None, pause: bool) -> None:
    """End what counts against the account's folded name, if the account holds it: django-axes'
    count from `client` (from every client if None) and, with `pause`, the log-in pause. A
    look-alike whose name folds to the same ends nothing (learnfrl/accounts/idents.py): its
    log-in or reset would otherwise end the count on the name it copies. (django-axes' own reset
    on success is off for that reason.)"""
    if not ident_held_by(user=user):
        return
    ident = account_ident(user.get_username())  # as django-axes keys it (axes_username)
    axes_reset(ip=client, username=axes_name(ident))
    # The client's count toward the account ends with its django-axes count (every client's
    # with all of them), so that its guesses count again as django-axes lets them through.
    name_client_clear(scope="login-pair", name=ident, client=client, rate=_axes_rate())
    if pause:
        limit_clear(scope="login-account", ident=ident, rate=settings.LOGIN_ACCOUNT_RATE)


def _device_knows_username(request: HttpRequest, username: str) -> bool:
    """Whether this browser knows the account `username` names, found as the log-in finds it."""
    if COOKIE not in request.COOKIES:
        return False  # no query for a browser that knows no account
    normalised = unicodedata.normalize("NFKC", username.strip())
    user = User._default_manager.filter(**{User.USERNAME_FIELD: normalised}).first()
    return user is not None and device_knows(request, user)


LOGGED_OUT = "You are logged out."


class LogoutView(auth_views.LogoutView):
    """Django's log-out, which then says so on the page it goes to."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # After the session is flushed: the message goes with the new, anonymous one.
        messages.info(request, LOGGED_OUT)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client (a 429 page) and per target address (above)."""

    form_class = LimitedPasswordResetForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        verdict = limit_hit(
            scope="reset-client",
            ident=client_limit_ip(request),
            rate=settings.PASSWORD_RESET_CLIENT_RATE,
        )
        if not verdict.allowed:
            return too_many_page(
                request,
                title="Too many password-reset requests",
                message="There were too many password-reset requests from your address.",
                retry_at=verdict.retry_at,
                offer_reset=False,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        form.client = client_limit_ip(self.request)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation. Whoever completes it holds the account's e-mail: the
    account's log-in pause and lock-outs end, and this browser becomes known to the account
    (the new password made every earlier one unknown)."""

    form_class = NewPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        _name_counts_end(user, client=None, pause=True)
        _rechecks_end(user)
        device_remember(self.request, response, user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change. The new password makes every browser unknown to the account
    (the known-device cookie is bound to the password): this one is remembered again, as after
    a reset, so its owner is not paused with strangers. Wrong old passwords count as a re-check
    (password_recheck_failed)."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        device_remember(self.request, response, form.user)
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        if (out := password_recheck_failed(self.request, form, "old_password")) is not None:
            return out
        return super().form_invalid(form)


RECHECKS_SPENT = (
    "Too many wrong passwords: you are logged out. Log in again to go on (or reset a forgotten "
    "password)."
)


def _rechecks_end(user: User) -> None:
    """A log-in or a reset with the right password: the wrong re-checks counted so far end, so
    that the owner, logged out by them, is not logged out again by one slip after."""
    limit_clear(scope="password-recheck", ident=str(user.pk), rate=settings.PASSWORD_RECHECK_RATE)


def password_recheck_failed(
    request: HttpRequest, form: Any, field: str = "password"
) -> HttpResponse | None:
    """A signed-in account's form refused the password given again in `field` (its
    "password_incorrect" error): counted for the account, from all its sessions. Past
    PASSWORD_RECHECK_RATE whoever holds the session is logged out (the log-in's own limits then
    apply to further guesses), and sent to log in. None when the password was not wrong, or
    within the rate."""
    if not form.has_error(field, code="password_incorrect"):
        return None
    verdict = limit_hit(
        scope="password-recheck", ident=str(request.user.pk), rate=settings.PASSWORD_RECHECK_RATE
    )
    if verdict.allowed:
        return None
    logout(request)
    messages.error(request, RECHECKS_SPENT)
    return redirect("login")


ACCOUNT_PAGE = "registration/account.html"
ACCOUNT_DELETED = "Your account and everything in it are deleted. Thank you for learning here."
EMAIL_SAVED = "Your e-mail address is saved."
EMAIL_REMOVED = "Your e-mail address is removed: no password reset can be sent any more."


def _account_page(
    request: HttpRequest,
    form: AccountDeleteForm | None = None,
    status: int = 200,
    *,
    email_form: EmailChangeForm | None = None,
) -> HttpResponse:
    assert isinstance(request.user, User)
    context = {
        "delete_form": form or AccountDeleteForm(user=request.user),
        "email_form": email_form or EmailChangeForm(user=request.user),
        "email_verified": email_verified(user=request.user),
    }
    return render(request, ACCOUNT_PAGE, context, status=status)


@login_required
@require_safe
def account(request: HttpRequest) -> HttpResponse:
    """The learner's account: who they are, their password, their data, and deleting it all."""
    return _account_page(request)


@login_required
@require_POST
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """Delete the account once the password is given again; log out; say so on the home page."""
    assert isinstance(request.user, User)
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        if (out := password_recheck_failed(request, form)) is not None:
            return out
        return _account_page(request, form, status=400)
    account_delete(user=request.user)
    logout(request)
    messages.success(request, ACCOUNT_DELETED)
    return redirect("home")


@login_required
@require_POST
def account_email(request: HttpRequest) -> HttpResponse:
    """Set, change or remove the address a password reset goes to, the password given again. A
    new address is not verified (its old one's verification ends as it is saved): a link to
    verify it is sent to it."""
    assert isinstance(request.user, User)
    form = EmailChangeForm(request.POST, user=request.user)
    if not form.is_valid():
        if (out := password_recheck_failed(request, form)) is not None:
            return out
        return _account_page(request, status=400, email_form=form)
    request.user.email = form.cleaned_data["email"]
    request.user.save(update_fields=["email"])
    messages.success(request, EMAIL_SAVED if request.user.email else EMAIL_REMOVED)
    if request.user.email and not email_verified(user=request.user):
        email_link_send(request, request.user)
    return redirect("account")
