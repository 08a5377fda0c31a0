"""The client's address, decided once per request from the connection and trusted proxies.

Only when the connecting address is one of TRUSTED_PROXIES is X-Forwarded-For read; the client
is then the right-most address in it that is not itself trusted (each trusted proxy appends the
address it saw, so everything left of the first untrusted one could have been written by the
client). Otherwise the connecting address is the client, whatever the headers say.

Proxies write entries in several shapes: `1.2.3.4`, `1.2.3.4:5678` (Azure Application Gateway),
`2001:db8::1`, `[2001:db8::1]` and `[2001:db8::1]:443`; all are read as the address they hold. An
entry that holds no address (an obfuscated identifier such as `_hidden`, `unknown`, or junk) is
an untrusted client, never the proxy: it stands for itself as a made-up address in `0100::/16`
(reserved, never routed), so each such identifier is counted apart from every other client.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import re
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from learnfrl.proxies import IPNetwork, proxies_parse

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN_CLIENT = "0.0.0.0"
# Where an X-Forwarded-For entry that is not an address is mapped (see the module's docstring).
OPAQUE_CLIENTS = ipaddress.IPv6Network("100::/16")
_IPV4_WITH_PORT = re.compile(r"(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}")
_BRACKETED = re.compile(r"\[([^\]]+)\](?::\d{1,5})?")

# Set in the shared cache when a request came over a Unix socket that is not trusted.
UNIX_SOCKET_SEEN_KEY = "learnfrl:clientip:untrusted-unix-socket"

logger = logging.getLogger("learnfrl.clientip")
_warned_untrusted_forwarding = False
_noted_unix_socket = False


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[tuple[IPNetwork, ...], bool]:
    """Parse TRUSTED_PROXIES entries into networks, and whether the Unix socket is trusted."""
    return proxies_parse(entries)


def _parse(value: str) -> IPAddress | None:
    """The address an entry holds: bare, bracketed, or with a port; None when it holds none."""
    value = value.strip()
    bracketed = _BRACKETED.fullmatch(value)
    if bracketed:  # "[2001:db8::1]" or "[2001:db8::1]:443"
        value = bracketed.group(1)
    elif with_port := _IPV4_WITH_PORT.fullmatch(value):  # "1.2.3.4:5678"
        value = with_port.group(1)
    zoned = ":" in value and "%" in value  # only an IPv6 address has a zone ("fe80::1%eth0")
    if zoned:
        value = value.split("%", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if bracketed and address.version == 4:  # brackets hold IPv6 only: "[1.2.3.4]" is junk
        return None
    # An IPv4 client seen through an IPv6 socket is that IPv4 client; with a zone, which no
    # IPv4 address has, it is junk ("::ffff:1.2.3.4%x").
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return None if zoned else address.ipv4_mapped
    return address


def opaque_client(entry: str) -> str:
    """A stable made-up address in OPAQUE_CLIENTS standing for an entry that is not an address."""
    digest = hashlib.sha256(entry.strip().encode()).digest()[:14]
    return str(ipaddress.IPv6Address(OPAQUE_CLIENTS.network_address.packed[:2] + digest))


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip_from(remote_addr: str, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address, from the connecting address and X-Forwarded-For (pure): None when
    the request has no such header, "" when it has one with nothing in it."""
    networks, unix_trusted = trusted_networks(trusted)
    peer = _parse(remote_addr) if remote_addr else None
    if peer is None:
        # No usable connecting address: a Unix socket (or a server that gives none).
        if not unix_trusted:
            return UNKNOWN_CLIENT
        nearest = UNKNOWN_CLIENT
    elif not _trusted(peer, networks):
        return str(peer)
    else:
        nearest = str(peer)
    # The connection comes from a trusted proxy: walk X-Forwarded-For from the right. A header
    # there but blank (" , ", or nothing: servers strip a header's spaces) is entries that hold
    # no address, as below: not the proxy itself.
    for hop in reversed(forwarded_for.split(",") if forwarded_for is not None else []):
        address = _parse(hop)
        if address is None:
            # Not an address: an identifier the proxy chose, or whatever a client sent. Either
            # way it is not a proxy we trust, so it is a client of its own, never `nearest`
            # (that made every client of such a proxy one client: the proxy).
            return opaque_client(hop)
        if not _trusted(address, networks):
            return str(address)
        nearest = str(address)
    return nearest


