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

#: NAT64 well-known prefix (RFC 6052): the last 32 bits are the IPv4 host a NAT64 gateway connects to
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
#: NAT64 local-use prefix (RFC 8215): a site's own translator, never a public destination
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
#: deprecated IPv4-compatible addresses (::a.b.c.d, RFC 4291) and SIIT translated ones (::ffff:0:a.b.c.d, RFC 2765)
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address leads to: 6to4, Teredo (server and client), NAT64, compatible, translated.

    A host on such a network reaches the embedded IPv4 address, so `2002:7f00:1::` (6to4 of 127.0.0.1) is as
    dangerous as 127.0.0.1 itself. (IPv4-mapped addresses are handled by the caller.)
    """
    found: list[ipaddress.IPv4Address] = []
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in _NAT64 or address in _IPV4_COMPATIBLE or address in _IPV4_TRANSLATED:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return tuple(found)


def _is_global_unicast(address: IPAddress) -> bool:
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses, judging an IPv6 address that embeds IPv4 by that IPv4 too.

    An IPv4-mapped or NAT64 (64:ff9b::/96) address is decided by its IPv4 address alone: ipaddress calls the
    NAT64 prefix reserved, but on a DNS64 network it is how every public IPv4-only site is reached. Any other
    embedding (6to4, Teredo, IPv4-compatible, translated) is public only when the IPv6 address and every
    embedded IPv4 address are.
    """
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return _is_global_unicast(address.ipv4_mapped)
        if address in _NAT64_LOCAL:
            return False
        embedded = embedded_ipv4(address)
        if not all(_is_global_unicast(v4) for v4 in embedded):
            return False
        if address in _NAT64:
            return True
    return _is_global_unicast(address)


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
