"""Site-level views: the landing page, the health checks and the error pages."""

from datetime import datetime

from django.core.exceptions import BadRequest
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learnfrl.middleware import current_request_id


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
        return redirect("quizzes:study")
    return render(request, "landing.html")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links: send them to the static icon (its
    hashed name, so the redirect is not permanent: a new icon gets a new name)."""
    return redirect(static("learnfrl/favicon.svg"))


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
