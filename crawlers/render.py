"""Render pages whose menus are built by JavaScript, with Debian Chromium through Playwright.

`Renderer` launches the browser lazily (a crawl that never needs it never starts it), checks robots.txt and the
address guard for the page URL before anything starts, and gives back the final DOM (`RenderedPage`).

Settling. Menus on independently built sites come from JSON fetched one request after another (a script fetches
/api/menu.json, then /api/menu/<id>.json, then the plan list; 200-800 ms each: 3 of 3 such sites in the issue 9
trial timed out waiting for the load event). Navigation only waits for the response to commit; the page is settled
when none of its requests has been in flight for `render_quiet_seconds`, its DOM (child lists, text, href/src) has
not changed for as long, and `document.readyState` is "complete". A page that does not settle by its cap
(`render_page_seconds`, or what is left of the site's budget) is taken as it is, flagged partial and logged: a
partial menu beats none.

Budget. Rendering is budgeted per site (`render_budget_per_site` seconds over all its rendered pages, a
`RenderBudget`), not by a navigation timeout: with a 1 s per-host delay a page with six requests to its host takes
six seconds, as it should. A caller passes the site's budget (`new_budget()`); without one the Renderer keeps one
per host of the page URL for its own life.

Politeness. Every request Chromium makes goes through the route hook, which checks the address guard (netguard)
and robots.txt for its URL (`Fetcher.ensure_allowed`, for any host: another host's robots.txt is read too), then
makes it with Playwright's request API inside the Fetcher's `HostGate` slot for the request's own host, so the
browser and the Fetcher share one request in flight per host and the delay from the end of one response to the
start of the next. Chromium follows a redirect it is handed without asking the route hook again (Playwright
1.65, Chromium 156), so the hook follows redirects itself, each hop checked and gated; a redirect of the page
itself ends in a new navigation to its target, so relative links resolve against the final URL. Images, media,
fonts, stylesheets and icons are not loaded (only the DOM is read); service workers, event streams and WebSockets
are refused. Browser requests count in `Fetcher.stats`.

Errors. `RobotsDisallowed` and `RefusedAddress` (the page was not loaded), `FetchError` for the site's failures (no
answer, network error, HTTP >= 400 for the page), `RenderBudgetSpent` (nothing requested), and `RenderError`
(`ours=True`) for the browser's: it would not launch, crashed twice (it is relaunched once and the page tried
again), or Playwright failed. A browser failure is never a finding about the site.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

from playwright.async_api import (
    APIResponse,
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    Route,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response as PlaywrightResponse
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from crawlers.errors import CrawlError, FetchError, RefusedAddress, RenderBudgetSpent, RenderError, RobotsDisallowed
from crawlers.fetch import MAX_REDIRECTS, REDIRECT_STATUSES, Fetcher
from crawlers.netguard import check_host
from crawlers.types import CrawlOptions
from crawlers.urls import host_of

logger = logging.getLogger(__name__)

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
#: resource types never requested: only the DOM is read
_BLOCKED_RESOURCES = frozenset(
    {"image", "media", "font", "stylesheet", "texttrack", "manifest", "eventsource", "other"}  # other: icons, pings
)
#: pages rendered at the same time across all sites (the machine has 2 cores)
MAX_PARALLEL_PAGES = 2
#: a page is not started with less than this left of its site's budget
MIN_PAGE_SECONDS = 1.0
#: how often the settle loop looks at the network and the DOM
POLL_SECONDS = 0.05
#: how long reading the DOM may take (a page whose script never yields would hang it)
DOM_READ_SECONDS = 10.0

# Installed in every document before its own scripts: stamps the time of the last DOM change.
_WATCH_DOM = """(() => {
  const mark = () => { window.__planvaktDomChanged = performance.now(); };
  mark();
  new MutationObserver(mark).observe(document, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["href", "src"],
  });
})();"""
_DOM_STATE = "() => [document.readyState, performance.now() - (window.__planvaktDomChanged || 0)]"


@dataclass
class RenderBudget:
    """Seconds of rendering one site may still spend; shared by its rendered pages."""

    seconds: float
    spent: float = 0.0

    @property
    def remaining(self) -> float:
        return max(0.0, self.seconds - self.spent)


@dataclass(frozen=True)
class RenderedPage:
    """One rendered page: its DOM as HTML and how the rendering went."""

    url: str
    #: the page's URL at the end (after redirects and script navigation): the base for its relative links
    final_url: str
    html: str
    #: False when the page's cap hit before its network and DOM settled (the DOM is as it was then)
    complete: bool
    elapsed: float
    #: requests the browser made (the page and its scripts, JSON ...); refused ones not counted
    requests: int
    #: URLs the page wanted that robots.txt disallows (not requested)
    disallowed: tuple[str, ...] = ()


class _BrowserCrashed(Exception):
    """The browser or the page's renderer died mid-render (internal: leads to a relaunch)."""


