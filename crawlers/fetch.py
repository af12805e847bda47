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
- a byte cap on the DECODED body while streaming (`TooLarge`); gzip/deflate are undone here, step by step.

Non-2xx answers after retries are returned (the caller decides); network failures raise `FetchError`.
httpx exceptions never leave this module.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import re
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from crawlers.doctype import disposition_filename, served_format, sniff_bytes
from crawlers.errors import FetchError, RefusedAddress, RobotsDisallowed, TooLarge
from crawlers.netguard import GuardedBackend, Resolver, check_host, resolve
from crawlers.politeness import HostGate, RobotsRules, rules_from_response, unreachable_rules
from crawlers.types import CrawlOptions, DocumentFormat
from crawlers.urls import host_of, origin_of

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

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"""charset=["']?([\w.:-]+)""", re.IGNORECASE)
#: codecs Python has that no web page is labelled with on purpose: they raise or turn bytes into nonsense
_NOT_WEB_CHARSETS = frozenset({"undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape"})


@dataclass(frozen=True)
class Response:
    """One fetched URL after redirects: the status, headers (lower-case names) and the whole body."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    content_type: str
    body: bytes = field(repr=False)
    redirects: tuple[str, ...]
    elapsed: float
    #: the body is only the first bytes the server sent (a robots.txt read up to ROBOTS_MAX_BYTES)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        """An HTML page: labelled so (and not PDF/DOCX bytes under the label) or, unlabelled, HTML bytes."""
        sniffed = sniff_bytes(self.body)
        if sniffed in ("pdf", "docx"):
            return False
        ct = self.content_type.split(";", 1)[0].strip().lower()
        return ct in ("text/html", "application/xhtml+xml") or (
            ct in ("", "application/octet-stream", "text/plain") and sniffed == "html"
        )

    @property
    def document_format(self) -> DocumentFormat | None:
        """ "pdf" or "docx" when the response is such a document (decided from its bytes first), else None."""
        return served_format(self.body, self.content_type, self.headers.get("content-disposition", ""), self.final_url)

    @property
    def filename(self) -> str:
        """The file name of a download (Content-Disposition), or ""."""
        return disposition_filename(self.headers.get("content-disposition", ""))

    def text(self) -> str:
        """The body decoded: a byte order mark, else charset from Content-Type, else <meta charset>, else UTF-8,
        else cp1252.

        The BOM wins over the labels (as in browsers): a UTF-16 robots.txt served as text/plain must still be read.

        A label naming no usable codec (`charset=undefined`, `punycode`, an unknown name) or a codec that fails
        on these bytes is skipped, never raised: a hostile or broken label must not stop a crawl (issue 12).
        """
        for bom, bom_encoding in _BOMS:
            if self.body.startswith(bom):
                return self.body[len(bom) :].decode(bom_encoding, errors="replace")
        match = _HEADER_CHARSET.search(self.content_type)
        candidates: list[str] = []
        if match:
            candidates.append(match.group(1))
        meta = _META_CHARSET.search(self.body[:4096])
        if meta:
            candidates.append(meta.group(1).decode("ascii", "ignore"))
        for encoding in (*candidates, "utf-8"):
            if not _is_web_charset(encoding):
                continue
            try:
                return self.body.decode(encoding)
            except (LookupError, ValueError):  # ValueError covers UnicodeError and UnicodeDecodeError
                continue
        return self.body.decode("cp1252", errors="replace")


def _is_web_charset(label: str) -> bool:
    """Whether `label` names a text codec a web page can be in (not Python's own codecs such as punycode)."""
    try:
        info = codecs.lookup(label)
    except LookupError:
        return False
    return info.name not in _NOT_WEB_CHARSETS and getattr(info, "_is_text_encoding", True)


@dataclass
class FetchStats:
    """Counters over a Fetcher's life (scrapy-style stats, for the crawl_run row and benchmarks)."""

    requests: int = 0
    retries: int = 0
    bytes_received: int = 0
    robots_fetched: int = 0


@dataclass
class _ClientSlot:
    client: httpx.AsyncClient
    active: int = 0
    last_used: float = field(default_factory=time.monotonic)


def _guarded_transport(backend: GuardedBackend) -> httpx.AsyncHTTPTransport:
    """httpx's transport with its connections made through `backend` (see crawlers.netguard).

    httpx (pinned <0.29) takes no network backend, but its transport hands every request to `_pool`, an httpcore
    pool, which does; so the pool is replaced by one built like httpx's own. TLS settings are httpx's defaults
    (certificates verified against the URL's host name). The rebinding tests fail if this stops working.
    """
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=1, keepalive_expiry=30.0)
    transport = httpx.AsyncHTTPTransport(limits=limits, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend,
    )
    return transport


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
        self, options: CrawlOptions, *, allowed_hosts: frozenset[str] = frozenset(), resolver: Resolver = resolve
    ) -> None:
        """`allowed_hosts`: hosts exempt from the private-address refusal (a local demo web), lower-case.

        `resolver` turns host names into addresses for the guard and for connecting (tests pass a rebinding one).
        """
        self.options = options
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.resolver = resolver
        self._backend = GuardedBackend(
            allow_private_networks=options.allow_private_networks,
            allowed_hosts=self.allowed_hosts,
            resolver=resolver,
        )
        self.gate = HostGate(options.per_host_delay)
        self.stats = FetchStats()
        self._clients: dict[str, _ClientSlot] = {}
        self._robots: dict[str, RobotsRules] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self._closed = False

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        slots, self._clients = list(self._clients.values()), {}
        for slot in slots:
            await slot.client.aclose()

    # -- clients -----------------------------------------------------------------------------------------

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/pdf,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "nb,nn;q=0.9,no;q=0.9,da;q=0.9,en;q=0.5",
                "Accept-Encoding": "gzip, deflate",  # the codings `_Inflater` undoes
            },
            timeout=httpx.Timeout(self.options.timeout),
            follow_redirects=False,
            transport=_guarded_transport(self._backend),
            trust_env=False,
        )

    async def _evict_idle(self) -> None:
        now = time.monotonic()
        idle = [k for k, s in self._clients.items() if s.active == 0 and now - s.last_used > CLIENT_IDLE_SECONDS]
        # Take every idle slot out before the first await: another task may evict at the same time.
        slots = [self._clients.pop(key) for key in idle]
        for slot in slots:
            await slot.client.aclose()

    async def _client_for(self, origin: str) -> _ClientSlot:
        slot = self._clients.get(origin)
        if slot is None:
            if self._closed:
                raise RuntimeError("Fetcher is closed")
            await self._evict_idle()
            slot = self._clients.get(origin)  # another task may have made it while we awaited
            if slot is None:
                slot = self._clients[origin] = _ClientSlot(self._new_client())
        return slot

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
        return await self._follow(url, max_bytes=max_bytes or self.options.max_response_bytes, check_robots=True)

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
                    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                    raise FetchError(url, detail) from exc
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
        origin = origin_of(url)
        slot = await self._client_for(origin)
        slot.active += 1
        try:
            async with self.gate.slot(host_of(url)):
                self.stats.requests += 1
                # httpx timeouts are per read; the overall deadline stops a server that drips bytes forever
                async with asyncio.timeout(self.options.timeout * 3):
                    async with slot.client.stream("GET", url) as response:
                        headers = {k.lower(): v for k, v in response.headers.items()}
                        declared = headers.get("content-length", "")
                        if not truncate and declared.isdigit() and int(declared) > max_bytes:
                            raise TooLarge(url, f"Content-Length {declared} exceeds {max_bytes} bytes")
                        body, truncated = await _read_body(response, url, max_bytes, truncate)
                        self.stats.bytes_received += len(body)
                        return _Answer(response.status_code, headers, body, truncated)
        finally:
            slot.active -= 1
            slot.last_used = time.monotonic()


