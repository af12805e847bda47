"""Refuse to fetch from private, loopback, link-local, multicast and reserved addresses.

A kommune's website, or a redirect from it, must not make the crawler talk to the machine it runs on or to
the internal network (SSRF); nor may an alert target make the outbox post there. Tests and local demo webs set
`allow_private_networks` (or name `allowed_hosts`).

Two layers:
- `check_host` (`check_host_sync` for synchronous callers): a look-up before each hop, so a refused URL is reported
  with its address before anything is sent (robots.txt included). It is advisory: a name may answer differently a
  moment later, and a name that does not resolve passes it.
- `GuardedBackend` (async, the crawler's) and `SyncGuardedBackend` (sync, the alert outbox's webhooks): httpcore
  network backends that resolve the name once, refuse if ANY address is not public, and connect to a checked
  address themselves, so httpx never resolves on its own and a name that answers public then private (DNS
  rebinding) cannot reach the private address. A name that does not resolve is a connection error (the site is
  unreachable, the delivery is retried), never let through. TLS still verifies the original host name: httpcore
  takes SNI and the Host header from the URL, not from the address connected to. `async_transport` and
  `sync_transport` put a backend under an httpx client.

The browser (crawlers/render.py) resolves on its own; only its requests' URLs are checked with `check_host`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

from crawlers.errors import RefusedAddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: how host names become addresses: `resolve` in production; tests pass their own (a name that rebinds)
Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
#: the same for synchronous callers: `resolve_sync` in production
SyncResolver = Callable[[str, int], Sequence[IPAddress]]

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


def _literal(host: str) -> list[IPAddress] | None:
    """An IP literal host as its address, else None (a name to look up)."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        return None


def _addresses(infos: Iterable[tuple[Any, ...]]) -> list[IPAddress]:
    """getaddrinfo's answers as addresses, once each, in its order."""
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))


async def resolve(host: str, port: int) -> list[IPAddress]:
    """All addresses a host name resolves to (an IP literal resolves to itself)."""
    literal = _literal(host)
    if literal is not None:
        return literal
    loop = asyncio.get_running_loop()
    return _addresses(await loop.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM))


def resolve_sync(host: str, port: int) -> list[IPAddress]:
    """`resolve` for synchronous callers; it blocks (getaddrinfo has no timeout, as in httpcore's own backend)."""
    literal = _literal(host)
    if literal is not None:
        return literal
    return _addresses(socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM))


def _exempt(host: str, allow_private_networks: bool, allowed_hosts: frozenset[str]) -> bool:
    return allow_private_networks or host.lower().strip("[]") in allowed_hosts


def _refusal(host: str, addresses: Iterable[IPAddress]) -> str | None:
    for address in addresses:
        if not is_public_address(address):
            return f"refused by the private-address guard: {host} resolves to non-public address {address}"
    return None


async def check_host(
    url: str,
    host: str,
    port: int,
    *,
    allow_private_networks: bool,
    allowed_hosts: frozenset[str] = frozenset(),
    resolver: Resolver = resolve,
) -> None:
    """Raise `RefusedAddress` when any address of `host` is not public (unless private networks are allowed).

    `allowed_hosts` names hosts exempted one by one (a local demo web, a test), lower-case.
    A name that does not resolve passes this advisory check: the guarded backends resolve again when connecting
    and turn the failure into a connection error without connecting anywhere.
    """
    if _exempt(host, allow_private_networks, allowed_hosts):
        return
    try:
        addresses = await resolver(host, port)
    except (OSError, UnicodeError):
        return
    _refuse(url, host, addresses)


def check_host_sync(
    url: str,
    host: str,
    port: int,
    *,
    allow_private_networks: bool,
    allowed_hosts: frozenset[str] = frozenset(),
    resolver: SyncResolver = resolve_sync,
) -> None:
    """`check_host` for synchronous callers (alert targets), with a synchronous `resolver`."""
    if _exempt(host, allow_private_networks, allowed_hosts):
        return
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError):
        return
    _refuse(url, host, addresses)


def _refuse(url: str, host: str, addresses: Iterable[IPAddress]) -> None:
    refusal = _refusal(host, addresses)
    if refusal:
        raise RefusedAddress(url, refusal)


