"""One crawl run: registry → crawlers (fetch, discover, extract) → classify → storage (checks, findings) → changes.

The only tracker module that imports `crawlers`. Each site is stored in its own transaction as soon as it is done,
so a run killed halfway keeps what it finished and `resume` continues with the kommuner still to check.

Watching over time: before a site is stored, every URL where one of the kommune's known plans was seen is re-checked
(`crawlers.recheck`) unless the crawl itself fetched it in this check; the bytes of re-checked documents are extracted
and classified like crawled ones. The change detector (`tracker.changes`) then compares the check with the kommune's
known plans, and its events and new state are written in the same transaction as the check: a kill loses nothing and
a resumed run never writes an event twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from crawlers.errors import ExtractionError
from crawlers.extract import Extractor
from crawlers.fetch import Fetcher
from crawlers.recheck import UrlCheck, recheck_urls
from crawlers.render import Renderer
from crawlers.sweep import crawl_sites
from crawlers.types import CrawlOptions, ExtractedText, FetchedDocument, SiteCrawl
from crawlers.urls import document_format_of, document_format_of_content_type
from tracker import storage, watch_store
from tracker.accessibility import assess_accessibility
from tracker.blobs import EvidenceStore
from tracker.changes import (
    Check,
    SeenDocument,
    UrlOutcome,
    UrlRecheck,
    detect_changes,
    page_hashes,
    text_fingerprint,
    text_sketch,
)
from tracker.domain import Category, DocumentText, Kommune, Status
from tracker.findings import NOT_YET_A_PLAN, ClassifiedSighting, decide
from tracker.models import Classification, CrawlRun, Document, Sighting, SiteCheck
from tracker.reading import CLASSIFIER_VERSION, read_document

logger = logging.getLogger(__name__)


#: sites whose documents may be extracted and stored while the crawl goes on
STORE_AHEAD = 4


def utc_now() -> datetime:
    return datetime.now(UTC)


class Progress(Protocol):
    """What the pipeline tells a progress display (rich on a terminal, log lines otherwise)."""

    def planned(self, total: int) -> None: ...
    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None: ...


class LogProgress:
    def planned(self, total: int) -> None:
        logger.info("crawling %d kommuner", total)

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        logger.info("%s %s: %s (%d pages)", kommune.kommunenummer, kommune.name, status.value, pages)


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
            options_record = {k: v for k, v in asdict(options).items() if k != "search_queries"}
            run = storage.start_run(session, options_record, len(kommuner), deps.now())
            done = set()
        run_id = run.id
    todo = [k for k in kommuner if ids[(k.country.value, k.kommunenummer)] not in done]
    progress.planned(len(todo))
    by_url: dict[str, list[Kommune]] = {}
    for kommune in todo:
        by_url.setdefault(kommune.website, []).append(kommune)

    async with Fetcher(options) as fetcher, Renderer(options, fetcher=fetcher) as renderer:
        unreachable: list[Kommune] = []
        # Extraction of one site's documents runs while the crawl goes on; at most STORE_AHEAD sites wait for it,
        # so a slow PDF does not hold up the sweep and finished sites' bytes do not pile up in memory.
        storing: list[asyncio.Task[None]] = []
        slots = asyncio.Semaphore(STORE_AHEAD)

        async def store_one(kommune: Kommune, crawl: SiteCrawl) -> None:
            try:
                kommune_id = ids[(kommune.country.value, kommune.kommunenummer)]
                status = await _store_site(deps, run_id, kommune_id, crawl, fetcher)
                progress.site_done(kommune, status, crawl.pages_fetched)
            finally:
                slots.release()

        async def store(start_url: str, crawl: SiteCrawl, alternative: bool) -> None:
            for kommune in by_url.get(start_url, []):
                if not crawl.reachable and kommune.website_alt and not alternative:
                    unreachable.append(kommune)  # try the second known address before calling it unreachable
                    continue
                await slots.acquire()
                storing.append(asyncio.create_task(store_one(kommune, crawl)))

        await crawl_sites(
            list(by_url),
            options,
            lambda url, crawl: store(url, crawl, False),
            fetcher=fetcher,
            renderer=renderer,
            now=deps.now,
        )
        if unreachable:
            by_url = {}
            for kommune in unreachable:
                by_url.setdefault(kommune.website_alt or kommune.website, []).append(kommune)
            await crawl_sites(
                list(by_url),
                options,
                lambda url, crawl: store(url, crawl, True),
                fetcher=fetcher,
                renderer=renderer,
                now=deps.now,
            )
        await asyncio.gather(*storing)

    with deps.session_factory.begin() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        storage.finish_run(session, run, deps.now())
    return run_id


@dataclass(frozen=True)
class _Fetched:
    """Bytes to store and read: a crawled document or a re-checked known plan URL (never a sighting)."""

    url: str
    final_url: str
    format: str
    content_type: str
    body: bytes
    anchor_text: str = ""


async def _store_site(
    deps: CrawlDependencies, run_id: int, kommune_id: int, crawl: SiteCrawl, fetcher: Fetcher
) -> Status:
    """Re-check known plan URLs, extract and classify every document, then write check, sightings, finding,
    change events and the kommune's watch state in one transaction."""
    rechecks = await _recheck_known_urls(deps, kommune_id, crawl, fetcher)
    fetched = [_Fetched(d.url, d.final_url, d.format, d.content_type, d.body, d.anchor_text) for d in crawl.documents]
    fetched += [doc for doc in map(_rechecked_document, rechecks) if doc is not None]
    shas = [deps.evidence.put(doc.body) for doc in fetched]
    with deps.session_factory() as session:
        known = {sha for sha in set(shas) if storage.document_by_sha(session, sha) is not None}
    to_extract = {sha: doc for sha, doc in zip(shas, fetched, strict=True) if sha not in known}
    extracted = dict(
        zip(
            to_extract,
            await asyncio.gather(*(_extract(deps.extractor, d) for d in to_extract.values())),
            strict=True,
        )
    )
    today = deps.now().date()
    with deps.session_factory.begin() as session:
        run = session.get(CrawlRun, run_id)
        assert run is not None
        documents: dict[str, Document] = {}
        classifications: dict[str, Classification | None] = {}
        for sha, doc in zip(shas, fetched, strict=True):
            if sha in documents:
                continue
            row = storage.document_by_sha(session, sha) or storage.add_document(
                session, _document_row(sha, doc, extracted[sha], deps.now())
            )
            documents[sha] = row
            classifications[sha] = _classification(session, row, doc, today, deps.now())
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
            started_at=crawl.started_at,
            finished_at=crawl.finished_at,
        )
        sightings: list[Sighting] = []
        seen_urls: set[str] = set()
        for sha, crawled in zip(shas[: len(crawl.documents)], crawl.documents, strict=True):
            if crawled.url in seen_urls:
                continue
            seen_urls.add(crawled.url)
            sightings.append(_sighting_row(crawled, documents[sha]))
        storage.add_check(session, check, sightings)
        run.documents_fetched += len(crawl.documents)
        candidates = []
        for index, sighting in enumerate(sightings):
            result = classifications[sighting.document.sha256]
            if result is None:
                continue
            candidates.append(
                ClassifiedSighting(
                    sighting_key=index,
                    url=sighting.url,
                    sha256=sighting.document.sha256,
                    format=sighting.document.format,
                    title=sighting.document.title,
                    text_source=sighting.document.text_source,
                    found_via=sighting.found_via,
                    click_depth=sighting.click_depth,
                    category=result_category(result),
                    confidence=result.confidence,
                    year_start=result.year_start,
                    year_end=result.year_end,
                    kind=result.document_kind or "adopted_plan",
                )
            )
        decision = decide(crawl.reachable, candidates, today)
        plan_sighting = sightings[decision.plan.sighting_key] if decision.plan else None
        storage.add_finding(
            session,
            run=run,
            check=check,
            decision=decision,
            plan_sighting=plan_sighting,
            plan_classification=classifications[plan_sighting.document.sha256] if plan_sighting else None,
        )
        seen = [
            _seen_document(doc, documents[sha], classifications[sha]) for sha, doc in zip(shas, fetched, strict=True)
        ]
        _detect_and_record(deps, session, run_id, kommune_id, check, crawl, seen, rechecks)
    return decision.status


