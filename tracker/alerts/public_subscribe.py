"""Subscribing from the public form, with confirmation, and unsubscribing with one signed link (issue 13).

A subscription made on /subscribe is stored **pending** (inactive: the outbox ignores it) and becomes active only
when its owner proves they hold the target:

- **e-mail: double opt-in.** The address gets one message, the confirmation mail with a signed link valid 48 hours
  (`subscription_links`); nothing else is sent to it until the link is followed and confirmed. At most
  `MAX_CONFIRMATIONS_PER_DAY` confirmation mails go to one address a day, whoever asks, so the form cannot be used
  to flood someone's inbox; the form answers the same either way, so it tells no one who is subscribed.
- **webhook: a signed test delivery, then its code.** The receiver gets one POST signed exactly as alerts are
  (`X-Planvakt-Signature`, HMAC-SHA256 with the subscription's secret) carrying a confirmation code. The receiver
  must answer 2xx *and* the person at the form must type the code back. Why both: a 2xx alone proves only that
  something answers at that URL (any catch-all endpoint does, so anyone could subscribe someone else's receiver);
  the code alone could activate a receiver that rejects our POSTs, and every alert would then go to the dead
  letters. The code is derived from the server key and never sent to the browser, so only whoever reads the
  receiver's input can type it.

Every alert then carries a one-click unsubscribe link (`subscription_links.unsubscribe_url`); following it with a
POST stops the subscription, no login needed. Errors are `ConfigError`s whose message says what to fix.

A pending subscription not confirmed within its window (`CONFIRM_WINDOWS`: the e-mail link's 48 hours, the webhook
code form's hour) can never be confirmed, so `expire_unconfirmed` deletes it, and the address with it: the
scheduler's minute job and `planvakt alerts send` run it. (The three-mails-a-day limit counts the last 24 hours
only, so deleting rows older than a window never lifts it.) A reviewer may remove one sooner (`withdraw`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

import httpx
from sqlalchemy.orm import Session, sessionmaker

from crawlers.errors import RefusedAddress
from tracker.alerts.notify import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, DeliveryFailed, EmailChannel, sign
from tracker.alerts.subscribe_messages import TEST_EVENT_KIND, confirmation_email, webhook_test_body
from tracker.alerts.subscription_links import (
    CONFIRM_FOR,
    WEBHOOK_CODE_FOR,
    BadToken,
    LinkSigner,
    parse,
    unsubscribe_url,
)
from tracker.alerts.subscriptions import SubscriptionRequest, logged_target, refused_target, shown_target, validate
from tracker.errors import ConfigError
from tracker.secretbox import SecretKeys
from tracker.store import alerts, public_subscriptions

logger = logging.getLogger(__name__)

PUBLIC_CHANNELS: Final = ("email", "webhook")
MAX_CONFIRMATIONS_PER_DAY: Final = 3
MIN_SECRET_LENGTH: Final = 16
#: how long a pending subscription of each channel can still be confirmed
CONFIRM_WINDOWS: Final = {"email": CONFIRM_FOR, "webhook": WEBHOOK_CODE_FOR}


@dataclass(frozen=True)
class PublicRequest:
    """What the form asks for. `regions` are fylke/region codes; both empty with `kommuner`: every kommune."""

    channel: str
    target: str
    secret: str | None = field(default=None, repr=False)
    kommuner: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    digest: str = "none"
    language: str | None = None


@dataclass(frozen=True)
class Pending:
    """A stored pending subscription and what is needed to ask its owner to confirm (in memory only)."""

    subscription_id: int
    created_at: datetime
    channel: str
    target: str = field(repr=False)
    secret: str | None = field(repr=False)


def request_subscription(
    session_factory: sessionmaker[Session],
    wanted: PublicRequest,
    *,
    now: datetime,
    keys: SecretKeys,
    allow_private_networks: bool = False,
) -> Pending | None:
    """Validate and store a pending subscription; None when the address already had its confirmations for today
    (nothing is stored or sent, and the caller answers as if it were). Raises ConfigError naming the problem."""
    if wanted.channel not in PUBLIC_CHANNELS:
        raise ConfigError.said("pub_error.channel", value=repr(wanted.channel))
    if wanted.channel == "webhook" and len(wanted.secret or "") < MIN_SECRET_LENGTH:
        raise ConfigError.said("pub_error.secret", length=MIN_SECRET_LENGTH)
    checked = validate(
        SubscriptionRequest(
            channel=wanted.channel,
            target=wanted.target,
            secret=wanted.secret if wanted.channel == "webhook" else None,
            kommuner=wanted.kommuner,
            kinds=wanted.kinds,
            digest=wanted.digest if wanted.channel == "email" else "none",
            language=wanted.language,
        ),
        allow_private_networks=allow_private_networks,
    )
    shown = shown_target(checked.channel, checked.target)
    with session_factory.begin() as session:
        _check_scope(session, checked.kommuner, wanted.regions)
        day_ago = now - timedelta(days=1)
        if (
            public_subscriptions.public_requests_since(session, checked.channel, shown, day_ago)
            >= MAX_CONFIRMATIONS_PER_DAY
        ):
            return None
        existing = alerts.sealed_key_ids(session)
        box = keys.box(create=not existing)
        box.check_fits(existing)
        view = alerts.add_subscription(
            session,
            channel=checked.channel,
            sealed_target=box.seal(checked.target),
            target_shown=shown,
            sealed_secret=box.seal(checked.secret) if checked.secret else None,
            kommuner=checked.kommuner,
            kinds=checked.kinds,
            digest=checked.digest,
            language=checked.language,
            now=now,
            regions=tuple(dict.fromkeys(wanted.regions)),
            pending=True,
        )
    return Pending(view.id, view.created_at, checked.channel, checked.target, checked.secret)


def _check_scope(session: Session, kommuner: tuple[str, ...], regions: tuple[str, ...]) -> None:
    missing = sorted(set(kommuner) - alerts.known_kommunenumre(session, kommuner))
    if missing:
        raise ConfigError.said("pub_error.no_kommune", numbers=", ".join(missing))
    if regions:
        unknown = sorted(set(regions) - public_subscriptions.known_region_codes(session, regions))
        if unknown:
            raise ConfigError.said("pub_error.no_region", regions=", ".join(unknown))


def send_confirmation(
    email: EmailChannel, pending: Pending, signer: LinkSigner, public_url: str, scope: str, language: str, now: datetime
) -> None:
    """Send the double opt-in mail (its link expires after CONFIRM_FOR); raises DeliveryFailed."""
    token = signer.token("confirm", pending.subscription_id, pending.created_at, now + CONFIRM_FOR)
    link = f"{public_url.rstrip('/')}/subscribe/confirm?token={token}"
    email.transmit(pending.target, confirmation_email(link, scope, language), now=now)


def send_test_delivery(
    client: httpx.Client, pending: Pending, signer: LinkSigner, public_url: str, language: str
) -> None:
    """POST the signed test delivery through the guarded `client`; returns on 2xx, raises DeliveryFailed else."""
    code = signer.webhook_code(pending.subscription_id, pending.created_at)
    stop = unsubscribe_url(public_url, signer, pending.subscription_id, pending.created_at)
    body = webhook_test_body(pending.subscription_id, code, stop, language)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        IDEMPOTENCY_HEADER: f"subscription-test-{pending.subscription_id}",
        "X-Planvakt-Event": TEST_EVENT_KIND,
        SIGNATURE_HEADER: sign(body, pending.secret or ""),
    }
    shown = shown_target("webhook", pending.target)
    try:
        response = client.post(pending.target, content=body, headers=headers)
    except RefusedAddress as exc:
        raise DeliveryFailed("webhook", str(refused_target("webhook", exc)), retryable=False) from exc
    except httpx.HTTPError as exc:
        raise DeliveryFailed("webhook", f"could not post to {shown}: {type(exc).__name__}", retryable=True) from exc
    if not 200 <= response.status_code < 300:
        detail = f"{shown} answered {response.status_code}"
        raise DeliveryFailed("webhook", detail, retryable=False, status=response.status_code)


def _subscription_created(session: Session, subscription_id: int) -> datetime:
    row = alerts.get_subscription(session, subscription_id)
    if row is None:
        raise BadToken("this link was not made by Planvakt for this subscription")
    return row.created_at


def confirm_by_link(session_factory: sessionmaker[Session], token: str, signer: LinkSigner, now: datetime) -> bool:
    """Activate the subscription the confirmation link names; False when it was already confirmed or stopped.
    BadToken for a link we did not sign or one that has expired."""
    claim = parse(token)
    with session_factory.begin() as session:
        signer.check("confirm", claim, _subscription_created(session, claim.subscription_id), now)
        return public_subscriptions.confirm_subscription(session, claim.subscription_id, now)


def pending_webhook_token(pending: Pending, signer: LinkSigner, now: datetime, valid_for: timedelta) -> str:
    """The form's proof of which pending webhook the typed code is for (not the code: the browser never sees it)."""
    return signer.token("pending-webhook", pending.subscription_id, pending.created_at, now + valid_for)


