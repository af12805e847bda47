"""Documents (by SHA-256), their classifications and their sightings: one row per document, one reading per
classifier version, one sighting per URL a check saw a document at.

Functions take a Session passed in by the caller; they flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from tracker.reading import Reading
from tracker.reading.accessibility import AccessibilityFinding
from tracker.store.models import (
    ClassificationRow,
    Document,
    Sighting,
)


def document_by_sha(session: Session, sha256: str) -> Document | None:
    return session.scalars(select(Document).where(Document.sha256 == sha256)).first()


def add_document(session: Session, document: Document) -> Document:
    session.add(document)
    session.flush()
    return document


class ExtractedFacts(Protocol):
    """What a document row keeps of its extracted text: `crawlers.types.ExtractedText`, by its shape (the store
    knows rows, not the crawlers)."""

    @property
    def title(self) -> str: ...
    @property
    def page_count(self) -> int: ...
    @property
    def text_source(self) -> str: ...
    @property
    def extractor(self) -> str: ...
    @property
    def language(self) -> str | None: ...
    @property
    def ocr_confidence(self) -> float | None: ...
    @property
    def pages(self) -> tuple[str, ...]: ...
    @property
    def headings(self) -> tuple[str, ...]: ...
    @property
    def metadata(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def facts(self) -> tuple[tuple[str, str], ...]: ...


def add_new_document(
    session: Session,
    sha256: str,
    *,
    format: str,
    content_type: str,
    size_bytes: int,
    text: ExtractedFacts | None,
    extraction_error: str | None,
    now: datetime,
) -> Document:
    """Store a document first seen now: the bytes' facts and their extracted `text`, or, when its bytes could not
    be read, `extraction_error` (then `text` is None)."""
    row = Document(
        sha256=sha256,
        format=format,
        content_type=content_type,
        size_bytes=size_bytes,
        first_seen_at=now,
        title="",
        pages=[],
        headings=[],
        doc_metadata={},
        facts={},
    )
    if text is None:
        row.extraction_error = extraction_error
    else:
        row.title = text.title
        row.page_count = text.page_count
        row.text_source = text.text_source
        row.extractor = text.extractor
        row.language_declared = text.language
        row.ocr_confidence = text.ocr_confidence
        row.pages = list(text.pages)
        row.headings = list(text.headings)
        row.doc_metadata = dict(text.metadata)
        row.facts = dict(text.facts)
    return add_document(session, row)


@dataclass(frozen=True)
class Seen:
    """Where and how a document was seen: what a `Sighting` records beside the document itself."""

    url: str
    final_url: str
    http_status: int
    found_via: str
    seen_at: datetime
    redirects: tuple[str, ...] = ()
    anchor_text: str = ""
    click_depth: int | None = None
    #: (url, anchor text) of each hop from the front page
    click_path: tuple[tuple[str, str], ...] = ()
    in_sitemap: bool | None = None
    search_rank: int | None = None


def new_sighting(document: Document, seen: Seen, accessibility: Sequence[AccessibilityFinding]) -> Sighting:
    """A `Sighting` of `document` with the accessibility findings of the document as found there; not added to the
    session: `runs.add_check` adds it with its check."""
    return Sighting(
        document=document,
        url=seen.url,
        final_url=seen.final_url,
        http_status=seen.http_status,
        redirects=list(seen.redirects),
        anchor_text=seen.anchor_text,
        found_via=seen.found_via,
        click_depth=seen.click_depth,
        click_path=[{"url": url, "anchor_text": anchor} for url, anchor in seen.click_path],
        in_sitemap=seen.in_sitemap,
        search_rank=seen.search_rank,
        accessibility=[{"check": a.check, "ok": a.ok, "detail": a.detail} for a in accessibility],
        seen_at=seen.seen_at,
    )


def classification_for(session: Session, document: Document, version: str) -> ClassificationRow | None:
    return session.scalars(
        select(ClassificationRow).where(
            ClassificationRow.document_id == document.id, ClassificationRow.classifier_version == version
        )
    ).first()


def add_classification(session: Session, document: Document, reading: Reading, now: datetime) -> ClassificationRow:
    result = reading.classification
    row = ClassificationRow(
        document_id=document.id,
        classifier_version=result.classifier_version,
        category=result.category.value,
        confidence=result.confidence,
        reason=result.reason,
        evidence=[{"phrase": e.phrase, "page": e.page, "signal": e.signal} for e in result.evidence],
        year_start=result.year_start,
        year_end=result.year_end,
        language=result.language,
        document_kind=reading.kind,
        kind_evidence=[{"phrase": e.phrase, "page": e.page, "signal": e.signal} for e in reading.kind_evidence],
        criteria=[
            {"criterion": hit.criterion, "met": hit.met, "sentences": [list(pair) for pair in hit.sentences]}
            for hit in reading.criteria
        ],
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def documents_without_reading(session: Session, version: str, limit: int) -> list[Document]:
    """Documents with no classification by `version` (broken ones too: the caller counts them)."""
    has_reading = select(ClassificationRow.document_id).where(ClassificationRow.classifier_version == version)
    done_broken = select(Document.id).where(Document.extraction_error.is_not(None))
    return list(
        session.scalars(
            select(Document)
            .where(Document.id.not_in(has_reading), Document.id.not_in(done_broken))
            .order_by(Document.id)
            .limit(limit)
        )
    )


def any_url_of(session: Session, document: Document) -> str | None:
    return session.scalars(select(Sighting.final_url).where(Sighting.document_id == document.id).limit(1)).first()


def any_anchor_text_of(session: Session, document: Document) -> str:
    texts = session.scalars(
        select(Sighting.anchor_text).where(Sighting.document_id == document.id, Sighting.anchor_text != "").limit(1)
    ).first()
    return texts or ""


def newest_readings() -> Subquery:
    """Per document, the id of its newest classification (columns `document_id`, `id`)."""
    return (
        select(ClassificationRow.document_id, func.max(ClassificationRow.id).label("id"))
        .group_by(ClassificationRow.document_id)
        .subquery()
    )
