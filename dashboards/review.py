"""The Review pages: a reviewer signed in with the admin token overrides a finding or a classification.

    GET  /review                          sign-in form, or (signed in) the queue, recent tips and a kommune picker
    POST /review/login | /review/logout   start or end the reviewer session (dashboards/reviewer.py)
    GET  /review/{nr}                     the machine's verdicts with the overrides in force beside them, the history
    POST /review/{nr}/findings/{id}       override the finding's status (with a reason)
    POST /review/{nr}/classifications/{id}  override a document's category (with a reason)
    POST /review/{nr}/overrides/{id}/withdraw

Every POST checks the CSRF token and the reviewer session. An override never replaces the evidence: it is stored
beside it (`review_override`), a later one withdraws the earlier one, and the exports carry it in its own column.
"""

from __future__ import annotations

import math

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards import csrf
from dashboards.rendering import render
from dashboards.reviewer import (
    current_reviewer,
    end_session,
    record_failed_sign_in,
    require_reviewer,
    review_enabled,
    sign_in_wait,
    start_session,
    token_matches,
)
from tracker.domain import CATEGORIES, STATUSES
from tracker.errors import StorageError
from tracker.store import acts, reviews, volunteer_tips
from tracker.store.latest import latest_finding
from tracker.store.models import KommuneRow
from tracker.volunteers.review import detective_tasks

router = APIRouter()

QUEUE_SIZE = 50


def _kommune(request: Request, kommunenummer: str) -> KommuneRow:
    with request.app.state.session_factory() as session:
        kommune = reviews.kommune_by_number(session, kommunenummer)
    if kommune is None:
        raise HTTPException(status_code=404, detail="no such kommune")
    return kommune


def _with_csrf(request: Request, template: str, context: dict[str, object], status_code: int = 200) -> HTMLResponse:
    token = csrf.issue(request)
    response = render(request, template, {**context, "csrf_field": token.field}, status_code=status_code)
    token.set_cookie(request, response)
    return response


@router.get("/review", response_class=HTMLResponse, include_in_schema=False)
def review_index(request: Request, nr: str = "") -> Response:
    if not review_enabled(request):
        return render(request, "review_login.html", {"disabled": True}, status_code=403)
    reviewer = current_reviewer(request)
    if reviewer is None:
        return _with_csrf(request, "review_login.html", {"disabled": False, "error": ""})
    if nr:
        return RedirectResponse(f"/review/{nr.strip()}", status_code=303)
    with request.app.state.session_factory() as session:
        tasks = detective_tasks(acts.kommune_cases(session))
        kommuner = reviews.all_kommuner(session)
        tips = volunteer_tips.recent_tips(session)
    return _with_csrf(
        request,
        "review.html",
        {"reviewer": reviewer, "tasks": tasks[:QUEUE_SIZE], "kommuner": kommuner, "tips": tips},
    )


@router.post("/review/login", include_in_schema=False)
def review_login(
    request: Request,
    name: str = Form(""),
    token: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    csrf.check(request, csrf_token)
    if not review_enabled(request):
        raise HTTPException(status_code=403, detail="review is disabled (no admin token)")
    wait = sign_in_wait(request)
    if wait:
        page = _with_csrf(
            request,
            "review_login.html",
            {"disabled": False, "error": "rate", "minutes": math.ceil(wait / 60)},
            status_code=429,
        )
        page.headers["Retry-After"] = str(wait)
        return page
    reviewer = " ".join(name.split())[:100]
    if not reviewer or not token_matches(request, token):
        record_failed_sign_in(request)
        return _with_csrf(request, "review_login.html", {"disabled": False, "error": "bad_token"}, status_code=401)
    response = RedirectResponse("/review", status_code=303)
    start_session(request, response, reviewer)
    return response


@router.post("/review/logout", include_in_schema=False)
def review_logout(request: Request, csrf_token: str = Form("", alias=csrf.FIELD)) -> Response:
    csrf.check(request, csrf_token)
    response = RedirectResponse("/review", status_code=303)
    end_session(response)
    return response


def _kommune_page(request: Request, kommune: KommuneRow, reviewer: str, *, error: str = "") -> HTMLResponse:
    with request.app.state.session_factory() as session:
        review = reviews.review_kommune(session, kommune.id)
    return _with_csrf(
        request,
        "review_kommune.html",
        {
            "reviewer": reviewer,
            "kommune": kommune,
            "review": review,
            "statuses": STATUSES,
            "categories": CATEGORIES,
            "error": error,
        },
        status_code=400 if error else 200,
    )


@router.get("/review/{kommunenummer}", response_class=HTMLResponse, include_in_schema=False)
def review_kommune(request: Request, kommunenummer: str) -> Response:
    if current_reviewer(request) is None:
        return RedirectResponse("/review", status_code=303)
    return _kommune_page(request, _kommune(request, kommunenummer), require_reviewer(request))


def _override(
    request: Request, kommunenummer: str, target: str, target_id: int, value: str, reason: str, csrf_token: str
) -> Response:
    csrf.check(request, csrf_token)
    reviewer = require_reviewer(request)
    kommune = _kommune(request, kommunenummer)
    state = request.app.state
    try:
        with state.session_factory.begin() as session:
            if target == "finding":
                finding = latest_finding(session, kommune.id)
                if finding is None or finding.id != target_id:
                    raise StorageError("that finding is not this kommune's latest; reload the page")
            reviews.add_override(
                session,
                target=target,
                target_id=target_id,
                value=value,
                reason=reason,
                reviewer=reviewer,
                now=state.now(),
                kommune_id=kommune.id,
            )
    except StorageError as exc:
        return _kommune_page(request, kommune, reviewer, error=str(exc))
    return RedirectResponse(f"/review/{kommune.kommunenummer}", status_code=303)


@router.post("/review/{kommunenummer}/findings/{finding_id}", include_in_schema=False)
def override_finding(
    request: Request,
    kommunenummer: str,
    finding_id: int,
    value: str = Form(""),
    reason: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    return _override(request, kommunenummer, "finding", finding_id, value, reason, csrf_token)


@router.post("/review/{kommunenummer}/classifications/{classification_id}", include_in_schema=False)
def override_classification(
    request: Request,
    kommunenummer: str,
    classification_id: int,
    value: str = Form(""),
    reason: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    return _override(request, kommunenummer, "classification", classification_id, value, reason, csrf_token)


@router.post("/review/{kommunenummer}/overrides/{override_id}/withdraw", include_in_schema=False)
def withdraw(
    request: Request, kommunenummer: str, override_id: int, csrf_token: str = Form("", alias=csrf.FIELD)
) -> Response:
    csrf.check(request, csrf_token)
    reviewer = require_reviewer(request)
    kommune = _kommune(request, kommunenummer)
    try:
        with request.app.state.session_factory.begin() as session:
            row = reviews.withdraw_override(session, override_id, request.app.state.now())
            if row.kommune_id != kommune.id:
                raise StorageError("that override belongs to another kommune")
    except StorageError as exc:
        return _kommune_page(request, kommune, reviewer, error=str(exc))
    return RedirectResponse(f"/review/{kommune.kommunenummer}", status_code=303)
