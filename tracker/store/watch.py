"""Every read and write of the watch tables: `kommune_watch`, `watched_plan` and `event`. Takes a Session.

The change detector (`tracker/watch/changes.py`) is pure; this module turns its `WatchState` into rows and back, writes
its events as immutable rows, and offers the reads exports, the dashboard and the scheduler need. The pipeline calls
`lock_state` + `save_state` + `add_events` in the same transaction as the site check, so a killed crawl loses
nothing and a resumed one never duplicates an event.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from tracker.domain import Category
from tracker.store.models import Document, Event, KommuneRow, KommuneWatch, WatchedPlan
from tracker.watch.changes import ChangeEvent, KnownPlan, PlanState, WatchState


def _known_plan(row: WatchedPlan) -> KnownPlan:
    return KnownPlan(
        key=row.key,
        fingerprint=row.fingerprint,
        urls=tuple(str(u) for u in row.urls),
        sha256s=tuple(str(s) for s in row.sha256s),
        category=Category(row.category),
        year_start=row.year_start,
        year_end=row.year_end,
        page_count=row.page_count,
        title=row.title,
        state=PlanState(row.state),
        missing_checks=tuple(str(c) for c in row.missing_checks),
        page_hashes=tuple(str(h) for h in row.page_hashes),
        sketch=tuple(int(h) for h in row.sketch),
    )


def load_state(session: Session, kommune_id: int, *, lock: bool = False) -> WatchState:
    """What the detector knows about a kommune (an empty state before its first check).

    `lock=True` takes the kommune's watch row FOR UPDATE (PostgreSQL; it exists after the first check), so two
    processes checking one kommune at once compare in turn instead of both against the same old state.
    """
    stmt = select(KommuneWatch).where(KommuneWatch.kommune_id == kommune_id)
    watch = session.scalars(stmt.with_for_update() if lock else stmt).first()
    plans = session.scalars(
        select(WatchedPlan).where(WatchedPlan.kommune_id == kommune_id).order_by(WatchedPlan.key)
    ).all()
    if watch is None:
        return WatchState(plans=tuple(_known_plan(p) for p in plans))
    return WatchState(
        plans=tuple(_known_plan(p) for p in plans),
        unreachable_checks=watch.unreachable_checks,
        blocked_checks=watch.blocked_checks,
        checks=watch.checks,
    )


def last_check_id(session: Session, kommune_id: int) -> int | None:
    """The site check the kommune's watch state was last compared with (None before the first)."""
    watch = session.get(KommuneWatch, kommune_id)
    return watch.last_check_id if watch else None


def save_state(session: Session, kommune_id: int, state: WatchState, *, check_id: int | None, now: datetime) -> None:
    """Write the detector's new state: counters in `kommune_watch`, each plan in `watched_plan` (by key)."""
    watch = session.get(KommuneWatch, kommune_id)
    if watch is None:
        watch = KommuneWatch(kommune_id=kommune_id)
        session.add(watch)
    watch.checks = state.checks
    watch.unreachable_checks = state.unreachable_checks
    watch.blocked_checks = state.blocked_checks
    watch.last_check_id = check_id
    watch.updated_at = now
    rows = {row.key: row for row in session.scalars(select(WatchedPlan).where(WatchedPlan.kommune_id == kommune_id))}
    keep = {plan.key for plan in state.plans}
    for key, row in rows.items():
        if key not in keep:
            session.delete(row)
    for plan in state.plans:
        found = rows.get(plan.key)
        row = found if found is not None else WatchedPlan(kommune_id=kommune_id, key=plan.key, first_seen_at=now)
        if found is None:
            session.add(row)
        row.fingerprint = plan.fingerprint
        row.urls = list(plan.urls)
        row.sha256s = list(plan.sha256s)
        row.category = plan.category.value
        row.year_start = plan.year_start
        row.year_end = plan.year_end
        row.page_count = plan.page_count
        row.title = plan.title
        row.state = plan.state.value
        row.missing_checks = list(plan.missing_checks)
        row.page_hashes = list(plan.page_hashes)
        row.sketch = list(plan.sketch)
        row.updated_at = now
    session.flush()


def add_events(
    session: Session,
    kommune_id: int,
    check_id: int | None,
    events: Sequence[ChangeEvent],
    *,
    now: datetime,
    context: dict[str, Any] | None = None,
) -> list[Event]:
    """Insert the detector's events as immutable rows (uuid4 public ids); `context` is merged into each evidence."""
    rows: list[Event] = []
    for change in events:
        row = Event(
            uuid=str(uuid.uuid4()),
            kind=change.kind.value,
            kommune_id=kommune_id,
            check_id=check_id,
            plan_key=change.plan_key,
            url=change.url,
            previous_url=change.previous_url,
            sha256=change.sha256,
            previous_sha256=change.previous_sha256,
            detected_at=now,
            evidence={**dict(change.evidence), **(context or {})},
        )
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


