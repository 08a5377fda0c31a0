"""Sign-up, log-in and password reset, with their abuse limits; the account page."""

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learnfrl.accounts.devices import device_knows, device_remember
from learnfrl.accounts.forms import AccountDeleteForm, LimitedPasswordResetForm, SignupForm
from learnfrl.accounts.limits import limit_hit, limit_peek, per_request_limit
from learnfrl.accounts.services import account_delete
from learnfrl.accounts.users import User
from learnfrl.clientip import client_ip
from learnfrl.views import too_many_page

logger = logging.getLogger("learnfrl.limits")


@require_http_methods(["GET", "POST"])
# The group keeps the view's first dotted path, so counts survive a move of the module.
@per_request_limit(
    group="learnfrl.views.signup", key="ip", rate=settings.SIGNUP_RATE, method="POST"
)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quizzes:study")
    if getattr(request, "limited", False):
        form = SignupForm(request.POST)
        form.is_valid()
        too_many = "Too many sign-ups from your address. Please try again in an hour."
        form.add_error(None, ValidationError(too_many, code="too_many_signups"))
        return render(request, "registration/signup.html", {"form": form}, status=429)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Your first cards are ready.")
        return redirect("quizzes:study")
    return render(request, "registration/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    """Django's log-in, with two limits beside django-axes' per (username, client) lock-out.

    - Failed log-ins from one client across all usernames (password spraying): refused with a
      429 page until the window ends.
    - Failed log-ins for one username from anywhere (one account guessed from many addresses):
      only browsers that have logged in to it before may try until the window ends, so the owner
      is never locked out by someone else's guesses.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        client = client_ip(request)
        username = request.POST.get("username", "")
        spraying = limit_peek(scope="login-client", ident=client, rate=settings.LOGIN_CLIENT_RATE)
        if not spraying.allowed:
            logger.warning("Log-ins refused for client %s: too many failures", client)
            return too_many_page(
                request,
                title="Too many failed log-ins",
                message="There were too many failed log-ins from your address, for any account.",
                retry_at=spraying.retry_at,
                offer_reset=True,
            )
        guessed = limit_peek(
            scope="login-account",
            ident=username.strip().casefold(),
            rate=settings.LOGIN_ACCOUNT_RATE,
        )
        if username and not guessed.allowed and not device_knows(request, username):
            logger.warning("Log-in refused for an account under attack, from %s", client)
            return too_many_page(
                request,
                title="Log-in paused for this account",
                message=(
                    "This account has had many failed log-ins from different places, so log-ins "
                    "from browsers that have not logged in to it before are paused for a while. "
                    "A browser you have logged in with before can still log in."
                ),
                retry_at=guessed.retry_at,
                offer_reset=True,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        device_remember(self.request, response, form.cleaned_data.get("username", ""))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        username = self.request.POST.get("username", "")
        if username:
            limit_hit(
                scope="login-client", ident=client_ip(self.request), rate=settings.LOGIN_CLIENT_RATE
            )
            limit_hit(
                scope="login-account",
                ident=username.strip().casefold(),
                rate=settings.LOGIN_ACCOUNT_RATE,
            )
        return super().form_invalid(form)


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
            scope="reset-client", ident=client_ip(request), rate=settings.PASSWORD_RESET_CLIENT_RATE
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


ACCOUNT_PAGE = "registration/account.html"
ACCOUNT_DELETED = "Your account and everything in it are deleted. Thank you for learning here."


def _account_page(request: HttpRequest, form: AccountDeleteForm, status: int = 200) -> HttpResponse:
    return render(request, ACCOUNT_PAGE, {"delete_form": form}, status=status)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    """The learner's account: who they are, their password, their data, and deleting it all."""
    assert isinstance(request.user, User)
    return _account_page(request, AccountDeleteForm(user=request.user))


@login_required
@require_POST
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """Delete the account once the password is given again; log out; say so on the home page."""
    assert isinstance(request.user, User)
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    account_delete(user=request.user)
    logout(request)
    messages.success(request, ACCOUNT_DELETED)
    return redirect("home")