async def _recheck_known_urls(
    deps: CrawlDependencies, kommune_id: int, crawl: SiteCrawl, fetcher: Fetcher
) -> list[UrlCheck]:
    """What every known plan URL of the kommune answers now; URLs the crawl fetched are taken from the crawl.

    Nothing is re-checked when the site was unreachable or blocked: that check changes no plan anyway.
    Known URLs include those of suspected-missing and vanished plans (a vanished plan can come back).
    """
    if not crawl.reachable or crawl.blocked:
        return []
    with deps.session_factory() as session:
        state = watch_store.load_state(session, kommune_id)
    known = list(dict.fromkeys(url for plan in state.plans for url in plan.urls))
    crawled = {doc.url: doc for doc in crawl.documents}
    crawled.update({doc.final_url: doc for doc in crawl.documents if doc.final_url not in crawled})
    reused = [_crawled_answer(url, crawled[url]) for url in known if url in crawled]
    todo = [url for url in known if url not in crawled]
    front = crawl.final_start_url or crawl.start_url
    fresh = await recheck_urls(todo, fetcher=fetcher, front_page_url=front) if todo else ()
    return [*reused, *fresh]


def _crawled_answer(url: str, doc: FetchedDocument) -> UrlCheck:
    """A known URL the crawl fetched as a document in this check, as if it had been re-checked."""
    moved = doc.url == url and doc.final_url != url
    return UrlCheck(
        url=url,
        outcome="moved" if moved else "served",
        status=doc.status,
        final_url=doc.final_url,
        sha256=doc.sha256,
        redirects=doc.redirects,
        detail=f"fetched by the crawl (HTTP {doc.status})",
    )


