"""System checks for running on several processes or servers (shown by `check --deploy`)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured

from learnfrl.accounts.limits import rate_parse
from learnfrl.clientip import UNIX_SOCKET_SEEN_KEY, trusted_networks

# Backends whose entries live in one process (or one machine's disk): counters and sessions kept
# there are not seen by the other processes.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
CACHED_SESSIONS = {
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
}


@checks.register()
def check_limits_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """TRUSTED_PROXIES and every rate must parse."""
    errors: list[checks.CheckMessage] = []
    try:
        trusted_networks(tuple(settings.TRUSTED_PROXIES))
    except ImproperlyConfigured as error:
        errors.append(checks.Error(str(error), id="learnfrl.E001"))
    for name in (
        "SIGNUP_RATE",
        "SIGNUP_ATTEMPT_RATE",
        "LOGIN_CLIENT_RATE",
        "LOGIN_ACCOUNT_RATE",
        "PASSWORD_RESET_CLIENT_RATE",
        "PASSWORD_RESET_ADDRESS_RATE",
        "PASSWORD_RESET_CLIENT_ADDRESS_RATE",
        "EMAIL_VERIFY_RATE",
        "EMAIL_VERIFY_ADDRESS_RATE",
        "EMAIL_VERIFY_CLIENT_ADDRESS_RATE",
        "WORKLOAD_RATE",
        "OPTIMIZE_RATE",
        "LEARNER_REQUEST_RATE",
    ):
        if name == "LEARNER_REQUEST_RATE" and not settings.LEARNER_REQUEST_RATE:
            continue  # empty: no limit
        try:
            rate_parse(getattr(settings, name))
        except ImproperlyConfigured as error:
            errors.append(checks.Error(f"{name}: {error}", id="learnfrl.E002"))
    return errors


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """With DEBUG off and several processes, limits and cached sessions need a shared cache."""
    if settings.DEBUG or settings.WEB_CONCURRENCY <= 1:
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend not in PER_PROCESS_CACHES:
        return []
    warnings: list[checks.CheckMessage] = [
        checks.Warning(
            "Rate limits (sign-up, log-in, password reset) are counted in a per-process cache, so "
            "each process allows the whole limit.",
            hint="Set CACHE_URL to a shared cache with a password, e.g. "
            "redis://:password@10.0.0.20:6379/0: whoever can write to the cache can run code in "
            "the app (or set WEB_CONCURRENCY=1 if only one process serves the site).",
            id="learnfrl.W001",
        )
    ]
    if settings.SESSION_ENGINE in CACHED_SESSIONS:
        warnings.append(
            checks.Warning(
                f"SESSION_ENGINE is {settings.SESSION_ENGINE}, with a per-process cache: a "
                "logged-out session stays valid in the other processes.",
                hint="Set CACHE_URL to a shared cache, or use django.contrib.sessions.backends.db.",
                id="learnfrl.W002",
            )
        )
    return warnings


def _unix_socket_in_use() -> bool:
    """Whether the app is (or was) served over a Unix socket: gunicorn told to bind one through
    GUNICORN_CMD_ARGS, or a request that came with no address (noted in the shared cache by
    learnfrl/clientip.py)."""
    if "unix:" in os.environ.get("GUNICORN_CMD_ARGS", ""):
        return True
    try:
        return bool(caches["default"].get(UNIX_SOCKET_SEEN_KEY))
    except Exception:  # a cache that is away says nothing either way
        return False


# The widest public range a proxy fleet is given (a provider's whole edge is a /12 or /29 at most),
# by IP version: a wider one in TRUSTED_PROXIES is a mistake (0.0.0.0/1 is half of IPv4).
_BROADEST = {4: 8, 6: 16}


@checks.register(checks.Tags.security, deploy=True)
def check_proxies(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A proxy the app is told about (HTTPS header, Unix socket) should be in TRUSTED_PROXIES."""
    try:
        networks, unix_trusted = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    except ImproperlyConfigured:
        return []  # learnfrl.E001 says so
    warnings: list[checks.CheckMessage] = []
    broad = [str(n) for n in networks if n.is_global and n.prefixlen < _BROADEST[n.version]]
    if broad:
        warnings.append(
            checks.Warning(
                f"TRUSTED_PROXIES trusts {', '.join(broad)}: a part of the internet wider than "
                "any proxy fleet, whose every client could write its own address and so escape "
                "the limits and lock-outs.",
                hint="List your proxies' own addresses or ranges.",
                id="learnfrl.W006",
            )
        )
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and not settings.TRUSTED_PROXIES:
        warnings.append(
            checks.Warning(
                "SECURE_PROXY_SSL_HEADER is set, so a proxy sits in front, but TRUSTED_PROXIES "
                "is empty: every client will look like the proxy, and one client's failed "
                "log-ins will lock everyone out.",
                hint="Set TRUSTED_PROXIES to the proxy's address as the app sees it.",
                id="learnfrl.W003",
            )
        )
    if not unix_trusted and _unix_socket_in_use():
        warnings.append(
            checks.Warning(
                "Requests arrive over a Unix socket, which has no client address, and "
                'TRUSTED_PROXIES has no "unix": every client is the one client 0.0.0.0.',
                hint="Add unix to TRUSTED_PROXIES when your proxy talks to the app over a socket.",
                id="learnfrl.W004",
            )
        )
    return warnings


# PgBouncer's usual port: a pooler in transaction mode hands each transaction to any server
# connection, where a statement prepared on another does not exist (before PgBouncer 1.21, or
# without its max_prepared_statements).
PGBOUNCER_PORT = "6432"


@checks.register(checks.Tags.database, deploy=True)
def check_prepared_statements(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Prepared statements (DATABASE_PREPARED_STATEMENTS, on by default) through what looks like
    PgBouncer: say what to check, and how to turn them off."""
    database = settings.DATABASES["default"]
    options = database.get("OPTIONS", {})
    if not options.get("server_side_binding") or str(database.get("PORT")) != PGBOUNCER_PORT:
        return []
    return [
        checks.Warning(
            "PostgreSQL is reached on port 6432, PgBouncer's usual port, with prepared statements "
            "on: a pooler in transaction mode before PgBouncer 1.21 (or without "
            "max_prepared_statements) loses them between transactions, and requests fail.",
            hint="Set DATABASE_PREPARED_STATEMENTS=0, or max_prepared_statements in PgBouncer "
            "1.21 or later.",
            id="learnfrl.W005",
        )
    ]


@checks.register(deploy=True)
def check_workload_processes(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """WORKLOAD_PROCESSES=0 runs the fits and the workload simulator on the calling thread,
    where nothing can stop them (quizzes/parameters/offload.py): fine for tests, not for a site."""
    if settings.WORKLOAD_PROCESSES > 0:
        return []
    return [
        checks.Warning(
            "WORKLOAD_PROCESSES is 0: the schedule optimizer's fits and the workload simulator "
            "run on the thread that asks for them (a task worker's, a web request's), at full "
            "priority and with no time limit, so one learner's long computation holds that "
            "thread for as long as it takes.",
            hint="Set WORKLOAD_PROCESSES to 1 (the default) or more.",
            id="learnfrl.W007",
        )
    ]
