"""Every request a rendered page makes, made by the crawler: through the address guard, robots.txt and the host's gate.

Chromium's own network stack knows nothing of politeness or of the address guard, so the Renderer installs
`BrowserRequests.router` as the route hook of every page: each request the browser wants is checked (netguard for
its address, robots.txt for its URL, on any host) and then made by our own `Fetcher` (httpx through netguard's
`GuardedBackend`: the address connected to is the address checked, so a name that rebinds to a private address
after the check is refused; the Fetcher's timeouts and byte cap) inside the Fetcher's `HostGate` slot for its host,
and the answer handed to Chromium with `route.fulfill`. The browser never opens a connection itself, and the browser
and the Fetcher share one request in flight per host and the delay between requests. Chromium would follow a
redirect it is handed without asking the hook again (Playwright 1.65, Chromium 156), so redirects are followed here,
each hop checked and gated; the page's own redirect is handed back to the Renderer (`PageVisit.redirected_to`) as a
new navigation. Images, media, fonts, stylesheets and icons are
refused (only the DOM is read), WebSockets never connect, service workers are blocked (the Renderer's context).

A request cut off when its render ends keeps its host's slot until it is off the wire: nothing of ours overlaps it.
The time a request waits at its host's gate is not charged to the page's cap or the site's rendering budget
(`PageVisit`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Request, Route

from crawlers.errors import CrawlError, FetchError, RefusedAddress, RobotsDisallowed
from crawlers.fetch import MAX_REDIRECTS, REDIRECT_STATUSES, Fetcher, Response
from crawlers.netguard import check_host
from crawlers.render_cache import RenderCache
from crawlers.types import CrawlOptions
from crawlers.urls import host_of

logger = logging.getLogger(__name__)

#: resource types never requested: only the DOM is read
BLOCKED_RESOURCES = frozenset(
    {"image", "media", "font", "stylesheet", "texttrack", "manifest", "eventsource", "other"}  # other: icons, pings
)
#: the browser's request headers passed on to the Fetcher (which sends its own User-Agent and Accept-Encoding)
FORWARDED_HEADERS = frozenset({"accept", "content-type", "x-requested-with"})
#: requests one rendered page may make: its wall clock is bounded by these times its hosts' pace (see `PageVisit`)
MAX_PAGE_REQUESTS = 150
#: response headers not handed back to Chromium: it gets the body whole and decoded
_NOT_HANDED_BACK = frozenset({"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"})


@dataclass
class PageVisit:
    """The state of one page render, shared by the route hook, the request events and the settle loop.

    Its clock (`own_elapsed`) stops while a request of the page waits at its host's gate (one request in flight per
    host, the delay, robots.txt Crawl-delay): that time is politeness, not the browser's work, so it is charged
    neither to the page's cap (`allowance`) nor to the site's rendering budget, and a Crawl-delay host gets its page
    rendered whole however long the wall clock. The time a request is being answered is charged: a site that keeps a
    request open (a long poll) cannot hold one of the few browser pages for ever.
    """

    url: str
    #: seconds of its own the page may take (its cap, or what is left of the site's budget)
    allowance: float
    opened: float = field(default_factory=time.monotonic)
    inflight: set[Request] = field(default_factory=set)
    last_network: float = field(default_factory=time.monotonic)
    requests: int = 0
    disallowed: list[str] = field(default_factory=list)
    #: why the page's own document could not be loaded (robots, address guard, network), if it could not
    document_error: CrawlError | None = None
    #: where the page's document redirected to (followed by the route hook) and the response found there
    redirected_to: str | None = None
    prefetched: Response | None = None
    #: True while `_navigate` drives the page to its URL (a later script navigation is not re-driven)
    navigating: bool = False
    crashed: bool = False
    closed: bool = False
    handlers: set[asyncio.Task[None]] = field(default_factory=set)
    #: requests seen by the route hook (blocked resources included): past `MAX_PAGE_REQUESTS` none is made
    routed: int = 0
    #: requests waiting at a host's gate now, since when, and the seconds excused so far (see the class docstring)
    at_gate: int = 0
    at_gate_since: float = 0.0
    excused: float = 0.0
    #: the site's answers to earlier renders, None to ask the site for everything
    cache: RenderCache | None = None

    def started(self, request: Request) -> None:
        if request.redirected_from is not None:
            self.inflight.discard(request.redirected_from)
        self.inflight.add(request)
        self.last_network = time.monotonic()

    def ended(self, request: Request) -> None:
        self.inflight.discard(request)
        self.last_network = time.monotonic()

    def crash(self, *_: Any) -> None:
        self.crashed = True

    def waiting(self) -> _GateWait:
        """Stop the page's clock until the returned wait is `over()` (a request of it waits at its host's gate)."""
        if self.at_gate == 0:
            self.at_gate_since = time.monotonic()
        self.at_gate += 1
        return _GateWait(self)

    def _wait_over(self) -> None:
        self.at_gate -= 1
        if self.at_gate == 0:
            self.excused += time.monotonic() - self.at_gate_since

    def own_elapsed(self) -> float:
        """Seconds since the page was opened, less those in which a request of it waited at a host's gate."""
        now = time.monotonic()
        excused = self.excused + (now - self.at_gate_since if self.at_gate else 0.0)
        return max(0.0, now - self.opened - excused)

    def time_left(self) -> float:
        """Seconds of its own the page may still take."""
        return self.allowance - self.own_elapsed()


