"""Reads and writes of subscriptions made on the public /subscribe form: pending until confirmed, stopped by a link.

Takes a Session from the caller, who owns the transaction (`tracker.public_subscribe`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tracker.store.deliveries import deactivate_subscription
from tracker.store.models import KommuneRow, Subscription


def confirm_subscription(session: Session, subscription_id: int, now: datetime) -> bool:
    """Activate a pending public subscription; False when there is none waiting (confirmed, removed, unknown)."""
    result = session.execute(
        update(Subscription)
        .where(
            Subscription.id == subscription_id,
            Subscription.origin == "public",
            Subscription.confirmed_at.is_(None),
            Subscription.active.is_(False),
        )
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
