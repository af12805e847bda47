"""Alert subscriptions: who wants which events, and how (a webhook, an e-mail address or an Apprise URL), with the
target and secret stored sealed. The outbox's rows (one event for one subscription) and removing a subscription
(which dead-letters its waiting rows) are `tracker.store.deliveries`.

Functions take a Session from the caller, who owns the transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.secretbox import Sealed, key_id_of
from tracker.store.models import KommuneRow, Subscription


def add_subscription(
    session: Session,
    *,
    channel: str,
    sealed_target: Sealed,
    target_shown: str,
    sealed_secret: Sealed | None,
    kommuner: Sequence[str],
    kinds: Sequence[str],
    digest: str,
    language: str | None,
    now: datetime,
    regions: Sequence[str] = (),
    pending: bool = False,
) -> SubscriptionView:
    """Store a subscription whose target and secret the caller has sealed (`subscriptions.subscribe`).

    `pending` stores one made on the public form: inactive (nothing is delivered) until `confirm_subscription`.
    """
    row = Subscription(
        channel=channel,
        sealed_target=sealed_target.stored,
        target_shown=target_shown,
        sealed_secret=sealed_secret.stored if sealed_secret is not None else None,
        kommuner=list(kommuner),
        kinds=list(kinds),
        digest=digest,
        language=language,
        active=not pending,
        created_at=now,
        origin="public" if pending else "operator",
        confirmed_at=None if pending else now,
        regions=list(regions),
    )
    session.add(row)
    session.flush()
    return _view(row)


class Shown(str):
    """A target already masked for printing (`subscriptions.shown_target` returns it as it is)."""

    __slots__ = ()


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription detached from the session (the outbox holds it across commits).

    `target` is the masked form, safe to print; the real target and the secret stay sealed until the outbox opens
    them for a delivery (`tracker.secretbox`).
    """

    id: int
    channel: str
    target: Shown
    sealed_target: Sealed
    secret: Sealed | None
    kommuner: tuple[str, ...]
    kinds: tuple[str, ...]
    digest: str
    language: str | None
    active: bool
    created_at: datetime
    origin: str = "operator"
    confirmed_at: datetime | None = None
    regions: tuple[str, ...] = ()

    @property
    def since(self) -> datetime:
        """Events detected from this moment on are delivered: when it was confirmed (made, for older rows)."""
        return self.confirmed_at or self.created_at


def _view(row: Subscription) -> SubscriptionView:
    return SubscriptionView(
        id=row.id,
        channel=row.channel,
        target=Shown(row.target_shown),
        sealed_target=Sealed(row.sealed_target),
        secret=Sealed(row.sealed_secret) if row.sealed_secret is not None else None,
        kommuner=tuple(row.kommuner or ()),
        kinds=tuple(row.kinds or ()),
        digest=row.digest,
        language=row.language,
        active=row.active,
        created_at=row.created_at,
        origin=row.origin,
        confirmed_at=row.confirmed_at,
        regions=tuple(row.regions or ()),
    )


def subscriptions(session: Session, *, include_inactive: bool = False) -> list[SubscriptionView]:
    stmt = select(Subscription).order_by(Subscription.id)
    if not include_inactive:
        stmt = stmt.where(Subscription.active.is_(True))
    return [_view(row) for row in session.scalars(stmt)]


def get_subscription(session: Session, subscription_id: int) -> SubscriptionView | None:
    row = session.get(Subscription, subscription_id)
    return _view(row) if row is not None else None


def sealed_key_ids(session: Session) -> set[str | None]:
    """The key ids the active subscriptions' sealed values name (None for a value that is not sealed)."""
    ids: set[str | None] = set()
    for target, secret in session.execute(
        select(Subscription.sealed_target, Subscription.sealed_secret).where(Subscription.active.is_(True))
    ):
        ids.add(key_id_of(target))
        if secret is not None:
            ids.add(key_id_of(secret))
    return ids


def known_kommunenumre(session: Session, numbers: Collection[str]) -> set[str]:
    """Which of `numbers` are kommuner in the database (Norwegian or Danish)."""
    if not numbers:
        return set()
    return set(session.scalars(select(KommuneRow.kommunenummer).where(KommuneRow.kommunenummer.in_(list(numbers)))))