async def _read_body(response: httpx.Response, url: str, max_bytes: int, truncate: bool) -> tuple[bytes, bool]:
    """The decoded body, capped at `max_bytes` DECODED bytes: `TooLarge`, or with `truncate` the first bytes.

    We undo Content-Encoding ourselves from the raw stream: httpx inflates each network chunk in one call, so a
    4 KB `Content-Encoding: gzip, gzip` answer became 5.3 GB before the cap saw it (issue 12, item 8).
    """
    inflater = _Inflater(response.headers.get("content-encoding", ""))
    buffer = bytearray()

    def full(chunk: bytes) -> bool:
        buffer.extend(chunk)
        if len(buffer) <= max_bytes:
            return False
        if not truncate:
            raise TooLarge(url, f"body exceeds {max_bytes} bytes")
        del buffer[max_bytes:]
        return True

    try:
        async for raw in response.aiter_raw():
            for chunk in inflater.feed(raw):
                if full(chunk):
                    return bytes(buffer), True
        for chunk in inflater.flush():
            if full(chunk):
                return bytes(buffer), True
    except zlib.error as exc:
        raise FetchError(url, f"could not undo Content-Encoding {inflater.label!r}: {exc}") from exc
    return bytes(buffer), False


#: at most this many decoded bytes come out of one zlib call, so the cap is checked before memory grows further
_INFLATE_STEP = 64 * 1024


class _Inflater:
    """Undoes a Content-Encoding stack of gzip/deflate layers, a bounded step at a time.

    Layers are undone last-applied first. Codings we do not know (we only ask for gzip and deflate) are passed
    through untouched, as httpx does.
    """

    def __init__(self, content_encoding: str) -> None:
        self.label = content_encoding
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        self._layers = [_ZlibLayer(c) for c in reversed(codings) if c in ("gzip", "x-gzip", "deflate")]

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def flush(self) -> Iterator[bytes]:
        for index, layer in enumerate(self._layers):
            for out in layer.flush():
                yield from self._through(index + 1, out)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            if data:
                yield data
            return
        for out in self._layers[index].feed(data):
            yield from self._through(index + 1, out)


class _ZlibLayer:
    """One gzip or deflate layer; a gzip layer may hold several members, as `gzip -c a b` writes."""

    def __init__(self, coding: str) -> None:
        self._gzip = coding != "deflate"
        self._wbits = zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS
        self._z = zlib.decompressobj(self._wbits)
        self._started = False  # a deflate layer falls back to raw deflate only on its first bytes
        self._members_done = False
        self._done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self._done:
            if self._z.eof:
                self._z = zlib.decompressobj(self._wbits)
                self._started = False
            try:
                out = self._z.decompress(data, _INFLATE_STEP)
            except zlib.error:
                if not self._started and not self._gzip and self._wbits > 0:
                    # "deflate" is often sent as raw deflate without the zlib header (httpx allows it too)
                    self._wbits = -zlib.MAX_WBITS
                    self._z = zlib.decompressobj(self._wbits)
                    continue
                if not self._started and self._gzip and self._members_done:
                    self._done = True  # padding after the last gzip member is ignored
                    return
                raise
            self._started = True
            if out:
                yield out
            if self._z.eof:
                self._members_done = True
                if not self._gzip:
                    self._done = True  # bytes after a deflate stream are ignored
                data = self._z.unused_data
            else:
                data = self._z.unconsumed_tail

    def flush(self) -> Iterator[bytes]:
        if not self._done:
            out = self._z.flush()
            if out:
                yield out
