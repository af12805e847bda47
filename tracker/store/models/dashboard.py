"""The dashboard's write side (issue 5): volunteers' tips and reviewers' overrides, and the data version its caches
and ETags key on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.store.models.base import Base


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
