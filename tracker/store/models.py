"""SQLAlchemy 2 tables. History, not overwrite: every check adds rows; nothing is updated in place but run totals.

kommune ─┬─< site_check >── crawl_run
         │       ├─< sighting >── document ──< classification
         └─< finding (one per kommune per run, points at its check and best sighting)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone; we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


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
    #: [{"check": id, "ok": bool | None, "detail": str}, ...] (tracker/accessibility.py)
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


# -- watching over time (issue 4) ---------------------------------------------------------------------------
#
# kommune ─┬─ kommune_watch (1:1, counters the change detector keeps between checks)
#          ├─< watched_plan (a plan as known: identity = kommune + content key, URLs are observations)
#          └─< event (immutable, one row per detected change) ──< delivery >── subscription (the outbox)


class KommuneWatch(Base):
    """What change detection remembers about a kommune's site between checks (`tracker.changes.WatchState`)."""

    __tablename__ = "kommune_watch"

    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), primary_key=True)
    checks: Mapped[int] = mapped_column(default=0)
    unreachable_checks: Mapped[int] = mapped_column(default=0)
    blocked_checks: Mapped[int] = mapped_column(default=0)
    last_check_id: Mapped[int | None] = mapped_column(ForeignKey("site_check.id"))
    updated_at: Mapped[datetime]


