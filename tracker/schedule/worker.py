"""One kommune's check as a job of the sweep queue (`tracker.schedule.sweep_queue`): crawl its site, re-check its known
plan URLs, and store check, finding and change events in one transaction, exactly as `tracker.pipeline.run_crawl` does
for each of its sites (`site_check.store_site`).

A `SiteChecker` is what a `planvakt worker` process holds for its life: the extractor (given), and the fetcher,
renderer and re-check fetcher of the sweep's crawl options (made on the first job of those options and kept,
normally one set for the worker's life). The sweep's options come from its crawl run, so every worker crawls a
sweep as it was queued.

Our own failures: a site whose check failed on our side (`FailedOnOurSide`) raises, and procrastinate runs the job
again later (`CHECK_RETRIES`), on any worker; on the last attempt the failure is counted in the run's `errors` and
nothing is stored, as in `run_crawl`. A kommune is never given a finding built on our failure.
"""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlsplit

from procrastinate import App, JobContext, RetryStrategy
from sqlalchemy.exc import IntegrityError

from crawlers.fetch import Fetcher
from crawlers.politeness import SharedSlots
from crawlers.render import Renderer
from crawlers.sweep import crawl_sites
from crawlers.types import CrawlOptions, SiteCrawl
from tracker.domain import Country, Kommune
from tracker.pipeline import RecheckFetcher, recheck_with
from tracker.progress import LogProgress
from tracker.schedule import sweep_queue
from tracker.site_check import CrawlDependencies, FailedOnOurSide, count_failure, store_site
from tracker.store import runs
from tracker.store.models import KommuneRow
from tracker.store.sweep_jobs import CHECK_TASK
from tracker.watch import watching
from tracker.watch.watching import Recheck

logger = logging.getLogger(__name__)

#: times a check job is run again after its first attempt (a failure on our side, a worker that died or stopped)
CHECK_RETRIES = 2
#: seconds before such a retry
RETRY_WAIT = 5


@dataclass(frozen=True)
class _Tools:
    fetcher: Fetcher
    renderer: Renderer | None
    recheck: Recheck


