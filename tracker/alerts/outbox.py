"""The alert outbox: turns durable events into deliveries and sends what is due, at least once.

`send_due` is one pass, safe to run from cron, the scheduler (every minute) and by hand, also two at once:

1. **Materialise.** For every active subscription, each matching event detected since it was created that has no
   delivery row gets one (`pending`). The unique (subscription, event) pair makes this idempotent, so an event is
   never lost between detection and sending: the event row is the durable record and the outbox is derived from it.
2. **Claim.** A due row (`pending`, or `sending` whose lease ran out) is taken with a compare-and-set update
   (and `FOR UPDATE SKIP LOCKED` on PostgreSQL): state `sending`, attempts + 1, `next_attempt_at` = lease end.
   Committed before sending, so a sender killed mid-delivery leaves a row that another pass retries after `LEASE`.
3. **Send and record.** `sent`; or `pending` again after `notify.backoff_delay` (Retry-After honoured); or `dead`
   after `Settings.alert_max_attempts` attempts or at once on a permanent failure. Committed per delivery (per
   digest), so a kill loses at most the one in flight, which is then sent again: receivers deduplicate on the
   event id (`Idempotency-Key`, `X-Planvakt-Events`).

Digests: a subscription with digest `daily` or `weekly` gets one message per period listing its events, due at the
period's end: every day at 06:00 UTC, or every Tuesday at 06:00 UTC (so the weekly digest carries the Monday sweep,
which the default `PLANVAKT_SWEEP_CRON` starts at 03:00 UTC). Webhooks have no digest: one POST per event.

Before every delivery a webhook or Apprise target goes through the crawler's address guard again
(`subscriptions.guard_target`, when `tracker.alerts.channels` builds its channel): a target that now resolves to a
loopback or private address is dead-lettered with a permanent error, unless the pass runs with
`allow_private_networks` (tests and the demo web only). Webhooks are then posted through the guard's own connections
(`crawlers.netguard.SyncGuardedBackend`), which resolve again and connect only to the address they checked: a name
that answers the guard publicly and the connection privately (DNS rebinding) is dead-lettered the same way and
nothing is sent; a name that no longer resolves is retried.
(Apprise posts with its own HTTP stack, so only its guard check applies.)

Targets and webhook secrets are stored sealed (`tracker.secretbox`) and opened with the settings' key just before
a message is claimed. When the key is missing or does not fit, that subscription's due rows are not claimed: they
keep their attempts, get the reason in `last_error` (so `alerts list` shows it), and wait for the key to be fixed;
the error is logged and the pass goes on with the other subscriptions. Opened values live only in memory.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from crawlers.errors import RefusedAddress
from tracker.alerts.channels import Channels, Opened, Opener
from tracker.alerts.messages import AlertEvent
from tracker.alerts.notify import DeliveryFailed, next_attempt_at
from tracker.alerts.subscriptions import logged_target, refused_target
from tracker.config import Settings
from tracker.errors import ConfigError, SecretError
from tracker.secretbox import SecretKeys
from tracker.store import alerts, deliveries
from tracker.store.alerts import SubscriptionView

__all__ = [
    "LEASE",
    "DeliveryReport",
    "PlannedMessage",
    "digest_due_at",
    "preview_due",
    "send_due",
]

logger = logging.getLogger(__name__)

#: how long a claimed delivery is a sender's own; longer than any channel may take (webhook 10 s, SMTP 30 s)
LEASE: Final = timedelta(minutes=5)
DIGEST_HOUR_UTC: Final = 6
WEEKLY_DIGEST_WEEKDAY: Final = 1  # Tuesday (Monday is 0)


@dataclass(frozen=True)
class DeliveryReport:
    """What one pass did, counted in deliveries (one event for one subscription; a digest counts each event).

    `pending` is what still waits after the pass: not due yet, scheduled for a retry, or leased by another sender.
    """

    sent: int = 0
    retried: int = 0
    dead: int = 0
    pending: int = 0
    created: int = 0
    messages: int = 0
    #: due rows not attempted because their subscription's secrets cannot be opened (counted in `pending` too)
    blocked: int = 0


def digest_due_at(digest: str, detected_at: datetime, now: datetime) -> datetime:
    """When a delivery of an event detected at `detected_at` is due: `now`, or the end of its digest period."""
    if digest == "none":
        return now
    moment = detected_at.astimezone(UTC)
    boundary = moment.replace(hour=DIGEST_HOUR_UTC, minute=0, second=0, microsecond=0)
    if boundary <= moment:
        boundary += timedelta(days=1)
    if digest == "weekly":
        boundary += timedelta(days=(WEEKLY_DIGEST_WEEKDAY - boundary.weekday()) % 7)
    return boundary


# -- one pass ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    """Claimed rows that go out as one message (one event, or a digest)."""

    subscription: SubscriptionView
    opened: Opened
    attempts: dict[int, int]  # delivery id -> attempts including this one
    events: list[AlertEvent]
    lost: list[int]  # rows that were due but another sender changed first: not looked at again in this pass


def send_due(
    session_factory: sessionmaker[Session],
    settings: Settings,
    *,
    now: Callable[[], datetime],
    channels: Channels | None = None,
    lease: timedelta = LEASE,
    rng: random.Random | None = None,
    allow_private_networks: bool = False,
) -> DeliveryReport:
    """Materialise deliveries for new events, then send everything due; see the module docstring.

    `channels` defaults to ones built from `settings` that refuse non-public webhook and Apprise targets unless
    `allow_private_networks` (ignored when `channels` is given: theirs decides). `rng` jitters the backoff (None:
    nominal delays).
    Failures of receivers are recorded on the rows, never raised; database errors are.
    """
    if channels is None:
        with Channels.from_settings(settings, allow_private_networks=allow_private_networks) as built:
            return send_due(session_factory, settings, now=now, channels=built, lease=lease, rng=rng)
    created = materialise(session_factory, now=now())
    opener = Opener(SecretKeys.from_settings(settings))
    sent = retried = dead = messages = blocked = 0
    # Rows leave the due set by themselves (sent, dead, leased, or retried 15 s or more later), so a pass ends;
    # only rows lost to another sender's race are skipped explicitly, which keeps this set tiny.
    lost: set[int] = set()
    max_attempts = max(1, settings.alert_max_attempts)
    while True:
        batch = _claim_next(session_factory, now(), lease, lost, max_attempts, opener)
        if batch is None:
            break
        if isinstance(batch, _Worn):  # rows dead-lettered at claim time
            dead += batch.dead
            continue
        if isinstance(batch, _Blocked):  # left waiting, not looked at again in this pass
            lost.update(batch.ids)
            blocked += len(batch.ids)
            continue
        lost.update(batch.lost)
        if not batch.attempts:
            continue
        outcome = _attempt(session_factory, batch, channels, now, max_attempts, rng)
        sent, retried, dead = sent + outcome[0], retried + outcome[1], dead + outcome[2]
        messages += 1
    with session_factory() as session:
        pending = deliveries.count_waiting(session)
    report = DeliveryReport(
        sent=sent, retried=retried, dead=dead, pending=pending, created=created, messages=messages, blocked=blocked
    )
    # The scheduler runs a pass every minute: only passes that did something are worth an INFO line.
    logger.log(logging.INFO if messages or created or blocked else logging.DEBUG, "outbox pass: %s", report)
    return report


def materialise(session_factory: sessionmaker[Session], *, now: datetime) -> int:
    """Give every (active subscription, matching event) pair without one a delivery row; returns how many."""
    with session_factory() as session:
        subscriptions = alerts.subscriptions(session)
    created = 0
    for subscription in subscriptions:
        while True:
            with session_factory.begin() as session:
                candidates = deliveries.undelivered_events(session, subscription, limit=2000)
                rows = [
                    {
                        "subscription_id": subscription.id,
                        "event_id": candidate.event_id,
                        "next_attempt_at": digest_due_at(subscription.digest, candidate.detected_at, now),
                        "created_at": now,
                    }
                    for candidate in candidates
                ]
                created += deliveries.insert_deliveries(session, rows)
            if len(candidates) < 2000:
                break
    return created


def _claim_next(
    session_factory: sessionmaker[Session],
    now: datetime,
    lease: timedelta,
    skip: set[int],
    max_attempts: int,
    opener: Opener,
) -> _Batch | _Worn | _Blocked | None:
    """Claim the next due message's rows in one committed transaction; None when nothing is due.

    A subscription whose secrets cannot be opened has its due rows noted and returned as `_Blocked`, unclaimed.
    """
    with session_factory.begin() as session:
        first = deliveries.next_due(session, now, skip)
        if first is None:
            return None
        subscription = alerts.get_subscription(session, first.subscription_id)
        assert subscription is not None  # the foreign key guarantees it
        try:
            opened = opener.open(subscription)
        except SecretError as exc:
            ids = [row.id for row in deliveries.due_of_subscription(session, subscription.id, now, skip)]
            ids = ids or [first.id]
            deliveries.note_error(session, ids, f"not attempted: {exc}")
            logger.error(
                "subscription %d (%s): %d due deliveries wait, not attempted: %s",
                subscription.id,
                logged_target(subscription.channel, subscription.target),
                len(ids),
                exc,
            )
            return _Blocked(tuple(ids))
        if subscription.digest != "none" and subscription.channel != "webhook":
            rows = deliveries.due_of_subscription(session, subscription.id, now, skip)
        else:
            rows = [first]
        # A row whose attempts are used up while still due was claimed by senders that died before recording an
        # outcome (a poison message that kills the sender): give up on it rather than crash forever.
        worn = [row.id for row in rows if row.attempts >= max_attempts]
        if worn:
            deliveries.mark_failed(
                session, worn, None, None, f"gave up after {max_attempts} attempts (senders died mid-delivery)"
            )
            return _Worn(len(worn))
        claimed = {row.id: row.attempts + 1 for row in rows if deliveries.claim(session, row, now, now + lease)}
        event_ids = [row.event_id for row in rows if row.id in claimed]
        events = deliveries.alert_events(session, event_ids) if claimed else []
    lost = [row.id for row in rows if row.id not in claimed]
    return _Batch(subscription, opened, claimed, events, lost)


@dataclass(frozen=True)
class _Worn:
    dead: int


@dataclass(frozen=True)
class _Blocked:
    ids: tuple[int, ...]


def _attempt(
    session_factory: sessionmaker[Session],
    batch: _Batch,
    channels: Channels,
    now: Callable[[], datetime],
    max_attempts: int,
    rng: random.Random | None,
) -> tuple[int, int, int]:
    """Send one claimed message and record the outcome; returns (sent, retried, dead) row counts."""
    subscription = batch.subscription
    ids = list(batch.attempts)
    shown = logged_target(subscription.channel, subscription.target)  # tokens and e-mail local parts masked
    try:
        channel = channels.for_subscription(subscription, batch.opened)
        channel.deliver(batch.events)
    except ConfigError as exc:  # the stored target cannot work any more: no retry can help
        failure = DeliveryFailed(subscription.channel, str(exc), retryable=False)
    except RefusedAddress as exc:  # the name answered the guard publicly, then privately when connecting
        failure = DeliveryFailed(subscription.channel, str(refused_target(subscription.channel, exc)), retryable=False)
    except DeliveryFailed as exc:
        failure = exc
    else:
        with session_factory.begin() as session:
            deliveries.mark_sent(session, ids, now(), None)
        logger.info("delivered %d event(s) to subscription %d (%s)", len(ids), subscription.id, shown)
        return len(ids), 0, 0
    moment = now()
    if not failure.retryable:
        dead_ids, live = ids, []
    else:
        dead_ids = [i for i in ids if batch.attempts[i] >= max_attempts]
        live = [i for i in ids if batch.attempts[i] < max_attempts]
    with session_factory.begin() as session:
        if dead_ids:
            deliveries.mark_failed(
                session, {i: batch.attempts[i] for i in dead_ids}, None, failure.status, failure.detail
            )
        if live:
            attempts = max(batch.attempts[i] for i in live)
            retry_at = next_attempt_at(attempts, failure, moment, rng=rng, max_attempts=max_attempts)
            deliveries.mark_failed(
                session, {i: batch.attempts[i] for i in live}, retry_at, failure.status, failure.detail
            )
    logger.warning(
        "delivery to subscription %d (%s) failed: %s (%d retried, %d dead)",
        subscription.id,
        shown,
        failure.detail,
        len(live),
        len(dead_ids),
    )
    return 0, len(live), len(dead_ids)


# -- dry run ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMessage:
    """A message a pass would send now: to whom (secret-free), with which events."""

    subscription_id: int
    channel: str
    target: str
    event_ids: tuple[str, ...]
    kinds: tuple[str, ...]


def preview_due(session_factory: sessionmaker[Session], *, now: datetime) -> list[PlannedMessage]:
    """What `send_due` would send at `now`, without writing anything (`planvakt alerts send --dry-run`)."""
    planned: list[PlannedMessage] = []
    with session_factory() as session:
        due = deliveries.due_without_claiming(session, now)
        by_subscription: dict[int, list[int]] = {}
        for row in due:
            by_subscription.setdefault(row.subscription_id, []).append(row.event_id)
        for subscription in alerts.subscriptions(session):
            event_ids = by_subscription.get(subscription.id, [])
            event_ids += [
                candidate.event_id
                for candidate in deliveries.undelivered_events(session, subscription)
                if digest_due_at(subscription.digest, candidate.detected_at, now) <= now
            ]
            if not event_ids:
                continue
            events = deliveries.alert_events(session, event_ids)
            groups = (
                [events]
                if subscription.digest != "none" and subscription.channel != "webhook"
                else [[event] for event in events]
            )
            planned.extend(
                PlannedMessage(
                    subscription.id,
                    subscription.channel,
                    subscription.target,
                    tuple(event.id for event in group),
                    tuple(event.kind for event in group),
                )
                for group in groups
            )
    return planned
