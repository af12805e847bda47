"""Crawl many sites at once and hand each result over as soon as its site is done.

Politeness sets the pace of a sweep, not a count of sites: with one request in flight per host and a delay between
requests, every site can be crawled at the same time, and the sweep takes about as long as its largest site. So by
default every site is in flight at once (`options.concurrency` <= 0; a positive value caps the sites in flight),
and what protects the machine are global caps: open connections (`crawlers.clients`, shared through the one
`Fetcher`), browser pages (the `Renderer`), and the bytes of documents held (`crawlers.budget`: a site waits for
room rather than pass it, and a site's bytes go back when its documents are let go).

One `Fetcher` and one lazily launched `Renderer` serve every site. A site whose crawl crashes (a bug of ours) is
tried once more, then becomes a `SiteCrawl` with `our_failure` set, and the others go on. Results are delivered one
at a time (the callback is never re-entered), so a caller can store each one and a killed run loses nothing already
stored. An exception raised by the callback itself stops the sweep: losing results silently would be worse.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from crawlers.budget import DocumentBudget
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


@dataclass
class SweepStatus:
    """How far a sweep is, for a progress display: sites planned, in flight (started, result not yet delivered),
    delivered. Pages fetched are the `Fetcher`'s `stats.requests`."""

    planned: int = 0
    in_flight: int = 0
    delivered: int = 0


async def crawl_sites(
    start_urls: Sequence[str],
    options: CrawlOptions,
    on_result: OnResult,
    *,
    now: Callable[[], datetime] = utc_now,
    fetcher: Fetcher | None = None,
    renderer: Renderer | None = None,
    budget: DocumentBudget | None = None,
    status: SweepStatus | None = None,
) -> None:
    """Crawl every start URL (duplicates are crawled once) and call `on_result(start_url, crawl)` for each.

    `fetcher`/`renderer` may be passed to share them with other work; otherwise they are made here and closed
    at the end. With `options.render == "never"` no renderer is made. `budget`: the document budget to charge;
    a caller that passes one calls `budget.release(start_url)` once it has let a result's documents go (stored
    them); without one, the sweep makes its own from `options.max_document_bytes` and releases each site when
    `on_result` returns. `status` is kept up to date for a progress display.
    """
    urls = list(dict.fromkeys(start_urls))
    own_budget = budget is None
    shared_budget = budget or DocumentBudget(options.max_document_bytes, options.max_document_bytes_per_site)
    status = status or SweepStatus()
    status.planned += len(urls)
    async with _Resources(options, fetcher, renderer) as (shared_fetcher, shared_renderer):
        # The cap (if any) is held until the result is delivered: finished sites waiting on a slow callback would
        # otherwise pile up with their documents' bytes while new sites start.
        cap = asyncio.Semaphore(options.concurrency) if options.concurrency > 0 else contextlib.nullcontext()
        deliver_lock = asyncio.Lock()

        async def one(start_url: str) -> None:
            async with cap:
                status.in_flight += 1
                try:
                    result = await _crawl_with_retry(
                        start_url, options, shared_fetcher, shared_renderer, now, shared_budget
                    )
                    async with deliver_lock:
                        delivered = on_result(start_url, result)
                        del result  # the consumer holds the documents from here on, or nobody does
                        if inspect.isawaitable(delivered):
                            await delivered
                finally:
                    status.in_flight -= 1
                    if own_budget:
                        shared_budget.release(start_url)
                status.delivered += 1

        tasks = [asyncio.create_task(one(url)) for url in urls]
        try:
            for task in asyncio.as_completed(tasks):
                await task
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def _crawl_with_retry(
    start_url: str,
    options: CrawlOptions,
    fetcher: Fetcher,
    renderer: Renderer | None,
    now: Callable[[], datetime],
    budget: DocumentBudget,
) -> SiteCrawl:
    """Crawl one site; a crash of our own is tried again, then delivered as `our_failure` (never "unreachable").

    Each attempt opens the site's hold on the document budget afresh (a crashed attempt's bytes are let go)."""
    started = now()
    failure = ""
    for attempt in range(1, SITE_ATTEMPTS + 1):
        site_fetcher = fetcher.for_site(budget.open(start_url))
        try:
            return await crawl_site(start_url, options, fetcher=site_fetcher, renderer=renderer, now=now)
        except Exception as exc:  # noqa: BLE001 - one site's bug must not stop the sweep; it is recorded
            logger.exception("crawl of %s failed on our side (attempt %d of %d)", start_url, attempt, SITE_ATTEMPTS)
            failure = f"internal error: {type(exc).__name__}: {exc}"
    budget.release(start_url)  # no documents come out of a failed crawl
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
