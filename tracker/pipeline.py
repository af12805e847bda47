"""One crawl run: registry → crawlers (fetch, discover, extract) → classify → storage (checks, findings).

The only tracker module that imports `crawlers`. Each site is stored in its own transaction as soon as it is done,
so a run killed halfway keeps what it finished and `resume` continues with the kommuner still to check.
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
from crawlers.render import Renderer
from crawlers.sweep import crawl_sites
from crawlers.types import CrawlOptions, ExtractedText, FetchedDocument, SiteCrawl
from tracker import storage
from tracker.accessibility import assess_accessibility
from tracker.blobs import EvidenceStore
from tracker.domain import Category, DocumentText, Kommune, Status
from tracker.findings import ClassifiedSighting, decide
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
                status = await _store_site(deps, run_id, kommune_id, crawl, options)
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


async def _store_site(
    deps: CrawlDependencies, run_id: int, kommune_id: int, crawl: SiteCrawl, options: CrawlOptions
) -> Status:
    """Extract and classify the site's documents, then write check, sightings and finding in one transaction."""
    shas = [deps.evidence.put(doc.body) for doc in crawl.documents]
    with deps.session_factory() as session:
        known = {sha for sha in set(shas) if storage.document_by_sha(session, sha) is not None}
    to_extract = {sha: doc for sha, doc in zip(shas, crawl.documents, strict=True) if sha not in known}
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
        for sha, doc in zip(shas, crawl.documents, strict=True):
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
        for sha, doc in zip(shas, crawl.documents, strict=True):
            if doc.url in seen_urls:
                continue
            seen_urls.add(doc.url)
            sightings.append(_sighting_row(doc, documents[sha]))
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
    return decision.status


def result_category(row: Classification) -> Category:
    return Category(row.category)


async def _extract(extractor: Extractor, doc: FetchedDocument) -> ExtractedText | ExtractionError:
    try:
        return await extractor.extract(doc.body, doc.format)
    except ExtractionError as exc:
        logger.warning("could not extract %s: %s", doc.url, exc.reason)
        return exc


def _document_row(
    sha: str, doc: FetchedDocument, extracted: ExtractedText | ExtractionError, now: datetime
) -> Document:
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
    session: Session, row: Document, doc: FetchedDocument, today: date, now: datetime
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