@dataclass
class _Visit:
    """The state of one page render, shared by the route hook, the request events and the settle loop."""

    url: str
    deadline: float
    inflight: set[Request] = field(default_factory=set)
    last_network: float = field(default_factory=time.monotonic)
    requests: int = 0
    disallowed: list[str] = field(default_factory=list)
    #: why the page's own document could not be loaded (robots, address guard, network), if it could not
    document_error: CrawlError | None = None
    #: where the page's document redirected to (followed by the route hook) and the response found there
    redirected_to: str | None = None
    prefetched: APIResponse | None = None
    #: True while `_navigate` drives the page to its URL (a later script navigation is not re-driven)
    navigating: bool = False
    crashed: bool = False
    closed: bool = False
    handlers: set[asyncio.Task[None]] = field(default_factory=set)

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


class Renderer:
    """A lazily launched headless Chromium. Use as `async with Renderer(options, fetcher) as renderer:`."""

    def __init__(self, options: CrawlOptions, fetcher: Fetcher) -> None:
        self.options = options
        self.fetcher = fetcher
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._launch_lock = asyncio.Lock()
        self._pages = asyncio.Semaphore(MAX_PARALLEL_PAGES)
        self._budgets: dict[str, RenderBudget] = {}
        #: pages rendered over the Renderer's life (partial ones included)
        self.rendered = 0
        #: pages whose cap hit before they settled
        self.partial = 0
        #: browser launches and crashes over the Renderer's life
        self.launches = 0
        self.crashes = 0
        #: browser requests refused by the address guard (URLs), for the crawl's record
        self.refused: list[str] = []

    @property
    def launched(self) -> bool:
        return self._browser is not None

    def new_budget(self) -> RenderBudget:
        """A fresh budget for one site (`options.render_budget_per_site` seconds)."""
        return RenderBudget(self.options.render_budget_per_site)

    async def __aenter__(self) -> Renderer:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        try:
            if browser is not None:
                try:
                    await browser.close()
                except PlaywrightError:
                    logger.debug("closing the browser failed (it had died?)", exc_info=True)
        finally:
            if playwright is not None:
                await playwright.stop()

    async def _ensure_browser(self, url: str) -> Browser:
        async with self._launch_lock:
            if self._browser is not None and not self._browser.is_connected():
                await self.aclose()
            if self._browser is None:
                try:
                    self._playwright = await async_playwright().start()
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.options.chromium_path, args=list(CHROMIUM_ARGS), headless=True
                    )
                except PlaywrightError as exc:
                    await self.aclose()
                    raise RenderError(url, f"could not launch Chromium: {exc.message}") from exc
                self.launches += 1
                logger.info("launched Chromium %s", self._browser.version)
            return self._browser

    async def render(self, url: str, *, budget: RenderBudget | None = None) -> str:
        """The rendered DOM of `url` as HTML (see `render_page`)."""
        return (await self.render_page(url, budget=budget)).html

    async def render_page(self, url: str, *, budget: RenderBudget | None = None) -> RenderedPage:
        """Render `url` until its requests and DOM settle, or its cap hits (then the DOM as it is, `complete=False`).

        `budget` is the site's (see `new_budget`); None uses one per host of `url` kept by the Renderer. Raises
        `RobotsDisallowed` (not loaded), `RefusedAddress`, `RenderBudgetSpent` (nothing requested), `FetchError` when
        the site fails (no answer, network error, HTTP >= 400 for the page itself), and `RenderError` when our
        browser fails (after one relaunch if it crashed).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "unsupported URL")
        await self._check_address(url)
        await self.fetcher.ensure_allowed(url)
        if budget is None:
            budget = self._budgets.setdefault(host_of(url), self.new_budget())
        if budget.remaining < MIN_PAGE_SECONDS:
            raise RenderBudgetSpent(url, budget.seconds)
        async with self._pages:
            for attempt in (1, 2):
                cap = min(self.options.render_page_seconds, budget.remaining)
                if cap < MIN_PAGE_SECONDS:
                    raise RenderBudgetSpent(url, budget.seconds)
                browser = await self._ensure_browser(url)
                started = time.monotonic()
                try:
                    page = await self._render_once(browser, url, cap)
                except _BrowserCrashed as exc:
                    self.crashes += 1
                    await self._drop_browser(browser)
                    if attempt == 2:
                        raise RenderError(url, f"the browser crashed twice: {exc}") from exc
                    logger.warning("the browser crashed rendering %s (%s); relaunching it once", url, exc)
                    continue
                finally:
                    budget.spent += time.monotonic() - started
                self.rendered += 1
                if not page.complete:
                    self.partial += 1
                    logger.info(
                        "render of %s cut at %.1fs before it settled; DOM taken as it is (%d requests)",
                        url,
                        cap,
                        page.requests,
                    )
                return page
        raise AssertionError("unreachable")  # pragma: no cover

    async def _drop_browser(self, browser: Browser) -> None:
        async with self._launch_lock:
            if self._browser is browser:
                await self.aclose()

    async def _check_address(self, url: str) -> None:
        parts = urlsplit(url)
        await check_host(
            url,
            parts.hostname or "",
            parts.port or (443 if parts.scheme == "https" else 80),
            allow_private_networks=self.options.allow_private_networks,
            allowed_hosts=self.fetcher.allowed_hosts,
        )

    async def _render_once(self, browser: Browser, url: str, cap: float) -> RenderedPage:
        started = time.monotonic()
        visit = _Visit(url, deadline=started + cap)
        context: BrowserContext | None = None
        try:
            try:
                context = await browser.new_context(
                    user_agent=self.options.user_agent, java_script_enabled=True, service_workers="block"
                )
                await context.add_init_script(_WATCH_DOM)
                await context.route("**/*", self._router(visit))
                await context.route_web_socket("**/*", _refuse_web_socket)
                page = await context.new_page()
            except PlaywrightError as exc:
                raise self._browser_failure(url, browser, visit, exc) from exc
            page.on("request", visit.started)
            page.on("requestfinished", visit.ended)
            page.on("requestfailed", visit.ended)
            page.on("crash", visit.crash)
            response = await self._navigate(page, browser, visit, cap)
            if response is not None and response.status >= 400:
                raise FetchError(url, f"render got HTTP {response.status}", status=response.status)
            complete = await self._settle(page, browser, visit)
            html = await self._read_dom(page, browser, visit)
            return RenderedPage(
                url=url,
                final_url=page.url,
                html=html,
                complete=complete,
                elapsed=time.monotonic() - started,
                requests=visit.requests,
                disallowed=tuple(visit.disallowed),
            )
        finally:
            visit.closed = True
            if visit.prefetched is not None:
                await _quietly(visit.prefetched.dispose())
            for task in list(visit.handlers):
                task.cancel()
            # a cancelled handler whose request is on the wire holds its host's slot until the request ends
            if visit.handlers:
                await asyncio.gather(*visit.handlers, return_exceptions=True)
            if context is not None:
                try:
                    await context.close()
                except PlaywrightError:
                    logger.debug("closing a browser context failed", exc_info=True)

    async def _navigate(self, page: Page, browser: Browser, visit: _Visit, cap: float) -> PlaywrightResponse | None:
        """Go to the page URL, and on to where its redirects lead (followed by the route hook)."""
        target = visit.url
        visit.navigating = True
        try:
            while True:
                remaining = visit.deadline - time.monotonic()
                try:
                    return await page.goto(target, wait_until="commit", timeout=max(remaining, 0.001) * 1000)
                except PlaywrightError as exc:
                    if visit.redirected_to is not None and not visit.crashed:
                        target, visit.redirected_to = visit.redirected_to, None
                        continue
                    raise self._navigation_failure(visit.url, browser, visit, cap, exc) from exc
        finally:
            visit.navigating = False

    async def _settle(self, page: Page, browser: Browser, visit: _Visit) -> bool:
        """Wait until the page's network and DOM are quiet and it has loaded: True, or False when the cap hit."""
        quiet = self.options.render_quiet_seconds
        while True:
            if visit.crashed or not browser.is_connected():
                raise _BrowserCrashed("the page's renderer died")
            now = time.monotonic()
            if now >= visit.deadline:
                return False
            if not visit.inflight and now - visit.last_network >= quiet:
                try:
                    async with asyncio.timeout(visit.deadline - now):
                        ready, idle_ms = await page.evaluate(_DOM_STATE)
                except TimeoutError:
                    return False  # the page's script holds its thread: take what there is
                except PlaywrightError as exc:
                    if visit.crashed or not browser.is_connected():
                        raise _BrowserCrashed(exc.message) from exc
                    ready, idle_ms = "loading", 0.0  # a script navigation replaced the document: not settled
                if ready == "complete" and idle_ms >= quiet * 1000:
                    return True
            await asyncio.sleep(POLL_SECONDS)

    async def _read_dom(self, page: Page, browser: Browser, visit: _Visit) -> str:
        detail = ""
        for _ in range(3):
            try:
                async with asyncio.timeout(DOM_READ_SECONDS):
                    return await page.content()
            except TimeoutError as exc:
                raise FetchError(visit.url, f"the page's script kept its DOM busy for {DOM_READ_SECONDS:g}s") from exc
            except PlaywrightError as exc:
                if visit.crashed or not browser.is_connected():
                    raise _BrowserCrashed(exc.message) from exc
                detail = exc.message.splitlines()[0]  # navigating at that moment: try again
                await asyncio.sleep(0.2)
        raise FetchError(visit.url, f"the page kept navigating; DOM not readable: {detail}")

    def _navigation_failure(
        self, url: str, browser: Browser, visit: _Visit, cap: float, exc: PlaywrightError
    ) -> BaseException:
        if visit.crashed or not browser.is_connected():
            return _BrowserCrashed(exc.message)
        if visit.document_error is not None:
            return visit.document_error
        if isinstance(exc, PlaywrightTimeoutError):
            return FetchError(url, f"render got no answer within {cap:.1f}s")
        if "net::ERR_" in exc.message:
            return FetchError(url, f"render failed: {exc.message.splitlines()[0]}")
        return RenderError(url, f"Playwright failed: {exc.message.splitlines()[0]}")

    def _browser_failure(self, url: str, browser: Browser, visit: _Visit, exc: PlaywrightError) -> BaseException:
        if visit.crashed or not browser.is_connected():
            return _BrowserCrashed(exc.message)
        return RenderError(url, f"Playwright failed: {exc.message.splitlines()[0]}")

    # -- the browser's requests ----------------------------------------------------------------------------

    def _router(self, visit: _Visit) -> Callable[[Route], Any]:
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

    async def _handle(self, route: Route, visit: _Visit) -> None:
        request = route.request
        try:
            if visit.closed:
                await route.abort("aborted")
                return
            if request.resource_type in _BLOCKED_RESOURCES:
                await route.abort("blockedbyclient")
                return
            is_document = request.is_navigation_request() and request.frame.parent_frame is None
            if is_document and visit.navigating and visit.prefetched is not None:
                response, visit.prefetched = visit.prefetched, None  # the target of a redirect we followed
            else:
                fetched = await self._gated_fetch(route, visit, is_document)
                if fetched is None:
                    return
                response, final_url = fetched
                if is_document and visit.navigating and final_url != request.url:
                    # Chromium would follow a redirect we hand it without asking the route hook (so without the
                    # gate, robots.txt or the address guard): we followed it, and the page navigates to its end
                    visit.prefetched, visit.redirected_to = response, final_url
                    await route.abort("aborted")
                    return
            try:
                await route.fulfill(response=response)
            finally:
                await response.dispose()
        except PlaywrightError:
            # the page or context closed while the request was on its way: nothing to answer
            logger.debug("browser request %s dropped", request.url, exc_info=True)

    async def _gated_fetch(self, route: Route, visit: _Visit, is_document: bool) -> tuple[APIResponse, str] | None:
        """Make a browser request, following its redirects, each hop through the address guard, robots.txt and its
        host's gate: the response and the URL it came from, or None when the request was aborted."""
        request = route.request
        current = request.url
        method, data = request.method, request.post_data_buffer
        for _ in range(MAX_REDIRECTS + 1):
            error = await self._refusal(current, visit)
            if error is not None:
                await self._abort(route, visit, error if is_document else None, "blockedbyclient")
                return None
            fetched = await self._fetch_hop(route, visit, current, method, data)
            if isinstance(fetched, FetchError):
                await self._abort(route, visit, fetched if is_document else None, "failed")
                return None
            location = fetched.headers.get("location", "").strip()
            if fetched.status not in REDIRECT_STATUSES or not location:
                return fetched, current
            await fetched.dispose()
            try:
                current = urljoin(current, location)
            except ValueError:
                break
            if fetched.status not in (307, 308):
                method, data = "GET", None
        error = FetchError(request.url, f"more than {MAX_REDIRECTS} redirects or a bad Location")
        await self._abort(route, visit, error if is_document else None, "failed")
        return None

    async def _refusal(self, url: str, visit: _Visit) -> CrawlError | None:
        """Why `url` may not be requested (address guard, robots.txt, unreachable robots.txt), or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return FetchError(url, "unsupported URL")
        try:
            await self._check_address(url)
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
        self, route: Route, visit: _Visit, url: str, method: str, data: bytes | None
    ) -> APIResponse | FetchError:
        """One request, unfollowed, in its host's gate slot (the slot ends when the whole body is in)."""
        async with self.fetcher.gate.slot(host_of(url)):
            remaining = visit.deadline - time.monotonic()
            if visit.closed or remaining <= 0:
                return FetchError(url, "the page's render time ran out")
            timeout_ms = min(self.options.timeout, remaining) * 1000
            request = asyncio.ensure_future(_browser_request(route, url, method, data, timeout_ms))
            try:
                response, body = await asyncio.shield(request)
            except asyncio.CancelledError:
                # The render ended, but the browser still has this request on the wire: the host's slot stays
                # held until it ends (within `timeout_ms`), so no request of ours overlaps it.
                await asyncio.wait([request])
                if not request.cancelled() and request.exception() is None:
                    await _quietly(request.result()[0].dispose())
                raise
            except PlaywrightError as exc:
                return FetchError(url, f"browser request failed: {exc.message.splitlines()[0]}")
            visit.requests += 1
            self.fetcher.stats.requests += 1
            self.fetcher.stats.bytes_received += len(body)
        if len(body) > self.options.max_response_bytes:
            await response.dispose()
            return FetchError(url, f"body exceeds {self.options.max_response_bytes} bytes")
        return response

    async def _abort(self, route: Route, visit: _Visit, document_error: CrawlError | None, code: str) -> None:
        if document_error is not None:
            visit.document_error = document_error
        await route.abort(code)


async def _browser_request(
    route: Route, url: str, method: str, data: bytes | None, timeout_ms: float
) -> tuple[APIResponse, bytes]:
    """The route's request (or a redirect hop of it) made by the browser, unfollowed, and its whole body."""
    if url == route.request.url:
        response = await route.fetch(max_redirects=0, timeout=timeout_ms)
    else:
        response = await route.fetch(url=url, method=method, post_data=data, max_redirects=0, timeout=timeout_ms)
    return response, await response.body()


async def _quietly(awaitable: Awaitable[None]) -> None:
    try:
        await awaitable
    except PlaywrightError:
        logger.debug("browser clean-up failed", exc_info=True)


def _refuse_web_socket(web_socket: Any) -> None:
    """WebSockets are never connected to the server (a mocked socket that stays silent)."""
