"""Reads and writes of subscriptions made on the public /subscribe form: pending until confirmed, stopped by a link.

A public subscription is in one of three states (`PUBLIC_STATES`), read from its row: `pending` (inactive, never
confirmed), `confirmed` (active) or `unsubscribed` (inactive after being confirmed or stopped; a stopped pending one
is marked confirmed so its link can no longer activate it). Takes a Session from the caller, who owns the
transaction (`tracker.alerts.public_subscribe`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, delete, exists, func, select, update
from sqlalchemy.orm import Session

from tracker.store.deliveries import deactivate_subscription
from tracker.store.models import Delivery, KommuneRow, Subscription

PUBLIC_STATES: Final = ("pending", "confirmed", "unsubscribed")


@dataclass(frozen=True)
class PublicView:
    """A public subscription as a reviewer sees it: its state, what it asks for, and its target as stored (masked
    for webhooks; an e-mail address in full, which the page masks again)."""

    id: int
    channel: str
    target_shown: str
    state: str
    kommuner: tuple[str, ...]
    regions: tuple[str, ...]
    kinds: tuple[str, ...]
    digest: str
    language: str | None
    created_at: datetime
    confirmed_at: datetime | None


def state_of(row: Subscription) -> str:
    """pending | confirmed | unsubscribed (see the module docstring)."""
    if row.active:
        return "confirmed"
    return "pending" if row.confirmed_at is None else "unsubscribed"


def _pending() -> list[ColumnElement[bool]]:
    return [Subscription.origin == "public", Subscription.active.is_(False), Subscription.confirmed_at.is_(None)]


def confirm_subscription(session: Session, subscription_id: int, now: datetime) -> bool:
    """Activate a pending public subscription; False when there is none waiting (confirmed, removed, unknown)."""
    result = session.execute(
        update(Subscription)
        .where(Subscription.id == subscription_id, *_pending())
        .values(active=True, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def stop_subscription(session: Session, subscription_id: int, now: datetime) -> bool:
    """Unsubscribe (a link or a refused test delivery): inactive, and never confirmable after; what it had waiting is
    dead-lettered. True when it was active or pending; False when it was already stopped or never existed."""
    row = session.get(Subscription, subscription_id)
    if row is None or (not row.active and row.confirmed_at is not None):
        return False
    if row.active:
        deactivate_subscription(session, subscription_id, now)
    row.active = False
    row.confirmed_at = row.confirmed_at or now  # a pending one stopped can no longer be confirmed
    session.flush()
    return True


def public_requests_since(session: Session, channel: str, target_shown: str, since: datetime) -> int:
    """Public subscriptions made for this (masked) target since `since`: how many confirmation messages it got."""
    stmt = select(func.count()).where(
        Subscription.origin == "public",
        Subscription.channel == channel,
        func.lower(Subscription.target_shown) == target_shown.lower(),  # Ngo@X.org is ngo@x.org's inbox too
        Subscription.created_at >= since,
    )
    return int(session.scalar(stmt) or 0)


def region_choices(session: Session) -> list[tuple[str, str, str]]:
    """(country, region code, region name) of every fylke/region in the registry, Norway first, by name."""
    rows = session.execute(
        select(KommuneRow.country, KommuneRow.region_code, KommuneRow.region)
        .where(KommuneRow.region_code.is_not(None), KommuneRow.region.is_not(None))
        .distinct()
    )
    choices = [(country, code, name) for country, code, name in rows if code and name]
    return sorted(choices, key=lambda choice: (choice[0] != "NO", choice[2]))


def known_region_codes(session: Session, codes: tuple[str, ...]) -> set[str]:
    """Those of `codes` that some kommune in the registry has as its fylke/region code."""
    return set(session.scalars(select(KommuneRow.region_code).where(KommuneRow.region_code.in_(codes))))


def region_name(session: Session, code: str) -> str | None:
    return session.scalars(select(KommuneRow.region).where(KommuneRow.region_code == code).limit(1)).first()


def countries_of(session: Session, numbers: Collection[str]) -> set[str]:
    """The countries of the registry's kommuner among `numbers` (a kommunenummer unknown here adds none)."""
    return set(session.scalars(select(KommuneRow.country).where(KommuneRow.kommunenummer.in_(numbers)).distinct()))


def public_subscriptions(session: Session, *, limit: int = 500) -> list[PublicView]:
    """The newest `limit` public subscriptions, newest first, whatever their state."""
    stmt = select(Subscription).where(Subscription.origin == "public").order_by(Subscription.id.desc()).limit(limit)
    return [
        PublicView(
            id=row.id,
            channel=row.channel,
            target_shown=row.target_shown,
            state=state_of(row),
            kommuner=tuple(row.kommuner or ()),
            regions=tuple(row.regions or ()),
            kinds=tuple(row.kinds or ()),
            digest=row.digest,
            language=row.language,
            created_at=row.created_at,
            confirmed_at=row.confirmed_at,
        )  # fmt: skip
        for row in session.scalars(stmt)
    ]


def public_counts(session: Session) -> dict[tuple[str, str], int]:
    """How many public subscriptions there are per (channel, state), over all of them (not only the listed)."""
    counts: dict[tuple[str, str], int] = {}
    rows = session.execute(
        select(Subscription.channel, Subscription.active, Subscription.confirmed_at.is_not(None), func.count())
        .where(Subscription.origin == "public")
        .group_by(Subscription.channel, Subscription.active, Subscription.confirmed_at.is_not(None))
    )
    for channel, active, confirmed, count in rows:
        state = "confirmed" if active else ("unsubscribed" if confirmed else "pending")
        counts[(channel, state)] = counts.get((channel, state), 0) + int(count)
    return counts


def get_public(session: Session, subscription_id: int) -> Subscription | None:
    row = session.get(Subscription, subscription_id)
    return row if row is not None and row.origin == "public" else None


def delete_pending(
    session: Session,
    *,
    channel: str | None = None,
    created_before: datetime | None = None,
    subscription_id: int | None = None,
) -> int:
    """Delete public subscriptions never confirmed (of `channel`, made before `created_before`, the one with
    `subscription_id`: each None for any); their address goes with them. A row with a delivery is never deleted (a
    pending one cannot have one: the outbox serves active subscriptions only)."""
    stmt = delete(Subscription).where(*_pending(), ~exists().where(Delivery.subscription_id == Subscription.id))
    if channel is not None:
        stmt = stmt.where(Subscription.channel == channel)
    if created_before is not None:
        stmt = stmt.where(Subscription.created_at < created_before)
    if subscription_id is not None:
        stmt = stmt.where(Subscription.id == subscription_id)
    result = session.execute(stmt.execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]
