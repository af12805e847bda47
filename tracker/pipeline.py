"""One crawl run: registry → crawlers (fetch, discover, extract) → classify → storage (checks, findings) → changes.

The only tracker module that imports `crawlers`. Each site is stored in its own transaction as soon as it is done,
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
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from crawlers.budget import DocumentBudget
from crawlers.doctype import served_format
from crawlers.extract import Extractor
from crawlers.fetch import Fetcher
from crawlers.politeness import RobotsRules
from crawlers.recheck import recheck_urls
from crawlers.render import Renderer
from crawlers.sweep import SweepStatus, crawl_sites
from crawlers.types import CrawlOptions, SiteCrawl
from tracker import ingest, storage, watching
from tracker.blobs import EvidenceStore
from tracker.clock import utc_now
from tracker.config import Settings
from tracker.domain import Kommune, Status
from tracker.findings import FindingDecision, decide
from tracker.models import CrawlRun, Sighting, SiteCheck
from tracker.watching import CheckSeen, Recheck, UrlAnswer

logger = logging.getLogger(__name__)


#: sites whose documents may be extracted and stored while the crawl goes on
STORE_AHEAD = 4
#: sites whose known plan URLs may be re-checked at once, before they wait for a store slot
RECHECK_AHEAD = 8
#: retries of one re-check: a failed re-check never counts as absence, so waiting longer buys little
RECHECK_RETRIES = 1
#: how often the progress display hears the pages fetched and sites in flight while a crawl runs
PROGRESS_SECONDS = 0.5


class FailedOnOurSide(Exception):
    """A check that our own tools spoiled (a crawl that crashed, a parser that timed out twice): it is no evidence
    about the kommune, so no check, finding or event is stored; the run counts it in `errors` and the kommune keeps
    its last finding until the next check."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


class Progress(Protocol):
    """What the pipeline tells a progress display (rich on a terminal, log lines otherwise).

    `crawling` comes every `PROGRESS_SECONDS` while the crawl runs, and once at its end: `pages` is every request
    made so far (pages, documents, robots.txt, sitemaps, rendered pages' requests), `in_flight` the sites started
    whose result is not stored yet.
    """

    def planned(self, total: int) -> None: ...
    def crawling(self, pages: int, in_flight: int) -> None: ...
    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None: ...
    def site_failed(self, kommune: Kommune, reason: str) -> None: ...


class LogProgress:
    """Progress as log lines: one per site, and the pages and sites in flight every `every` seconds."""

    def __init__(self, every: float = 30.0) -> None:
        self.every = every
        self.done = 0
        self.total = 0
        self._last = time.monotonic()

    def planned(self, total: int) -> None:
        self.total = total
        logger.info("crawling %d kommuner", total)

    def crawling(self, pages: int, in_flight: int) -> None:
        if time.monotonic() - self._last >= self.every:
            self._last = time.monotonic()
            logger.info("%d pages fetched; sites: %d done, %d in flight, %d planned", pages, self.done, in_flight,
                        self.total)  # fmt: skip

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.done += 1
        logger.info("%s %s: %s (%d pages)", kommune.kommunenummer, kommune.name, status.value, pages)

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        self.done += 1
        logger.error("%s %s: check failed on our side, nothing stored: %s", kommune.kommunenummer, kommune.name, reason)


@dataclass
class CrawlDependencies:
    """Everything a run needs, built once by the caller (the CLI or the scheduler)."""

    session_factory: sessionmaker[Session]
    evidence: EvidenceStore
    extractor: Extractor
    now: Callable[[], datetime] = utc_now
    progress: Progress | None = None
    #: consecutive checks (site reachable) that must confirm a plan gone before `plan_vanished` (Settings)
    confirmations: int = 2
    #: checks in a row a site may be unreachable before `crawler_blocked` (Settings)
    unreachable_alert_after: int = 3


@asynccontextmanager
async def crawl_dependencies(
    settings: Settings,
    session_factory: sessionmaker[Session],
    *,
    now: Callable[[], datetime] = utc_now,
    progress: Progress | None = None,
) -> AsyncIterator[CrawlDependencies]:
    """A crawl's dependencies as the settings give them, with the sandboxed extraction pool open for the block:
    what the CLI's crawl, the scheduler and the queue's workers each need, built one way."""
    async with Extractor(workers=settings.extract_workers or None) as extractor:
        yield CrawlDependencies(
            session_factory,
            EvidenceStore.open(settings.resolved_evidence_dir),
            extractor,
            now=now,
            progress=progress,
            confirmations=settings.confirmations,
            unreachable_alert_after=settings.unreachable_alert_after,
        )


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
        ids = storage.sync_kommuner(session, kommuner)
        if resume_run_id is not None:
            run = session.get(CrawlRun, resume_run_id)
            if run is None:
                raise ValueError(f"no crawl run {resume_run_id}")
            done = storage.checked_kommune_ids(session, run.id)
            run.state = "running"
        else:
            run = storage.start_run(session, options.record(), len(kommuner), deps.now())
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
                            _count_failure(deps, run_id)
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
            storage.finish_run(session, run, deps.now(), state="interrupted")
            checked, planned = run.kommuner_checked, run.kommuner_planned
        raise CrawlInterrupted(run_id, checked, planned) from None
    with deps.session_factory.begin() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        storage.finish_run(session, run, deps.now())
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


