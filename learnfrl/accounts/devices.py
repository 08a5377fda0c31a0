"""Known devices: a signed cookie naming the accounts a browser has logged in to.

When one account is being guessed from many addresses, log-ins to it are paused for browsers it
has not seen, while a browser that has logged in before (the owner's) still gets in: the attack
is slowed without letting anyone lock the owner out (OWASP's "device cookies").

Each entry is `<account id>.<tag>`, the tag an HMAC (keyed by SECRET_KEY) of the account's
session hash, itself an HMAC of the password hash. So an entry names one account, not a spelling
of a username ("jeßica" is never known for "jessica"), says nothing a reader could match against
a username, and dies with the password: after a password change no browser is known until it
logs in (or completes the reset) again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

COOKIE = "learnfrl_known"
# The salt browsers' cookies were signed with: it keeps the module's first path, so a move of the
# module does not forget every known browser.
_SALT = "learnfrl.devices.known"
_TAG_SALT = "learnfrl.devices.known.tag"
_KEEP = 5  # accounts remembered per browser


def device_entry(user: AbstractBaseUser) -> str:
    """The cookie's entry for `user`: its id and a tag bound to its current password."""
    tag = salted_hmac(_TAG_SALT, user.get_session_auth_hash()).hexdigest()[:20]
    return f"{user.pk}.{tag}"


def _known(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(COOKIE, default="", salt=_SALT, max_age=_max_age()) or ""
    return [entry for entry in value.split(",") if entry]


def _max_age() -> int:
    return settings.KNOWN_DEVICE_DAYS * 86400


def device_knows(request: HttpRequest, user: AbstractBaseUser) -> bool:
    return device_entry(user) in _known(request)


def device_remember(request: HttpRequest, response: HttpResponse, user: AbstractBaseUser) -> None:
    """Remember on this browser that it logged in to `user` (with its current password)."""
    entry = device_entry(user)
    account = f"{user.pk}."
    entries = [entry] + [e for e in _known(request) if not e.startswith(account)]
    response.set_signed_cookie(
        COOKIE,
        ",".join(entries[:_KEEP]),
        salt=_SALT,
        max_age=_max_age(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
