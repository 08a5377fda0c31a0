"""Abuse limits counted in the shared cache: fixed windows keyed by what is being limited.

A limit like "30/15m" allows 30 events in each 15-minute window (windows start on multiples of
the period, so every process and server agrees on them without talking to each other). Counting
is one atomic INCR on Redis, so the limit holds however many processes count at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar, cast

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.encoding import punycode
from django_ratelimit.decorators import ratelimit

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"(\d+)/(\d*)([smhd])")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_at: datetime  # when the current window ends


def rate_parse(text: str) -> Rate:
    """Read "count/period", the period as s, m, h or d with an optional multiple ("30/15m")."""
    match = _RATE.fullmatch(text.strip())
    if not match:
        raise ImproperlyConfigured(
            f"A rate is written like 10/h or 30/15m (count/period in s, m, h or d); got {text!r}."
        )
    count, multiple, unit = match.groups()
    return Rate(count=int(count), seconds=int(multiple or 1) * _UNITS[unit])


def account_ident(username: str) -> str:
    """The per-account counter's key for a username as typed: stripped and NFKC-normalised as
    the log-in form does, then case-folded, so every spelling that could reach one account
    (in full-width letters, in mathematical bold, in capitals) counts as one."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


def address_ident(email: str) -> str:
    """The key of the limits on mail to an address: every spelling that reaches one mailbox as
    one. Django's mailer sends to a domain in its ASCII form (IDNA), so example.com spelled
    in full-width letters reached example.com under a counter of its own, and one client spent an
    address's links five times over (an outside audit). The address is NFKC-normalised and
    case-folded, its domain put as the mailer puts it."""
    folded = unicodedata.normalize("NFKC", email.strip()).casefold()
    local, at, domain = folded.rpartition("@")
    if not at:
        return folded
    # A domain IDNA refuses reaches no mailbox: its folded spelling keys it.
    with contextlib.suppress(UnicodeError):
        domain = punycode(domain)
    return f"{local}@{domain.lower().rstrip('.')}"


def axes_name_most() -> int:
    """The longest username django-axes records (its records' column)."""
    from axes.models import AccessAttempt  # a model: not importable before the apps are

    field = AccessAttempt._meta.get_field("username")
    return int(getattr(field, "max_length", 0) or 0)


def axes_name(ident: str) -> str:
    """An account's ident as django-axes records it: whole if it fits its column, else a digest.

    A name of 150 characters may fold to three times as many ("ΐ" to three), and a record that
    does not fit is an error on PostgreSQL: the failure went unrecorded, so the lock-out never
    came, and every guess counted toward the account's pause."""
    if len(ident) <= axes_name_most():
        return ident
    return "sha256:" + hashlib.sha256(ident.encode()).hexdigest()


def axes_username(request: object, credentials: dict[str, object] | None = None) -> str:
    """The username django-axes locks out (AXES_USERNAME_CALLABLE): account_ident's, so that
    every spelling of a name is one (name, client) pair. Keyed on the name as typed, one client
    had django-axes' five tries for each of "erin", "Erin", "ERIN" …, and with them paused the
    account alone (each try reached a password check and counted toward the pause)."""
    typed = (credentials or {}).get("username")
    if typed is None:
        typed = getattr(request, "POST", {}).get("username")
    return axes_name(account_ident(typed)) if isinstance(typed, str) else ""