async def store_site(
    deps: CrawlDependencies,
    run_id: int,
    kommune: Kommune,
    kommune_id: int,
    crawl: SiteCrawl,
    answers: Sequence[UrlAnswer],
) -> Status:
    """Extract and classify every document (crawled, or served to a re-check: `answers`), then write check,
    sightings, finding, change events and the kommune's watch state in one transaction.

    Raises `FailedOnOurSide` (nothing written) when the crawl itself failed on our side or a document could not be
    read because of us: a verdict built on our own failure would be a false "no plan"."""
    if crawl.our_failure is not None:
        raise FailedOnOurSide(crawl.our_failure)
    fetched = [ingest.fetched_from_crawl(doc) for doc in crawl.documents]
    fetched += [doc for doc in map(_rechecked_document, answers) if doc is not None]
    extractions = await ingest.extract_new(deps.session_factory, deps.evidence, deps.extractor, fetched)
    ours = extractions.failed_on_our_side(fetched)
    if ours:
        raise FailedOnOurSide(f"{len(ours)} document(s) could not be read on our side, e.g. {ours[0]}")
    today = deps.now().date()
    with deps.session_factory.begin() as session:
        stored: dict[str, ingest.Ingested] = {}
        for sha, doc in zip(extractions.shas, fetched, strict=True):
            if sha not in stored:
                stored[sha] = ingest.ingest_document(
                    session, sha, doc, extractions.texts.get(sha), today=today, now=deps.now()
                )
        check, sightings = _store_check(session, run_id, kommune_id, crawl, extractions.shas, stored)
        decision = _store_finding(session, run_id, check, sightings, stored, crawl, today)
        seen = CheckSeen(
            check_id=check.id,
            run_id=run_id,
            reachable=crawl.reachable,
            blocked=crawl.blocked,
            detail=crawl.error or "",
            documents=[
                watching.seen_document(doc.url, doc.final_url, stored[sha].document, stored[sha].reading)
                for sha, doc in zip(extractions.shas, fetched, strict=True)
            ],
            answers=answers,
        )
        watching.detect_and_record(
            session,
            kommune_id,
            seen,
            kommune=kommune,
            confirmations=deps.confirmations,
            unreachable_alert_after=deps.unreachable_alert_after,
            now=deps.now(),
        )
    return decision.status


def _store_check(
    session: Session,
    run_id: int,
    kommune_id: int,
    crawl: SiteCrawl,
    shas: Sequence[str],
    stored: dict[str, ingest.Ingested],
) -> tuple[SiteCheck, list[Sighting]]:
    """The site check and one sighting per crawled URL (re-checked URLs are no sightings: `watching` has them)."""
    check = SiteCheck(
        run_id=run_id,
        kommune_id=kommune_id,
        start_url=crawl.start_url,
        final_url=crawl.final_start_url,
        reachable=crawl.reachable,
        blocked=crawl.blocked,
        error=crawl.error,
        pages_fetched=crawl.pages_fetched,
        robots_disallowed=crawl.robots_disallowed,
        rendered_pages=crawl.rendered_pages,
        issues=[asdict(issue) for issue in crawl.issues],
        trail=asdict(crawl.trail),
        started_at=crawl.started_at,
        finished_at=crawl.finished_at,
    )
    sightings: list[Sighting] = []
    seen_urls: set[str] = set()
    for sha, crawled in zip(shas[: len(crawl.documents)], crawl.documents, strict=True):
        if crawled.url not in seen_urls:
            seen_urls.add(crawled.url)
            sightings.append(ingest.sighting_row(stored[sha].document, ingest.seen_in_crawl(crawled)))
    storage.add_check(session, check, sightings)
    run = session.get(CrawlRun, run_id)
    assert run is not None
    run.documents_fetched = CrawlRun.documents_fetched + len(crawl.documents)  # in SQL: see add_finding
    return check, sightings


def _store_finding(
    session: Session,
    run_id: int,
    check: SiteCheck,
    sightings: Sequence[Sighting],
    stored: dict[str, ingest.Ingested],
    crawl: SiteCrawl,
    today: date,
) -> FindingDecision:
    """Decide the kommune's status from the check's read sightings and store it as the check's finding."""
    readings = {index: stored[s.document.sha256].reading for index, s in enumerate(sightings)}
    candidates = [ingest.candidate(index, sightings[index], reading)
                  for index, reading in readings.items() if reading is not None]  # fmt: skip
    decision = decide(crawl.reachable, candidates, today, blocked=crawl.blocked, error=crawl.error)
    run = session.get(CrawlRun, run_id)
    assert run is not None
    storage.add_finding(
        session,
        run=run,
        check=check,
        decision=decision,
        plan_sighting=sightings[decision.plan.sighting_key] if decision.plan else None,
        plan_classification=readings[decision.plan.sighting_key] if decision.plan else None,
    )
    return decision


def _count_failure(deps: CrawlDependencies, run_id: int) -> None:
    with deps.session_factory.begin() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        run.errors += 1


def _rechecked_document(answer: UrlAnswer) -> ingest.Fetched | None:
    """The bytes a re-checked URL served, to extract and classify like a crawled document."""
    if answer.outcome not in ("served", "moved") or not answer.body:
        return None
    final = answer.final_url or answer.url
    fmt = served_format(answer.body, answer.content_type, "", final) or (
        "html" if answer.content_type.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml")
        else None
    )  # fmt: skip
    if fmt is None:
        return None
    return ingest.Fetched(answer.url, final, fmt, answer.content_type, answer.body)
