"""Render pages whose menus are built by JavaScript, with Debian Chromium through Playwright.

`Renderer` launches the browser lazily (a crawl that never needs it never starts it), checks robots.txt and the
address guard for the page URL before anything starts, and gives back the final DOM (`RenderedPage`).

Settling (`crawlers.settle`). Menus on independently built sites come from JSON fetched one request after another
(a script fetches /api/menu.json, then /api/menu/<id>.json, then the plan list; 200-800 ms each: 3 of 3 such sites in
the issue 9 trial timed out waiting for the load event). Navigation only waits for the response to commit; the page
is settled when its requests have been answered and acted on by its script, its DOM (child lists, text, href/src) has
not changed and nothing was on the wire for a quiet window (`render_quiet_seconds`, longer under measured lag), and
`document.readyState` is "complete". A page that does not load or settle by its cap (`render_page_seconds`) is
rendered once more, and if it is cut again the render fails on our side (`RenderCut`): our cap says nothing about the
site, and half a menu must not become a "no plan". A page cut because the site's budget ran out raises
`RenderBudgetSpent`.

Budget. Rendering is budgeted per site (`render_budget_per_site` seconds over all its rendered pages, a
`RenderBudget`), not by a navigation timeout. Both the page's cap and the site's budget are charged the browser's
own time (`PageVisit.own_elapsed`), never the time a request of the page waits at its host's gate (one in flight,
the delay, robots.txt Crawl-delay): that is politeness, so a JavaScript site on a Crawl-delay host gets its pages
rendered whole instead of a wall-clock cut that would look like "no plan". The wall clock of a page is bounded by
its cap plus its gate waits, at most `MAX_PAGE_REQUESTS` of them. A caller passes the site's budget (`new_budget()`);
without one the Renderer keeps one per host of the page URL for its own life.

Politeness. Every request Chromium makes goes through the route hook of `crawlers.browser_requests`: the address
guard, robots.txt and the Fetcher's gate for its host, redirects followed hop by hop; a redirect of the page itself
ends in a new navigation to its target, so relative links resolve against the final URL. Service workers are
blocked. Browser requests count in `Fetcher.stats`.

Errors. `RobotsDisallowed` and `RefusedAddress` (the page was not loaded), `FetchError` for the site's failures (no
answer, network error, HTTP >= 400 for the page), `RenderBudgetSpent` (the site's budget is spent), and `RenderError`
(`ours=True`) for ours: the browser would not launch, crashed twice (it is relaunched once and the page tried again),
or Playwright failed; or the page was cut by our cap twice. None of these is ever a finding about the site.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    async_playwright,
)
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Response as PlaywrightResponse

from crawlers.browser_requests import BrowserRequests, PageVisit, refuse_web_socket
from crawlers.errors import FetchError, RenderBudgetSpent, RenderCut, RenderError
from crawlers.fetch import Fetcher
from crawlers.render_cache import RenderCache
from crawlers.settle import WATCH_PAGE, BrowserCrashed, settle
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
#: the crawler's Chromium only (not a browser driving our own dashboard in tests): every request is made by our
#: Fetcher through the route hook (crawlers.browser_requests); one Chromium might make on its own, unseen by the hook,
#: goes to a proxy that does not exist (loopback included), so it connects nowhere.
CRAWL_CHROMIUM_ARGS = (
    *CHROMIUM_ARGS,
    "--proxy-server=http://proxy.invalid:1",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
#: pages rendered at the same time across all sites: a render mostly waits on its host's delay, so with 2 the
#: scripted sites of a 120-site sweep queued for the browser (stopped at 3.85x the bound, 9 unstored); with 8 it
#: finished at 1.63x, all 120 right (bench_sweep, load 6-30)
MAX_PARALLEL_PAGES = 8
#: a page is not started with less than this left of its site's budget
MIN_PAGE_SECONDS = 1.0
#: how long reading the DOM may take (a page whose script never yields would hang it)
DOM_READ_SECONDS = 10.0


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
    #: False when the page's cap hit before its network and DOM settled (the DOM is as it was then); `render_page`
    #: never gives such a page back (see the module docstring)
    complete: bool
    #: wall-clock seconds the render took
    elapsed: float
    #: requests the browser made (the page and its scripts, JSON ...); refused ones not counted
    requests: int
    #: URLs the page wanted that robots.txt disallows (not requested)
    disallowed: tuple[str, ...] = ()
    #: seconds of the browser's own charged to the site's budget (`elapsed` less the time its requests were gated or
    #: being answered)
    charged: float = 0.0


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
        #: renders cut by a cap before they settled (each such page is tried again or fails)
        self.partial = 0
        #: browser launches and crashes over the Renderer's life
        self.launches = 0
        self.crashes = 0
        self._requests = BrowserRequests(options, fetcher)

    @property
    def refused(self) -> list[str]:
        """Browser requests refused by the address guard (URLs), for the crawl's record."""
        return self._requests.refused

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
        """Close the browser and its driver; one already dead is let go quietly.

        Ctrl-C on a terminal reaches Playwright's driver too (same process group): it dies first, and closing then
        fails with a bare `Exception("Connection closed while reading from the driver")`, not a `PlaywrightError`.
        Nothing is left to close then, so neither failure may replace the interruption the caller is handling.
        """
        browser, self._browser = self._browser, None
        playwright, self._playwright = self._playwright, None
        try:
            if browser is not None:
                try:
                    await browser.close()
                except Exception:  # see the docstring: the driver's connection is gone
                    logger.debug("closing the browser failed (it had died?)", exc_info=True)
        finally:
            if playwright is not None:
                try:
                    await playwright.stop()
                except Exception:  # as above
                    logger.debug("stopping the Playwright driver failed (it had died?)", exc_info=True)

    async def _ensure_browser(self, url: str) -> Browser:
        async with self._launch_lock:
            if self._browser is not None and not self._browser.is_connected():
                await self.aclose()
            if self._browser is None:
                try:
                    self._playwright = await async_playwright().start()
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.options.chromium_path, args=list(CRAWL_CHROMIUM_ARGS), headless=True
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

    async def render_page(
        self, url: str, *, budget: RenderBudget | None = None, cache: RenderCache | None = None
    ) -> RenderedPage:
        """Render `url` until its requests and DOM settle, or its cap hits (then the DOM as it is, `complete=False`).

        `budget` is the site's (see `new_budget`); None uses one per host of `url` kept by the Renderer. `cache` is
        the site's answers to earlier renders (`crawlers.render_cache`); None asks the site for everything. Raises
        `RobotsDisallowed` (not loaded), `RefusedAddress`, `RenderBudgetSpent` (nothing requested), `FetchError` when
        the site fails (no answer, network error, HTTP >= 400 for the page itself), and `RenderError` when our
        browser fails (after one relaunch if it crashed).
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "unsupported URL")
        await self._requests.check_address(url)
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
                visit = PageVisit(url, allowance=cap, cache=cache)
                try:
                    page = await self._render_once(browser, visit)
                except BrowserCrashed as exc:
                    self.crashes += 1
                    await self._drop_browser(browser)
                    if attempt == 2:
                        raise RenderError(url, f"the browser crashed twice: {exc}") from exc
                    logger.warning("the browser crashed rendering %s (%s); relaunching it once", url, exc)
                    continue
                except RenderCut as exc:
                    self._cut(url, cap, budget, attempt, f"before it loaded: {exc.detail}")
                    continue
                finally:
                    budget.spent += visit.own_elapsed()
                self.rendered += 1
                if page.complete:
                    return page
                self._cut(url, cap, budget, attempt, f"before it settled ({page.requests} requests)")
        raise AssertionError("the second attempt returns or raises")  # pragma: no cover

    def _cut(self, url: str, cap: float, budget: RenderBudget, attempt: int, how: str) -> None:
        """A render cut by `cap`: the site's budget is spent when the cap was its rest, else the page is tried once
        more (a cut is most often our machine being starved, as at a sweep's start) and then fails on our side.

        A page cut twice is never a DOM to take links from (a finding built on half a menu would be a false "no
        plan"): the check fails on our side and the kommune's last finding stands."""
        self.partial += 1
        if cap < self.options.render_page_seconds:
            raise RenderBudgetSpent(url, budget.seconds)  # the site's budget ran out before the page was done
        logger.warning("render of %s cut by our cap of %.1fs %s (attempt %d of 2)", url, cap, how, attempt)
        if attempt == 2:
            raise RenderCut(url, f"the page was cut by our cap of {cap:g}s twice, the last time {how}")

    async def _drop_browser(self, browser: Browser) -> None:
        async with self._launch_lock:
            if self._browser is browser:
                await self.aclose()

    async def _render_once(self, browser: Browser, visit: PageVisit) -> RenderedPage:
        url = visit.url
        context: BrowserContext | None = None
        try:
            try:
                context = await browser.new_context(
                    user_agent=self.options.user_agent, java_script_enabled=True, service_workers="block"
                )
                await context.add_init_script(WATCH_PAGE)
                await context.route("**/*", self._requests.router(visit))
                await context.route_web_socket("**/*", refuse_web_socket)
                page = await context.new_page()
            except PlaywrightError as exc:
                raise self._browser_failure(url, browser, visit, exc) from exc
            page.on("request", visit.started)
            page.on("requestfinished", visit.ended)
            page.on("requestfailed", visit.ended)
            page.on("crash", visit.crash)
            response = await self._navigate(page, browser, visit)
            if response is not None and response.status >= 400:
                raise FetchError(url, f"render got HTTP {response.status}", status=response.status)
            complete = await settle(
                page, visit, self.options.render_quiet_seconds, lambda: visit.crashed or not browser.is_connected()
            )
            html = await self._read_dom(page, browser, visit)
            return RenderedPage(
                url=url,
                final_url=page.url,
                html=html,
                complete=complete,
                elapsed=time.monotonic() - visit.opened,
                charged=visit.own_elapsed(),
                requests=visit.requests,
                disallowed=tuple(visit.disallowed),
            )
        finally:
            visit.closed = True
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

    async def _navigate(self, page: Page, browser: Browser, visit: PageVisit) -> PlaywrightResponse | None:
        """Go to the page URL, and on to where its redirects lead (followed by the route hook)."""
        target = visit.url
        visit.navigating = True
        try:
            while True:
                try:
                    return await self._goto(page, target, visit)
                except PlaywrightError as exc:
                    if visit.redirected_to is not None and not visit.crashed:
                        target, visit.redirected_to = visit.redirected_to, None
                        continue
                    raise self._navigation_failure(visit.url, browser, visit, exc) from exc
        finally:
            visit.navigating = False

    async def _goto(self, page: Page, target: str, visit: PageVisit) -> PlaywrightResponse | None:
        """`page.goto` until the response commits, timed by the page's own clock (its waits at the gate not charged).

        Out of time is our cap, whether the document was still on the wire or not (`RenderCut`): a site too slow to
        answer is told by the Fetcher's own timeout on the document's request (a `FetchError` through the route
        hook), while on a starved machine an answer that came is read late, and that must never become a finding."""
        navigation = asyncio.ensure_future(page.goto(target, wait_until="commit", timeout=0))
        try:
            while not navigation.done():
                left = visit.time_left()
                if left <= 0:
                    waiting = "no answer to its request yet" if visit.inflight else "its request not made yet"
                    raise RenderCut(
                        visit.url, f"the browser did not load the page within {visit.allowance:.1f}s ({waiting})"
                    )
                await asyncio.wait({navigation}, timeout=left)
            return navigation.result()
        finally:
            if not navigation.done():
                navigation.cancel()
                await asyncio.gather(navigation, return_exceptions=True)

    async def _read_dom(self, page: Page, browser: Browser, visit: PageVisit) -> str:
        detail = ""
        for _ in range(3):
            try:
                async with asyncio.timeout(DOM_READ_SECONDS):
                    return await page.content()
            except TimeoutError as exc:
                raise FetchError(visit.url, f"the page's script kept its DOM busy for {DOM_READ_SECONDS:g}s") from exc
            except PlaywrightError as exc:
                if visit.crashed or not browser.is_connected():
                    raise BrowserCrashed(exc.message) from exc
                detail = exc.message.splitlines()[0]  # navigating at that moment: try again
                await asyncio.sleep(0.2)
        raise FetchError(visit.url, f"the page kept navigating; DOM not readable: {detail}")

    def _navigation_failure(self, url: str, browser: Browser, visit: PageVisit, exc: PlaywrightError) -> BaseException:
        if visit.crashed or not browser.is_connected():
            return BrowserCrashed(exc.message)
        if visit.document_error is not None:
            return visit.document_error
        if "net::ERR_" in exc.message:
            return FetchError(url, f"render failed: {exc.message.splitlines()[0]}")
        return RenderError(url, f"Playwright failed: {exc.message.splitlines()[0]}")

    def _browser_failure(self, url: str, browser: Browser, visit: PageVisit, exc: PlaywrightError) -> BaseException:
        if visit.crashed or not browser.is_connected():
            return BrowserCrashed(exc.message)
        return RenderError(url, f"Playwright failed: {exc.message.splitlines()[0]}")
