"""Reviewer sign-in: the admin token buys a signed, HttpOnly, SameSite=Strict session cookie.

`PLANVAKT_ADMIN_TOKEN` empty means review is off: no one can sign in and every review action answers 403. The
cookie holds the sign-in time and the reviewer's name, signed with HMAC under the server secret and a hash of the
admin token, so changing the token signs everyone out. A session lasts SESSION_HOURS.

Guessing the token is slowed by `SignInLimiter`: each client gets SIGN_IN_ATTEMPTS failed attempts per
SIGN_IN_WINDOW; beyond that the sign-in answers 429 with Retry-After before the token is even compared.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import threading
from collections import deque
from datetime import datetime, timedelta

from fastapi import HTTPException, Request
from fastapi.responses import Response

from dashboards.signing import app_secret, sign, verify

COOKIE = "planvakt_review"
SESSION_HOURS = 12
#: failed sign-in attempts one client may make per SIGN_IN_WINDOW
SIGN_IN_ATTEMPTS = 10
SIGN_IN_WINDOW = timedelta(minutes=15)


def review_enabled(request: Request) -> bool:
    return bool(request.app.state.settings.admin_token)


def token_matches(request: Request, submitted: str) -> bool:
    """Constant-time comparison of a submitted token with PLANVAKT_ADMIN_TOKEN (never true when review is off)."""
    expected: str = request.app.state.settings.admin_token
    return bool(expected) and hmac.compare_digest(expected.encode(), submitted.strip().encode())


def _purpose(request: Request) -> str:
    token: str = request.app.state.settings.admin_token
    return "review:" + hashlib.sha256(token.encode()).hexdigest()


def start_session(request: Request, response: Response, reviewer: str) -> None:
    """Sign `reviewer` in on `response` (call after `token_matches`)."""
    issued = int(request.app.state.now().timestamp())
    name = base64.urlsafe_b64encode(reviewer.encode()).decode().rstrip("=")
    payload = f"{issued}.{name}"
    response.set_cookie(
        COOKIE,
        f"{payload}.{sign(app_secret(request), _purpose(request), payload)}",
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def end_session(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def current_reviewer(request: Request) -> str | None:
    """The signed-in reviewer's name, or None (review off, no cookie, bad signature, expired)."""
    if not review_enabled(request):
        return None
    raw = request.cookies.get(COOKIE, "")
    parts = raw.split(".")
    if len(parts) != 3:
        return None
    issued_text, name, signature = parts
    if not verify(app_secret(request), _purpose(request), f"{issued_text}.{name}", signature):
        return None
    try:
        issued = datetime.fromtimestamp(int(issued_text), tz=request.app.state.now().tzinfo)
        reviewer = base64.urlsafe_b64decode(name + "=" * (-len(name) % 4)).decode()
    except (ValueError, binascii.Error, OverflowError):
        return None
    now: datetime = request.app.state.now()
    if not (issued - timedelta(minutes=5) <= now <= issued + timedelta(hours=SESSION_HOURS)):
        return None
    return reviewer


def require_reviewer(request: Request) -> str:
    """The signed-in reviewer, or 403 (review off, or not signed in)."""
    reviewer = current_reviewer(request)
    if reviewer is None:
        detail = "sign in as a reviewer first" if review_enabled(request) else "review is disabled (no admin token)"
        raise HTTPException(status_code=403, detail=detail)
    return reviewer


class SignInLimiter:
    """Failed sign-in attempts per client in a sliding window, kept in this process's memory.

    In-process on purpose: it costs no table and no write per attempt, and what it guards against (guessing the
    admin token) is already hopeless for a long token; the limit only has to make guessing slow. The price: a
    restart forgets the count, and with several worker processes each counts on its own (the limit is then
    `attempts` per worker). Clients are keyed by a hash of their address; at most `max_clients` are remembered,
    the stalest forgotten first, so a flood of addresses cannot grow the memory without bound.
    """

    def __init__(
        self, attempts: int = SIGN_IN_ATTEMPTS, window: timedelta = SIGN_IN_WINDOW, max_clients: int = 10_000
    ) -> None:
        self.attempts = attempts
        self.window = window
        self.max_clients = max_clients
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def retry_after(self, key: str, now: datetime) -> int:
        """Seconds until `key` may try again (0: it may try now)."""
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.attempts:
                return 0
            oldest_that_counts = failures[len(failures) - self.attempts]
            return max(1, math.ceil((oldest_that_counts + self.window - now).total_seconds()))

    def record_failure(self, key: str, now: datetime) -> None:
        with self._lock:
            failures = self._recent(key, now)
            failures.append(now)
            self._failures.pop(key, None)
            self._failures[key] = failures  # re-inserted: dict order is staleness order
            while len(self._failures) > self.max_clients:
                del self._failures[next(iter(self._failures))]


def client_key(request: Request) -> str:
    """The client's address, hashed under the server secret (the limiter never holds addresses)."""
    host = request.client.host if request.client else "unknown"
    return sign(app_secret(request), "sign-in-client", host)


def sign_in_wait(request: Request) -> int:
    """Seconds this client must wait before it may try to sign in again (0: it may try now)."""
    limiter: SignInLimiter = request.app.state.sign_in_limiter
    return limiter.retry_after(client_key(request), request.app.state.now())


def record_failed_sign_in(request: Request) -> None:
    limiter: SignInLimiter = request.app.state.sign_in_limiter
    limiter.record_failure(client_key(request), request.app.state.now())
