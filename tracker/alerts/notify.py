"""Alert delivery channels (signed webhook, SMTP e-mail, Apprise) and the retry arithmetic of the outbox.

A channel sends and either returns or raises `DeliveryFailed`; it never decides about retries. The outbox
(`tracker.alerts.outbox`) does, with `backoff_delay`, `MAX_ATTEMPTS` and `DeliveryFailed.retryable`:
at-least-once delivery, the event id as idempotency key, a dead letter after `MAX_ATTEMPTS` attempts or at
once when the receiver says the request itself is wrong (4xx other than 408/429, SMTP 5xx).

    TrackerError
     └── DeliveryFailed(channel, detail, retryable, status, retry_after)

Webhook receivers verify `X-Planvakt-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with
`verify_signature`, and deduplicate on the `Idempotency-Key` header (the event id).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import random
import smtplib
import ssl
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parsedate_to_datetime
from typing import Final, Protocol

import apprise
import httpx

from tracker.alerts.messages import AlertEvent, render_email, render_text, webhook_payload
from tracker.catalogue import Locale
from tracker.domain import GOOD_NEWS_EVENT_KINDS, WARNING_EVENT_KINDS
from tracker.errors import ConfigError, TrackerError

__all__ = [
    "MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "AppriseChannel",
    "DeliveryFailed",
    "EmailChannel",
    "WebhookChannel",
    "backoff_delay",
    "next_attempt_at",
    "sign",
    "verify_signature",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS: Final = 8
SIGNATURE_HEADER: Final = "X-Planvakt-Signature"
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
USER_AGENT: Final = "Planvakt-Alerts/1.0 (+https://github.com/planvakt/planvakt)"

# 408 Request Timeout and 429 Too Many Requests are the receiver asking us to come back later.
_RETRYABLE_4XX: Final = frozenset({408, 429})


class DeliveryFailed(TrackerError):
    """A channel could not deliver. `retryable` False means retrying the same request cannot succeed."""

    def __init__(
        self,
        channel: str,
        detail: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{channel} delivery failed ({'retryable' if retryable else 'permanent'}): {detail}")
        self.channel = channel
        self.detail = detail
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


def masked_address(address: str) -> str:
    """`n…@example.org`: an address as logs and stored errors name it (which organisation, not whom to mail)."""
    local, at, domain = address.rpartition("@")
    return f"{local[:1]}…@{domain}" if at else "…"


class Channel(Protocol):
    """What the outbox needs from a subscription's channel: deliver these events, or raise DeliveryFailed."""

    def deliver(self, events: Sequence[AlertEvent]) -> None: ...


# ---------------------------------------------------------------------------------------------------------------
# Retry arithmetic


