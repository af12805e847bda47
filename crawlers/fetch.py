"""The only place the crawler speaks HTTP: polite, bounded, checked fetches.

`Fetcher` (an async context manager built from `CrawlOptions`) keeps one small `httpx.AsyncClient` per origin
(one shared client spent most of its CPU scanning its connection pool with hundreds of hosts), an honest
User-Agent, timeouts, and:
- robots.txt checked before every request, including each redirect hop (`RobotsDisallowed`, never fetched);
- netguard checked on every hop (`RefusedAddress`), and every connection made through its `GuardedBackend`, so
  the address connected to is the address checked (no DNS rebinding);
- redirects followed by hand, the chain recorded (`Response.redirects`);
- the HostGate: one request in flight per host, delay stamped from the end of the previous response;
- retries with exponential backoff on 429/5xx, timeouts and connection errors (`max_retries`);
- a byte cap on the DECODED body while streaming (`TooLarge`): crawlers.body reads it and undoes gzip/deflate.

It returns `crawlers.response.Response` (re-exported here, where callers import it from).

Non-2xx answers after retries are returned (the caller decides); network failures raise `FetchError`.
httpx exceptions never leave this module.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import httpx

from crawlers.body import ACCEPT_ENCODING, read_body
from crawlers.budget import SiteHold
from crawlers.clients import ClientPool
from crawlers.errors import FetchError, RefusedAddress, RobotsDisallowed, TooLarge
from crawlers.netguard import GuardedBackend, Resolver, async_transport, check_host, resolve
from crawlers.politeness import HostGate, RobotsRules, SharedSlots, rules_from_response, unreachable_rules
from crawlers.response import Response
from crawlers.types import CrawlOptions
from crawlers.urls import host_of, origin_of

__all__ = ["MAX_REDIRECTS", "REDIRECT_STATUSES", "ROBOTS_MAX_BYTES", "FetchStats", "Fetcher", "Response"]

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 10
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: only this much of a robots.txt is read and parsed, the rest ignored (as Google does: 500 KiB)
ROBOTS_MAX_BYTES = 500 * 1024
#: a Crawl-delay or Retry-After above this is capped so one site cannot stall a sweep
MAX_HONOURED_DELAY = 30.0
#: clients idle this long are closed when new ones are made
CLIENT_IDLE_SECONDS = 60.0
#: each origin's client holds one connection (one request in flight per host anyway, see HostGate), so the pool's
#: cap on open clients is a cap on open connections
_LIMITS = httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=30.0)


@dataclass
class FetchStats:
    """Counters over a Fetcher's life (scrapy-style stats, for the crawl_run row and benchmarks)."""

    requests: int = 0
    retries: int = 0
    bytes_received: int = 0
    robots_fetched: int = 0


class _Answer(NamedTuple):
    """One HTTP exchange: status, lower-case headers, the (decoded) body and whether it was cut at the cap."""

    status: int
    headers: dict[str, str]
    body: bytes
    truncated: bool


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return min(float(value), MAX_HONOURED_DELAY)
    return None


