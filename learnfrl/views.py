"""Site-level views: the landing page, sign-up, log-in and password reset with their abuse
limits, and the health check."""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from learnfrl.clientip import client_ip
from learnfrl.devices import device_knows, device_remember
from learnfrl.forms import SignupForm
from learnfrl.middleware import current_request_id
from learnfrl.ratelimits import limit_hit, limit_peek

logger = logging.getLogger("learnfrl.limits")


def too_many_page(
    request: HttpRequest, *, title: str, message: str, retry_at: datetime, offer_reset: bool
) -> HttpResponse:
    """A 429 page that says what happened and when to try again (with Retry-After)."""
    context = {
        "title": title,
        "message": message,
        "retry_at": retry_at,
        "offer_reset": offer_reset,
        "request_id": current_request_id(),
    }
    response = render(request, "429.html", context, status=429)
    seconds = max(1, int((retry_at - datetime.now(tz=retry_at.tzinfo)).total_seconds()))
    response["Retry-After"] = str(seconds)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("study")
    return render(request, "landing.html")


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=settings.SIGNUP_RATE, method="POST", block=False)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("study")
    if getattr(request, "limited", False):
        form = SignupForm(request.POST)
        form.is_valid()
        form.add_error(None, "Too many sign-ups from your address. Please try again in an hour.")
        return render(request, "registration/signup.html", {"form": form}, status=429)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.username}! Your first cards are ready.")
        return redirect("study")
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


class LimitedPasswordResetForm(PasswordResetForm):
    """Send at most PASSWORD_RESET_ADDRESS_RATE e-mails to one address, however many servers.

    Beyond it the e-mail is silently not sent: the page is the same either way, so it tells
    nobody whether the address has an account.
    """

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        to_email = args[4] if len(args) > 4 else kwargs["to_email"]
        verdict = limit_hit(
            scope="reset-address",
            ident=to_email.strip().casefold(),
            rate=settings.PASSWORD_RESET_ADDRESS_RATE,
        )
        if not verdict.allowed:
            logger.warning("Password-reset e-mail not sent: too many to one address this hour")
            return
        super().send_mail(*args, **kwargs)


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


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """Answer without touching the database: liveness, and the benchmark's floor."""
    return HttpResponse("pong", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400 in the site's layout. A view's BadRequest says what was wrong; nothing was changed."""
    # Only BadRequest's message is ours to show: other 400s (a bad Host header, a suspicious
    # operation) describe the server's checks, not the learner's input.
    message = str(exception) if type(exception) is BadRequest else ""
    context = {"message": message, "request_id": current_request_id()}
    return render(request, "400.html", context, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"request_id": current_request_id()}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"request_id": current_request_id()}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: no session, no user, no database, whatever went wrong.
    body = render_to_string("500.html", {"request_id": current_request_id()})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    message = "The form had expired or did not come from this site. Reload the page and try again."
    context = {"message": message, "request_id": current_request_id()}
    return render(request, "403.html", context, status=403)