def _window(rate: Rate, now: float) -> tuple[int, datetime]:
    index = int(now // rate.seconds)
    return index, datetime.fromtimestamp((index + 1) * rate.seconds, tz=UTC)


def _key(scope: str, ident: str, index: int) -> str:
    # Hashed: an identifier (a username, an e-mail address) may hold anything, and stays private.
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"limit:{scope}:{digest}:{index}"


@dataclass(frozen=True)
class Reservation:
    """One counted event that may be handed back (limit_release) if it turns out not to count."""

    verdict: Verdict
    key: str


def _count(scope: str, ident: str, rate: str) -> Reservation:
    parsed = rate_parse(rate)
    index, retry_at = _window(parsed, time.time())
    key = _key(scope, ident, index)
    # add + incr: every caller gets its own count, so callers in flight together cannot all
    # see room for one more (a peek, then a count, let them).
    cache.add(key, 0, timeout=parsed.seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this event opens the window again
        cache.set(key, 1, timeout=parsed.seconds + 5)
        count = 1
    verdict = Verdict(allowed=count <= parsed.count, count=count, retry_at=retry_at)
    return Reservation(verdict=verdict, key=key)


def limit_hit(*, scope: str, ident: str, rate: str) -> Verdict:
    """Count one event; allowed while the window's count stays within the rate."""
    return _count(scope, ident, rate).verdict


def limit_reserve(*, scope: str, ident: str, rate: str) -> Reservation:
    """Count one event before knowing whether it should count, atomically.

    The caller hands it back with limit_release when the event turns out not to count (it was
    refused, or it succeeded), so the check and the count are one step.
    """
    return _count(scope, ident, rate)


def limit_release(reservation: Reservation) -> None:
    """Hand back a reserved event (a no-op once its window has ended)."""
    # Once the window has ended its key has expired: nothing to hand back.
    with contextlib.suppress(ValueError):
        cache.decr(reservation.key)


def limits_refused(*reserved: Reservation) -> Verdict | None:
    """Of events reserved together, the refusal that ends last, with every one handed back (an
    event refused by one limit counts toward none); None if every limit allows its event."""
    refused = [r.verdict for r in reserved if not r.verdict.allowed]
    if not refused:
        return None
    for reservation in reserved:
        limit_release(reservation)
    return max(refused, key=lambda verdict: verdict.retry_at)


def limit_peek(*, scope: str, ident: str, rate: str) -> Verdict:
    """Whether one more event would be allowed now, without counting it.

    A hint to skip work that would be refused anyway: events in flight may count meanwhile, so
    whoever goes on counts with limit_hit, whose verdict is the one that holds.
    """
    parsed = rate_parse(rate)
    index, retry_at = _window(parsed, time.time())
    count: int = cache.get(_key(scope, ident, index)) or 0
    return Verdict(allowed=count < parsed.count, count=count, retry_at=retry_at)


@contextlib.contextmanager
def in_flight(*, scope: str, ident: str, slots: int, seconds: int) -> Iterator[bool]:
    """Take one of `slots` slots for `ident` for the duration of the block: yields whether one
    was free. Each slot is a key taken with an atomic add, so requests in flight together in any
    process cannot take the same one; it is freed on leaving the block, whatever happened in it,
    and expires after `seconds` if its process dies holding it."""
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    keys = (f"slot:{scope}:{digest}:{n}" for n in range(slots))
    taken = next((key for key in keys if cache.add(key, True, timeout=seconds)), None)
    try:
        yield taken is not None
    finally:
        if taken is not None:
            cache.delete(taken)


def limit_clear(*, scope: str, ident: str, rate: str) -> None:
    """Forget the current window's count (the owner has shown who they are)."""
    parsed = rate_parse(rate)
    index, _ = _window(parsed, time.time())
    cache.delete(_key(scope, ident, index))


# Counts of one name from each client (django-axes' pairs), which a completed reset ends for
# every client at once: each is keyed with the name's round, since the clients' keys cannot be
# listed to be deleted, and a new round starts them all afresh.


def _round_key(scope: str, name: str) -> str:
    return _key(f"{scope}-round", name, 0)


def _pair(scope: str, name: str, client: str) -> str:
    return f"{client} {name} {cache.get(_round_key(scope, name), 0)}"


def name_client_hit(*, scope: str, name: str, client: str, rate: str) -> Verdict:
    """Count one event of `name` from `client` (limit_hit), in the name's round."""
    return limit_hit(scope=scope, ident=_pair(scope, name, client), rate=rate)


def name_client_clear(*, scope: str, name: str, client: str | None, rate: str) -> None:
    """End the count of `name` from `client`, or from every client (None: a new round, kept
    while any round's counts can live: a window, and a margin)."""
    if client is not None:
        limit_clear(scope=scope, ident=_pair(scope, name, client), rate=rate)
        return
    timeout = rate_parse(rate).seconds + 60
    cache.set(_round_key(scope, name), time.time_ns(), timeout=timeout)


def per_request_limit(
    *, key: str, rate: str | Callable[..., str], method: str, group: str | None = None
) -> Callable[[ViewT], ViewT]:
    """django-ratelimit's `ratelimit` decorator (with `block=False`: the view reads
    `request.limited`), typed: the library ships no types, so this is where its decorator keeps
    the view's signature."""
    decorator = ratelimit(group=group, key=key, rate=rate, method=method, block=False)
    return cast(Callable[[ViewT], ViewT], decorator)
