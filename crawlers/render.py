"""Render pages whose menus are built by JavaScript, with Debian Chromium through Playwright.

`Renderer` launches the browser lazily (a crawl that never needs it never starts it), renders one page at a
time per host through the Fetcher's HostGate, checks robots.txt and netguard for the page URL, and gives back
the final DOM as HTML. Images, media and fonts are not loaded. Subresources the page loads itself (scripts,
menu JSON) are not gated per request (one rendered page is one visit), but every request the browser makes, the
page's own redirects included, passes the same address guard as the Fetcher: a hostile page cannot steer
Chromium into the internal network. Playwright errors are wrapped in `FetchError`.
"""

from __future__ import annotations

import asyncio
import logging
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, Playwright, Route, async_playwright
from playwright.async_api import Error as PlaywrightError

from crawlers.errors import FetchError, RefusedAddress
from crawlers.fetch import Fetcher
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
_BLOCKED_RESOURCES = frozenset({"image", "media", "font"})
#: pages rendered at the same time across all sites (the machine has 2 cores)
MAX_PARALLEL_PAGES = 2
#: how long to wait for the network to go quiet after load
NETWORK_IDLE_SECONDS = 3.0


class Renderer:
    """A lazily launched headless Chromium. Use as `async with Renderer(options, fetcher) as renderer:`."""

    def __init__(self, options: CrawlOptions, fetcher: Fetcher) -> None:
        self.options = options
        self.fetcher = fetcher
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._launch_lock = asyncio.Lock()
        self._pages = asyncio.Semaphore(MAX_PARALLEL_PAGES)
        #: pages rendered over the Renderer's life
        self.rendered = 0
        #: browser requests refused by the address guard (URLs), for the crawl's record
        self.refused: list[str] = []

    @property
    def launched(self) -> bool:
        return self._browser is not None

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
                await browser.close()
        finally:
            if playwright is not None:
                await playwright.stop()

    async def _ensure_browser(self, url: str) -> Browser:
        async with self._launch_lock:
            if self._browser is None:
                try:
                    self._playwright = await async_playwright().start()
                    self._browser = await self._playwright.chromium.launch(
                        executable_path=self.options.chromium_path, args=list(CHROMIUM_ARGS), headless=True
                    )
                except PlaywrightError as exc:
                    await self.aclose()
                    raise FetchError(url, f"could not launch Chromium: {exc.message}") from exc
                logger.info("launched Chromium %s", self._browser.version)
            return self._browser

    async def render(self, url: str) -> str:
        """The DOM of `url` after load (and network idle, up to a few seconds) as HTML.

        Raises `RobotsDisallowed` (not loaded), `RefusedAddress`, or `FetchError` for navigation failures,
        timeouts and HTTP errors of the page itself.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "unsupported URL")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        await check_host(
            url,
            parts.hostname,
            port,
            allow_private_networks=self.options.allow_private_networks,
            allowed_hosts=self.fetcher.allowed_hosts,
        )
        await self.fetcher.ensure_allowed(url)
        browser = await self._ensure_browser(url)
        timeout_ms = self.options.timeout * 1000
        async with self._pages:
            context = await browser.new_context(user_agent=self.options.user_agent, java_script_enabled=True)
            try:
                await context.route("**/*", self._route)
                page = await context.new_page()
                async with self.fetcher.gate.slot(host_of(url)):
                    try:
                        response = await page.goto(url, wait_until="load", timeout=timeout_ms)
                    except PlaywrightError as exc:
                        raise FetchError(url, f"render failed: {exc.message}") from exc
                    if response is not None and response.status >= 400:
                        raise FetchError(url, f"render got HTTP {response.status}", status=response.status)
                    try:
                        await page.wait_for_load_state("networkidle", timeout=NETWORK_IDLE_SECONDS * 1000)
                    except PlaywrightError:
                        logger.debug("network busy after %.1fs on %s; DOM as is", NETWORK_IDLE_SECONDS, url)
                    try:
                        html = await page.content()
                    except PlaywrightError as exc:
                        raise FetchError(url, f"render failed: {exc.message}") from exc
            finally:
                try:
                    await context.close()
                except PlaywrightError:
                    logger.debug("closing a browser context failed", exc_info=True)
        self.rendered += 1
        return html

    async def _route(self, route: Route, *_: Any) -> None:
        """Skip heavy resources; refuse any request to a non-public address (unless private networks are allowed)."""
        request = route.request
        if request.resource_type in _BLOCKED_RESOURCES:
            await route.abort()
            return
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.hostname:
            try:
                await check_host(
                    request.url,
                    parts.hostname,
                    parts.port or (443 if parts.scheme == "https" else 80),
                    allow_private_networks=self.options.allow_private_networks,
                    allowed_hosts=self.fetcher.allowed_hosts,
                )
            except RefusedAddress as exc:
                logger.warning("browser request refused: %s", exc)
                self.refused.append(request.url)
                await route.abort("blockedbyclient")
                return
        await route.continue_()