def _rechecked_document(answer: UrlCheck) -> _Fetched | None:
    """The bytes a re-checked URL served, to extract and classify like a crawled document."""
    if answer.outcome not in ("served", "moved") or not answer.body:
        return None
    final = answer.final_url or answer.url
    fmt = document_format_of_content_type(answer.content_type) or (
        "html" if answer.content_type.split(";", 1)[0].strip().lower() in ("text/html", "application/xhtml+xml")
        else document_format_of(final)
    )  # fmt: skip
    if fmt is None:
        return None
    return _Fetched(answer.url, final, fmt, answer.content_type, answer.body)


def _seen_document(doc: _Fetched, row: Document, reading: Classification | None) -> SeenDocument:
    """A stored document as the change detector sees it: its normalised-text identity and its category.

    Drafts, hearing drafts and case documents about a plan count as `other`: a draft put out for hearing is not the
    kommune's plan (as in `findings.decide`), so it never raises `plan_appeared`; its adoption later does.
    """
    pages = [str(page) for page in row.pages] if row.extraction_error is None else []
    if reading is None or (reading.document_kind or "") in NOT_YET_A_PLAN:
        category = Category.OTHER
    else:
        category = Category(reading.category)
    return SeenDocument(
        url=doc.url,
        sha256=row.sha256,
        fingerprint=text_fingerprint(pages),
        category=category,
        final_url="" if doc.final_url == doc.url else doc.final_url,
        year_start=reading.year_start if reading else None,
        year_end=reading.year_end if reading else None,
        page_count=row.page_count,
        title=row.title,
        page_hashes=page_hashes(pages),
        sketch=text_sketch(pages),
    )


