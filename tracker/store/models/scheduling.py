"""What lets several schedulers and queue workers share one database: a claim per sweep slot, a lease per host."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.store.models.base import Base


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