def backoff_delay(attempt: int, base: float = 30, cap: float = 3600, *, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempt`-th failed attempt (1-based): base·2^(attempt-1), capped, with jitter.

    Jitter ("equal jitter") draws from [delay/2, delay] with the injected `rng`, so receivers that failed together
    are not retried together, and no retry comes sooner than half the nominal delay. Without `rng` the nominal
    delay is returned (deterministic). Raises ValueError for attempt < 1.
    """
    if attempt < 1:
        raise ValueError(f"attempt is 1-based, got {attempt}")
    # min() on the exponent first: 2**attempt overflows a float long before anyone waits that long.
    delay = min(cap, base * 2.0 ** min(attempt - 1, 62))
    if rng is None:
        return delay
    return delay / 2 + rng.random() * delay / 2


def next_attempt_at(
    attempts: int,
    failure: DeliveryFailed,
    now: datetime,
    *,
    rng: random.Random | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> datetime | None:
    """When to try again after `attempts` failed attempts, or None for the dead letter.

    Dead when the failure is permanent or `attempts` reached `max_attempts` (the outbox passes
    `Settings.alert_max_attempts`). A receiver's Retry-After is honoured when it asks for longer than our own backoff.
    """
    if not failure.retryable or attempts >= max_attempts:
        return None
    delay = backoff_delay(attempts, rng=rng)
    if failure.retry_after is not None:
        delay = max(delay, failure.retry_after)
    return now + timedelta(seconds=delay)


# ---------------------------------------------------------------------------------------------------------------
# Webhook


def sign(body: bytes, secret: str) -> str:
    """The `X-Planvakt-Signature` value for `body`: ``sha256=`` and the hex HMAC-SHA256 keyed with `secret`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is the signature of the raw `body` under `secret`; constant-time, never raises."""
    if not header:
        return False
    expected = sign(body, secret).encode("ascii")
    return hmac.compare_digest(expected, header.strip().encode("utf-8", errors="replace"))


def _retry_after_seconds(response: httpx.Response, now: datetime) -> float | None:
    """Retry-After as seconds, from either form the header may take (delta-seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class WebhookChannel:
    """POSTs each event as signed JSON to one URL through an injected `httpx.Client` (which owns the timeout)."""

    name: Final = "webhook"

    def __init__(
        self, client: httpx.Client, url: str, secret: str | None = None, unsubscribe_url: str | None = None
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"webhook URL must be http(s): {url!r}")
        self._client = client
        self.url = url
        self._secret = secret
        self.unsubscribe_url = unsubscribe_url
        # Receivers often put a token in the query or userinfo; only this form goes to logs and errors.
        self._shown = str(httpx.URL(url).copy_with(query=None, userinfo=b""))

    def headers(self, event: AlertEvent, body: bytes) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            IDEMPOTENCY_HEADER: event.id,
            "X-Planvakt-Event": event.kind,
        }
        if self._secret:
            headers[SIGNATURE_HEADER] = sign(body, self._secret)
        return headers

    def send(self, event: AlertEvent) -> None:
        """POST one event; returns on 2xx, raises DeliveryFailed otherwise (see the module docstring)."""
        try:
            body = webhook_payload(event, self.unsubscribe_url)
        except TypeError as exc:  # evidence that JSON cannot carry: resending the same event cannot help
            raise DeliveryFailed(self.name, f"event {event.id} cannot be encoded: {exc}", retryable=False) from exc
        try:
            response = self._client.post(self.url, content=body, headers=self.headers(event, body))
        except httpx.TimeoutException as exc:
            raise DeliveryFailed(self.name, f"timeout posting to {self._shown}: {exc!r}", retryable=True) from exc
        except httpx.HTTPError as exc:
            raise DeliveryFailed(self.name, f"could not post to {self._shown}: {exc!r}", retryable=True) from exc
        status = response.status_code
        if 200 <= status < 300:
            logger.info("webhook delivered event %s (%s) to %s: %s", event.id, event.kind, self._shown, status)
            return
        retryable = not (400 <= status < 500) or status in _RETRYABLE_4XX
        # The status code only: the reply's body (and the server's own reason phrase) are the receiver's words,
        # and a receiver on an internal address would otherwise have them stored and shown by `alerts list`.
        raise DeliveryFailed(
            self.name,
            f"{self._shown} answered {status} {httpx.codes.get_reason_phrase(status)}".rstrip(),
            retryable=retryable,
            status=status,
            retry_after=_retry_after_seconds(response, datetime.now(UTC)),
        )

    def deliver(self, events: Sequence[AlertEvent]) -> None:
        """One POST per event, in order (a webhook has no digest: each event carries its own idempotency key)."""
        for event in events:
            self.send(event)


# ---------------------------------------------------------------------------------------------------------------
# E-mail


class EmailChannel:
    """Sends rendered alerts (one event or a digest) over SMTP with smtplib; one connection per message."""

    name: Final = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self._username = username
        self._password = password
        self.starttls = starttls
        self.timeout = timeout

    def send(
        self,
        recipient: str,
        events: Sequence[AlertEvent],
        language: Locale | None = None,
        *,
        now: datetime | None = None,
        unsubscribe_url: str | None = None,
    ) -> None:
        """Render `events` as one message to `recipient` and send it; raises DeliveryFailed.

        SMTP 4xx answers and connection failures are retryable; 5xx answers (refused recipient, failed login,
        no STARTTLS on a server we were told has it) are permanent.
        """
        self.transmit(recipient, render_email(events, language, unsubscribe_url), now=now)
        logger.info("e-mail with %d event(s) sent to %s", len(events), masked_address(recipient))

    def transmit(self, recipient: str, message: EmailMessage, *, now: datetime | None = None) -> None:
        """Send a composed message (an alert, or a subscription's confirmation); raises DeliveryFailed as `send`."""
        message["From"] = self.sender
        message["To"] = recipient
        message["Date"] = format_datetime(now or datetime.now(UTC))
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._username:
                    _login(smtp, self._username, self._password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            retryable = all(400 <= code < 500 for code in codes)
            refused = {masked_address(address): answer for address, answer in exc.recipients.items()}
            raise DeliveryFailed(self.name, f"recipient refused: {refused!r}", retryable=retryable) from exc
        except smtplib.SMTPResponseException as exc:
            detail = f"{self.host}:{self.port} answered {exc.smtp_code} {exc.smtp_error!r}"
            raise DeliveryFailed(self.name, detail, retryable=exc.smtp_code < 500, status=exc.smtp_code) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryFailed(self.name, f"{self.host}:{self.port}: {exc}", retryable=False) from exc
        except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, reset, timeout, TLS handshake
            raise DeliveryFailed(self.name, f"{self.host}:{self.port}: {exc!r}", retryable=True) from exc

    def to(self, recipient: str, language: Locale | None = None, unsubscribe_url: str | None = None) -> EmailRecipient:
        """This server bound to one subscriber, as a `Channel`."""
        return EmailRecipient(self, recipient, language, unsubscribe_url)


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib.login, except that non-ASCII credentials go as UTF-8 AUTH PLAIN (RFC 4616), which smtplib refuses."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(b"\0" + username.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code not in (235, 503):  # 503: already authenticated
        raise smtplib.SMTPAuthenticationError(code, reply)


class EmailRecipient:
    """An `EmailChannel` bound to one address: `deliver(events)` sends one message (a digest for several)."""

    def __init__(
        self,
        channel: EmailChannel,
        recipient: str,
        language: Locale | None = None,
        unsubscribe_url: str | None = None,
    ) -> None:
        self.channel = channel
        self.recipient = recipient
        self.language = language
        self.unsubscribe_url = unsubscribe_url

    def deliver(self, events: Sequence[AlertEvent]) -> None:
        self.channel.send(self.recipient, events, self.language, unsubscribe_url=self.unsubscribe_url)


# ---------------------------------------------------------------------------------------------------------------
# Apprise

_WARNING_KINDS: Final = WARNING_EVENT_KINDS
_GOOD_NEWS_KINDS: Final = GOOD_NEWS_EVENT_KINDS


def _notify_type(events: Sequence[AlertEvent]) -> apprise.NotifyType:
    """Warning colour when anything needs attention, success when all is good news, else info."""
    kinds = {event.kind for event in events}
    if kinds & _WARNING_KINDS:
        return apprise.NotifyType.WARNING
    if kinds <= _GOOD_NEWS_KINDS:
        return apprise.NotifyType.SUCCESS
    return apprise.NotifyType.INFO


class AppriseChannel:
    """Any Apprise URL (Slack, Teams, Matrix, Telegram, json:// ...): title and text body, one or a digest.

    Apprise only reports success or failure, so every failure is retryable. Raises ConfigError at construction
    for a URL Apprise does not understand, so `planvakt subscribe apprise` can reject it up front.
    """

    name: Final = "apprise"

    def __init__(self, url: str) -> None:
        self._apprise = apprise.Apprise()
        if not self._apprise.add(url):
            raise ConfigError.said("subs_error.apprise", scheme=repr(url.partition(":")[0]))
        # Apprise URLs carry tokens and passwords; only the privacy form may reach logs and errors.
        self._redacted = str(self._apprise[0].url(privacy=True))  # type: ignore[no-untyped-call]

    @property
    def endpoint(self) -> tuple[str | None, int | None, bool]:
        """(host, port, secure) the Apprise URL names; for some services the "host" is a token, not an address."""
        plugin = self._apprise[0]
        host = getattr(plugin, "host", None)
        port = getattr(plugin, "port", None)
        return (
            (host if isinstance(host, str) else None),
            (port if isinstance(port, int) else None),
            bool(getattr(plugin, "secure", False)),
        )

    @property
    def redacted(self) -> str:
        """The URL with its tokens and passwords masked: the only form fit for logs and listings."""
        return self._redacted

    def send(
        self, events: Sequence[AlertEvent], language: Locale | None = None, unsubscribe_url: str | None = None
    ) -> None:
        """Notify once for `events` (a digest for several); raises DeliveryFailed when Apprise reports failure."""
        text = render_text(events, language, unsubscribe_url)
        ok = self._apprise.notify(
            body=text.body, title=text.subject, notify_type=_notify_type(events), body_format=apprise.NotifyFormat.TEXT
        )
        if not ok:
            raise DeliveryFailed(self.name, f"Apprise could not notify {self._redacted}", retryable=True)
        logger.info("apprise notified %s with %d event(s)", self._redacted, len(events))

    def deliver(self, events: Sequence[AlertEvent]) -> None:
        self.send(events)