def confirm_by_code(
    session_factory: sessionmaker[Session], token: str, code: str, signer: LinkSigner, now: datetime
) -> bool:
    """Activate the pending webhook when `code` is the one its test delivery carried; False for a wrong code.
    BadToken when the form's token is not ours or has expired; ConfigError when it is confirmed or stopped."""
    claim = parse(token)
    with session_factory.begin() as session:
        created = _subscription_created(session, claim.subscription_id)
        signer.check("pending-webhook", claim, created, now)
        if not signer.code_matches(claim.subscription_id, created, code):
            return False
        if not public_subscriptions.confirm_subscription(session, claim.subscription_id, now):
            raise ConfigError("this subscription is already confirmed or was stopped")
        return True


def unsubscribe_by_link(session_factory: sessionmaker[Session], token: str, signer: LinkSigner, now: datetime) -> bool:
    """Stop the subscription the link names (pending or active); False when it was already stopped. BadToken
    for a link we did not sign."""
    claim = parse(token)
    with session_factory.begin() as session:
        signer.check("unsubscribe", claim, _subscription_created(session, claim.subscription_id), now)
        return public_subscriptions.stop_subscription(session, claim.subscription_id, now)


def abandon(session_factory: sessionmaker[Session], pending: Pending, now: datetime) -> None:
    """Stop a pending subscription whose test delivery failed: it can never be confirmed."""
    with session_factory.begin() as session:
        public_subscriptions.stop_subscription(session, pending.subscription_id, now)


