"""Kommuner and what each check of their sites saw: runs, site checks, documents, sightings, classifications and
the finding of each kommune in each run. History, not overwrite: every check adds rows; nothing is updated in place
but run totals.

kommune ─┬─< site_check >── crawl_run
         │       ├─< sighting >── document ──< classification
         └─< finding (one per kommune per run, points at its check and best sighting)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.store.models.base import Base


class KommuneRow(Base):
    __tablename__ = "kommune"
    __table_args__ = (UniqueConstraint("country", "kommunenummer", name="uq_kommune_country_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kommunenummer: Mapped[str] = mapped_column(String(4))
    country: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    website: Mapped[str] = mapped_column(String(500))
    website_alt: Mapped[str | None] = mapped_column(String(500))
    region_code: Mapped[str | None] = mapped_column(String(10))
    region: Mapped[str | None] = mapped_column(String(100))
    written_standard: Mapped[str | None] = mapped_column(String(20))


class CrawlRun(Base):
    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    #: running | finished | interrupted
    state: Mapped[str] = mapped_column(String(20), default="running")
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    kommuner_planned: Mapped[int] = mapped_column(default=0)
    kommuner_checked: Mapped[int] = mapped_column(default=0)
    pages_fetched: Mapped[int] = mapped_column(default=0)
    documents_fetched: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)


class SiteCheck(Base):
    """One crawl of one kommune's site within a run."""

    __tablename__ = "site_check"
    __table_args__ = (UniqueConstraint("run_id", "kommune_id", name="uq_site_check_run_kommune"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"), index=True)
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), index=True)
    start_url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str | None] = mapped_column(String(2000))
    reachable: Mapped[bool] = mapped_column(Boolean)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    pages_fetched: Mapped[int] = mapped_column(default=0)
    robots_disallowed: Mapped[int] = mapped_column(default=0)
    rendered_pages: Mapped[int] = mapped_column(default=0)
    issues: Mapped[list[Any]] = mapped_column(default=list)
    #: where the crawler looked besides links: sitemaps read, the site search and its queries with their hit counts
    #: (`crawlers.types.SearchTrail` as a dict); None for a check stored before it was recorded (revision 0006)
    trail: Mapped[dict[str, Any] | None] = mapped_column(default=dict)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]

    sightings: Mapped[list[Sighting]] = relationship(back_populates="check")


class Document(Base):
    """A document's bytes, identified by SHA-256; the bytes themselves live in the evidence store."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int] = mapped_column(Integer)
    first_seen_at: Mapped[datetime]
    title: Mapped[str] = mapped_column(Text, default="")
    page_count: Mapped[int | None]
    text_source: Mapped[str | None] = mapped_column(String(20))
    extractor: Mapped[str | None] = mapped_column(String(40))
    language_declared: Mapped[str | None] = mapped_column(String(20))
    ocr_confidence: Mapped[float | None] = mapped_column(Float)
    #: extracted text per page, kept so a new classifier needs no re-crawl or re-parse
    pages: Mapped[list[Any]] = mapped_column(default=list)
    headings: Mapped[list[Any]] = mapped_column(default=list)
    doc_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extraction_error: Mapped[str | None] = mapped_column(Text)

    classifications: Mapped[list[ClassificationRow]] = relationship(back_populates="document")


class Sighting(Base):
    """Where and how a document was seen in one check: the evidence behind a finding."""

    __tablename__ = "sighting"
    __table_args__ = (UniqueConstraint("check_id", "url", name="uq_sighting_check_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("site_check.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    final_url: Mapped[str] = mapped_column(String(2000))
    http_status: Mapped[int]
    redirects: Mapped[list[Any]] = mapped_column(default=list)
    anchor_text: Mapped[str] = mapped_column(Text, default="")
    found_via: Mapped[str] = mapped_column(String(20))
    click_depth: Mapped[int | None]
    #: [{"url": ..., "anchor_text": ...}, ...] from the front page to the document
    click_path: Mapped[list[Any]] = mapped_column(default=list)
    in_sitemap: Mapped[bool | None] = mapped_column(Boolean)
    search_rank: Mapped[int | None]
    #: [{"check": id, "ok": bool | None, "detail": str}, ...] (tracker/reading/accessibility.py)
    accessibility: Mapped[list[Any]] = mapped_column(default=list)
    seen_at: Mapped[datetime]

    check: Mapped[SiteCheck] = relationship(back_populates="sightings")
    document: Mapped[Document] = relationship()


class ClassificationRow(Base):
    """One document read by one classifier version: the stored form of `tracker.reading.Reading` (the domain
    `tracker.domain.Classification` plus document kind and checklist criteria). Rows are only added."""

    __tablename__ = "classification"
    __table_args__ = (UniqueConstraint("document_id", "classifier_version", name="uq_classification_document_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    classifier_version: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(30))
    confidence: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)
    #: [{"phrase": ..., "page": n, "signal": ...}, ...]
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    year_start: Mapped[int | None]
    year_end: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(5))
    #: adopted_plan | draft | hearing_draft | case_document | not_a_plan
    document_kind: Mapped[str | None] = mapped_column(String(20))
    kind_evidence: Mapped[list[Any]] = mapped_column(default=list)
    #: [{"criterion": id, "met": bool, "sentences": [[page, sentence], ...]}, ...]; empty for `other`
    criteria: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime]

    document: Mapped[Document] = relationship(back_populates="classifications")


class Finding(Base):
    """A kommune's status in one run, with the best plan found (if any)."""

    __tablename__ = "finding"
    __table_args__ = (
        UniqueConstraint("run_id", "kommune_id", name="uq_finding_run_kommune"),
        Index("ix_finding_kommune_checked", "kommune_id", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id"), index=True)
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"))
    check_id: Mapped[int] = mapped_column(ForeignKey("site_check.id"))
    status: Mapped[str] = mapped_column(String(40))
    plan_sighting_id: Mapped[int | None] = mapped_column(ForeignKey("sighting.id"))
    plan_classification_id: Mapped[int | None] = mapped_column(ForeignKey("classification.id"))
    plan_category: Mapped[str | None] = mapped_column(String(30))
    plan_current: Mapped[str | None] = mapped_column(String(10))
    found_via: Mapped[str | None] = mapped_column(String(20))
    click_depth: Mapped[int | None]
    checked_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
