"""Site middleware: the client's address, request ids, sessions, request safety (NUL bytes,
private pages), a signed-in account's request rate, and a 503 page when the database or the
shared cache is away."""

import logging
import math
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions import middleware as sessions_middleware
from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django_htmx.http import HttpResponseClientRedirect
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import (
    MasterDownError,
    NoPermissionError,
    OutOfMemoryError,
    ReadOnlyError,
    RedisError,
    ResponseError,
)
from redis.exceptions import TimeoutError as RedisTimeoutError

from learnfrl.accounts.limits import limit_hit
from learnfrl.clientip import client_ip, connection_note

logger = logging.getLogger("learnfrl")

# The shared cache (CACHE_URL, Redis; a dependency) being away is a 503 too: the limits cannot be
# counted without it.
# Away: no answer, a refused connection or password, still loading.
_CACHE_AWAY: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)
# Answering, but refusing writes: a replica after a failover (or cut off from its primary), full
# with no eviction, a user the server's ACL lets only read.
_CACHE_REFUSING: tuple[type[Exception], ...] = (
    ReadOnlyError,
    OutOfMemoryError,
    MasterDownError,
    NoPermissionError,
)
# Refusals redis-py gives as a plain ResponseError, by the code Redis starts them with: writes
# stopped because the last snapshot failed (a full or unwritable disk; Redis's default), too few
# replicas for min-replicas-to-write.
_REFUSAL_CODES = ("MISCONF", "NOREPLICAS")
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError,)


def cache_refuses_writes(exception: BaseException) -> bool:
    """Is this the shared cache answering but refusing to write?"""
    if isinstance(exception, _CACHE_REFUSING):
        return True
    return isinstance(exception, ResponseError) and str(exception).startswith(_REFUSAL_CODES)


def cache_unavailable(exception: BaseException) -> bool:
    """Is this the shared cache away, or refusing writes (every limit counts with a write)?"""
    return isinstance(exception, _CACHE_AWAY) or cache_refuses_writes(exception)


_request_id: ContextVar[str] = ContextVar("learnfrl_request_id", default="-")
_client_ip: ContextVar[str] = ContextVar("learnfrl_client_ip", default="-")
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


class SiteRequest(HttpRequest):
    """A request as the site middleware leaves it: its client's address and its id."""

    client_ip: str
    id: str


