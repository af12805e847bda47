"""The public Subscribe page: an NGO subscribes to alerts itself, confirms, and unsubscribes with one click.

    GET  /subscribe                  the form: e-mail or webhook; every kommune, a fylke/region, or chosen ones; events
    POST /subscribe                  stores it pending; e-mail: sends the confirmation mail; webhook: the signed test
    GET  /subscribe/confirm?token=   the confirmation link's page: one button (a mail scanner's GET confirms nothing)
    POST /subscribe/confirm          activates it
    POST /subscribe/webhook          the code from the test delivery activates a webhook
    GET  /unsubscribe?token=         a page with one button
    POST /unsubscribe?token=         stops it: one POST, no login, no cookie (RFC 8058 one-click from a mail client)

The flow and why each step is there: `tracker.alerts.public_subscribe`. The form is guarded like the write side's
others: CSRF (`dashboards.csrf`) on every form POST (not on the one-click unsubscribe, which a mail client sends without
cookies and whose signed token is itself the authority), at most SUBMISSIONS per client per hour (the sign-in
limiter's mechanism), webhook targets through the address guard (private addresses only when the app allows them:
tests and `serve --demo`), and the same answer for an e-mail address whether or not anyone subscribed it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from dashboards import csrf
from dashboards.i18n import translate
from dashboards.rendering import page_language, render
from dashboards.reviewer import SignInLimiter, client_key
from dashboards.subscribe_text import scope_words
from tracker.alerts import public_subscribe as flow
from tracker.alerts.channels import Channels
from tracker.alerts.notify import DeliveryFailed, EmailChannel, masked_address
from tracker.alerts.subscription_links import WEBHOOK_CODE_FOR, BadToken, LinkSigner
from tracker.alerts.subscriptions import DIGESTS
from tracker.catalogue.errors import say
from tracker.domain import LANGUAGES, PLAN_EVENT_KINDS
from tracker.errors import ConfigError, SecretError
from tracker.secretbox import SecretKeys
from tracker.store import public_subscriptions

logger = logging.getLogger(__name__)
router = APIRouter()

#: subscriptions (and webhook codes) one client may submit per WINDOW
SUBMISSIONS = 10
WINDOW = timedelta(hours=1)


def limiter() -> SignInLimiter:
    """The form's limiter (`create_app` keeps one on `app.state.subscribe_limiter`)."""
    return SignInLimiter(attempts=SUBMISSIONS, window=WINDOW)


def _signer(request: Request) -> LinkSigner:
    keys = SecretKeys.from_settings(request.app.state.settings)
    return LinkSigner.from_box(keys.box(create=True))


def _defaults() -> dict[str, object]:
    """An untouched form: e-mail, every kommune, every plan event, one message per event."""
    return {"channel": "email", "scope": "all", "kinds": PLAN_EVENT_KINDS, "digest": "none"}


def _own_language(request: Request, numbers: Sequence[str]) -> str | None:
    """Danish for a form about Danish kommuner only (as their kommune and Act pages are); else the default."""
    if not numbers:
        return None
    with request.app.state.session_factory() as session:
        countries = public_subscriptions.countries_of(session, numbers)
    return "da" if countries == {"DK"} else None


def _form_page(
    request: Request, *, error: str = "", form: dict[str, object] | None = None, status: int = 200
) -> Response:
    with request.app.state.session_factory() as session:
        regions = public_subscriptions.region_choices(session)
    form = form or _defaults()
    numbers = str(form.get("kommuner") or "").split() if form.get("scope") == "kommuner" else []
    token = csrf.issue(request)
    response = render(
        request,
        "subscribe.html",
        {
            "form": form,
            "regions": regions,
            "event_kinds": PLAN_EVENT_KINDS,
            "digests": DIGESTS,
            "languages": LANGUAGES,
            "error": error,
            "csrf_field": token.field,
            # a fresh random secret offered for a webhook (this page is never cached: it carries a CSRF token)
            "suggested_secret": secrets.token_urlsafe(24),
        },
        status_code=status,
        page_lang=_own_language(request, numbers),
    )
    token.set_cookie(request, response)
    return response


def _step(request: Request, step: str, status: int = 200, **context: object) -> Response:
    token = csrf.issue(request)
    context = {"step": step, "csrf_field": token.field, **context}
    response = render(request, "subscribe_step.html", context, status_code=status)
    token.set_cookie(request, response)
    return response


