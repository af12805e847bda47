"""Subscriptions: who gets which events, through which channel. Validated whole before anything is written.

A subscription names a channel (`webhook`, `email`, `apprise`), a target, optionally kommuner (empty: all) and
event kinds (empty: the plan events; `crawler_blocked` and `check_failed` only when asked for, which is what an
operator subscription does), a digest (`none`, `daily`, `weekly`; e-mail and Apprise only: a webhook gets one
POST per event) and a language for the text (default: each kommune's own).
Errors are `ConfigError`s whose message says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

import httpx
from sqlalchemy.orm import Session, sessionmaker

from tracker import alert_store
from tracker.alert_store import SubscriptionView
from tracker.errors import ConfigError, StorageError
from tracker.messages import EVENT_KINDS, LANGUAGES
from tracker.notify import AppriseChannel

CHANNELS: Final = ("webhook", "email", "apprise")
DIGESTS: Final = ("none", "daily", "weekly")

# Deliberately loose (RFC 5322 allows far more than anyone uses); the SMTP server has the last word.
_ADDRESS: Final = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@(?:[^@\s.<>(),;:\"\[\]\\]+\.)+[^@\s.<>(),;:\"\[\]\\]{2,}$")


@dataclass(frozen=True)
class SubscriptionRequest:
    channel: str
    target: str
    secret: str | None = None
    kommuner: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    digest: str = "none"
    language: str | None = None


def parse_kinds(values: Iterable[str]) -> tuple[str, ...]:
    """`--kinds a,b --kinds c` as a tuple of kinds, in order, once each."""
    kinds: list[str] = []
    for value in values:
        for kind in value.split(","):
            kind = kind.strip()
            if kind and kind not in kinds:
                kinds.append(kind)
    return tuple(kinds)


def validate(request: SubscriptionRequest) -> SubscriptionRequest:
    """The request normalised (kommune numbers padded to 4 digits), or ConfigError naming the problem."""
    if request.channel not in CHANNELS:
        raise ConfigError(f"unknown channel {request.channel!r}; use one of {', '.join(CHANNELS)}")
    target = request.target.strip()
    if request.channel == "webhook":
        _check_webhook_url(target)
    elif request.channel == "email":
        if not _ADDRESS.match(target):
            raise ConfigError(f"not an e-mail address: {target!r}")
    else:
        AppriseChannel(target)  # raises ConfigError for a URL Apprise does not understand
    if request.secret is not None and request.channel != "webhook":
        raise ConfigError("--secret signs webhook bodies; e-mail and Apprise subscriptions have no secret")
    if request.secret is not None and not request.secret:
        raise ConfigError("--secret must not be empty")
    unknown = [kind for kind in request.kinds if kind not in EVENT_KINDS]
    if unknown:
        raise ConfigError(f"unknown event kind(s) {', '.join(unknown)}; known: {', '.join(EVENT_KINDS)}")
    if request.digest not in DIGESTS:
        raise ConfigError(f"--digest must be one of {', '.join(DIGESTS)}, not {request.digest!r}")
    if request.digest != "none" and request.channel == "webhook":
        raise ConfigError("webhooks get one signed POST per event; --digest is for e-mail and Apprise")
    if request.language is not None and request.language not in LANGUAGES:
        raise ConfigError(f"--language must be one of {', '.join(LANGUAGES)}, not {request.language!r}")
    kommuner: list[str] = []
    for number in request.kommuner:
        number = number.strip()
        if not number.isdigit() or len(number) > 4:
            raise ConfigError(f"not a kommunenummer: {number!r} (4 digits, e.g. 0301 or 0101)")
        if number.zfill(4) not in kommuner:
            kommuner.append(number.zfill(4))
    return replace(request, target=target, kommuner=tuple(kommuner))


def _check_webhook_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigError(f"not a URL: {url!r} ({exc})") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigError(f"a webhook URL must be http:// or https:// with a host, not {url!r}")


def subscribe(
    session_factory: sessionmaker[Session], request: SubscriptionRequest, *, now: datetime
) -> SubscriptionView:
    """Validate and store a subscription; it receives events detected from `now` on. Raises ConfigError."""
    request = validate(request)
    with session_factory.begin() as session:
        missing = sorted(set(request.kommuner) - alert_store.known_kommunenumre(session, request.kommuner))
        if missing:
            raise ConfigError(
                f"no kommune {', '.join(missing)} in the database (load the registry first: planvakt registry load)"
            )
        return alert_store.add_subscription(
            session,
            channel=request.channel,
            target=request.target,
            secret=request.secret,
            kommuner=request.kommuner,
            kinds=request.kinds,
            digest=request.digest,
            language=request.language,
            now=now,
        )


def unsubscribe(session_factory: sessionmaker[Session], subscription_id: int, *, now: datetime) -> int:
    """Stop a subscription; returns how many waiting deliveries were dropped. ConfigError when there is none."""
    try:
        with session_factory.begin() as session:
            return alert_store.deactivate_subscription(session, subscription_id, now)
    except StorageError as exc:
        raise ConfigError(str(exc)) from exc


def shown_target(channel: str, target: str) -> str:
    """The target as it may be printed and logged: tokens in webhook queries and Apprise URLs masked."""
    if channel == "webhook":
        try:
            url = httpx.URL(target)
        except httpx.InvalidURL:
            return "<invalid URL>"
        shown = str(url.copy_with(query=None, userinfo=b""))
        return shown + ("?…" if url.query else "")
    if channel == "apprise":
        try:
            return AppriseChannel(target).redacted.partition("?")[0]  # Apprise adds every option it defaults
        except ConfigError:
            return target.partition(":")[0] + "://…"
    return target