class _GateWait:
    """One request's wait at its host's gate; `over()` restarts the page's clock (once)."""

    def __init__(self, visit: PageVisit) -> None:
        self._visit: PageVisit | None = visit

    def over(self) -> None:
        visit, self._visit = self._visit, None
        if visit is not None:
            visit._wait_over()


class BrowserRequests:
    """The route hook shared by a Renderer's pages, with what it refused (for the crawl's record)."""

    def __init__(self, options: CrawlOptions, fetcher: Fetcher) -> None:
        self.options = options
        self.fetcher = fetcher
        #: browser requests refused by the address guard (URLs)
        self.refused: list[str] = []

    async def check_address(self, url: str) -> None:
        """Raise `RefusedAddress` when `url`'s host is not a public address (unless private networks are allowed).

        Looked up with the Fetcher's resolver; the Fetcher's connection checks the address it connects to again.
        """
        parts = urlsplit(url)
        await check_host(
            url,
            parts.hostname or "",
            parts.port or (443 if parts.scheme == "https" else 80),
            allow_private_networks=self.options.allow_private_networks,
            allowed_hosts=self.fetcher.allowed_hosts,
            resolver=self.fetcher.resolver,  # the Fetcher's, so a test's injected resolver decides here too
        )

    def router(self, visit: PageVisit) -> Callable[[Route], Any]:
        async def route(route: Route) -> None:
            # The work runs in a task of ours so that ending the render can cancel requests still queued at a
            # host's gate: nothing is requested for a page that is already closed.
            task = asyncio.ensure_future(self._handle(route, visit))
            visit.handlers.add(task)
            task.add_done_callback(visit.handlers.discard)
            try:
                await task
            except asyncio.CancelledError:
                if not visit.closed:
                    raise

        return route

    async def _handle(self, route: Route, visit: PageVisit) -> None:
        request = route.request
        visit.routed += 1
        try:
            if visit.closed:
                await route.abort("aborted")
                return
            if request.resource_type in BLOCKED_RESOURCES:
                await route.abort("blockedbyclient")
                return
            if visit.routed > MAX_PAGE_REQUESTS:
                logger.info(
                    "browser request %s not made: the page asked for more than %d", request.url, MAX_PAGE_REQUESTS
                )
                await route.abort("blockedbyclient")
                return
            is_document = request.is_navigation_request() and request.frame.parent_frame is None
            response: Response | None
            if is_document and visit.navigating and visit.prefetched is not None:
                response, visit.prefetched = visit.prefetched, None  # the target of a redirect we followed
            elif visit.cache is not None and (cached := visit.cache.get(request.method, request.url)) is not None:
                response = cached
            else:
                response = await self._gated_fetch(route, visit, is_document)
                if response is None:
                    return
                if is_document and visit.navigating and response.final_url != request.url:
                    # Chromium would follow a redirect we hand it without asking the route hook (so without the
                    # gate, robots.txt or the address guard): we followed it, and the page navigates to its end
                    visit.prefetched, visit.redirected_to = response, response.final_url
                    await route.abort("aborted")
                    return
                if visit.cache is not None:
                    visit.cache.keep(request.method, request.url, response)
            await route.fulfill(status=response.status, headers=_for_browser(response.headers), body=response.body)
        except PlaywrightError:
            # the page or context closed while the request was on its way: nothing to answer
            logger.debug("browser request %s dropped", request.url, exc_info=True)

    async def _gated_fetch(self, route: Route, visit: PageVisit, is_document: bool) -> Response | None:
        """Make a browser request with the Fetcher, following its redirects, each hop through the address guard,
        robots.txt and its host's gate: the response (`final_url` where it came from), or None when aborted."""
        request = route.request
        current = request.url
        method, data = request.method, request.post_data_buffer
        headers = {k: v for k, v in request.headers.items() if k.lower() in FORWARDED_HEADERS}
        for _ in range(MAX_REDIRECTS + 1):
            error = await self._refusal(current, visit)
            if error is None:
                fetched = await self._fetch_hop(visit, current, method, data, headers)
                error = fetched if isinstance(fetched, FetchError) else None
            if error is not None:
                code = "blockedbyclient" if isinstance(error, RefusedAddress | RobotsDisallowed) else "failed"
                await self._abort(route, visit, error if is_document else None, code)
                return None
            assert isinstance(fetched, Response)
            location = fetched.headers.get("location", "").strip()
            if fetched.status not in REDIRECT_STATUSES or not location:
                return replace(fetched, url=request.url, final_url=current)
            try:
                current = urljoin(current, location)
            except ValueError:
                break
            if fetched.status not in (307, 308):
                method, data = "GET", None
                headers.pop("content-type", None)
        error = FetchError(request.url, f"more than {MAX_REDIRECTS} redirects or a bad Location")
        await self._abort(route, visit, error if is_document else None, "failed")
        return None

    async def _refusal(self, url: str, visit: PageVisit) -> CrawlError | None:
        """Why `url` may not be requested (address guard, robots.txt, unreachable robots.txt), or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return FetchError(url, "unsupported URL")
        try:
            await self.check_address(url)
            await self.fetcher.ensure_allowed(url)
        except RefusedAddress as exc:
            logger.warning("browser request refused: %s", exc)
            self.refused.append(url)
            return exc
        except RobotsDisallowed as exc:
            logger.debug("browser request disallowed by robots.txt: %s", url)
            visit.disallowed.append(url)
            return exc
        except FetchError as exc:  # the origin's robots.txt was unreachable: nothing there may be fetched
            return exc
        return None

    async def _fetch_hop(
        self, visit: PageVisit, url: str, method: str, data: bytes | None, headers: dict[str, str]
    ) -> Response | FetchError:
        """One request, unfollowed, made by the Fetcher (through the address guard: the address connected to is the
        address checked) in its host's gate slot, which ends when the whole body is in."""
        waiting = visit.waiting()
        try:
            async with self.fetcher.gate.slot(host_of(url), f"browser {url}"):
                waiting.over()
                if visit.closed or visit.time_left() <= 0:
                    return FetchError(url, "the page's render time ran out")
                # The request keeps the crawl's own timeout, not what is left of the render: a request given up
                # early is still being answered by the server while the host's slot would go to the next request.
                request = asyncio.ensure_future(self.fetcher.request_once(method, url, content=data, headers=headers))
                try:
                    response = await asyncio.shield(request)
                except asyncio.CancelledError:
                    # The render ended, but this request is on the wire: the host's slot stays held until it ends
                    # (within the Fetcher's timeouts), so no request of ours overlaps it.
                    await asyncio.wait([request])
                    if not request.cancelled():
                        request.exception()  # seen: the render is over, nobody wants its answer
                    raise
        except RefusedAddress as exc:  # the name moved to a private address after the check (DNS rebinding)
            logger.warning("browser request refused: %s", exc)
            self.refused.append(url)
            return exc
        except FetchError as exc:
            return exc
        finally:
            waiting.over()
        visit.requests += 1
        return response

    async def _abort(self, route: Route, visit: PageVisit, document_error: CrawlError | None, code: str) -> None:
        if document_error is not None:
            visit.document_error = document_error
        await route.abort(code)


def _for_browser(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in _NOT_HANDED_BACK}


def refuse_web_socket(web_socket: Any) -> None:
    """WebSockets are never connected to the server (a mocked socket that stays silent)."""
