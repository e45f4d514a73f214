"""The address a request came from: one rule for the sign-in lockout, the access log and the
authentication log.

The address is the connection's own (``REMOTE_ADDR``) unless that is one of the reverse
proxies named in ``SAFEGUARD_TRUSTED_PROXIES``. Then ``X-Forwarded-For`` is read from the
right, past every trusted proxy, and the first address that is not one of them is the client's.
Anything to the left of it was written by the client and is ignored, so a client cannot choose
the address recorded for it; nor can anyone who reaches the application directly, since a
header from a connection that is not a trusted proxy is never read.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(s.strip(), strict=False) for s in spec if s.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.SAFEGUARD_TRUSTED_PROXIES))


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str | None:
    """The client's address for ``request``, as text, or None if it has none."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return remote.compressed
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR") or ""
    client = remote
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:  # a malformed entry: trust nothing to its left
            break
        client = address
        if not _trusted(address, networks):
            break
    return client.compressed
