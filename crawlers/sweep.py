"""Crawl many sites at once and hand each result over as soon as its site is done.

One `Fetcher` (per-host clients and gates inside) and one lazily launched `Renderer` serve every site;
`options.concurrency` sites run at a time, and a site keeps its slot until its result is delivered, so at most
`concurrency` sites' documents (each at most `options.max_document_bytes_per_site`) are held here at once. A site
whose crawl crashes (a bug of ours) is tried once more, then becomes a `SiteCrawl` with `our_failure` set, and the
others go on. Results are delivered one at a time (the callback is
never re-entered), so a caller can store each one and a killed run loses nothing already stored. An exception
raised by the callback itself stops the sweep: losing results silently would be worse.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

from crawlers.fetch import Fetcher
from crawlers.render import Renderer
from crawlers.site import crawl_site
from crawlers.types import CrawlOptions, SiteCrawl

logger = logging.getLogger(__name__)

OnResult = Callable[[str, SiteCrawl], Awaitable[None] | None]
#: tries of one site when the crawl crashes on our side
SITE_ATTEMPTS = 2


def utc_now() -> datetime:
    return datetime.now(UTC)


async def crawl_sites(
    start_urls: Sequence[str],
    options: CrawlOptions,
    on_result: OnResult,
    *,
    now: Callable[[], datetime] = utc_now,
    fetcher: Fetcher | None = None,
    renderer: Renderer | None = None,
) -> None:
    """Crawl every start URL (duplicates are crawled once) and call `on_result(start_url, crawl)` for each.

    `fetcher`/`renderer` may be passed to share them with other work; otherwise they are made here and closed
    at the end. With `options.render == "never"` no renderer is made.
    """
    async with _Resources(options, fetcher, renderer) as (shared_fetcher, shared_renderer):
        semaphore = asyncio.Semaphore(max(1, options.concurrency))
        deliver_lock = asyncio.Lock()

        async def one(start_url: str) -> None:
            # The slot is held until the result is delivered: finished sites waiting on a slow callback would
            # otherwise pile up with their documents' bytes while new sites start (memory bounded by concurrency).
            async with semaphore:
                result = await _crawl_with_retry(start_url, options, shared_fetcher, shared_renderer, now)
                async with deliver_lock:
                    delivered = on_result(start_url, result)
                    if inspect.isawaitable(delivered):
                        await delivered

        tasks = [asyncio.create_task(one(url)) for url in dict.fromkeys(start_urls)]
        try:
            for task in asyncio.as_completed(tasks):
                await task
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _crawl_with_retry(
    start_url: str, options: CrawlOptions, fetcher: Fetcher, renderer: Renderer | None, now: Callable[[], datetime]
) -> SiteCrawl:
    """Crawl one site; a crash of our own is tried again, then delivered as `our_failure` (never "unreachable")."""
    started = now()
    failure = ""
    for attempt in range(1, SITE_ATTEMPTS + 1):
        try:
            return await crawl_site(start_url, options, fetcher=fetcher, renderer=renderer, now=now)
        except Exception as exc:  # noqa: BLE001 - one site's bug must not stop the sweep; it is recorded
            logger.exception("crawl of %s failed on our side (attempt %d of %d)", start_url, attempt, SITE_ATTEMPTS)
            failure = f"internal error: {type(exc).__name__}: {exc}"
    return SiteCrawl(
        start_url=start_url,
        final_start_url=None,
        reachable=False,
        error=failure,
        pages_fetched=0,
        documents=(),
        issues=(),
        robots_disallowed=0,
        rendered_pages=0,
        started_at=started,
        finished_at=now(),
        our_failure=failure,
    )


class _Resources:
    """Opens what the caller did not pass, and closes only that."""

    def __init__(self, options: CrawlOptions, fetcher: Fetcher | None, renderer: Renderer | None) -> None:
        self._options = options
        self._given_fetcher = fetcher
        self._given_renderer = renderer
        self._own_fetcher: Fetcher | None = None
        self._own_renderer: Renderer | None = None

    async def __aenter__(self) -> tuple[Fetcher, Renderer | None]:
        fetcher = self._given_fetcher
        if fetcher is None:
            fetcher = self._own_fetcher = Fetcher(self._options)
        renderer = self._given_renderer
        if renderer is None and self._options.render != "never":
            renderer = self._own_renderer = Renderer(self._options, fetcher)
        return fetcher, renderer

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            if self._own_renderer is not None:
                await self._own_renderer.aclose()
        finally:
            if self._own_fetcher is not None:
                await self._own_fetcher.aclose()