class WatchedPlan(Base):
    """One plan of a kommune as known after its latest check (`tracker.changes.KnownPlan`); updated in place."""

    __tablename__ = "watched_plan"
    __table_args__ = (UniqueConstraint("kommune_id", "key", name="uq_watched_plan_kommune_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), index=True)
    #: stable for the plan's life: its text fingerprint when first seen ("bytes:<sha256>" without text)
    key: Mapped[str] = mapped_column(String(80))
    fingerprint: Mapped[str] = mapped_column(String(80))
    urls: Mapped[list[Any]] = mapped_column(default=list)
    sha256s: Mapped[list[Any]] = mapped_column(default=list)
    category: Mapped[str] = mapped_column(String(30))
    year_start: Mapped[int | None]
    year_end: Mapped[int | None]
    page_count: Mapped[int | None]
    title: Mapped[str] = mapped_column(Text, default="")
    #: active | suspected_missing | vanished
    state: Mapped[str] = mapped_column(String(20), default="active")
    #: ids of the consecutive checks that confirmed the plan absent
    missing_checks: Mapped[list[Any]] = mapped_column(default=list)
    page_hashes: Mapped[list[Any]] = mapped_column(default=list)
    sketch: Mapped[list[Any]] = mapped_column(default=list)
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Event(Base):
    """An immutable change event with its evidence. `uuid` is the public id and the alerts' idempotency key."""

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_kommune_detected", "kommune_id", "detected_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    #: plan_appeared | plan_changed | plan_moved | plan_vanished | plan_reappeared | crawler_blocked | check_failed
    kind: Mapped[str] = mapped_column(String(30), index=True)
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"))
    check_id: Mapped[int | None] = mapped_column(ForeignKey("site_check.id"), index=True)
    plan_key: Mapped[str | None] = mapped_column(String(80))
    url: Mapped[str | None] = mapped_column(String(2000))
    previous_url: Mapped[str | None] = mapped_column(String(2000))
    sha256: Mapped[str | None] = mapped_column(String(64))
    previous_sha256: Mapped[str | None] = mapped_column(String(64))
    detected_at: Mapped[datetime] = mapped_column(index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Subscription(Base):
    """Who wants which events, and how: a webhook, an e-mail address or an Apprise URL."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: webhook | email | apprise
    channel: Mapped[str] = mapped_column(String(20))
    #: the URL or address, sealed (tracker.secretbox): Apprise URLs and webhook URLs carry passwords and tokens
    sealed_target: Mapped[str] = mapped_column(Text)
    #: the target as it may be listed without the key (subscriptions.shown_target: tokens masked)
    target_shown: Mapped[str] = mapped_column(String(2000))
    #: the webhook's HMAC key, sealed; None: unsigned
    sealed_secret: Mapped[str | None] = mapped_column(Text)
    #: kommunenummer list; empty = every kommune
    kommuner: Mapped[list[Any]] = mapped_column(default=list)
    #: event kinds; empty = every plan event (crawler_blocked goes to operator subscriptions that ask for it)
    kinds: Mapped[list[Any]] = mapped_column(default=list)
    #: none | daily | weekly
    digest: Mapped[str] = mapped_column(String(10), default="none")
    language: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    #: operator (the CLI, a reviewer: active at once) | public (/subscribe: inactive until its owner confirms)
    origin: Mapped[str] = mapped_column(String(10), default="operator", server_default="operator")
    #: when it became active; events detected from then on are delivered. None: a public one not yet confirmed
    confirmed_at: Mapped[datetime | None]
    #: fylke/region codes (KommuneRow.region_code); empty or None: no region filter
    regions: Mapped[list[Any] | None] = mapped_column(JSON, default=list)


class Delivery(Base):
    """The outbox: one event for one subscription, delivered at least once, retried with backoff, then dead."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", name="uq_delivery_subscription_event"),
        Index("ix_delivery_state_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscription.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    #: pending | sending | sent | dead
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class SweepClaim(Base):
    """One row per scheduled sweep slot: the unique `slot` makes two schedulers on one database run it once."""

    __tablename__ = "sweep_claim"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the job and its scheduled fire time, e.g. "sweep:2026-11-23T03:00:00+00:00"
    slot: Mapped[str] = mapped_column(String(100), unique=True)
    claimed_by: Mapped[str] = mapped_column(String(200))
    claimed_at: Mapped[datetime]
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_run.id"))
    finished_at: Mapped[datetime | None]


class HostLease(Base):
    """One row per host the queue's workers have fetched from: which worker holds its one request slot, until when,
    and when the last request to it ended (the database's clock). See `tracker.store.host_leases`."""

    __tablename__ = "host_lease"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(200))
    leased_until: Mapped[datetime | None]
    last_end: Mapped[datetime | None]


# -- the dashboard's write side (issue 5) --------------------------------------------------------------------


class Tip(Base):
    """A plan URL a volunteer submitted; fetched and classified like a crawled document (`found_via=tip`)."""

    __tablename__ = "tip"
    __table_args__ = (Index("ix_tip_client_submitted", "client_key", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    note: Mapped[str] = mapped_column(Text, default="")
    #: a salted hash of the client address, for rate limiting without keeping the address
    client_key: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime]
    #: pending | stored | failed
    state: Mapped[str] = mapped_column(String(20), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    check_id: Mapped[int | None] = mapped_column(ForeignKey("site_check.id"))
    sighting_id: Mapped[int | None] = mapped_column(ForeignKey("sighting.id"))
    #: whether the crawler had found the same document (by sha256) for this kommune before the tip
    crawler_had_it: Mapped[bool | None] = mapped_column(Boolean)
    processed_at: Mapped[datetime | None]


class ReviewOverride(Base):
    """A reviewer's verdict beside the machine's: never replaces the evidence; the newest per target is in force."""

    __tablename__ = "review_override"
    __table_args__ = (Index("ix_review_override_target", "target", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: classification (value: a category) | finding (value: a status)
    target: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), index=True)
    value: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    #: set when a later override or a withdrawal replaced this one (kept for the history)
    withdrawn_at: Mapped[datetime | None]


class DataVersion(Base):
    """One row whose `number` grows with every committed write to the tables the pages show (migration 0005).

    Bumped by database triggers, not by our code, so no write path (a new one, a bulk insert, a hand-made SQL fix)
    can forget it; the dashboard keys its caches and ETags on it. `changed_ms`: when, in ms since the epoch (UTC).
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger)
    changed_ms: Mapped[int] = mapped_column(BigInteger)
