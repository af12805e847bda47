"""Refuse to fetch from private, loopback, link-local, multicast and reserved addresses.

A kommune's website, or a redirect from it, must not make the crawler talk to the machine it runs on or to
the internal network (SSRF). Every hop of a redirect chain is resolved and checked here. Tests and local demo
webs set `allow_private_networks`.

The check resolves the name itself and httpx resolves it again when connecting, so a DNS answer that changes
between the two (rebinding) is not caught; for public kommune sites that risk is accepted.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from crawlers.errors import RefusedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses a host name resolves to (an IP literal resolves to itself)."""
    literal = host.strip("[]")
    try:
        return [ipaddress.ip_address(literal)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(literal, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


async def check_host(
    url: str,
    host: str,
    port: int,
    *,
    allow_private_networks: bool,
    allowed_hosts: frozenset[str] = frozenset(),
) -> None:
    """Raise `RefusedAddress` when any address of `host` is not public (unless private networks are allowed).

    `allowed_hosts` names hosts exempted one by one (a local demo web, a test), lower-case.
    Resolution failures are left to the HTTP client, which reports them as connection errors.
    """
    if allow_private_networks or host.lower().strip("[]") in allowed_hosts:
        return
    try:
        addresses = await resolve(host, port)
    except (OSError, UnicodeError):
        return
    for address in addresses:
        if not is_public_address(address):
            raise RefusedAddress(url, f"{host} resolves to non-public address {address}")