def expire_unconfirmed(session_factory: sessionmaker[Session], now: datetime) -> int:
    """Delete the pending subscriptions whose confirmation window has passed; returns how many."""
    expired = 0
    with session_factory.begin() as session:
        for channel, window in CONFIRM_WINDOWS.items():
            expired += public_subscriptions.delete_pending(session, channel=channel, created_before=now - window)
    if expired:
        logger.info("deleted %d public subscription(s) not confirmed in time", expired)
    return expired


def withdraw(session_factory: sessionmaker[Session], subscription_id: int, now: datetime, by: str) -> str:
    """A reviewer removes a public subscription: a pending one is deleted ("deleted"), a confirmed one stopped as
    its unsubscribe link would ("stopped"). ConfigError when there is no such public subscription or it is stopped."""
    with session_factory.begin() as session:
        row = public_subscriptions.get_public(session, subscription_id)
        if row is None:
            raise ConfigError.said("subs_error.no_public", id=subscription_id)
        state, shown = public_subscriptions.state_of(row), logged_target(row.channel, row.target_shown)
        if state == "unsubscribed":
            raise ConfigError.said("subs_error.unsubscribed", id=subscription_id)
        if state == "pending":
            public_subscriptions.delete_pending(session, subscription_id=subscription_id)
        else:
            public_subscriptions.stop_subscription(session, subscription_id, now)
    done = "deleted" if state == "pending" else "stopped"
    logger.info("%s %s public subscription %d (%s %s)", by, done, subscription_id, row.channel, shown)
    return done
