"""The delivery outbox's rows: one event for one subscription, materialised, claimed, sent or retried, then dead;
the events as the channels see them; and removing a subscription, which dead-letters its waiting rows.

Functions take a Session from the caller, who owns the transaction (the outbox commits per delivery). Claims are
compare-and-set updates guarded by `attempts`, so two senders never both claim a row: on PostgreSQL the candidate
rows are also locked `FOR UPDATE SKIP LOCKED`, on SQLite the single writer and the guard suffice.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker.alerts.messages import AlertEvent, kommune_language
from tracker.domain import PLAN_EVENT_KINDS, Country, Kommune, Language
from tracker.errors import StorageError
from tracker.store.alerts import Shown, SubscriptionView
from tracker.store.models import Delivery, Event, KommuneRow, Subscription

DELIVERY_STATES = ("pending", "sending", "sent", "dead")


#: a sender's claim on a row: `sending` until the lease (`next_attempt_at`) expires, then it is due again
WAITING_STATES = ("pending", "sending")


def deactivate_subscription(session: Session, subscription_id: int, now: datetime) -> int:
    """Stop a subscription (its delivery history stays) and dead-letter what it still had waiting.

    Returns how many waiting deliveries were dead-lettered; raises StorageError when there is no active one.
    """
    row = session.get(Subscription, subscription_id)
    if row is None or not row.active:
        raise StorageError.said("subs_error.no_active", id=subscription_id)
    row.active = False
    result = session.execute(
        update(Delivery)
        .where(Delivery.subscription_id == subscription_id, Delivery.state.in_(WAITING_STATES))
        .values(state="dead", last_error=f"subscription removed at {now.isoformat(timespec='seconds')}")
    )
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Candidate:
    """An event a subscription wants that has no delivery row yet."""

    subscription_id: int
    event_id: int
    detected_at: datetime


def undelivered_events(session: Session, subscription: SubscriptionView, *, limit: int = 5000) -> list[Candidate]:
    """Events matching the subscription (kinds, kommuner, regions, detected since it was confirmed) without a
    delivery row."""
    kinds = list(subscription.kinds) or list(PLAN_EVENT_KINDS)
    has_row = select(Delivery.id).where(Delivery.subscription_id == subscription.id, Delivery.event_id == Event.id)
    stmt = (
        select(Event.id, Event.detected_at)
        .where(Event.kind.in_(kinds), Event.detected_at >= subscription.since, ~has_row.exists())
        .order_by(Event.detected_at, Event.id)
        .limit(limit)
    )
    if subscription.kommuner or subscription.regions:
        stmt = stmt.join(KommuneRow, KommuneRow.id == Event.kommune_id)
    if subscription.kommuner:
        stmt = stmt.where(KommuneRow.kommunenummer.in_(list(subscription.kommuner)))
    if subscription.regions:
        stmt = stmt.where(KommuneRow.region_code.in_(list(subscription.regions)))
    return [Candidate(subscription.id, event_id, detected_at) for event_id, detected_at in session.execute(stmt)]


def insert_deliveries(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert delivery rows, skipping any (subscription, event) pair that exists: safe with two senders at once.

    Each row needs subscription_id, event_id, next_attempt_at and created_at. Returns how many were new.
    """
    if not rows:
        return 0
    values = [{"state": "pending", "attempts": 0, **row} for row in rows]
    dialect = session.get_bind().dialect.name
    insert: Any
    if dialect == "postgresql":
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
    else:  # pragma: no cover - Planvakt supports these two
        raise StorageError(f"unsupported database {dialect}")
    stmt = (
        insert(Delivery)
        .values(values)
        .on_conflict_do_nothing(index_elements=["subscription_id", "event_id"])
        .returning(Delivery.id)
    )
    return len(session.execute(stmt).all())


def _due(now: datetime) -> Any:
    return and_(
        Delivery.state.in_(WAITING_STATES),
        Delivery.next_attempt_at <= now,
        Subscription.active.is_(True),
    )


def next_due(session: Session, now: datetime, skip: Collection[int]) -> Delivery | None:
    """The delivery due longest, not in `skip`; locked (SKIP LOCKED) on PostgreSQL until the caller commits."""
    stmt = (
        select(Delivery)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(_due(now))
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(1)
        .with_for_update(skip_locked=True, of=Delivery)
    )
    if skip:
        stmt = stmt.where(Delivery.id.not_in(list(skip)))
    return session.scalars(stmt).first()


def due_of_subscription(session: Session, subscription_id: int, now: datetime, skip: Collection[int]) -> list[Delivery]:
    """Every due delivery of one subscription (a digest goes out as one message), locked on PostgreSQL."""
    stmt = (
        select(Delivery)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(_due(now), Delivery.subscription_id == subscription_id)
        .order_by(Delivery.event_id)
        .with_for_update(skip_locked=True, of=Delivery)
    )
    if skip:
        stmt = stmt.where(Delivery.id.not_in(list(skip)))
    return list(session.scalars(stmt))


