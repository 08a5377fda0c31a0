"""System checks for running on several processes or servers (shown by `check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from learnfrl.accounts.limits import rate_parse
from learnfrl.clientip import trusted_networks

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
        "LOGIN_CLIENT_RATE",
        "LOGIN_ACCOUNT_RATE",
        "PASSWORD_RESET_CLIENT_RATE",
        "PASSWORD_RESET_ADDRESS_RATE",
    ):
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
            hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/0 (or set "
            "WEB_CONCURRENCY=1 if only one process serves the site).",
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
