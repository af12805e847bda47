"""Watching over time (issue 4): what change detection remembers between checks, the events it detects, who
subscribed to them and the outbox that delivers them.

kommune ─┬─ kommune_watch (1:1, counters the change detector keeps between checks)
         ├─< watched_plan (a plan as known: identity = kommune + content key, URLs are observations)
         └─< event (immutable, one row per detected change) ──< delivery >── subscription (the outbox)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.store.models.base import Base


class KommuneWatch(Base):
    """What change detection remembers about a kommune's site between checks (`tracker.watch.changes.WatchState`)."""

    __tablename__ = "kommune_watch"

    kommune_id: Mapped[int] = mapped_column(ForeignKey("kommune.id"), primary_key=True)
    checks: Mapped[int] = mapped_column(default=0)
    unreachable_checks: Mapped[int] = mapped_column(default=0)
    blocked_checks: Mapped[int] = mapped_column(default=0)
    last_check_id: Mapped[int | None] = mapped_column(ForeignKey("site_check.id"))
    updated_at: Mapped[datetime]


class WatchedPlan(Base):
    """One plan of a kommune as known after its latest check (`tracker.watch.changes.KnownPlan`); updated in place."""

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
