"""The Subscriptions page: a signed-in reviewer lists, adds and removes alert subscriptions from the dashboard.

    GET  /review/subscriptions               the active subscriptions (targets masked, secrets never shown), a form
    POST /review/subscriptions               add one: validated by `tracker.alerts.subscriptions` exactly as the CLI is
    POST /review/subscriptions/{id}/remove   stop one (its delivery history stays; waiting deliveries are dropped)
    POST /review/subscriptions/public/{id}/remove   remove one an NGO made on /subscribe: pending ones are deleted,
                                             confirmed ones stopped (`tracker.alerts.public_subscribe.withdraw`)

The page lists operator subscriptions (the CLI's, a reviewer's) apart from public ones (made on /subscribe), which
are counted per channel and state (pending, confirmed, unsubscribed) and listed newest first with their state; a
public e-mail address is shown masked (`n…@example.org`), as it is logged: whoever signed up on the open form did
not ask to be named to reviewers.

Issue 5 asks for write actions other than tips to need the admin token: every route needs a reviewer signed in
with it (`dashboards.reviewer`); without one the page redirects to the sign-in form, a POST answers 403, and with
review off (no token) everything answers 403. Every POST checks the CSRF token. Neither a webhook secret nor a
target as typed is ever sent back to the browser: the list shows `shown_target`, a refused form is refilled only
with its harmless fields, and the raw target and secret are masked in the error message.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards import csrf
from dashboards.rendering import page_language, render
from dashboards.reviewer import current_reviewer, require_reviewer, review_enabled
from tracker.alerts import public_subscribe as public
from tracker.alerts.subscriptions import (
    CHANNELS,
    DIGESTS,
    SubscriptionRequest,
    logged_target,
    shown_target,
    subscribe,
    unsubscribe,
)
from tracker.catalogue import LOCALES
from tracker.catalogue.errors import say
from tracker.domain import EVENT_KINDS
from tracker.errors import ConfigError
from tracker.secretbox import SecretKeys
from tracker.store import alerts, public_subscriptions

router = APIRouter()

PATH = "/review/subscriptions"


def _masked(message: str, *secrets: str | None) -> str:
    """`message` with each secret (the target as typed, the signing secret) replaced by `…` (tiny ones are left:
    masking "a" would garble the message and hide nothing)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            message = message.replace(secret, "…")
    return message


def _page(
    request: Request,
    reviewer: str,
    *,
    error: str = "",
    form: dict[str, object] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    with request.app.state.session_factory() as session:
        rows = [row for row in alerts.subscriptions(session) if row.origin == "operator"]
        public_rows = public_subscriptions.public_subscriptions(session)
        public_counts = public_subscriptions.public_counts(session)
    shown = [
        {
            "id": row.id,
            "channel": row.channel,
            "target": shown_target(row.channel, row.target),
            "kommuner": row.kommuner,
            "kinds": row.kinds,
            "digest": row.digest,
            "language": row.language,
            "signed": row.secret is not None,
            "created_at": row.created_at,
        }
        for row in rows
    ]
    token = csrf.issue(request)
    response = render(
        request,
        "subscriptions.html",
        {
            "reviewer": reviewer,
            "subscriptions": shown,
            "public": [(row, logged_target(row.channel, row.target_shown)) for row in public_rows],
            "public_counts": public_counts,
            "public_channels": public.PUBLIC_CHANNELS,
            "public_states": public_subscriptions.PUBLIC_STATES,
            "channels": CHANNELS,
            "digests": DIGESTS,
            "event_kinds": EVENT_KINDS,
            "languages": LOCALES,
            "form": form or {"channel": "webhook", "kinds": (), "digest": "none", "language": "", "kommuner": ""},
            "error": error,
            "csrf_field": token.field,
        },
        status_code=status_code,
    )
    token.set_cookie(request, response)
    return response


@router.get(PATH, response_class=HTMLResponse, include_in_schema=False)
def subscriptions_page(request: Request) -> Response:
    if review_enabled(request) and current_reviewer(request) is None:
        return RedirectResponse("/review", status_code=303)
    return _page(request, require_reviewer(request))


@router.post(PATH, include_in_schema=False)
def add_subscription(
    request: Request,
    channel: str = Form(""),
    target: str = Form(""),
    secret: str = Form(""),
    kommuner: str = Form(""),
    kinds: Annotated[list[str] | None, Form()] = None,
    digest: str = Form("none"),
    language: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    csrf.check(request, csrf_token)
    reviewer = require_reviewer(request)
    numbers = tuple(n for n in kommuner.replace(",", " ").split() if n)
    wanted = SubscriptionRequest(
        channel=channel,
        target=target,
        secret=secret or None,
        kommuner=numbers,
        kinds=tuple(dict.fromkeys(k for k in kinds or () if k)),
        digest=digest,
        language=language or None,
    )
    try:
        subscribe(
            request.app.state.session_factory,
            wanted,
            now=request.app.state.now(),
            allow_private_networks=request.app.state.allow_private_networks,
            keys=SecretKeys.from_settings(request.app.state.settings),
        )
    except ConfigError as exc:
        form: dict[str, object] = {
            "channel": channel,
            "kinds": wanted.kinds,
            "digest": digest,
            "language": language,
            "kommuner": " ".join(numbers),
            "target": target if channel == "email" else "",  # a URL may carry a token: never echoed
        }
        hidden = (target.strip(), target) if channel != "email" else ()  # an address is no secret; a URL may be
        message = _masked(say(exc, page_language(request)), *hidden, secret)
        return _page(request, reviewer, error=message, form=form, status_code=400)
    return RedirectResponse(PATH, status_code=303)


@router.post(PATH + "/{subscription_id}/remove", include_in_schema=False)
def remove_subscription(
    request: Request, subscription_id: int, csrf_token: str = Form("", alias=csrf.FIELD)
) -> Response:
    csrf.check(request, csrf_token)
    reviewer = require_reviewer(request)
    try:
        unsubscribe(request.app.state.session_factory, subscription_id, now=request.app.state.now())
    except ConfigError as exc:
        return _page(request, reviewer, error=say(exc, page_language(request)), status_code=400)
    return RedirectResponse(PATH, status_code=303)


@router.post(PATH + "/public/{subscription_id}/remove", include_in_schema=False)
def remove_public_subscription(
    request: Request, subscription_id: int, csrf_token: str = Form("", alias=csrf.FIELD)
) -> Response:
    csrf.check(request, csrf_token)
    reviewer = require_reviewer(request)
    state = request.app.state
    try:
        public.withdraw(state.session_factory, subscription_id, state.now(), by=f"reviewer {reviewer}")
    except ConfigError as exc:
        return _page(request, reviewer, error=say(exc, page_language(request)), status_code=400)
    return RedirectResponse(PATH + "#public-subscriptions", status_code=303)
