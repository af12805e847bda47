"""CSRF protection for the write side's forms: a signed double-submit token.

A GET that renders a form makes sure the browser holds a random token in a cookie (`planvakt_csrf`, HttpOnly,
SameSite=Strict) and puts HMAC(secret, token) in the form's hidden `csrf` field. A POST is accepted only when the
field is the signature of the cookie it came with. Another site can make a browser send the cookie but can read
neither the cookie nor the page, so it cannot produce the matching field; a cookie planted by a sibling domain
does not help either without the server secret.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import Response

from dashboards.signing import app_secret, sign, verify

COOKIE = "planvakt_csrf"
FIELD = "csrf"
PURPOSE = "csrf"


@dataclass(frozen=True)
class CsrfToken:
    cookie: str  # the random value the cookie holds
    field: str  # its signature, for the form
    new: bool  # the cookie must be (re)set on the response

    def set_cookie(self, request: Request, response: Response) -> None:
        """Send the cookie when it is new (call on the response that carries the form)."""
        if self.new:
            response.set_cookie(
                COOKIE,
                self.cookie,
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                path="/",
            )


def issue(request: Request) -> CsrfToken:
    """The token for a form on this response: the browser's cookie if it has a sane one, else a fresh one."""
    secret = app_secret(request)
    current = request.cookies.get(COOKIE, "")
    if 20 <= len(current) <= 100 and current.replace("-", "").replace("_", "").isalnum():
        return CsrfToken(current, sign(secret, PURPOSE, current), new=False)
    fresh = secrets.token_urlsafe(32)
    return CsrfToken(fresh, sign(secret, PURPOSE, fresh), new=True)


def check(request: Request, submitted: str | None) -> None:
    """Raise 403 unless `submitted` (the form's `csrf` field) signs the request's CSRF cookie."""
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or not submitted or not verify(app_secret(request), PURPOSE, cookie, submitted):
        raise HTTPException(status_code=403, detail="the form has expired or did not come from Planvakt; reload it")
