"""The channel a subscription's message goes out on, built per delivery from shared parts (one HTTP client, one SMTP
configuration), with the target and secret opened from their sealed form just before (`tracker.secretbox`).

Webhooks are posted through the crawler's address guard (`crawlers.netguard.SyncGuardedBackend`): the target is
checked again before every delivery and the connection goes only to the address that was checked. See
`tracker.alerts.outbox` for the pass that uses them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Final

import httpx

from crawlers.netguard import SyncGuardedBackend, SyncResolver, resolve_sync, sync_transport
from tracker.alerts.messages import AlertEvent
from tracker.alerts.notify import USER_AGENT, AppriseChannel, Channel, EmailChannel, EmailRecipient, WebhookChannel
from tracker.alerts.subscription_links import UnsubscribeLinks
from tracker.alerts.subscriptions import guard_target
from tracker.catalogue import LOCALES, Locale
from tracker.config import Settings
from tracker.errors import ConfigError, SecretError
from tracker.secretbox import SecretBox, SecretKeys
from tracker.store.alerts import SubscriptionView

WEBHOOK_TIMEOUT: Final = 10.0
#: httpx's default limits, which the webhook client had before it connected through the guard
WEBHOOK_LIMITS: Final = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class Channels:
    """Builds the channel of a subscription from shared parts (one HTTP client, one SMTP configuration).

    `resolver` is what the address guard looks target names up with; `from_settings` gives the same one to the
    client's guarded connections, so a webhook is posted only to an address the guard checked.
    """

    def __init__(
        self,
        http: httpx.Client,
        email: EmailChannel,
        *,
        allow_private_networks: bool = False,
        resolver: SyncResolver = resolve_sync,
        unsubscribe: UnsubscribeLinks | None = None,
    ) -> None:
        self.http = http
        self.email = email
        self.allow_private_networks = allow_private_networks
        self.resolver = resolver
        #: every message carries its subscription's one-click unsubscribe link (None: no links, as in some tests)
        self.unsubscribe = unsubscribe

    @classmethod
    @contextmanager
    def from_settings(
        cls, settings: Settings, *, allow_private_networks: bool = False, resolver: SyncResolver = resolve_sync
    ) -> Iterator[Channels]:
        """Channels configured from settings; the HTTP client is closed on exit.

        The client connects through `crawlers.netguard.SyncGuardedBackend`: the name is resolved once per
        connection, refused (`RefusedAddress`, a permanent failure) if any address is not public unless
        `allow_private_networks`, and the checked address is the one connected to. A name that does not resolve is
        a connection error, so the delivery is retried, never sent elsewhere.
        """
        email = EmailChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            username=settings.smtp_username or None,
            password=settings.smtp_password or None,
            starttls=settings.smtp_starttls,
        )
        headers = {"User-Agent": USER_AGENT}
        backend = SyncGuardedBackend(allow_private_networks=allow_private_networks, resolver=resolver)
        transport = sync_transport(backend, WEBHOOK_LIMITS)
        with httpx.Client(
            timeout=WEBHOOK_TIMEOUT, headers=headers, follow_redirects=False, trust_env=False, transport=transport
        ) as http:
            links = UnsubscribeLinks(settings.public_url, SecretKeys.from_settings(settings))
            yield cls(http, email, allow_private_networks=allow_private_networks, resolver=resolver, unsubscribe=links)

    def for_subscription(self, subscription: SubscriptionView, opened: Opened) -> Channel:
        """The subscription's channel to its `opened` target; ConfigError when that no longer makes sense or is
        refused by the address guard (checked here, before every delivery, since a name may resolve elsewhere)."""
        language = _language(subscription.language)
        guard_target(
            subscription.channel,
            opened.target,
            allow_private_networks=self.allow_private_networks,
            resolver=self.resolver,
        )
        stop = self.unsubscribe(subscription.id, subscription.created_at) if self.unsubscribe else None
        if subscription.channel == "webhook":
            return WebhookChannel(self.http, opened.target, opened.secret, unsubscribe_url=stop)
        if subscription.channel == "email":
            return EmailRecipient(self.email, opened.target, language, unsubscribe_url=stop)
        if subscription.channel == "apprise":
            return _LocalisedApprise(AppriseChannel(opened.target), language, stop)
        raise ConfigError(f"unknown channel {subscription.channel!r}")


@dataclass(frozen=True)
class Opened:
    """A subscription's target and secret opened for one delivery (in memory only; the repr hides them)."""

    target: str = field(repr=False)
    secret: str | None = field(repr=False)


class Opener:
    """Opens subscriptions with the settings' key, read once per pass and only when a message is due."""

    def __init__(self, keys: SecretKeys) -> None:
        self.keys = keys
        self._box: SecretBox | SecretError | None = None

    def open(self, subscription: SubscriptionView) -> Opened:
        """The opened target and secret; SecretError when the key is missing or does not fit."""
        if self._box is None:
            try:
                self._box = self.keys.box()
            except SecretError as exc:
                self._box = exc
        if isinstance(self._box, SecretError):
            raise self._box
        box = self._box
        secret = box.open(subscription.secret) if subscription.secret is not None else None
        return Opened(box.open(subscription.sealed_target), secret)


def _language(value: str | None) -> Locale | None:
    for language in LOCALES:
        if value == language:
            return language
    return None


class _LocalisedApprise:
    """An Apprise channel speaking the subscription's language (default: the events' own)."""

    def __init__(self, channel: AppriseChannel, language: Locale | None, unsubscribe_url: str | None) -> None:
        self.channel = channel
        self.language = language
        self.unsubscribe_url = unsubscribe_url

    def deliver(self, events: Sequence[AlertEvent]) -> None:
        self.channel.send(events, self.language, self.unsubscribe_url)
