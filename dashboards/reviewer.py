"""Reviewer sign-in: the admin token buys a signed, HttpOnly, SameSite=Strict session cookie.

`PLANVAKT_ADMIN_TOKEN` empty means review is off: no one can sign in and every review action answers 403. The
cookie holds the sign-in time and the reviewer's name, signed with HMAC under the server secret and a hash of the
admin token, so changing the token signs everyone out. A session lasts SESSION_HOURS.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import datetime, timedelta

from fastapi import HTTPException, Request
from fastapi.responses import Response

from dashboards.signing import app_secret, sign, verify

COOKIE = "planvakt_review"
SESSION_HOURS = 12


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