def claim(session: Session, delivery: Delivery, now: datetime, lease_until: datetime) -> bool:
    """Take a due delivery for one attempt: `sending` until `lease_until`, attempts + 1. False if another took it.

    The guard on `attempts` (every claim bumps it) and on the row still being due makes this a compare-and-set.
    """
    result = session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery.id,
            Delivery.attempts == delivery.attempts,
            Delivery.state.in_(WAITING_STATES),
            Delivery.next_attempt_at <= now,
        )
        .values(state="sending", attempts=Delivery.attempts + 1, next_attempt_at=lease_until)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def mark_sent(session: Session, ids: Collection[int], now: datetime, status: int | None) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(list(ids)), Delivery.state != "sent")
        .values(state="sent", sent_at=now, last_status=status, last_error=None)
        .execution_options(synchronize_session=False)
    )


def mark_failed(
    session: Session,
    ids: Collection[int] | Mapping[int, int],
    retry_at: datetime | None,
    status: int | None,
    error: str,
) -> None:
    """After a failed attempt: pending again from `retry_at`, or dead when `retry_at` is None. Sent rows stay sent.

    Given a mapping of id to the attempt that failed, a row another sender has claimed since (its lease ran out
    while we waited) is left to that sender.
    """
    values: dict[str, Any] = {"last_status": status, "last_error": error[:2000]}
    if retry_at is None:
        values["state"] = "dead"
    else:
        values.update(state="pending", next_attempt_at=retry_at)
    groups: dict[int | None, list[int]] = {}
    for delivery_id in ids:
        groups.setdefault(ids[delivery_id] if isinstance(ids, Mapping) else None, []).append(delivery_id)
    for attempts, members in groups.items():
        stmt = update(Delivery).where(Delivery.id.in_(members), Delivery.state != "sent")
        if attempts is not None:
            stmt = stmt.where(Delivery.attempts == attempts)
        session.execute(stmt.values(**values).execution_options(synchronize_session=False))


def note_error(session: Session, ids: Collection[int], error: str) -> None:
    """Record why waiting rows were not attempted (a key that does not fit); their state and attempts stay."""
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(list(ids)), Delivery.state.in_(WAITING_STATES))
        .values(last_error=error[:2000])
        .execution_options(synchronize_session=False)
    )


def count_waiting(session: Session) -> int:
    """Deliveries not yet sent nor dead (waiting for their time, a retry, or a lease to expire)."""
    stmt = (
        select(func.count())
        .select_from(Delivery)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(Delivery.state.in_(WAITING_STATES), Subscription.active.is_(True))
    )
    return int(session.scalar(stmt) or 0)


def due_without_claiming(session: Session, now: datetime) -> list[Delivery]:
    """What is due now, read only (for a dry run)."""
    stmt = (
        select(Delivery)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .where(_due(now))
        .order_by(Delivery.next_attempt_at, Delivery.id)
    )
    return list(session.scalars(stmt))


def _kommune(row: KommuneRow) -> Kommune:
    return Kommune(
        kommunenummer=row.kommunenummer,
        name=row.name,
        country=Country(row.country),
        website=row.website,
        written_standard=row.written_standard,
    )


def alert_events(session: Session, event_ids: Sequence[int]) -> list[AlertEvent]:
    """The events as `AlertEvent`s in the kommune's language, in the order of `event_ids`."""
    rows = session.execute(
        select(Event, KommuneRow).join(KommuneRow, KommuneRow.id == Event.kommune_id).where(Event.id.in_(event_ids))
    )
    by_id: dict[int, AlertEvent] = {}
    for event, kommune in rows:
        language: Language = kommune_language(_kommune(kommune))
        by_id[event.id] = AlertEvent(
            id=event.uuid,
            kind=event.kind,
            kommunenummer=kommune.kommunenummer,
            name=kommune.name,
            country=kommune.country,
            url=event.url,
            previous_url=event.previous_url,
            sha256=event.sha256,
            previous_sha256=event.previous_sha256,
            detected_at=event.detected_at,
            evidence=dict(event.evidence or {}),
            language=language,
        )
    return [by_id[event_id] for event_id in event_ids if event_id in by_id]


@dataclass(frozen=True)
class DeliveryView:
    """One delivery as `planvakt alerts list` shows it (the subscription's secret is not part of it)."""

    id: int
    event_uuid: str
    kind: str
    kommunenummer: str
    kommune_name: str
    subscription_id: int
    channel: str
    target: Shown
    state: str
    attempts: int
    next_attempt_at: datetime
    last_status: int | None
    last_error: str | None
    sent_at: datetime | None


def list_deliveries(session: Session, *, state: str | None = None, limit: int = 50) -> list[DeliveryView]:
    """Newest deliveries first, optionally only those in `state`."""
    stmt = (
        select(
            Delivery.id,
            Event.uuid,
            Event.kind,
            KommuneRow.kommunenummer,
            KommuneRow.name,
            Subscription.id,
            Subscription.channel,
            Subscription.target_shown,
            Delivery.state,
            Delivery.attempts,
            Delivery.next_attempt_at,
            Delivery.last_status,
            Delivery.last_error,
            Delivery.sent_at,
        )
        .join(Event, Event.id == Delivery.event_id)
        .join(KommuneRow, KommuneRow.id == Event.kommune_id)
        .join(Subscription, Subscription.id == Delivery.subscription_id)
        .order_by(Delivery.id.desc())
        .limit(limit)
    )
    if state:
        stmt = stmt.where(Delivery.state == state)
    views = []
    for row in session.execute(stmt):
        values = list(row)
        values[7] = Shown(values[7])  # masked when stored: the real target is sealed
        views.append(DeliveryView(*values))
    return views
