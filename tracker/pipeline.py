"""One crawl run: registry → crawlers (fetch, discover, extract) → classify → storage (checks, findings) → changes.

Each site is stored (`tracker.site_check.store_site`) in its own transaction as soon as it is done,
so a run killed halfway keeps what it finished and `resume` continues with the kommuner still to check.

Watching over time (`tracker.watch.watching`): before a site is stored, every URL where one of the kommune's known plans
was seen is re-checked (`crawlers.recheck`, lent to `watching` as a callable) unless the crawl itself fetched it in this
check; the bytes of re-checked documents are extracted and classified like crawled ones. The change detector's events
and new state are written in the same transaction as the check: a kill loses nothing and a resumed run never writes
an event twice. What becomes of a site once its crawl is done (re-checks, store slots, its bytes given back to the
budget) is `tracker.finished_sites`.
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
from crawlers.types import CrawlOptions
from tracker.domain import Kommune
from tracker.finished_sites import FinishedSites
from tracker.progress import LogProgress, Progress
from tracker.site_check import CrawlDependencies
from tracker.store import runs
from tracker.watch.watching import Recheck, UrlAnswer

logger = logging.getLogger(__name__)


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
    run_id, ids, todo = _open_run(kommuner, options, deps, resume_run_id)
    progress.planned(len(todo))
    finished: FinishedSites | None = None
    try:
        async with (
            Fetcher(options) as fetcher,
            Renderer(options, fetcher=fetcher) as renderer,
            RecheckFetcher(fetcher) as recheck_fetcher,
        ):
            # Every site may be in flight at once; the documents they hold share one budget, and a site's bytes go
            # back to it once every kommune crawled from that site is stored (or let go).
            budget = DocumentBudget(options.max_document_bytes, options.max_document_bytes_per_site)
            sites = finished = FinishedSites(deps, run_id, ids, budget, recheck_with(recheck_fetcher), progress)
            sweep = SweepStatus()

            async def sweep_of(kommuner: Sequence[Kommune], alternative: bool) -> None:
                by_url: dict[str, list[Kommune]] = {}
                for kommune in kommuner:
                    url = (kommune.website_alt or kommune.website) if alternative else kommune.website
                    by_url.setdefault(url, []).append(kommune)
                await crawl_sites(
                    list(by_url),
                    options,
                    lambda url, crawl: sites.take(url, crawl, by_url.get(url, []), alternative=alternative),
                    fetcher=fetcher,
                    renderer=renderer,
                    now=deps.now,
                    budget=budget,
                    status=sweep,
                )

            async with _reporting(progress, fetcher, sweep, sites.in_flight):
                await sweep_of(todo, False)
                if sites.unreachable:
                    await sweep_of(sites.unreachable, True)
                await sites.all_stored()
    except asyncio.CancelledError:
        # Ctrl-C or a scheduler's stop: sites being stored are let go and the run is marked resumable before the
        # cancellation goes on.
        if finished is not None:
            await finished.let_go()
        checked, planned = _close_run(deps, run_id, "interrupted")
        raise CrawlInterrupted(run_id, checked, planned) from None
    _close_run(deps, run_id, "finished")
    return run_id


def _open_run(
    kommuner: Sequence[Kommune], options: CrawlOptions, deps: CrawlDependencies, resume_run_id: int | None
) -> tuple[int, dict[tuple[str, str], int], list[Kommune]]:
    """Store the kommuner and start a run (or take up `resume_run_id` again): the run id, each kommune's id by
    (country, kommunenummer), and the kommuner still to check in it."""
    with deps.session_factory.begin() as session:
        ids = runs.sync_kommuner(session, kommuner)
        if resume_run_id is not None:
            run = runs.reopen_run(session, resume_run_id)
            if run is None:
                raise ValueError(f"no crawl run {resume_run_id}")
            done = runs.checked_kommune_ids(session, run.id)
        else:
            run = runs.start_run(session, options.record(), len(kommuner), deps.now())
            done = set()
        run_id = run.id
    return run_id, ids, [k for k in kommuner if ids[(k.country.value, k.kommunenummer)] not in done]


def _close_run(deps: CrawlDependencies, run_id: int, state: str) -> tuple[int, int]:
    """Mark the run `state` and return its kommuner checked and planned."""
    with deps.session_factory.begin() as session:
        run = runs.get_run(session, run_id)
        runs.finish_run(session, run, deps.now(), state=state)
        return run.kommuner_checked, run.kommuner_planned


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
    """`crawlers.recheck.recheck_urls` bound to a fetcher, as `tracker.watch.watching` takes it."""

    async def recheck(urls: Sequence[str], front_page_url: str) -> Sequence[UrlAnswer]:
        return await recheck_urls(urls, fetcher=fetcher, front_page_url=front_page_url)

    return recheck
