"""Bytes to stored rows: the one path from a fetched document to its `Document`, its reading and its `Sighting`.

The crawl (`tracker.pipeline`), volunteers' tips (`tracker.volunteers.tips`) and `planvakt reclassify`
(`tracker.reclassify`) all store what they read through here, so a document is archived, extracted, read and seen the
same way whoever
brought it:

    bytes ──archive──▶ sha256 ──extract (new documents only)──▶ Document ──read──▶ ClassificationRow
                                                               └──seen at──▶ Sighting (with its accessibility)

A document is stored once per SHA-256 and read once per classifier version; what is already stored is reused, never
written twice. Extraction failures of our own (`ExtractionError.ours`: a parser timeout, a dead worker) are tried
again once and then handed back, never stored as a reading: the caller decides (the crawl refuses to decide a check
on them).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from crawlers.errors import ExtractionError
from crawlers.types import ExtractedText, FetchedDocument
from tracker.blobs import EvidenceStore
from tracker.domain import Category, DocumentText
from tracker.findings import ClassifiedSighting
from tracker.reading import CLASSIFIER_VERSION, read_document
from tracker.reading.accessibility import assess_accessibility
from tracker.store import documents
from tracker.store.documents import Seen
from tracker.store.models import ClassificationRow, Document, Sighting

logger = logging.getLogger(__name__)

#: tries of one document's extraction when it fails on our side (timeout, worker trouble)
EXTRACT_ATTEMPTS = 2


class TextExtractor(Protocol):
    """What ingesting needs of an extractor: `crawlers.extract.Extractor` (open) or `tips.SharedExtractor`."""

    async def extract(self, body: bytes, fmt: str, *, url: str = "") -> ExtractedText: ...


@dataclass(frozen=True)
class Fetched:
    """Bytes to store and read, and where they came from: a crawled document, a re-checked plan URL, a tip."""

    url: str
    final_url: str
    format: str
    content_type: str
    body: bytes
    #: the words that linked to it (the crawl) or the volunteer's note (a tip): read with the text
    anchor_text: str = ""


@dataclass(frozen=True)
class Ingested:
    """A stored document and its reading by the current classifier (None: its bytes could not be read)."""

    document: Document
    reading: ClassificationRow | None


@dataclass(frozen=True)
class Extractions:
    """What `extract_new` made of a batch: each fetched document's SHA-256 (in order) and the text of the ones
    not stored yet (a document already stored is never extracted again)."""

    shas: list[str]
    texts: dict[str, ExtractedText | ExtractionError]

    def failed_on_our_side(self, fetched: Sequence[Fetched]) -> list[str]:
        """`url: reason` of each new document whose extraction failed because of us."""
        by_sha = dict(zip(self.shas, fetched, strict=True))
        return [f"{by_sha[sha].url}: {text.reason}" for sha, text in self.texts.items()
                if isinstance(text, ExtractionError) and text.ours]  # fmt: skip


def fetched_from_crawl(doc: FetchedDocument) -> Fetched:
    return Fetched(doc.url, doc.final_url, doc.format, doc.content_type, doc.body, doc.anchor_text)


def seen_in_crawl(doc: FetchedDocument) -> Seen:
    return Seen(
        url=doc.url,
        final_url=doc.final_url,
        http_status=doc.status,
        found_via=doc.found_via,
        seen_at=doc.fetched_at,
        redirects=tuple(doc.redirects),
        anchor_text=doc.anchor_text,
        click_depth=doc.click_depth,
        click_path=tuple((hop.url, hop.anchor_text) for hop in doc.click_path),
        in_sitemap=doc.in_sitemap,
        search_rank=doc.search_rank,
    )


async def extract(extractor: TextExtractor, doc: Fetched) -> ExtractedText | ExtractionError:
    """The document's text, or the error; a failure of our own (`ours`: a timeout, a dead worker) is tried again."""
    for attempt in range(1, EXTRACT_ATTEMPTS + 1):
        try:
            return await extractor.extract(doc.body, doc.format, url=doc.final_url)
        except ExtractionError as exc:
            if exc.ours and attempt < EXTRACT_ATTEMPTS:
                logger.warning("extraction of %s failed on our side (%s); trying again", doc.url, exc.reason)
                continue
            logger.warning("could not extract %s: %s", doc.url, exc.reason)
            return exc
    raise AssertionError("unreachable")  # pragma: no cover


