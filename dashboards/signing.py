"""The server secret behind every signature the write side makes (CSRF tokens, reviewer sessions, client hashes).

The secret is 32 random bytes kept in a file under the var folder (`dashboard-secret`, mode 0600), made on first
use: it survives restarts (so the tip rate limit, counted by a keyed hash of the client address, holds across
them) and every worker process of one deployment reads the same one. `app.state.secret` (bytes), when a
composition root sets it, wins. The secret never leaves the server and is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from fastapi import Request

SECRET_FILE = "dashboard-secret"
SECRET_BYTES = 32


def load_or_create_secret(path: Path) -> bytes:
    """The secret stored at `path`, created (atomically, readable only by its owner) when missing."""
    try:
        data = path.read_bytes()
        if len(data) >= SECRET_BYTES:
            return data
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_bytes(SECRET_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another worker made it first: use theirs
    with os.fdopen(fd, "wb") as handle:
        handle.write(fresh)
    return fresh


def app_secret(request: Request) -> bytes:
    """The app's secret: `app.state.secret`, else the var folder's secret file (read once per app)."""
    state = request.app.state
    secret = getattr(state, "secret", None)
    if isinstance(secret, bytes) and secret:
        return secret
    secret = load_or_create_secret(Path(state.settings.var_dir) / SECRET_FILE)
    state.secret = secret
    return secret


def sign(secret: bytes, purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` for one `purpose` (a CSRF token and a session never verify as each other)."""
    return hmac.new(secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def verify(secret: bytes, purpose: str, value: str, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, purpose, value), signature)
