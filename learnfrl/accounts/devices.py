"""Known devices: a signed cookie naming the accounts a browser has logged in to.

When one account is being guessed from many addresses, log-ins to it are paused for browsers it
has not seen, while a browser that has logged in before (the owner's) still gets in: the attack
is slowed without letting anyone lock the owner out (OWASP's "device cookies").
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest, HttpResponse

COOKIE = "learnfrl_known"
# The salt browsers' cookies were signed with: it keeps the module's first path, so a move of the
# module does not forget every known browser.
_SALT = "learnfrl.devices.known"
_KEEP = 5  # accounts remembered per browser


def account_tag(username: str) -> str:
    """A short, non-reversible tag for a username as typed (case does not matter)."""
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:16]


def _known(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(COOKIE, default="", salt=_SALT, max_age=_max_age()) or ""
    return [tag for tag in value.split(",") if tag]


def _max_age() -> int:
    return settings.KNOWN_DEVICE_DAYS * 86400


def device_knows(request: HttpRequest, username: str) -> bool:
    return account_tag(username) in _known(request)


def device_remember(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Remember on this browser that it logged in to `username`."""
    tag = account_tag(username)
    tags = [tag] + [t for t in _known(request) if t != tag]
    response.set_signed_cookie(
        COOKIE,
        ",".join(tags[:_KEEP]),
        salt=_SALT,
        max_age=_max_age(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