class SiteChecker:
    """Checks one kommune of a queued sweep per call; holds the crawl tools across calls.

    Use as `async with SiteChecker(deps) as checker:`; the tools are closed at the end.
    """

    def __init__(self, deps: CrawlDependencies, *, host_slots: SharedSlots | None = None) -> None:
        """`host_slots`: every host's slot shared with the other workers (`tracker.store.host_leases.HostLeases`)."""
        self.deps = deps
        self.host_slots = host_slots
        self.progress = deps.progress or LogProgress()
        self._tools: dict[CrawlOptions, _Tools] = {}
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> SiteChecker:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._tools = {}
        await self._stack.aclose()

    async def _tools_for(self, options: CrawlOptions) -> _Tools:
        tools = self._tools.get(options)
        if tools is None:
            fetcher = await self._stack.enter_async_context(Fetcher(options, shared_slots=self.host_slots))
            renderer = None
            if options.render != "never":
                renderer = await self._stack.enter_async_context(Renderer(options, fetcher=fetcher))
            recheck = await self._stack.enter_async_context(RecheckFetcher(fetcher))
            tools = self._tools[options] = _Tools(fetcher, renderer, recheck_with(recheck))
        return tools

    async def check(self, run_id: int, kommune_id: int, *, job_id: int, last_attempt: bool) -> str:
        """Check the kommune into the run; return what became of it: `checked`, `failed` (on our side, last
        attempt), `already` (checked by an earlier attempt) or `gone` (no such run). Raises `FailedOnOurSide`
        when the job should be tried again."""
        with self.deps.session_factory() as session:
            run = runs.find_run(session, run_id)
            row = runs.find_kommune(session, kommune_id)
            if run is None or row is None:
                logger.warning("job %d: no crawl run %d or kommune %d; nothing to do", job_id, run_id, kommune_id)
                return "gone"
            already = kommune_id in runs.checked_kommune_ids(session, run_id)
            options = run_options(run.options)
        kommune = kommune_of(row)
        outcome = "already"
        if not already:
            outcome = await self._check(run_id, kommune, kommune_id, options, job_id, last_attempt)
        else:
            logger.info("%s %s: already checked in run %d", kommune.kommunenummer, kommune.name, run_id)
        sweep_queue.finish_if_last(self.deps.session_factory, run_id, job_id, self.deps.now())
        return outcome

    async def _check(
        self, run_id: int, kommune: Kommune, kommune_id: int, options: CrawlOptions, job_id: int, last_attempt: bool
    ) -> str:
        tools = await self._tools_for(options)
        logger.info("%s %s: checking (run %d, job %d)", kommune.kommunenummer, kommune.name, run_id, job_id)
        try:
            crawl = await self._crawl(kommune.website, options, tools)
            if not crawl.reachable and kommune.website_alt:
                crawl = await self._crawl(kommune.website_alt, options, tools)
            answers = await watching.recheck_known_urls(
                self.deps.session_factory,
                kommune_id,
                reachable=crawl.reachable,
                blocked=crawl.blocked,
                front_page_url=crawl.final_start_url or crawl.start_url,
                crawled=crawl.documents,
                recheck=tools.recheck,
            )
        finally:
            if self.host_slots is None:  # with shared slots every worker's gate knows of every request
                await _wait_out_delay(tools.fetcher, kommune)
        try:
            status = await store_site(self.deps, run_id, kommune, kommune_id, crawl, answers)
        except FailedOnOurSide as failure:
            if not last_attempt:
                logger.warning("%s: failed on our side, to be tried again: %s", kommune.kommunenummer, failure.reason)
                raise
            count_failure(self.deps, run_id)
            self.progress.site_failed(kommune, failure.reason)
            return "failed"
        except IntegrityError:  # another attempt stored this kommune's check in the meantime (unique per run)
            logger.warning("%s %s: already checked in run %d", kommune.kommunenummer, kommune.name, run_id)
            return "already"
        self.progress.site_done(kommune, status, crawl.pages_fetched)
        return "checked"

    async def _crawl(self, start_url: str, options: CrawlOptions, tools: _Tools) -> SiteCrawl:
        results: list[SiteCrawl] = []
        await crawl_sites(
            [start_url],
            options,
            lambda _url, crawl: results.append(crawl),
            fetcher=tools.fetcher,
            renderer=tools.renderer,
            now=self.deps.now,
        )
        (crawl,) = results
        return crawl


async def _wait_out_delay(fetcher: Fetcher, kommune: Kommune) -> None:
    """Wait until the host's delay has passed since this worker's last request to it: the host lock passes to
    another worker when the job ends, and that worker's gate knows nothing of our requests."""
    for website in (kommune.website, kommune.website_alt):
        host = urlsplit(website).hostname if website else None
        if host:
            async with fetcher.gate.slot(host.lower()):
                pass


def register_check_task(app: App, checker: SiteChecker) -> None:
    """Make `checker` the worker of `CHECK_TASK` jobs on `app`."""

    @app.task(
        name=CHECK_TASK,
        queue=sweep_queue.QUEUE,
        pass_context=True,
        retry=RetryStrategy(max_attempts=CHECK_RETRIES, wait=RETRY_WAIT),
    )
    async def check_kommune(context: JobContext, run_id: int, kommune_id: int) -> str:
        job = context.job
        assert job.id is not None
        return await checker.check(run_id, kommune_id, job_id=job.id, last_attempt=job.attempts >= CHECK_RETRIES)


def run_options(record: dict[str, Any]) -> CrawlOptions:
    """The crawl options a run was queued with (its stored record; fields this version lacks are left out)."""
    known = {f.name for f in fields(CrawlOptions)}
    return replace(CrawlOptions(), **{k: v for k, v in record.items() if k in known})


def kommune_of(row: KommuneRow) -> Kommune:
    return Kommune(
        kommunenummer=row.kommunenummer,
        name=row.name,
        country=Country(row.country),
        website=row.website,
        website_alt=row.website_alt,
        region_code=row.region_code,
        region=row.region,
        written_standard=row.written_standard,
    )