def client_ip(request: HttpRequest) -> str:
    """The request's client address (set by ClientIpMiddleware; worked out here otherwise).

    The request log shows it; django-axes (AXES_CLIENT_IP_CALLABLE), django-ratelimit
    (RATELIMIT_IP_META_KEY) and our own limits count it through client_limit_ip, so they agree.
    """
    known = getattr(request, "client_ip", None)
    if isinstance(known, str) and known:
        return known
    meta = getattr(request, "META", {}) or {}
    remote_addr = meta.get("REMOTE_ADDR", "") or ""
    forwarded_for = meta.get("HTTP_X_FORWARDED_FOR")
    return client_ip_from(remote_addr, forwarded_for, tuple(settings.TRUSTED_PROXIES))


def connection_note(request: HttpRequest) -> None:
    """Say what a request's connection tells about the set-up, once per process: forwarded
    headers from a peer that is not trusted, or a Unix socket that is not trusted (called by
    ClientIpMiddleware for each request a server hands over)."""
    remote_addr = request.META.get("REMOTE_ADDR", "") or ""
    trusted = tuple(settings.TRUSTED_PROXIES)
    if request.META.get("HTTP_X_FORWARDED_FOR"):
        _warn_once_if_untrusted(remote_addr, trusted)
    if not _noted_unix_socket and _parse(remote_addr) is None:
        _note_untrusted_unix_socket(trusted)


def _note_untrusted_unix_socket(trusted: tuple[str, ...]) -> None:
    """Leave a mark in the shared cache (once per process) that a request came over a Unix
    socket (no REMOTE_ADDR, or none that is an address: how gunicorn reports a socket) while
    "unix" is not trusted, for `check --deploy` to warn about (learnfrl.W004)."""
    global _noted_unix_socket
    _noted_unix_socket = True
    if trusted_networks(trusted)[1]:
        return
    logger.warning(
        'A request arrived over a Unix socket, and TRUSTED_PROXIES has no "unix": every such '
        "client is the one client %s. Said once per process.",
        UNKNOWN_CLIENT,
    )
    try:
        cache.set(UNIX_SOCKET_SEEN_KEY, True, timeout=30 * 86400)
    except Exception:  # the cache being away must not fail the request; the log said it
        logger.debug("Could not note the Unix socket in the cache", exc_info=True)


def _warn_once_if_untrusted(remote_addr: str, trusted: tuple[str, ...]) -> None:
    """Say once per process that X-Forwarded-For came from a peer that is not trusted: either
    a client forging it (harmless, it is ignored) or a proxy missing from TRUSTED_PROXIES (then
    every client looks like the proxy, and limits fall on all of them at once)."""
    global _warned_untrusted_forwarding
    if _warned_untrusted_forwarding:
        return
    networks, unix_trusted = trusted_networks(trusted)
    peer = _parse(remote_addr) if remote_addr else None
    if peer is None:
        if unix_trusted:
            return
    elif _trusted(peer, networks):
        return
    _warned_untrusted_forwarding = True
    logger.warning(
        "X-Forwarded-For arrived from %s, which is not in TRUSTED_PROXIES, and was ignored. If "
        'that is your proxy, add it to TRUSTED_PROXIES ("unix" for a Unix socket). '
        "Said once per process.",
        remote_addr or "a Unix socket",
    )


def client_limit_ip(request: HttpRequest) -> str:
    """The client's address as the per-client limits count it: an IPv6 address stands for its
    whole IPV6_LIMIT_PREFIX network (a /64 by default), which one household or server is given
    whole, so walking through it does not multiply a client's allowance."""
    return limit_group(client_ip(request))


def limit_group(address: str) -> str:
    """`address` as the per-client limits count it (see client_limit_ip)."""
    parsed = _parse(address)
    if not isinstance(parsed, ipaddress.IPv6Address):
        return address
    prefix = int(settings.IPV6_LIMIT_PREFIX)
    return str(ipaddress.IPv6Network((parsed, prefix), strict=False).network_address)
