"""Subscriptions: who gets which events, through which channel. Validated whole before anything is written.

A subscription names a channel (`webhook`, `email`, `apprise`), a target, optionally kommuner (empty: all) and
event kinds (empty: the plan events; `crawler_blocked` and `check_failed` only when asked for, which is what an
operator subscription does), a digest (`none`, `daily`, `weekly`; e-mail and Apprise only: a webhook gets one
POST per event) and a language for the text (default: each kommune's own).
Errors are `ConfigError`s whose message says what to fix.

Webhook and Apprise targets go through the crawler's address guard (`crawlers.netguard.check_host`) when the
subscription is made and again before every delivery (`guard_target`, called by the outbox): a target on a loopback,
private, link-local or reserved address is refused unless `allow_private_networks` is set, the same explicit switch
the crawler has (`--allow-private-networks`; tests and the demo web only). Apprise's `json://`, `form://` and
`xml://` (and their `s` forms) name any host, so theirs is resolved and checked; other Apprise services are checked
when their host is an IP literal or `localhost`, since their "host" is often a token (`slack://TokenA/...`).

Targets and webhook secrets are sealed before they are stored (`tracker.secretbox`); the database keeps the masked
`shown_target` beside them for listings, so listing needs no key and never shows a secret.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

import httpx
from sqlalchemy.orm import Session, sessionmaker

from crawlers.errors import RefusedAddress
from crawlers.netguard import SyncResolver, check_host_sync, resolve_sync
from tracker.alerts.notify import AppriseChannel, masked_address
from tracker.catalogue import LOCALES
from tracker.config import Settings
from tracker.domain import EVENT_KINDS
from tracker.errors import ConfigError, StorageError
from tracker.secretbox import SecretKeys
from tracker.store import alerts, deliveries
from tracker.store.alerts import Shown, SubscriptionView

CHANNELS: Final = ("webhook", "email", "apprise")
DIGESTS: Final = ("none", "daily", "weekly")

# Deliberately loose (RFC 5322 allows far more than anyone uses); the SMTP server has the last word.
_ADDRESS: Final = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@(?:[^@\s.<>(),;:\"\[\]\\]+\.)+[^@\s.<>(),;:\"\[\]\\]{2,}$")
#: Apprise schemes that POST to whatever host the URL names
_APPRISE_ANY_HOST: Final = frozenset({"json", "jsons", "form", "forms", "xml", "xmls"})


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


def validate(request: SubscriptionRequest, *, allow_private_networks: bool = False) -> SubscriptionRequest:
    """The request normalised (kommune numbers padded to 4 digits), or ConfigError naming the problem.

    A webhook or Apprise target on a non-public address is refused unless `allow_private_networks`.
    """
    if request.channel not in CHANNELS:
        raise ConfigError.said("subs_error.channel", value=repr(request.channel), valid=", ".join(CHANNELS))
    target = request.target.strip()
    if request.channel == "webhook":
        _check_webhook_url(target)
    elif request.channel == "email":
        if not _ADDRESS.match(target):
            raise ConfigError.said("subs_error.address", value=repr(target))
    else:
        AppriseChannel(target)  # raises ConfigError for a URL Apprise does not understand
    if request.secret is not None and request.channel != "webhook":
        raise ConfigError.said("subs_error.secret_not_webhook")
    if request.secret is not None and not request.secret:
        raise ConfigError.said("subs_error.secret_empty")
    unknown = [kind for kind in request.kinds if kind not in EVENT_KINDS]
    if unknown:
        raise ConfigError.said("subs_error.kinds", values=", ".join(unknown), valid=", ".join(EVENT_KINDS))
    if request.digest not in DIGESTS:
        raise ConfigError.said("subs_error.digest", valid=", ".join(DIGESTS), value=repr(request.digest))
    if request.digest != "none" and request.channel == "webhook":
        raise ConfigError.said("subs_error.webhook_digest")
    if request.language is not None and request.language not in LOCALES:
        raise ConfigError.said("subs_error.language", valid=", ".join(LOCALES), value=repr(request.language))
    guard_target(request.channel, target, allow_private_networks=allow_private_networks)
    kommuner: list[str] = []
    for number in request.kommuner:
        number = number.strip()
        if not number.isdigit() or len(number) > 4:
            raise ConfigError.said("subs_error.kommunenummer", value=repr(number))
        if number.zfill(4) not in kommuner:
            kommuner.append(number.zfill(4))
    return replace(request, target=target, kommuner=tuple(kommuner))


def _check_webhook_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ConfigError.said("subs_error.not_url", value=repr(url), detail=str(exc)) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigError.said("subs_error.webhook_url", value=repr(url))


def guard_target(
    channel: str, target: str, *, allow_private_networks: bool, resolver: SyncResolver = resolve_sync
) -> None:
    """ConfigError when a webhook or Apprise target points at a loopback, private or otherwise non-public address.

    The crawler's guard decides (`crawlers.netguard.check_host_sync`, with the same `allow_private_networks` switch
    and `resolver`, which tests replace); e-mail goes through the configured SMTP server and is not checked here.
    A name that does not resolve passes: the outbox's guarded connection fails on it, and the delivery is retried.
    """
    if allow_private_networks or channel not in ("webhook", "apprise"):
        return
    endpoint = _endpoint(channel, target)
    if endpoint is None:
        return
    host, port = endpoint
    try:
        check_host_sync(shown_target(channel, target), host, port, allow_private_networks=False, resolver=resolver)
    except RefusedAddress as exc:
        raise refused_target(channel, exc) from exc


def refused_target(channel: str, refused: RefusedAddress) -> ConfigError:
    """The error for a target the address guard refused, here or when the outbox's connection was refused."""
    return ConfigError.said("subs_error.private", channel=channel, detail=refused.detail)


