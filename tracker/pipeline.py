"""One crawl run: registry → crawlers (fetch, discover, extract) → classify → storage (checks, findings) → changes.

Each site is stored (`tracker.site_check.store_site`) in its own transaction as soon as it is done,
so a run killed halfway keeps what it finished and `resume` continues with the kommuner still to check.

Watching over time (`tracker.watching`): before a site is stored, every URL where one of the kommune's known plans was
seen is re-checked (`crawlers.recheck`, lent to `watching` as a callable) unless the crawl itself fetched it in this
check; the bytes of re-checked documents are extracted and classified like crawled ones. The change detector's events
and new state are written in the same transaction as the check: a kill loses nothing and a resumed run never writes
an event twice. Re-checks run as soon as a site's crawl result arrives, outside the store slots: a known plan URL
that times out delays its own site only, never the storing of others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

from crawlers.budget import DocumentBudget
from crawlers.fetch import Fetcher
from crawlers.politeness import RobotsRules
from crawlers.recheck import recheck_urls
from crawlers.render import Renderer
from crawlers.sweep import SweepStatus, crawl_sites
from crawlers.types import CrawlOptions, SiteCrawl
from tracker import watching
from tracker.domain import Kommune
from tracker.progress import LogProgress, Progress
from tracker.site_check import CrawlDependencies, FailedOnOurSide, count_failure, store_site
from tracker.store import runs
from tracker.store.models import CrawlRun
from tracker.watching import Recheck, UrlAnswer

logger = logging.getLogger(__name__)


#: sites whose documents may be extracted and stored while the crawl goes on
STORE_AHEAD = 4
#: sites whose known plan URLs may be re-checked at once, before they wait for a store slot
RECHECK_AHEAD = 8
#: retries of one re-check: a failed re-check never counts as absence, so waiting longer buys little
RECHECK_RETRIES = 1
#: how often the progress display hears the pages fetched and sites in flight while a crawl runs
PROGRESS_SECONDS = 0.5


class CrawlInterrupted(asyncio.CancelledError):
    """The run was cancelled (Ctrl-C, a scheduler stopping) and is stored as `interrupted`, so `--resume` finishes it.

    A `CancelledError`, so callers that only care that the crawl stopped handle it as any cancellation; `checked` of
    `planned` kommuner have a check in the run.
    """

    def __init__(self, run_id: int, checked: int, planned: int) -> None:
        super().__init__(f"crawl run {run_id} interrupted after {checked} of {planned} sites")
        self.run_id = run_id
        self.checked = checked
        self.planned = planned


async def run_crawl(
    kommuner: Sequence[Kommune],
    options: CrawlOptions,
    deps: CrawlDependencies,
    *,
    resume_run_id: int | None = None,
) -> int:
    """Crawl `kommuner`, store a check and a finding for each, and return the run id."""
    progress = deps.progress or LogProgress()
    with deps.session_factory.begin() as session:
        ids = runs.sync_kommuner(session, kommuner)
        if resume_run_id is not None:
            run = session.get(CrawlRun, resume_run_id)
            if run is None:
                raise ValueError(f"no crawl run {resume_run_id}")
            done = runs.checked_kommune_ids(session, run.id)
            run.state = "running"
        else:
            run = runs.start_run(session, options.record(), len(kommuner), deps.now())
            done = set()
        run_id = run.id
    todo = [k for k in kommuner if ids[(k.country.value, k.kommunenummer)] not in done]
    progress.planned(len(todo))
    by_url: dict[str, list[Kommune]] = {}
    for kommune in todo:
        by_url.setdefault(kommune.website, []).append(kommune)

    storing: list[asyncio.Task[None]] = []
    try:
        async with (
            Fetcher(options) as fetcher,
            Renderer(options, fetcher=fetcher) as renderer,
            RecheckFetcher(fetcher) as recheck_fetcher,
        ):
            unreachable: list[Kommune] = []
            recheck = recheck_with(recheck_fetcher)
            # Every site may be in flight at once; the documents they hold share one budget, and a site's bytes go
            # back to it once every kommune crawled from that site is stored (or let go).
            budget = DocumentBudget(options.max_document_bytes, options.max_document_bytes_per_site)
            sweep = SweepStatus()
            holders: dict[str, int] = {}
            # Each finished site first re-checks its known plan URLs (no store slot held: a plan URL that times
            # out must not stall the others), then extracts and stores in one of STORE_AHEAD slots while the crawl
            # goes on. At most STORE_AHEAD + RECHECK_AHEAD finished sites wait, so their bytes do not pile up.
            waiting = asyncio.Semaphore(STORE_AHEAD + RECHECK_AHEAD)
            slots = asyncio.Semaphore(STORE_AHEAD)

            def let_go(start_url: str) -> None:
                holders[start_url] -= 1
                if holders[start_url] <= 0:
                    budget.release(start_url)

            async def store_one(start_url: str, kommune: Kommune, crawl: SiteCrawl) -> None:
                try:
                    kommune_id = ids[(kommune.country.value, kommune.kommunenummer)]
                    answers = await watching.recheck_known_urls(
                        deps.session_factory,
                        kommune_id,
                        reachable=crawl.reachable,
                        blocked=crawl.blocked,
                        front_page_url=crawl.final_start_url or crawl.start_url,
                        crawled=crawl.documents,
                        recheck=recheck,
                    )
                    async with slots:
                        try:
                            status = await store_site(deps, run_id, kommune, kommune_id, crawl, answers)
                        except FailedOnOurSide as failure:
                            count_failure(deps, run_id)
                            progress.site_failed(kommune, failure.reason)
                            return
                    progress.site_done(kommune, status, crawl.pages_fetched)
                finally:
                    waiting.release()
                    let_go(start_url)

            async def store(start_url: str, crawl: SiteCrawl, alternative: bool) -> None:
                kommuner = by_url.get(start_url, [])
                holders[start_url] = len(kommuner) + 1  # + 1: released below, once every kommune's task is made
                try:
                    for kommune in kommuner:
                        if not crawl.reachable and kommune.website_alt and not alternative:
                            unreachable.append(kommune)  # try the second known address before calling it unreachable
                            let_go(start_url)
                            continue
                        await waiting.acquire()
                        storing.append(asyncio.create_task(store_one(start_url, kommune, crawl)))
                finally:
                    let_go(start_url)

            async def sweep_of(urls: list[str], alternative: bool) -> None:
                await crawl_sites(
                    urls,
                    options,
                    lambda url, crawl: store(url, crawl, alternative),
                    fetcher=fetcher,
                    renderer=renderer,
                    now=deps.now,
                    budget=budget,
                    status=sweep,
                )

            async with _reporting(progress, fetcher, sweep, lambda: len(storing) - sum(t.done() for t in storing)):
                await sweep_of(list(by_url), False)
                if unreachable:
                    by_url = {}
                    for kommune in unreachable:
                        by_url.setdefault(kommune.website_alt or kommune.website, []).append(kommune)
                    await sweep_of(list(by_url), True)
                await asyncio.gather(*storing)
    except asyncio.CancelledError:
        # Ctrl-C or a scheduler's stop: sites being stored are let go (each is one transaction, so none is half
        # written) and the run is marked resumable before the cancellation goes on.
        for task in storing:
            task.cancel()
        await asyncio.gather(*storing, return_exceptions=True)
        with deps.session_factory.begin() as session:
            run = session.get(CrawlRun, run_id)
            assert run is not None
            runs.finish_run(session, run, deps.now(), state="interrupted")
            checked, planned = run.kommuner_checked, run.kommuner_planned
        raise CrawlInterrupted(run_id, checked, planned) from None
    with deps.session_factory.begin() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        runs.finish_run(session, run, deps.now())
    return run_id


@asynccontextmanager
async def _reporting(
    progress: Progress, fetcher: Fetcher, sweep: SweepStatus, storing: Callable[[], int]
) -> AsyncIterator[None]:
    """Tell `progress` the requests made and the sites in flight (crawling or being stored) every
    `PROGRESS_SECONDS` while the block runs, and once more at its end."""

    def report() -> None:
        progress.crawling(fetcher.stats.requests, sweep.in_flight + storing())

    async def ticking() -> None:
        while True:
            report()
            await asyncio.sleep(PROGRESS_SECONDS)

    ticker = asyncio.create_task(ticking())
    try:
        yield
    finally:
        ticker.cancel()
        await asyncio.gather(ticker, return_exceptions=True)
        report()


class RecheckFetcher(Fetcher):
    """The crawl's politeness for re-checks (its per-host gate and robots.txt rules), with at most
    `RECHECK_RETRIES` retries: a plan URL that times out answers `failed` after two tries, not after the crawl's."""

    def __init__(self, crawl: Fetcher) -> None:
        retries = min(crawl.options.max_retries, RECHECK_RETRIES)
        super().__init__(
            replace(crawl.options, max_retries=retries), allowed_hosts=crawl.allowed_hosts, pool=crawl.pool
        )
        self.gate = crawl.gate
        self.crawl_fetcher = crawl

    async def robots(self, url: str) -> RobotsRules:
        return await self.crawl_fetcher.robots(url)


def recheck_with(fetcher: Fetcher) -> Recheck:
    """`crawlers.recheck.recheck_urls` bound to a fetcher, as `tracker.watching` takes it."""

    async def recheck(urls: Sequence[str], front_page_url: str) -> Sequence[UrlAnswer]:
        return await recheck_urls(urls, fetcher=fetcher, front_page_url=front_page_url)

    return recheck