def _too_many(request: Request) -> Response | None:
    """A 429 page with Retry-After when this client used up its submissions; else None (and one is counted)."""
    state = request.app.state
    key, now = client_key(request), state.now()
    wait = state.subscribe_limiter.retry_after(key, now)
    if wait:
        page = _step(request, "rate", 429, minutes=max(1, wait // 60))
        page.headers["Retry-After"] = str(wait)
        return page
    state.subscribe_limiter.record_failure(key, now)
    return None


@router.get("/subscribe", response_class=HTMLResponse, include_in_schema=False)
def subscribe_page(request: Request, kommune: str = "", region: str = "") -> Response:
    """The form; `?kommune=4601` (a kommune page's "get alerts" link) or `?region=46` chooses the scope for the
    reader, who still sees and may change it. Anything but digits is ignored: the form re-checks on POST anyway."""
    numbers = [n for n in kommune.replace(",", " ").split() if n.isdigit() and len(n) <= 4]
    form = _defaults()
    if numbers:
        form |= {"scope": "kommuner", "kommuner": " ".join(numbers)}
    elif region.isdigit():
        form |= {"scope": "region", "region": region}
    return _form_page(request, form=form)


@router.post("/subscribe", include_in_schema=False)
def subscribe(
    request: Request,
    channel: str = Form("email"),
    email: str = Form(""),
    url: str = Form(""),
    secret: str = Form(""),
    scope: str = Form("all"),
    region: str = Form(""),
    kommuner: str = Form(""),
    kinds: Annotated[list[str] | None, Form()] = None,
    digest: str = Form("none"),
    language: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    csrf.check(request, csrf_token)
    if (limited := _too_many(request)) is not None:
        return limited
    numbers = tuple(n for n in kommuner.replace(",", " ").split() if n) if scope == "kommuner" else ()
    wanted = flow.PublicRequest(
        channel=channel,
        target=email if channel == "email" else url,
        secret=secret or None,
        kommuner=numbers,
        regions=(region,) if scope == "region" and region else (),
        kinds=tuple(dict.fromkeys(k for k in kinds or () if k)),
        digest=digest,
        language=language or None,
    )
    form: dict[str, object] = {
        "channel": channel, "email": email, "scope": scope, "region": region, "kommuner": " ".join(numbers),
        "kinds": wanted.kinds, "digest": digest, "language": language,
    }  # fmt: skip
    if scope == "region" and not region:
        return _form_page(request, error=_t(request, "pub.need_region"), form=form, status=400)
    state = request.app.state
    page_lang = page_language(request, _own_language(request, numbers))
    lang = language or page_lang
    try:
        pending = flow.request_subscription(
            state.session_factory,
            wanted,
            now=state.now(),
            keys=SecretKeys.from_settings(state.settings),
            allow_private_networks=state.allow_private_networks,
        )
        signer = _signer(request)
    except (ConfigError, SecretError) as exc:
        said = say(exc, page_lang)
        message = said.replace(url, "…") if len(url) >= 4 else said  # a URL may carry a token
        return _form_page(request, error=message.replace(secret, "…") if secret else message, form=form, status=400)
    if channel == "email":
        return _after_email(request, pending, signer, lang, wanted)
    assert pending is not None  # only e-mail is throttled per target
    return _after_webhook(request, pending, signer, lang)


def _t(request: Request, key: str) -> str:
    return translate(page_language(request), key)


def _after_email(
    request: Request, pending: flow.Pending | None, signer: LinkSigner, lang: str, wanted: flow.PublicRequest
) -> Response:
    """The same page whether a mail went out or the address had its confirmations for today (no enumeration)."""
    state = request.app.state
    if pending is not None:
        settings = state.settings
        email = EmailChannel(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            username=settings.smtp_username or None,
            password=settings.smtp_password or None,
            starttls=settings.smtp_starttls,
        )
        with state.session_factory() as session:
            names = [public_subscriptions.region_name(session, code) or code for code in wanted.regions]
        scope = scope_words(wanted.kommuner, names, lang)
        try:
            flow.send_confirmation(email, pending, signer, settings.public_url, scope, lang, state.now())
        except DeliveryFailed as exc:
            detail = str(exc).replace(pending.target, masked_address(pending.target))  # "recipient refused: …"
            logger.warning("confirmation mail for subscription %d not sent: %s", pending.subscription_id, detail)
            flow.abandon(state.session_factory, pending, state.now())
            return _step(request, "mail_failed", 503)
    return _step(request, "check_mail")


def _after_webhook(request: Request, pending: flow.Pending, signer: LinkSigner, lang: str) -> Response:
    state = request.app.state
    try:
        with Channels.from_settings(state.settings, allow_private_networks=state.allow_private_networks) as channels:
            flow.send_test_delivery(channels.http, pending, signer, state.settings.public_url, lang)
    except DeliveryFailed as exc:
        flow.abandon(state.session_factory, pending, state.now())
        return _step(request, "test_failed", 400, detail=exc.detail)
    token = flow.pending_webhook_token(pending, signer, state.now(), WEBHOOK_CODE_FOR)
    return _step(request, "enter_code", token=token)


@router.post("/subscribe/webhook", include_in_schema=False)
def confirm_webhook(
    request: Request,
    token: str = Form(""),
    code: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    csrf.check(request, csrf_token)
    if (limited := _too_many(request)) is not None:
        return limited
    state = request.app.state
    try:
        confirmed = flow.confirm_by_code(state.session_factory, token, code, _signer(request), state.now())
    except BadToken:
        return _step(request, "bad_link", 400)
    except ConfigError:
        return _step(request, "already", 409)
    if not confirmed:
        return _step(request, "enter_code", 400, token=token, wrong=True)
    return _step(request, "confirmed")


@router.get("/subscribe/confirm", response_class=HTMLResponse, include_in_schema=False)
def confirm_page(request: Request, token: str = "") -> Response:
    return _step(request, "confirm", token=token)


@router.post("/subscribe/confirm", include_in_schema=False)
def confirm(request: Request, token: str = Form(""), csrf_token: str = Form("", alias=csrf.FIELD)) -> Response:
    csrf.check(request, csrf_token)
    state = request.app.state
    try:
        confirmed = flow.confirm_by_link(state.session_factory, token, _signer(request), state.now())
    except BadToken:
        return _step(request, "bad_link", 400)
    return _step(request, "confirmed" if confirmed else "already")


@router.get("/unsubscribe", response_class=HTMLResponse, include_in_schema=False)
def unsubscribe_page(request: Request, token: str = "") -> Response:
    return _step(request, "unsubscribe", token=token)


@router.post("/unsubscribe", include_in_schema=False)
def unsubscribe(request: Request, token: str = "") -> Response:
    """One POST with the signed token stops it (RFC 8058: the body `List-Unsubscribe=One-Click` is not needed)."""
    state = request.app.state
    try:
        flow.unsubscribe_by_link(state.session_factory, token, _signer(request), state.now())
    except BadToken:
        return _step(request, "bad_link", 400)
    return _step(request, "unsubscribed")
