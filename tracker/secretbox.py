"""Secrets at rest: webhook HMAC keys and alert targets are sealed before they reach the database.

An Apprise URL carries passwords and tokens, a webhook URL often a token, and the HMAC key lets anyone forge our
alerts, so none of them is stored as written: each is sealed with Fernet (`cryptography`; AES-CBC + HMAC-SHA256,
authenticated, so a wrong key is an error, never garbage). Stored form: `fernet:<key id>:<token>`, where the key id
is the first 8 hex digits of HMAC-SHA256(key, "planvakt key id"): it names a key without revealing it, so an error
can say which key a value needs, and a process with another key refuses to add to the database instead of leaving
it with secrets under two keys.

The key (`SecretKeys`): `PLANVAKT_SECRET_KEY` (one or more Fernet keys, comma-separated: the first seals, every one
opens, which is how a key is rotated), else the key file `PLANVAKT_SECRET_KEY_FILE` (default beside the SQLite
database, `<database>.key`; for PostgreSQL `~/.config/planvakt/secret.key`). The file is made 0600 the first time
something is sealed, as SSH and many servers make their keys, so `make demo` and tests need no setup; only sealing
makes it, opening never does (a missing key is reported, not silently replaced). Keep the key out of backups of the
database, or the seal protects nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from tracker.config import Settings
from tracker.errors import SecretError
from tracker.filemodes import FILE_MODE, make_private_dir, tighten

__all__ = ["PREFIX", "SecretBox", "SecretKeys", "Sealed", "is_sealed", "key_id_of"]

logger = logging.getLogger(__name__)

PREFIX: Final = "fernet:"


@dataclass(frozen=True)
class Sealed:
    """A value as the database holds it; its repr names the key, never the token."""

    stored: str

    @property
    def key_id(self) -> str | None:
        return key_id_of(self.stored)

    def __repr__(self) -> str:
        return f"Sealed(key={self.key_id or '?'})"


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX) and key_id_of(stored) is not None


def key_id_of(stored: str) -> str | None:
    """The key id in a stored value, or None when it is not a sealed value."""
    if not stored.startswith(PREFIX):
        return None
    kid, sep, token = stored.removeprefix(PREFIX).partition(":")
    return kid if sep and token and len(kid) == 8 else None


def _key_id(key: bytes) -> str:
    return hmac.new(key, b"planvakt key id", hashlib.sha256).hexdigest()[:8]


class SecretBox:
    """Seals with the first key, opens with any of them. Raises SecretError, never cryptography's exceptions."""

    def __init__(self, keys: Sequence[bytes], source: str) -> None:
        if not keys:
            raise SecretError(f"no key in {source}")
        try:
            self._fernets = [Fernet(key) for key in keys]
        except (ValueError, TypeError) as exc:
            raise SecretError(
                f"{source} does not hold Fernet keys (32 url-safe base64-encoded bytes each; make one with "
                '`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`)'
            ) from exc
        self._ids = [_key_id(key) for key in keys]
        self._derived_from = tuple(keys)
        self._box = MultiFernet(self._fernets)
        self.source = source

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ids)

    def derived_keys(self, purpose: str) -> tuple[bytes, ...]:
        """One HMAC key per sealing key for `purpose` (e.g. signing unsubscribe links), first key's first: a value
        signed before a rotation still verifies, and no key is used for two things."""
        label = f"planvakt {purpose}".encode()
        return tuple(hmac.new(key, label, hashlib.sha256).digest() for key in self._derived_from)

    def seal(self, plain: str) -> Sealed:
        token = self._fernets[0].encrypt(plain.encode("utf-8")).decode("ascii")
        return Sealed(f"{PREFIX}{self._ids[0]}:{token}")

    def open(self, sealed: Sealed | str) -> str:
        """The plain value; SecretError naming the key it needs when none of ours opens it."""
        stored = sealed.stored if isinstance(sealed, Sealed) else sealed
        kid = key_id_of(stored)
        if kid is None:
            raise SecretError("not a sealed value (the database was changed outside Planvakt?)")
        token = stored.removeprefix(PREFIX).partition(":")[2]
        try:
            return self._box.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError) as exc:
            raise SecretError(
                f"sealed with key {kid}, which {self.source} does not hold (it has {', '.join(self._ids)}): "
                "set PLANVAKT_SECRET_KEY or PLANVAKT_SECRET_KEY_FILE to the key this database was sealed with"
            ) from exc

    def check_fits(self, key_ids: Iterable[str | None]) -> None:
        """SecretError unless every key id is one of ours: a database keeps its secrets under keys we hold."""
        foreign = sorted({kid or "?" for kid in key_ids} - set(self._ids))
        if foreign:
            raise SecretError(
                f"this database holds secrets sealed with key {', '.join(foreign)}, which {self.source} does not "
                f"hold (it has {', '.join(self._ids)}): set PLANVAKT_SECRET_KEY or PLANVAKT_SECRET_KEY_FILE to the "
                "database's key (add the new one after it, comma-separated, to rotate)"
            )


@dataclass(frozen=True)
class SecretKeys:
    """Where the key comes from; reads it only when asked (`box`), so commands that seal nothing need none."""

    keys: str
    key_file: Path

    @classmethod
    def from_settings(cls, settings: Settings) -> SecretKeys:
        return cls(settings.secret_key, settings.resolved_secret_key_file)

    def __repr__(self) -> str:
        return f"SecretKeys({'PLANVAKT_SECRET_KEY' if self.keys.strip() else self.key_file})"

    def box(self, *, create: bool = False) -> SecretBox:
        """The box; with `create`, a missing key file is made first (0600). SecretError when there is no key."""
        if self.keys.strip():
            keys = [part.strip().encode("ascii", "replace") for part in self.keys.split(",") if part.strip()]
            return SecretBox(keys, "PLANVAKT_SECRET_KEY")
        path = self.key_file
        if not path.exists() and create:
            _create_key_file(path)
        try:
            tighten(path)
            text = path.read_text(encoding="ascii")
        except FileNotFoundError as exc:
            raise SecretError(
                f"no key: PLANVAKT_SECRET_KEY is empty and the key file {path} does not exist (secrets in this "
                "database were sealed elsewhere: point PLANVAKT_SECRET_KEY_FILE at that key)"
            ) from exc
        except (OSError, UnicodeError) as exc:
            raise SecretError(f"cannot read the key file {path}: {exc}") from exc
        keys = [line.strip().encode("ascii") for line in text.splitlines() if line.strip()]
        return SecretBox(keys, f"the key file {path}")


def _create_key_file(path: Path) -> None:
    """Write a fresh key beside `path` and link it into place: a reader never sees a half-written key file, and
    of two processes making it at once, the first link wins and both use that key."""
    make_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(Fernet.generate_key() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return
    finally:
        Path(tmp).unlink(missing_ok=True)
    logger.warning("made a new sealing key %s (mode 600): back it up, apart from the database", path)