async def extract_new(
    session_factory: sessionmaker[Session],
    evidence: EvidenceStore,
    extractor: TextExtractor,
    fetched: Sequence[Fetched],
) -> Extractions:
    """Archive every body in `evidence` and extract, at once, the ones with no stored document yet.

    Runs outside any transaction: extraction may take long, and no row is written here.
    """
    shas = [evidence.put(doc.body) for doc in fetched]
    with session_factory() as session:
        known = {sha for sha in set(shas) if documents.document_by_sha(session, sha) is not None}
    new = {sha: doc for sha, doc in zip(shas, fetched, strict=True) if sha not in known}
    texts = await asyncio.gather(*(extract(extractor, doc) for doc in new.values()))
    return Extractions(shas, dict(zip(new, texts, strict=True)))


def ingest_document(
    session: Session,
    sha: str,
    doc: Fetched,
    text: ExtractedText | ExtractionError | None,
    *,
    today: date,
    now: datetime,
) -> Ingested:
    """The stored document with this SHA-256 (added from `doc` and its extracted `text` when new), and its reading
    by the current classifier (made now when missing). `text` may be None only for a document already stored."""
    document = documents.document_by_sha(session, sha)
    if document is None:
        if text is None:
            raise ValueError(f"document {sha} is not stored and was not extracted")
        document = documents.add_new_document(
            session,
            sha,
            format=doc.format,
            content_type=doc.content_type,
            size_bytes=len(doc.body),
            text=None if isinstance(text, ExtractionError) else text,
            extraction_error=text.reason if isinstance(text, ExtractionError) else None,
            now=now,
        )
    return Ingested(document, reading_of(session, document, url=doc.final_url, anchor_text=doc.anchor_text,
                                         today=today, now=now))  # fmt: skip


def reading_of(
    session: Session, document: Document, *, url: str, anchor_text: str, today: date, now: datetime
) -> ClassificationRow | None:
    """The document's stored reading by the current classifier, read from its stored text now if missing; None for
    a document whose bytes could not be read."""
    if document.extraction_error is not None:
        return None
    existing = documents.classification_for(session, document, CLASSIFIER_VERSION)
    if existing is not None:
        return existing
    text = DocumentText(
        url=url, title=document.title, pages=tuple(document.pages), anchor_text=anchor_text, format=document.format
    )
    return documents.add_classification(session, document, read_document(text, today=today), now)


def sighting_row(document: Document, seen: Seen) -> Sighting:
    """A `Sighting` of `document` (not added to the session: `runs.add_check` adds it with its check), with
    the accessibility findings of the document as found there."""
    accessibility = assess_accessibility(
        format=document.format,
        facts={str(k): str(v) for k, v in document.facts.items()},
        size_bytes=document.size_bytes,
        anchor_texts=[seen.anchor_text] if seen.anchor_text else [],
        found_via=seen.found_via,
        in_sitemap=seen.in_sitemap,
        search_rank=seen.search_rank,
    )
    return documents.new_sighting(document, seen, accessibility)


def candidate(key: int, sighting: Sighting, reading: ClassificationRow) -> ClassifiedSighting:
    """What `findings.decide` reads of a stored sighting and its document's stored reading (`key` names it back)."""
    return ClassifiedSighting(
        sighting_key=key,
        url=sighting.url,
        sha256=sighting.document.sha256,
        format=sighting.document.format,
        title=sighting.document.title,
        text_source=sighting.document.text_source,
        found_via=sighting.found_via,
        click_depth=sighting.click_depth,
        category=Category(reading.category),
        confidence=reading.confidence,
        year_start=reading.year_start,
        year_end=reading.year_end,
        kind=reading.document_kind or "adopted_plan",
    )
