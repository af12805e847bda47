"""Signed links and codes for subscriptions: confirm (expiring), unsubscribe (lasting), and a webhook's test code.

A token is `<subscription id>.<expiry, unix seconds; 0: none>.<signature>`, the signature an HMAC-SHA256 over the
purpose, the id, the subscription's creation second and the expiry, under a key derived from the sealing key
(`SecretBox.derived_keys`): the outbox (another process) signs links the dashboard verifies, with no new secret to
configure, and a rotated key still verifies old links. The creation second binds a token to that subscription, so a
token never transfers to another row. An unsubscribe link never expires: an old alert's link must still work.

The webhook code is derived the same way and is never sent to the browser: only the receiver of the signed test
delivery sees it, so typing it back proves the person at the form controls the receiver.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final, Literal

from tracker.errors import ConfigError, SecretError
from tracker.secretbox import SecretBox, SecretKeys

Purpose = Literal["confirm", "unsubscribe", "pending-webhook"]
#: how long a confirmation link (and a webhook's pending form) stays valid
CONFIRM_FOR: Final = timedelta(hours=48)
WEBHOOK_CODE_FOR: Final = timedelta(hours=1)
#: no 0/O, 1/I/L: a code read from a log and typed by hand
_CODE_ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class BadToken(ConfigError):
    """A link that was not signed by us, is for something else, or has expired."""


@dataclass(frozen=True)
class TokenClaim:
    """What a token says before it is checked against its subscription's row."""

    subscription_id: int
    expires: int
    signature: str


def _stamp(moment: datetime) -> int:
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


class LinkSigner:
    """Signs with the first key, verifies with any (keys from `SecretBox.derived_keys("subscription links")`)."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ValueError("no key")
        self._keys = tuple(keys)

    @classmethod
    def from_box(cls, box: SecretBox) -> LinkSigner:
        return cls(box.derived_keys("subscription links"))

    def _mac(self, key: bytes, purpose: Purpose, subscription_id: int, created_at: datetime, expires: int) -> str:
        message = f"{purpose}\x00{subscription_id}\x00{_stamp(created_at)}\x00{expires}".encode()
        return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode().rstrip("=")

    def token(
        self, purpose: Purpose, subscription_id: int, created_at: datetime, expires_at: datetime | None = None
    ) -> str:
        expires = _stamp(expires_at) if expires_at else 0
        mac = self._mac(self._keys[0], purpose, subscription_id, created_at, expires)
        return f"{subscription_id}.{expires}.{mac}"

    def check(self, purpose: Purpose, claim: TokenClaim, created_at: datetime, now: datetime) -> None:
        """BadToken unless the claim is our signature for this purpose and row and has not expired."""
        signatures = (self._mac(key, purpose, claim.subscription_id, created_at, claim.expires) for key in self._keys)
        good = any(hmac.compare_digest(signature, claim.signature) for signature in signatures)
        if not good:
            raise BadToken("this link was not made by Planvakt for this subscription")
        if claim.expires and _stamp(now) > claim.expires:
            raise BadToken("this link has expired")

    def webhook_code(self, subscription_id: int, created_at: datetime) -> str:
        """The code the test delivery carries, e.g. `K7QM-3XPA` (40 bits: with the sign-in limiter, not guessable)."""
        message = f"webhook-code\x00{subscription_id}\x00{_stamp(created_at)}".encode()
        digest = hmac.new(self._keys[0], message, hashlib.sha256).digest()
        letters = "".join(_CODE_ALPHABET[byte % len(_CODE_ALPHABET)] for byte in digest[:8])
        return f"{letters[:4]}-{letters[4:]}"

    def code_matches(self, subscription_id: int, created_at: datetime, typed: str) -> bool:
        wanted = self.webhook_code(subscription_id, created_at).replace("-", "")
        given = "".join(typed.upper().split()).replace("-", "")
        return hmac.compare_digest(wanted.encode(), given.encode("utf-8", "replace"))


def parse(token: str) -> TokenClaim:
    """The claim a token makes; BadToken when it is not even shaped like one of ours."""
    parts = token.strip().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit() or not 20 <= len(parts[2]) <= 64:
        raise BadToken("this link is incomplete or was changed")
    return TokenClaim(int(parts[0]), int(parts[1]), parts[2])


def unsubscribe_url(public_url: str, signer: LinkSigner, subscription_id: int, created_at: datetime) -> str:
    """The one-click unsubscribe address carried by every alert (RFC 8058 for e-mail; `unsubscribe_url` in JSON)."""
    return f"{public_url.rstrip('/')}/unsubscribe?token={signer.token('unsubscribe', subscription_id, created_at)}"


class UnsubscribeLinks:
    """Each subscription's unsubscribe URL under `public_url`, signed with the settings' key (read when first needed;
    None when there is no key, in which case the outbox cannot open the subscription's target either)."""

    def __init__(self, public_url: str, keys: SecretKeys) -> None:
        self.public_url = public_url
        self._keys = keys
        self._signer: LinkSigner | None = None

    def __call__(self, subscription_id: int, created_at: datetime) -> str | None:
        if self._signer is None:
            try:
                self._signer = LinkSigner.from_box(self._keys.box())
            except SecretError:
                return None
        return unsubscribe_url(self.public_url, self._signer, subscription_id, created_at)
