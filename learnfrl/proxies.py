"""TRUSTED_PROXIES read into networks: imported by the settings (to refuse a bad list at start-up)
and by learnfrl/clientip.py, so it imports nothing of Django's but its exception."""

import ipaddress

from django.core.exceptions import ImproperlyConfigured

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# A connection over a Unix socket has no address. Listing "unix" in TRUSTED_PROXIES trusts the
# proxy on the other end of the socket; without it, every such client is this one address.
UNIX_SOCKET = "unix"
_EVERY_ADDRESS = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
# IPv4 addresses written as IPv6 (::ffff:10.0.0.5): a connection's address in this form is read
# as the IPv4 address it holds (learnfrl/clientip.py), so an entry in it is read so too.
_IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")


def _as_ipv4(network: IPNetwork) -> list[IPNetwork]:
    """`network`, with the IPv4-mapped addresses it holds written as the IPv4 range they are."""
    if not isinstance(network, ipaddress.IPv6Network) or not network.overlaps(_IPV4_MAPPED):
        return [network]
    if network.subnet_of(_IPV4_MAPPED):
        first = network.network_address.ipv4_mapped
        assert first is not None, "an address of ::ffff:0:0/96 holds an IPv4 one"
        return [ipaddress.IPv4Network((first, network.prefixlen - 96))]
    return [network, ipaddress.IPv4Network("0.0.0.0/0")]  # it holds every mapped address


def proxies_parse(entries: tuple[str, ...]) -> tuple[tuple[IPNetwork, ...], bool]:
    """The networks TRUSTED_PROXIES lists, and whether the Unix socket is trusted. Refused
    (ImproperlyConfigured): an entry that is no address, range or "unix", and a list that trusts
    every address of IPv4 or of IPv6, in one range (0.0.0.0/0, ::/0) or in several that cover it
    together (0.0.0.0/1 and 128.0.0.0/1): any client could then write its own address, and so
    escape every limit and lock-out."""
    networks: list[IPNetwork] = []
    unix = False
    for entry in entries:
        if entry.strip().lower() == UNIX_SOCKET:
            unix = True
            continue
        try:
            networks.extend(_as_ipv4(ipaddress.ip_network(entry.strip(), strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES has {entry!r}, which is neither an address, a CIDR range "
                f"nor {UNIX_SOCKET!r}."
            ) from None
    v4 = [n for n in networks if isinstance(n, ipaddress.IPv4Network)]
    v6 = [n for n in networks if isinstance(n, ipaddress.IPv6Network)]
    collapsed = [*ipaddress.collapse_addresses(v4), *ipaddress.collapse_addresses(v6)]
    if any(everything in collapsed for everything in _EVERY_ADDRESS):
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES trusts every address on the internet ({', '.join(entries)}): list "
            "your proxies' own addresses or ranges instead."
        )
    return tuple(networks), unix