# -- reads -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    """One event joined with its kommune, as exports, the dashboard and alerts read it."""

    id: int
    event_id: str
    kind: str
    kommunenummer: str
    name: str
    country: str
    region: str | None
    plan_key: str | None
    url: str | None
    previous_url: str | None
    sha256: str | None
    previous_sha256: str | None
    detected_at: datetime
    check_id: int | None
    evidence: dict[str, Any]
    #: the title of the document the event names (by `sha256`), when it is stored
    document_title: str | None = None

    @property
    def plan_title(self) -> str | None:
        """The plan's title as the event saw it (its evidence), else its document's; None when neither has one."""
        title = (self.evidence or {}).get("title") or self.document_title
        return str(title) if title else None

    @property
    def first_check(self) -> bool:
        """True for an event of a kommune's first check: a plan found then was there before we looked."""
        return bool((self.evidence or {}).get("first_check"))


def _events_query(
    *,
    kinds: Sequence[str] = (),
    kommuner: Sequence[str] = (),
    region: str | None = None,
    since: datetime | None = None,
) -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = select(
        Event.id,
        Event.uuid,
        Event.kind,
        KommuneRow.kommunenummer,
        KommuneRow.name,
        KommuneRow.country,
        KommuneRow.region,
        Event.plan_key,
        Event.url,
        Event.previous_url,
        Event.sha256,
        Event.previous_sha256,
        Event.detected_at,
        Event.check_id,
        Event.evidence,
        Document.title,
    )
    stmt = stmt.join(KommuneRow, KommuneRow.id == Event.kommune_id).outerjoin(Document, Document.sha256 == Event.sha256)
    if kinds:
        stmt = stmt.where(Event.kind.in_(list(kinds)))
    if kommuner:
        stmt = stmt.where(KommuneRow.kommunenummer.in_(list(kommuner)))
    if region:
        stmt = stmt.where((KommuneRow.region == region) | (KommuneRow.region_code == region))
    if since is not None:
        stmt = stmt.where(Event.detected_at >= since)
    return stmt


def kommunenumre(session: Session) -> list[str]:
    """Every kommunenummer in the database, sorted: what a `--kommune` filter may name."""
    return sorted(session.scalars(select(KommuneRow.kommunenummer).distinct()))


def iter_events(
    session: Session,
    *,
    since: datetime | None = None,
    kommuner: Sequence[str] = (),
    kinds: Sequence[str] = (),
    batch_size: int = 500,
) -> Iterator[EventRow]:
    """Events in the order they were detected (oldest first), streamed in batches for exports."""
    stmt = (
        _events_query(kinds=kinds, kommuner=kommuner, since=since)
        .order_by(Event.detected_at, Event.id)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(stmt):
        yield EventRow(*tuple(row))


def latest_events(
    session: Session,
    *,
    kinds: Sequence[str] = (),
    region: str | None = None,
    kommuner: Sequence[str] = (),
    since: datetime | None = None,
    limit: int = 100,
) -> list[EventRow]:
    """The newest events first, filtered by kind, region (name or code), kommunenummer and time (for the dashboard)."""
    stmt = (
        _events_query(kinds=kinds, kommuner=kommuner, region=region, since=since)
        .order_by(Event.detected_at.desc(), Event.id.desc())
        .limit(limit)
    )
    return [EventRow(*tuple(row)) for row in session.execute(stmt)]


def suspected_missing_kommuner(session: Session) -> list[tuple[str, str]]:
    """(country, kommunenummer) of kommuner with a plan suspected missing: due a follow-up check soon."""
    rows = session.execute(
        select(KommuneRow.country, KommuneRow.kommunenummer)
        .join(WatchedPlan, WatchedPlan.kommune_id == KommuneRow.id)
        .where(WatchedPlan.state == PlanState.SUSPECTED_MISSING.value)
        .distinct()
        .order_by(KommuneRow.country, KommuneRow.kommunenummer)
    )
    return [(country, number) for country, number in rows]


def watched_plans(session: Session, kommune_id: int) -> list[WatchedPlan]:
    """The kommune's plans as known after its latest check (for evidence pages and tests)."""
    return list(
        session.scalars(select(WatchedPlan).where(WatchedPlan.kommune_id == kommune_id).order_by(WatchedPlan.id))
    )
