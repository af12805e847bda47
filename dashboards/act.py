"""The Act pages, for volunteers: a letter to a kommune's politicians, the tip form, and the detective tasks.

    GET  /act                  pick a kommune; the most urgent detective tasks
    GET  /act/tasks            the whole detective-task queue (filter by kind)
    GET  /act/tips/{id}        one tip: pending, stored (with what it is) or failed (with why); public
    GET  /act/{nr}             the letter in the kommune's language, and the tip form
    POST /act/{nr}/tips        submit a tip: CSRF-checked, URL-validated, rate-limited; processed after responding

The letter is written by `tracker.volunteers.letters` from what `tracker.store.acts` reads; the tip is processed by
`tracker.volunteers.tips` in a background task after the answer went out (the page refreshes itself until it is done).

Tip ids are sequential and every kommune's Act page lists its tips, so a tip page is public by design and shows
only what the tip is about (state, URL, the document read). The volunteer's note may say who they are or how they
came by the address, so only a signed-in reviewer sees it.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards import csrf
from dashboards.rendering import page_language, render
from dashboards.reviewer import current_reviewer
from dashboards.signing import app_secret
from tracker.alerts.messages import kommune_language
from tracker.domain import Country, Kommune, Language
from tracker.store import acts, reviews, volunteer_tips
from tracker.store.models import KommuneRow
from tracker.volunteers import tips
from tracker.volunteers.letters import write_letter
from tracker.volunteers.review import TASK_KINDS, detective_tasks

router = APIRouter()

#: how many tasks the Act start page shows
TOP_TASKS = 12


def _kommune(kommunenummer: str, request: Request) -> KommuneRow:
    with request.app.state.session_factory() as session:
        kommune = reviews.kommune_by_number(session, kommunenummer)
    if kommune is None:
        raise HTTPException(status_code=404, detail="no such kommune")
    return kommune


def _page_lang(kommune: KommuneRow) -> str | None:
    return "da" if kommune.country == "DK" else None


def _language(kommune: KommuneRow) -> Language:
    return kommune_language(
        Kommune(
            kommune.kommunenummer,
            kommune.name,
            Country(kommune.country),
            kommune.website,
            written_standard=kommune.written_standard,
        )
    )


def _act_page(
    request: Request,
    kommune: KommuneRow,
    *,
    status_code: int = 200,
    error: str = "",
    url: str = "",
    note: str = "",
) -> HTMLResponse:
    settings = request.app.state.settings
    language = _language(kommune)
    evidence_url = f"{settings.public_url.rstrip('/')}/kommune/{kommune.kommunenummer}"
    with request.app.state.session_factory() as session:
        facts = acts.letter_facts(session, kommune.id, language, evidence_url=evidence_url)
        tip_views = volunteer_tips.kommune_tips(session, kommune.id)
    letter = write_letter(facts) if facts is not None else None
    # a reader who chose English sees what the letter says, beside the letter in the kommune's own language (the
    # letter itself is always in the kommune's: nb, nn or da)
    english = page_language(request, _page_lang(kommune)) == "en"
    letter_en = write_letter(replace(facts, language="en")) if facts is not None and english else None
    token = csrf.issue(request)
    response = render(
        request,
        "act.html",
        {
            "kommune": kommune,
            "letter": letter,
            "letter_lang": language,
            "letter_en": letter_en,
            "tips": tip_views,
            "csrf_field": token.field,
            "error": error,
            "url": url,
            "note": note,
        },
        status_code=status_code,
        page_lang=_page_lang(kommune),
    )
    token.set_cookie(request, response)
    return response


@router.get("/act", response_class=HTMLResponse, include_in_schema=False)
def act_index(request: Request, nr: str = "") -> Response:
    if nr:
        return RedirectResponse(f"/act/{nr.strip()}", status_code=303)
    with request.app.state.session_factory() as session:
        kommuner = reviews.all_kommuner(session)
        tasks = detective_tasks(acts.kommune_cases(session))
    return render(request, "act_index.html", {"kommuner": kommuner, "tasks": tasks[:TOP_TASKS], "total": len(tasks)})


@router.get("/act/tasks", response_class=HTMLResponse, include_in_schema=False)
def act_tasks(request: Request, kind: str = "") -> HTMLResponse:
    kinds = [kind] if kind in TASK_KINDS else []
    with request.app.state.session_factory() as session:
        tasks = detective_tasks(acts.kommune_cases(session), kinds=kinds)
    return render(request, "act_tasks.html", {"tasks": tasks, "kind": kind if kinds else "", "kinds": TASK_KINDS})


@router.get("/act/tips/{tip_id}", response_class=HTMLResponse, include_in_schema=False)
def tip_page(request: Request, tip_id: int) -> HTMLResponse:
    with request.app.state.session_factory() as session:
        tip = volunteer_tips.get_tip(session, tip_id)
    if tip is None:
        raise HTTPException(status_code=404, detail="no such tip")
    context = {"tip": tip, "show_note": current_reviewer(request) is not None}
    return render(request, "act_tip.html", context, page_lang="da" if tip.country == "DK" else None)


@router.get("/act/{kommunenummer}", response_class=HTMLResponse, include_in_schema=False)
def act_page(request: Request, kommunenummer: str) -> HTMLResponse:
    return _act_page(request, _kommune(kommunenummer, request))


@router.post("/act/{kommunenummer}/tips", include_in_schema=False)
async def submit_tip(
    request: Request,
    kommunenummer: str,
    background: BackgroundTasks,
    url: str = Form(""),
    note: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    csrf.check(request, csrf_token)
    kommune = _kommune(kommunenummer, request)
    state = request.app.state
    try:
        clean_url = await tips.validate_tip_url(url, allow_private_networks=state.allow_private_networks)
        key = tips.client_key(app_secret(request), request.client.host if request.client else "unknown")
        with state.session_factory.begin() as session:
            tip = tips.submit_tip(
                session,
                kommune_id=kommune.id,
                url=clean_url,
                note=note,
                key=key,
                limit=state.settings.tip_rate_limit,
                now=state.now(),
            )
            tip_id = tip.id
    except tips.TipRejected as exc:
        return _act_page(request, kommune, status_code=exc.status, error=exc.message, url=url[:2000], note=note)
    deps = tips.TipDependencies(
        session_factory=state.session_factory,
        evidence=state.evidence,
        settings=state.settings,
        now=state.now,
        allow_private_networks=state.allow_private_networks,
        extractor=state.extractor,  # the shared pool while the lifespan runs, else None (a sandbox per tip)
    )
    background.add_task(tips.process_tip_in_background, tip_id, deps)
    return RedirectResponse(f"/act/tips/{tip_id}", status_code=303)