def _detect_and_record(
    deps: CrawlDependencies,
    session: Session,
    run_id: int,
    kommune_id: int,
    check: SiteCheck,
    crawl: SiteCrawl,
    seen: list[SeenDocument],
    rechecks: list[UrlCheck],
) -> None:
    """Compare this check with the kommune's known plans; write the events and the new state (caller's transaction)."""
    previous = watch_store.load_state(session, kommune_id, lock=True)
    previous_check_id = watch_store.last_check_id(session, kommune_id)
    result = detect_changes(
        previous,
        Check(
            check_id=str(check.id),
            reachable=crawl.reachable,
            blocked=crawl.blocked,
            detail=crawl.error or "",
            documents=tuple(seen),
            rechecks=tuple(
                UrlRecheck(r.url, UrlOutcome(r.outcome), r.status, r.final_url, r.sha256, r.detail) for r in rechecks
            ),
        ),
        confirmations=deps.confirmations,
        unreachable_alert_after=deps.unreachable_alert_after,
    )
    now = deps.now()
    context: dict[str, object] = {"run_id": run_id, "previous_check_id": previous_check_id}
    watch_store.add_events(session, kommune_id, check.id, result.events, now=now, context=context)
    watch_store.save_state(session, kommune_id, result.state, check_id=check.id, now=now)
    for event in result.events:
        logger.info(
            "kommune %d: %s %s", kommune_id, event.kind.value, event.url or "", extra={"kommune_id": kommune_id}
        )


def result_category(row: Classification) -> Category:
    return Category(row.category)


async def _extract(extractor: Extractor, doc: _Fetched) -> ExtractedText | ExtractionError:
    try:
        return await extractor.extract(doc.body, doc.format, url=doc.final_url)
    except ExtractionError as exc:
        logger.warning("could not extract %s: %s", doc.url, exc.reason)
        return exc


def _document_row(sha: str, doc: _Fetched, extracted: ExtractedText | ExtractionError, now: datetime) -> Document:
    row = Document(
        sha256=sha,
        format=doc.format,
        content_type=doc.content_type,
        size_bytes=len(doc.body),
        first_seen_at=now,
        title="",
        pages=[],
        headings=[],
        doc_metadata={},
        facts={},
    )
    if isinstance(extracted, ExtractionError):
        row.extraction_error = extracted.reason
        return row
    row.title = extracted.title
    row.page_count = extracted.page_count
    row.text_source = extracted.text_source
    row.extractor = extracted.extractor
    row.language_declared = extracted.language
    row.ocr_confidence = extracted.ocr_confidence
    row.pages = list(extracted.pages)
    row.headings = list(extracted.headings)
    row.doc_metadata = dict(extracted.metadata)
    row.facts = dict(extracted.facts)
    return row


def _classification(
    session: Session, row: Document, doc: _Fetched, today: date, now: datetime
) -> Classification | None:
    """The stored classification of this document for the current classifier, made now if missing."""
    if row.extraction_error is not None:
        return None
    existing = storage.classification_for(session, row, CLASSIFIER_VERSION)
    if existing is not None:
        return existing
    text = DocumentText(
        url=doc.final_url,
        title=row.title,
        pages=tuple(row.pages),
        anchor_text=doc.anchor_text,
        format=row.format,
    )
    return storage.add_classification(session, row, read_document(text, today=today), now)


def _sighting_row(doc: FetchedDocument, document: Document) -> Sighting:
    accessibility = assess_accessibility(
        format=document.format,
        facts={str(k): str(v) for k, v in document.facts.items()},
        size_bytes=document.size_bytes,
        anchor_texts=[doc.anchor_text] if doc.anchor_text else [],
        found_via=doc.found_via,
        in_sitemap=doc.in_sitemap,
        search_rank=doc.search_rank,
    )
    return Sighting(
        document=document,
        url=doc.url,
        final_url=doc.final_url,
        http_status=doc.status,
        redirects=list(doc.redirects),
        anchor_text=doc.anchor_text,
        found_via=doc.found_via,
        click_depth=doc.click_depth,
        click_path=[{"url": hop.url, "anchor_text": hop.anchor_text} for hop in doc.click_path],
        in_sitemap=doc.in_sitemap,
        search_rank=doc.search_rank,
        accessibility=[{"check": a.check, "ok": a.ok, "detail": a.detail} for a in accessibility],
        seen_at=doc.fetched_at,
    )