def _endpoint(channel: str, target: str) -> tuple[str, int] | None:
    """(host, port) the channel would connect to, or None when it names no host of the subscriber's choosing."""
    if channel == "webhook":
        try:
            url = httpx.URL(target)
        except httpx.InvalidURL:
            return None
        if not url.host:
            return None
        return url.host, url.port or (443 if url.scheme == "https" else 80)
    scheme = target.partition(":")[0].lower()
    host, port, secure = AppriseChannel(target).endpoint
    if not host:
        return None
    if scheme not in _APPRISE_ANY_HOST and not (_is_ip_literal(host) or host.lower() == "localhost"):
        return None  # a service's "host" is often a token (slack://TokenA/...): only an address is checked
    return host, port or (443 if secure else 80)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def subscribe(
    session_factory: sessionmaker[Session],
    request: SubscriptionRequest,
    *,
    now: datetime,
    allow_private_networks: bool = False,
    keys: SecretKeys | None = None,
) -> SubscriptionView:
    """Validate, seal and store a subscription; it receives events detected from `now` on. Raises ConfigError.

    A webhook or Apprise target on a non-public address is refused unless `allow_private_networks`. The target
    and the secret are sealed with `keys` (`SecretKeys.from_settings`, as the CLI passes); None means the default
    key file of the bound database, which ignores PLANVAKT_SECRET_KEY: callers with settings pass theirs. A key
    that does not fit the secrets already in the database is a SecretError, and nothing is written.
    """
    request = validate(request, allow_private_networks=allow_private_networks)
    with session_factory.begin() as session:
        missing = sorted(set(request.kommuner) - alerts.known_kommunenumre(session, request.kommuner))
        if missing:
            raise ConfigError.said("subs_error.no_kommune", numbers=", ".join(missing))
        if keys is None:
            url = session.get_bind().engine.url.render_as_string(hide_password=False)
            keys = SecretKeys.from_settings(Settings(database_url=url))
        existing = alerts.sealed_key_ids(session)
        box = keys.box(create=not existing)  # a database with secrets needs their key, never a fresh one
        box.check_fits(existing)
        return alerts.add_subscription(
            session,
            channel=request.channel,
            sealed_target=box.seal(request.target),
            target_shown=shown_target(request.channel, request.target),
            sealed_secret=box.seal(request.secret) if request.secret is not None else None,
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
            return deliveries.deactivate_subscription(session, subscription_id, now)
    except StorageError as exc:
        error = ConfigError(str(exc))
        error.key, error.params = exc.key, exc.params  # said as the store said it
        raise error from exc


def shown_target(channel: str, target: str) -> str:
    """The target as it may be printed and logged: tokens in webhook queries and Apprise URLs masked.

    A stored subscription's target is already masked (`tracker.store.alerts.Shown`) and is returned as it is.
    """
    if isinstance(target, Shown):
        return target
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


def logged_target(channel: str, shown: str) -> str:
    """A stored (masked) target as a log line names it: e-mail addresses masked too (`masked_address`)."""
    return masked_address(shown) if channel == "email" else shown
