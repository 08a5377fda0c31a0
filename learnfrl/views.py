"""Site-level views: the landing page, the health checks and the error pages."""

import logging
import sys
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from learnfrl.checks import PER_PROCESS_CACHES
from learnfrl.middleware import (
    CACHE_ERRORS,
    account_rate_exempt,
    cache_refuses_writes,
    cache_unavailable,
    current_request_id,
    service_unavailable,
    unavailable_response,
)

logger = logging.getLogger("learnfrl")


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


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("quizzes:study")
    return render(request, "landing.html")


@account_rate_exempt
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links: send them to the static icon (its
    hashed name, so the redirect is not permanent: a new icon gets a new name)."""
    return redirect(static("learnfrl/favicon.svg"))


@account_rate_exempt
@never_cache
@require_safe
def ping(request: HttpRequest) -> HttpResponse:
    """Answer without touching the database: liveness, and the benchmark's floor."""
    return HttpResponse("pong", content_type="text/plain")


@account_rate_exempt
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the shared cache each answer (a round trip to each), or a 503."""
    report = {"status": "ok", "database": "ok", "cache": _cache_health()}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        report["database"] = "unreachable"
    if report["database"] != "ok" or report["cache"] not in ("ok", "local"):
        report["status"] = "error"
        return JsonResponse(report, status=503)
    return JsonResponse(report)


def _cache_health() -> str:
    """ "ok" when the shared cache (Redis) takes a write, "local" for a per-process cache. A
    write, not a read: a replica after a failover, or a cache full with no eviction, answers
    reads and refuses every count the limits make."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return "local"
    try:
        caches["default"].set("learnfrl:healthz", 1, timeout=60)
    except CACHE_ERRORS as error:
        if cache_refuses_writes(error):
            return "refuses writes"
        if cache_unavailable(error):
            return "unreachable"
        logger.exception("The shared cache failed the health check")
        return "error"
    return "ok"


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400 in the site's layout. A view's BadRequest says what was wrong; nothing was changed."""
    # Only BadRequest's message is ours to show: other 400s (a bad Host header, a suspicious
    # operation) describe the server's checks, not the learner's input.
    message = str(exception) if isinstance(exception, BadRequest) else ""
    context = {"message": message, "request_id": current_request_id()}
    response = render(request, "400.html", context, status=400)
    if message and request.headers.get("HX-Request") == "true":
        # htmx swaps nothing on a 400, so the button pressed seemed to do nothing (an outside
        # audit): the page loads afresh instead, saying what was wrong, as for a 403.
        messages.error(request, message, fail_silently=True)
        response["HX-Refresh"] = "true"
    return response


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"request_id": current_request_id()}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"request_id": current_request_id()}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this for any exception no view handled: one in a middleware (the session saved
    # on the way out), in the 404 or CSRF-failure page (which load the session to show the
    # user), as well as in a view. When the database or the shared cache is away, that is the
    # 503 page ("try again shortly"), wherever it was noticed.
    if service_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    # Rendered without the request: no session, no user, no database, whatever went wrong.
    body = render_to_string("500.html", {"request_id": current_request_id()})
    return HttpResponse(body, status=500)


FORM_EXPIRED = (
    "The form had expired or did not come from this site (after a log-in or log-out in another "
    "tab, say). Open the page again, and try again."
)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    context = {"message": FORM_EXPIRED, "request_id": current_request_id()}
    response = render(request, "403.html", context, status=403)
    if request.headers.get("HX-Request") == "true":
        # htmx swaps nothing on a 403, so "Show answer" or a rating did nothing, again and again:
        # the page loads afresh instead, with a form that holds the current token, saying why.
        messages.warning(request, FORM_EXPIRED, fail_silently=True)
        response["HX-Refresh"] = "true"
    return response