class Fetcher:
    """Polite HTTP fetching for many sites at once. Use as `async with Fetcher(options) as fetcher:`."""

    def __init__(
        self,
        options: CrawlOptions,
        *,
        allowed_hosts: frozenset[str] = frozenset(),
        resolver: Resolver = resolve,
        pool: ClientPool | None = None,
        shared_slots: SharedSlots | None = None,
    ) -> None:
        """`allowed_hosts`: hosts exempt from the private-address refusal (a local demo web), lower-case.

        `resolver` turns host names into addresses for the guard and for connecting (tests pass a rebinding one).
        `pool`: another Fetcher's clients, to share its cap on open connections (that Fetcher closes them).
        `shared_slots`: host slots shared with other processes (the queue's workers), taken for every request.
        """
        self.options = options
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.resolver = resolver
        self._backend = GuardedBackend(
            allow_private_networks=options.allow_private_networks,
            allowed_hosts=self.allowed_hosts,
            resolver=resolver,
        )
        #: one TLS context for every client (each would otherwise load the certificate store, ~50 ms of CPU)
        self._ssl_context = httpx.create_ssl_context(trust_env=False) if pool is None else None
        self.gate = HostGate(options.per_host_delay, shared=shared_slots)
        self.stats = FetchStats()
        self._owns_pool = pool is None
        self.pool = pool or ClientPool(self._new_client, options.max_open_connections, CLIENT_IDLE_SECONDS)
        #: set on a site's view (`for_site`): the document bytes it holds, charged against the sweep's budget
        self._hold: SiteHold | None = None
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_pool:
            await self.pool.aclose()

    def for_site(self, hold: SiteHold) -> Fetcher:
        """This Fetcher as one site of a sweep sees it: the same clients, gate, robots.txt rules and stats, and every
        PDF/DOCX it answers charged to `hold` (the sweep's document budget) before it is handed over, waiting for
        room when the budget is spent. Closing the view closes nothing."""
        view = copy.copy(self)
        view._owns_pool = False
        view._hold = hold
        return view

    # -- clients -----------------------------------------------------------------------------------------

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "nb,nn;q=0.9,no;q=0.9,da;q=0.9,en;q=0.5",
                "Accept-Encoding": ACCEPT_ENCODING,  # the codings crawlers.body undoes
            },
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,
            transport=async_transport(self._backend, _LIMITS, self._ssl_context),
            trust_env=False,
        )

    # -- robots --------------------------------------------------------------------------------------------

    async def robots(self, url: str) -> RobotsRules:
        """The robots.txt rules for the URL's origin, fetched once per origin per Fetcher."""
        origin = origin_of(url)
        rules = self._robots.get(origin)
        if rules is not None:
            return rules
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._robots.get(origin)
            if rules is None:
                rules = await self._fetch_robots(origin)
                self._robots[origin] = rules
                if rules.crawl_delay:
                    self.gate.set_delay(host_of(origin), min(rules.crawl_delay, MAX_HONOURED_DELAY))
        return rules

    async def _fetch_robots(self, origin: str) -> RobotsRules:
        self.stats.robots_fetched += 1
        try:
            # A huge robots.txt is cut, not ignored: ignoring it dropped a leading "Disallow: /" (issue 12, item 10).
            response = await self._follow(
                f"{origin}/robots.txt", max_bytes=ROBOTS_MAX_BYTES, check_robots=False, truncate=True
            )
        except RefusedAddress:
            raise  # the name moved to a private address after the hop's check: refused, not unreachable
        except FetchError as exc:
            logger.info("robots.txt unreachable at %s: %s", origin, exc.detail)
            return unreachable_rules(self.options.user_agent, f"robots.txt unreachable: {exc.detail}")
        if response.truncated:
            logger.info("robots.txt at %s is larger than %d bytes; the rest is ignored", origin, ROBOTS_MAX_BYTES)
        return rules_from_response(
            response.status, response.text(), self.options.user_agent, truncated=response.truncated
        )

    async def ensure_allowed(self, url: str) -> None:
        """Raise `RobotsDisallowed` when robots.txt forbids `url`, `FetchError` when its origin is unreachable."""
        rules = await self.robots(url)
        if rules.state == "unreachable":
            raise FetchError(url, rules.detail)
        if not rules.allows(url):
            raise RobotsDisallowed(url)

    # -- fetching ------------------------------------------------------------------------------------------

    async def fetch(self, url: str, *, max_bytes: int | None = None) -> Response:
        """GET `url` politely, following redirects by hand.

        Raises `RobotsDisallowed` (not fetched), `RefusedAddress`, `TooLarge` or `FetchError` (network failure,
        too many redirects). Any HTTP status is returned as a Response after retries.
        """
        response = await self._follow(url, max_bytes=max_bytes or self.options.max_response_bytes, check_robots=True)
        if self._hold is not None and response.ok and response.document_format is not None:
            await self._hold.charge(len(response.body))
        return response

    async def _follow(self, url: str, *, max_bytes: int, check_robots: bool, truncate: bool = False) -> Response:
        """Fetch `url` and its redirects; `truncate` keeps the first `max_bytes` of a longer body instead of
        raising `TooLarge`."""
        started = time.monotonic()
        current = url
        chain: list[str] = []
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchError(url, f"unsupported URL {current!r}")
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError as exc:
                raise FetchError(url, f"bad port in {current!r}") from exc
            await check_host(
                current,
                parts.hostname,
                port,
                allow_private_networks=self.options.allow_private_networks,
                allowed_hosts=self.allowed_hosts,
                resolver=self.resolver,
            )
            if check_robots:
                await self.ensure_allowed(current)
            status, headers, body, truncated = await self._get_with_retries(current, max_bytes, truncate)
            location = headers.get("location")
            if status in REDIRECT_STATUSES and location:
                chain.append(current)
                try:
                    current = urljoin(current, location.strip())
                except ValueError as exc:
                    raise FetchError(url, f"bad redirect location {location!r}") from exc
                continue
            return Response(
                url=url,
                final_url=current,
                status=status,
                headers=headers,
                content_type=headers.get("content-type", ""),
                body=body,
                redirects=tuple(chain),
                elapsed=time.monotonic() - started,
                truncated=truncated,
            )
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    async def _get_with_retries(self, url: str, max_bytes: int, truncate: bool) -> _Answer:
        attempt = 0
        while True:
            try:
                answer = await self._get_once(url, max_bytes, truncate)
                status, headers = answer.status, answer.headers
            except TooLarge:
                raise
            except RefusedAddress as exc:  # from GuardedBackend, which knows the host but not the URL
                raise RefusedAddress(url, exc.detail) from exc
            except (httpx.TimeoutException, httpx.TransportError, TimeoutError) as exc:
                if attempt >= self.options.max_retries:
                    raise FetchError(url, network_failure(exc)) from exc
                wait = self.options.retry_backoff * 2**attempt
            except httpx.HTTPError as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
            else:
                if status not in RETRY_STATUSES or attempt >= self.options.max_retries:
                    return answer
                wait = max(self.options.retry_backoff * 2**attempt, _retry_after(headers) or 0.0)
            attempt += 1
            self.stats.retries += 1
            logger.debug("retry %d for %s in %.2fs", attempt, url, wait)
            await asyncio.sleep(wait)

    async def _get_once(self, url: str, max_bytes: int, truncate: bool) -> _Answer:
        async with self.gate.slot(host_of(url), f"fetch {url}"):
            return await self._exchange("GET", url, max_bytes, truncate)

    async def _exchange(
        self,
        method: str,
        url: str,
        max_bytes: int,
        truncate: bool,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> _Answer:
        """One HTTP exchange on the origin's guarded client; the caller holds the host's gate slot, so waiting for
        the delay holds no connection of the cap (the client is taken here, inside the slot)."""
        origin = origin_of(url)
        client = await self.pool.acquire(origin)
        try:
            self.stats.requests += 1
            # httpx timeouts are per read; the overall deadline stops a server that drips bytes forever
            async with asyncio.timeout(self.options.timeout * 3):
                async with client.stream(method, url, content=content, headers=headers) as response:
                    answer_headers = {k.lower(): v for k, v in response.headers.items()}
                    body, truncated = await read_body(response, url, max_bytes, truncate)
                    self.stats.bytes_received += len(body)
                    return _Answer(response.status_code, answer_headers, body, truncated)
        finally:
            self.pool.release(origin)

    async def request_once(
        self, method: str, url: str, *, content: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> Response:
        """One request as asked, for a caller that holds `url`'s host slot in `gate` and has checked robots.txt (the
        browser's route hook): no redirect followed, no retry; still connected through the address guard, with the
        Fetcher's User-Agent, timeouts and byte cap. Raises `RefusedAddress`, `TooLarge` or `FetchError`."""
        started = time.monotonic()
        try:
            status, answer_headers, body, _ = await self._exchange(
                method, url, self.options.max_response_bytes, False, content, headers
            )
        except RefusedAddress as exc:  # from GuardedBackend, which knows the host but not the URL
            raise RefusedAddress(url, exc.detail) from exc
        except (httpx.HTTPError, TimeoutError) as exc:
            raise FetchError(url, network_failure(exc)) from exc
        return Response(
            url=url,
            final_url=url,
            status=status,
            headers=answer_headers,
            content_type=answer_headers.get("content-type", ""),
            body=body,
            redirects=(),
            elapsed=time.monotonic() - started,
        )


def network_failure(exc: BaseException) -> str:
    """A network failure in words that name its cause: "connection refused: ConnectError: All connection attempts
    failed" (httpx says only the second half; the refusal is an OSError further down the exception chain)."""
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    cause: BaseException | None = exc
    for _ in range(8):  # the chain is short (httpx > httpcore > OSError > ConnectionRefusedError)
        if cause is None:
            break
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused: {detail}"
        if isinstance(cause, socket.gaierror):
            return f"host name not found: {detail}"
        if isinstance(cause, httpx.TimeoutException | TimeoutError):
            return f"timed out: {detail}"
        cause = cause.__cause__ or cause.__context__
    return detail
