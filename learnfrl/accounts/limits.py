"""Abuse limits counted in the shared cache: fixed windows keyed by what is being limited.

A limit like "30/15m" allows 30 events in each 15-minute window (windows start on multiples of
the period, so every process and server agrees on them without talking to each other). Counting
is one atomic INCR on Redis, so the limit holds however many processes count at once.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar, cast

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
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


def _window(rate: Rate, now: float) -> tuple[int, datetime]:
    index = int(now // rate.seconds)
    return index, datetime.fromtimestamp((index + 1) * rate.seconds, tz=UTC)


def _key(scope: str, ident: str, index: int) -> str:
    # Hashed: an identifier (a username, an e-mail address) may hold anything, and stays private.
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"limit:{scope}:{digest}:{index}"


def limit_hit(*, scope: str, ident: str, rate: str) -> Verdict:
    """Count one event; allowed while the window's count stays within the rate."""
    parsed = rate_parse(rate)
    index, retry_at = _window(parsed, time.time())
    key = _key(scope, ident, index)
    cache.add(key, 0, timeout=parsed.seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this event opens the window again
        cache.set(key, 1, timeout=parsed.seconds + 5)
        count = 1
    return Verdict(allowed=count <= parsed.count, count=count, retry_at=retry_at)


def limit_peek(*, scope: str, ident: str, rate: str) -> Verdict:
    """Whether one more event would still be within the rate, without counting it."""
    parsed = rate_parse(rate)
    index, retry_at = _window(parsed, time.time())
    count = int(cache.get(_key(scope, ident, index)) or 0)
    return Verdict(allowed=count < parsed.count, count=count, retry_at=retry_at)


def per_request_limit(
    *, key: str, rate: str | Callable[..., str], method: str, group: str | None = None
) -> Callable[[ViewT], ViewT]:
    """django-ratelimit's `ratelimit` decorator (with `block=False`: the view reads
    `request.limited`), typed: the library ships no types, so this is where its decorator keeps
    the view's signature."""
    decorator = ratelimit(group=group, key=key, rate=rate, method=method, block=False)
    return cast(Callable[[ViewT], ViewT], decorator)
