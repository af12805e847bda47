"""One site's check, stored: its documents ingested (`tracker.ingest`), its finding decided (`tracker.findings`) and
its changes watched (`tracker.watch.watching`), all in one transaction, so a kill loses nothing and a resumed run never
writes an event twice. The in-process crawl (`tracker.pipeline`) and the queue's workers (`tracker.schedule.worker`)
store each site through `store_site`.

Our own failures are no evidence about a kommune: a crawl that crashed on our side, or a document we could not read
(`FailedOnOurSide`), stores nothing; `count_failure` counts it in the run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from crawlers.doctype import served_format
from crawlers.extract import Extractor
from crawlers.types import SiteCrawl
from tracker import ingest
from tracker.blobs import EvidenceStore
from tracker.clock import utc_now
from tracker.config import Settings
from tracker.domain import Kommune, Status
from tracker.findings import FindingDecision, decide
from tracker.progress import Progress
from tracker.store import runs
from tracker.store.models import Sighting, SiteCheck
from tracker.watch import watching
from tracker.watch.watching import CheckSeen, UrlAnswer

#: statuses that say the abuse-specific plan is absent: only a crawl that read the whole site may give them
ABSENCE_VERDICTS: Final = frozenset({Status.NO_PLAN_FOUND, Status.GENERAL_VIOLENCE_PLAN_ONLY})


class FailedOnOurSide(Exception):
    """A check that our own tools spoiled (a crawl that crashed, a parser that timed out twice): it is no evidence
    about the kommune, so no check, finding or event is stored; the run counts it in `errors` and the kommune keeps
    its last finding until the next check."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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

    Raises `FailedOnOurSide` (nothing written) when the crawl itself failed on our side, a document could not be
    read because of us, or the plan was not found while our rendering budget left script-built pages unread: a
    verdict built on our own failure would be a false "no plan"."""
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
        if decision.status in ABSENCE_VERDICTS and crawl.discovery_cut:
            # leaving the block with the exception rolls the check back: nothing about the kommune is written
            raise FailedOnOurSide(f"no abuse-specific plan among the pages read, but the {crawl.discovery_cut}")
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
    sightings: list[Sighting] = []
    seen_urls: set[str] = set()
    for sha, crawled in zip(shas[: len(crawl.documents)], crawl.documents, strict=True):
        if crawled.url not in seen_urls:
            seen_urls.add(crawled.url)
            sightings.append(ingest.sighting_row(stored[sha].document, ingest.seen_in_crawl(crawled)))
    check = runs.record_check(
        session,
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
        sightings=sightings,
    )
    runs.count_documents_fetched(session, run_id, len(crawl.documents))
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
    runs.add_finding(
        session,
        run=runs.get_run(session, run_id),
        check=check,
        decision=decision,
        plan_sighting=sightings[decision.plan.sighting_key] if decision.plan else None,
        plan_classification=readings[decision.plan.sighting_key] if decision.plan else None,
    )
    return decision


def count_failure(deps: CrawlDependencies, run_id: int) -> None:
    """Count a check that failed on our side in its run's `errors` (it stores nothing else)."""
    with deps.session_factory.begin() as session:
        runs.count_our_failure(session, run_id)


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
