"""Site middleware: request ids, and a 503 page when the database is away."""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.db import DatabaseError, InterfaceError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("learnfrl")

_request_id: ContextVar[str] = ContextVar("learnfrl_request_id", default="-")
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Give every request an id: kept from a proxy's X-Request-ID when it looks like one, sent
    back in X-Request-ID, put on every log record and shown on error pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
        return True


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
    if sqlstate:
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    message = str(exception).lower()
    return any(words in message for words in _UNAVAILABLE_WORDS)


class DatabaseUnavailableMiddleware:
    """Answer 503 "try again shortly", not a stack trace, when the database is locked or
    cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if database_unavailable(exception):
            logger.error(
                "Database unavailable for %s %s: %s", request.method, request.path, exception
            )
            return unavailable_response(request)
        return None
