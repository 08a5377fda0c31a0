"""The client's address, decided once per request from the connection and trusted proxies.

Only when the connecting address is one of TRUSTED_PROXIES is X-Forwarded-For read; the client
is then the right-most address in it that is not itself trusted (each trusted proxy appends the
address it saw, so everything left of the first untrusted one could have been written by the
client). Otherwise the connecting address is the client, whatever the headers say.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# A connection over a Unix socket has no address. Listing "unix" in TRUSTED_PROXIES trusts the
# proxy on the other end of the socket; without it, every such client is this one address.
UNIX_SOCKET = "unix"
UNKNOWN_CLIENT = "0.0.0.0"


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[tuple[IPNetwork, ...], bool]:
    """Parse TRUSTED_PROXIES entries into networks, and whether the Unix socket is trusted."""
    networks: list[IPNetwork] = []
    unix = False
    for entry in entries:
        if entry.lower() == UNIX_SOCKET:
            unix = True
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES has {entry!r}, which is neither an address, a CIDR range "
                f"nor {UNIX_SOCKET!r}."
            ) from None
    return tuple(networks), unix


def _parse(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]" or "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket is that IPv4 client.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip_from(remote_addr: str, forwarded_for: str, trusted: tuple[str, ...]) -> str:
    """The client's address, from the connecting address and X-Forwarded-For (pure)."""
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
    # The connection comes from a trusted proxy: walk X-Forwarded-For from the right.
    for hop in reversed([h for h in forwarded_for.split(",") if h.strip()]):
        address = _parse(hop)
        if address is None:
            # Not an address: a trusted proxy never writes that, so whoever sent it is the
            # nearest hop we can vouch for.
            return nearest
        if not _trusted(address, networks):
            return str(address)
        nearest = str(address)
    return nearest


def client_ip(request: HttpRequest) -> str:
    """The request's client address (set by ClientIpMiddleware; worked out here otherwise).

    django-axes (AXES_CLIENT_IP_CALLABLE), django-ratelimit (RATELIMIT_IP_META_KEY), our own
    limits and the request log all call this, so they agree.
    """
    known = getattr(request, "client_ip", None)
    if isinstance(known, str) and known:
        return known
    meta = getattr(request, "META", {}) or {}
    return client_ip_from(
        meta.get("REMOTE_ADDR", "") or "",
        meta.get("HTTP_X_FORWARDED_FOR", "") or "",
        tuple(settings.TRUSTED_PROXIES),
    )