class ClientIpMiddleware:
    """Decide the client's address once (learnfrl/clientip.py) and keep it as
    `request.client_ip`, for the limits, django-axes and the log lines."""

    def __init__(self, get_response: Callable[[SiteRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        connection_note(request)
        request.client_ip = client_ip(request)
        token = _client_ip.set(request.client_ip)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


class RequestIdMiddleware:
    """Give every request an id: kept from a proxy's X-Request-ID when it looks like one, sent
    back in X-Request-ID, put on every log record and shown on error pages."""

    def __init__(self, get_response: Callable[[SiteRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: SiteRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _ACCEPTED_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = _request_id.set(request.id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Add the current request's id to log records (as `request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs some responses after the middleware has returned, with the request
        # attached to the record: take the id from there first.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", None) or _request_id.get()
        record.client_ip = getattr(request, "client_ip", None) or _client_ip.get()
        return True


NUL = "\x00"
# Set on a model admin (`nul_shown_by_fields`) whose add and change pages show a NUL posted in a
# field's value as an error on that field.
NUL_SHOWN_BY_FIELDS = "nul_shown_by_fields"

AdminT = TypeVar("AdminT", bound=type)


def nul_shown_by_fields(admin_class: AdminT) -> AdminT:
    """Let a NUL posted in a field's value through to this model admin's add and change pages:
    their forms refuse it as an error on its field, so the editor sees which field holds it. Only
    for an admin whose forms' text fields are all CharFields (which refuse a NUL) and whose other
    fields only parse or look up what they are given."""
    setattr(admin_class, NUL_SHOWN_BY_FIELDS, True)
    return admin_class


def _nul_shown_by_fields(request: HttpRequest) -> bool:
    """Is this request for an admin's add or change page that shows a NUL on its field?"""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    # Django's admin marks each view of a model admin with it (ModelAdmin.get_urls).
    model_admin = getattr(match.func, "model_admin", None)
    if model_admin is None or not getattr(model_admin, NUL_SHOWN_BY_FIELDS, False):
        return False
    opts = model_admin.opts
    pages = {f"{opts.app_label}_{opts.model_name}_{page}" for page in ("add", "change")}
    return match.url_name in pages


def _nul_fields(request: HttpRequest) -> list[str]:
    """The fields a NUL refuses this request for: any in the address, any posted field's name
    and any posted value, but for the values of a page that shows them on their fields."""
    refused = [key for key, values in request.GET.lists() if NUL in key + "".join(values)]
    refused += [key for key in request.POST if NUL in key]
    posted = [key for key, values in request.POST.lists() if NUL in "".join(values)]
    if posted and not refused and _nul_shown_by_fields(request):
        return []
    return list(dict.fromkeys(refused + posted))


def _nul_message(fields: list[str]) -> str:
    """The 400's sentence, naming the fields (at most five, each shortened; a NUL shown as ␀)."""
    names = [
        "“" + Truncator(field.replace(NUL, "\N{SYMBOL FOR NULL}")).chars(40) + "”"
        for field in fields[:5]
    ]
    if len(fields) > 5:
        names.append(f"{len(fields) - 5} more")
    named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"The field{'s' if len(fields) > 1 else ''} {named} held a NUL character, which no text "
        "here may hold. Nothing was changed."
    )


class SessionMiddleware(sessions_middleware.SessionMiddleware):
    """Django's session middleware, taking a session cookie that no session key could be (a
    character outside printable ASCII, a NUL above all) as no session, which also clears it
    from the browser. PostgreSQL refuses a NUL in the key's lookup with an error: such a
    cookie, which anyone can send, was a 500 on every page."""

    def process_request(self, request: HttpRequest) -> None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not (key.isascii() and key.isprintable()):
            key = None
        request.session = self.SessionStore(key)


def _logged_in_already_known(request: HttpRequest) -> bool:
    """Whether the request's user, if already loaded (or just logged in), is authenticated."""
    user = request.__dict__.get("user")
    # A SimpleLazyObject that nothing has evaluated yet still wraps `empty`.
    if user is None or (isinstance(user, SimpleLazyObject) and vars(user)["_wrapped"] is empty):
        return False
    return bool(user.is_authenticated)


class RequestSafetyMiddleware:
    """Refuse a NUL byte in any field with a 400 page naming the field (PostgreSQL cannot store
    one, SQLite would), and keep learners' pages out of shared caches. The editors' admin pages
    marked `nul_shown_by_fields` show a NUL posted in a value as an error on its field instead.

    Pages for a logged-in user are `Cache-Control: private, no-store`; every HTML page says
    `Vary: HX-Request`, since the same URL may answer an htmx request with a fragment.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if nul_fields := _nul_fields(request):
            message = _nul_message(nul_fields)
            context = {"message": message, "request_id": current_request_id()}
            response = render(request, "400.html", context, status=400)
        else:
            response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            response = _not_allowed(request, response)
        # A session cookie is what makes a page personal; checking it, not request.user, costs no
        # query on pages that never look at the user.
        if settings.SESSION_COOKIE_NAME in request.COOKIES or _logged_in_already_known(request):
            patch_cache_control(response, private=True, no_store=True)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["HX-Request"])
        return response


def _not_allowed(request: HttpRequest, refused: HttpResponse) -> HttpResponse:
    """Django's 405 (a view's require_POST, a class view's methods) in the site's layout: it has
    no body, so a browser showed a blank page. The methods it allows stay in `Allow`."""
    context = {"request_id": current_request_id()}
    response = render(request, "405.html", context, status=405)
    response["Allow"] = refused.get("Allow", "")
    return response


# Where the 429 of an htmx request is shown (base.html): above the page, not in place of the part
# it asked for, whose forms would otherwise lose their target until a reload.
BUSY_NOTICE = "#busy-notice"


def busy_notice_retarget(response: HttpResponse) -> HttpResponse:
    """Have htmx show this 429's message in the page's busy notice (BUSY_NOTICE)."""
    response["HX-Retarget"] = BUSY_NOTICE
    response["HX-Reswap"] = "innerHTML"
    return response


ACCOUNT_BUSY = (
    '<p class="message message-warning" role="alert">Too many requests from your account at '
    "once. Wait a moment, then try again.</p>\n"
)


class AccountRateMiddleware:
    """Count every request of a signed-in account, from all its sessions and on every server, in
    the shared cache; beyond LEARNER_REQUEST_RATE answer 429 at once.

    The proxy limits each session (docs/deploy/nginx.conf), but one account logged in many
    times has that rate for every session: eight looping clients of one account made another
    learner's /study/ wait three times its usual time. A person reading cards makes a few
    requests a second at most. The refusal reads only the session (its user id, no query for
    the user) and renders no template, so refusing costs far less than serving.

    It counts before the layers after the session's (settings.MIDDLEWARE): a request they refuse
    (a post without its CSRF token, a NUL, an address no URL matches) loads the session and
    renders a page too, and was not counted when this counted in process_view (a redirect that
    adds a missing slash counts too, though it costs less).
    Views that read no session (the liveness checks) are marked @account_rate_exempt, found by
    resolving the path (10 to 40 µs): counting would cost them more than answering."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = self._refused(request)
        return refused if refused is not None else self.get_response(request)

    def _refused(self, request: HttpRequest) -> HttpResponse | None:
        """The 429 for an account over its rate (None to serve it), having counted the request."""
        rate = settings.LEARNER_REQUEST_RATE
        # No cookie, no account: nothing to resolve or read.
        if not rate or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        if _rate_exempt(request):
            return None
        # A session or a cache that is away raises here: server_error makes it the 503 page.
        user_id = request.session.get(SESSION_KEY)
        if user_id is None:
            return None
        verdict = limit_hit(scope="account-requests", ident=str(user_id), rate=rate)
        if verdict.allowed:
            return None
        return _account_busy(request, retry_at=verdict.retry_at.timestamp())


def _rate_exempt(request: HttpRequest) -> bool:
    """Is this request for a view marked @account_rate_exempt? (An address no URL matches is
    not: its 404 page reads the session.)"""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return bool(getattr(match.func, "account_rate_exempt", False))


ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def account_rate_exempt(view: ViewT) -> ViewT:
    """Leave a view's requests out of the account's request rate (AccountRateMiddleware)."""
    view.account_rate_exempt = True  # type: ignore[attr-defined]
    return view


def _account_busy(request: HttpRequest, *, retry_at: float) -> HttpResponse:
    response = HttpResponse(ACCOUNT_BUSY, status=429)
    response["Retry-After"] = str(max(1, math.ceil(retry_at - time.time())))
    if request.headers.get("HX-Request") == "true":
        busy_notice_retarget(response)
    # What the layers after this one (RequestSafetyMiddleware, XFrameOptionsMiddleware) give
    # every learner's page, which this answer does not pass through.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["HX-Request"])
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    return response


def unavailable_response(request: HttpRequest | None = None) -> HttpResponse:
    """A 503 page that needs no database (no user, no session)."""
    body = render_to_string("503.html", {"request_id": current_request_id()})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response


# SQLSTATE classes of a database that is away rather than a query that is wrong: connection
# exceptions (08…), an administrator or crash shutdown, start-up (57P01–57P03), too many clients.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
# How drivers say the same when they give no SQLSTATE (SQLite; a connection that never opened).
_UNAVAILABLE_WORDS = (
    "database is locked",
    "database table is locked",
    "unable to open database",
    "could not connect",
    "connection refused",
    "connection failed",
    "server closed the connection",
    "terminating connection",
    "the database system is",
)


def database_unavailable(exception: BaseException) -> bool:
    """Is this the database being locked or unreachable (not a programming error)?

    A missing table or a bad query is an OperationalError on SQLite too: those stay 500s.
    """
    if isinstance(exception, InterfaceError):  # the connection was already closed
        return True
    if not isinstance(exception, DatabaseError):
        return False
    sqlstate = getattr(exception.__cause__, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate:
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    message = str(exception).lower()
    return any(words in message for words in _UNAVAILABLE_WORDS)


def service_unavailable(exception: BaseException | None) -> bool:
    """Is this (or what caused it) the database or the shared cache being away?"""
    seen = 0
    while exception is not None and seen < 8:  # a short chain: raise ... from ...
        if database_unavailable(exception) or cache_unavailable(exception):
            return True
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return False


class DatabaseUnavailableMiddleware:
    """Answer 503 "try again shortly", not a stack trace, when the database is locked or
    cannot be reached, or the shared cache cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if service_unavailable(exception):
            logger.error(
                "Database unavailable for %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response(request)
        return None


class HtmxLoginRedirectMiddleware:
    """A request htmx made after the session had ended was sent to log in by a redirect, which
    htmx follows and swaps in: the log-in page appeared inside the card. It now loads as a page
    (HX-Redirect), and the log-in leads back to the page the learner was on (htmx's
    HX-Current-URL, if of this site; the log-in view checks `next` again), not to the address
    the form posted to, which answers only a post."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 302 or request.headers.get("HX-Request") != "true":
            return response
        if urlsplit(response["Location"]).path != resolve_url(settings.LOGIN_URL):
            return response
        # Not at the top: the logging setup imports this module before the apps are ready.
        from django.contrib.auth.views import redirect_to_login

        current = request.headers.get("HX-Current-URL", "")
        ours = url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        back = urlsplit(current)._replace(scheme="", netloc="").geturl() if ours else "/"
        return HttpResponseClientRedirect(redirect_to_login(back).url)