class _Guard:
    """What both guarded backends decide before connecting; only the waiting differs between them."""

    def __init__(self, *, allow_private_networks: bool, allowed_hosts: frozenset[str]) -> None:
        self._allow_private_networks = allow_private_networks
        self._allowed_hosts = frozenset(h.lower() for h in allowed_hosts)

    def _unresolved(self, host: str, exc: Exception) -> httpcore.ConnectError | httpcore.ConnectTimeout:
        """The connection error for a name that did not resolve (never a reason to connect elsewhere)."""
        if isinstance(exc, TimeoutError):
            return httpcore.ConnectTimeout(f"looking up {host} timed out")
        return httpcore.ConnectError(f"could not resolve {host}: {exc}")

    def _checked(self, host: str, addresses: Sequence[IPAddress]) -> Sequence[IPAddress]:
        """`addresses` when they may be connected to; `RefusedAddress` or `httpcore.ConnectError` otherwise."""
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        if not _exempt(host, self._allow_private_networks, self._allowed_hosts):
            _refuse(host, host, addresses)
        return addresses

    @staticmethod
    def _no_unix_socket(path: str) -> httpcore.ConnectError:
        return httpcore.ConnectError(f"Unix sockets are not connected to ({path})")


class GuardedBackend(_Guard, httpcore.AsyncNetworkBackend):
    """Connections that go only to addresses the guard checked: resolve once, check all, connect to the IP.

    Raises `RefusedAddress` (the host's name as its `url`; the fetcher puts the request's URL on it) when an
    address is not public, and `httpcore.ConnectError` (an httpx.ConnectError to the client: a connection error,
    retried and reported as unreachable) when the name does not resolve. Exempt hosts are resolved and connected
    the same way, only not refused.
    """

    def __init__(
        self,
        *,
        allow_private_networks: bool,
        allowed_hosts: frozenset[str] = frozenset(),
        resolver: Resolver = resolve,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ) -> None:
        super().__init__(allow_private_networks=allow_private_networks, allowed_hosts=allowed_hosts)
        self._resolver = resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                found = await self._resolver(host, port)
        except (OSError, UnicodeError) as exc:  # TimeoutError is an OSError
            raise self._unresolved(host, exc) from exc
        addresses = self._checked(host, found)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:  # try the next checked address, as getaddrinfo order suggests
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Never: a Unix socket is a local address by definition."""
        raise self._no_unix_socket(path)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class SyncGuardedBackend(_Guard, httpcore.NetworkBackend):
    """`GuardedBackend` for a synchronous `httpx.Client` (the alert outbox's webhooks), same decisions and errors.

    The look-up (`resolver`, a `SyncResolver`) blocks without a timeout of its own, as httpcore's would.
    """

    def __init__(
        self,
        *,
        allow_private_networks: bool,
        allowed_hosts: frozenset[str] = frozenset(),
        resolver: SyncResolver = resolve_sync,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        super().__init__(allow_private_networks=allow_private_networks, allowed_hosts=allowed_hosts)
        self._resolver = resolver
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = self._resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise self._unresolved(host, exc) from exc
        addresses = self._checked(host, found)
        failure: httpcore.ConnectError | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:  # try the next checked address, as getaddrinfo order suggests
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        """Never: a Unix socket is a local address by definition."""
        raise self._no_unix_socket(path)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


# httpx (pinned <0.29) takes no network backend, but its transports hand every request to `_pool`, an httpcore
# pool, which does; so the pool is replaced by one built like httpx's own. TLS settings are httpx's defaults
# (certificates verified against the URL's host name), proxies and environment ignored. The rebinding tests (of
# the crawler and of the outbox) fail if this stops working.


def _pool_options(limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None) -> dict[str, Any]:
    return {
        "ssl_context": ssl_context or httpx.create_ssl_context(trust_env=False),
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


def async_transport(
    backend: GuardedBackend, limits: httpx.Limits, ssl_context: ssl.SSLContext | None = None
) -> httpx.AsyncHTTPTransport:
    """An httpx async transport whose connections are all made through `backend`.

    `ssl_context`: one made by `httpx.create_ssl_context()` and shared by many transports: making one loads the
    certificate store, tens of milliseconds of CPU, which a transport per host would otherwise pay per host."""
    context = ssl_context or httpx.create_ssl_context(trust_env=False)
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False, verify=context)
    transport._pool = httpcore.AsyncConnectionPool(network_backend=backend, **_pool_options(limits, context))
    return transport


def sync_transport(backend: SyncGuardedBackend, limits: httpx.Limits) -> httpx.HTTPTransport:
    """An httpx transport whose connections are all made through `backend`."""
    transport = httpx.HTTPTransport(limits=limits, trust_env=False)
    transport._pool = httpcore.ConnectionPool(network_backend=backend, **_pool_options(limits))
    return transport
