"""The kommune page: the verdict in one sentence, then the evidence for it, then the history.

A Danish kommune's page is written in Danish (unless the visitor chose English).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from dashboards.changes import short_url
from dashboards.i18n import translate
from dashboards.rendering import page_language, render
from dashboards.timeline import timeline
from dashboards.trends import history_strip
from tracker.reading.accessibility import CHECKS
from tracker.reading.criteria import CRITERIA
from tracker.store import reviews, trails, trends
from tracker.store.kommune_detail import KommuneDetail, kommune_detail

router = APIRouter()

CRITERION_TEXT = dict(CRITERIA)


def verdict(detail: KommuneDetail, lang: str) -> str:
    """One sentence a volunteer can repeat: what the latest check found for this kommune."""
    status = detail.status
    current = ""
    if status.status == "abuse_specific_plan" and status.plan_current in ("true", "false"):
        current = translate(lang, f"verdict.current_{status.plan_current}")
    return translate(lang, f"verdict.{status.status}").format(name=status.name, current=current)


@router.get("/kommune/{kommunenummer}", response_class=HTMLResponse, include_in_schema=False)
def kommune_page(request: Request, kommunenummer: str) -> HTMLResponse:
    with request.app.state.session_factory() as session:
        detail = kommune_detail(session, kommunenummer)
        if detail is None:
            raise HTTPException(status_code=404, detail="no such kommune")
        # the write side's records: volunteers' tips and reviewers' overrides, shown beside the machine's verdict
        tips = reviews.kommune_tips(session, detail.kommune_id)
        overrides = reviews.override_history(session, detail.kommune_id)
        # an override of an older finding lapses once the machine's status changes: show only the one in force
        status_override = reviews.status_override(session, detail.kommune_id)
        # its own history: the standing each check gave, oldest first (drawn as a strip of cells)
        history = history_strip(trends.kommune_history(session, detail.kommune_id))
        # what the latest check searched and read: "no plan found" says where it was looked for
        latest = detail.latest_check
        trail = trails.check_trail(session, latest.check_id) if latest else None
    page_lang = "da" if detail.status.country == "DK" else None
    lang = page_language(request, page_lang)
    evidence = request.app.state.evidence
    return render(
        request,
        "kommune.html",
        {
            "k": detail.status,
            "detail": detail,
            "verdict": verdict(detail, lang),
            "archived": {plan.sha256: plan.sha256 in evidence for plan in detail.plans},
            "timeline": timeline(detail),
            "history": history,
            "criterion_text": CRITERION_TEXT,
            "access_checks": CHECKS,
            "tips": tips,
            "overrides": overrides,
            "active_status_override": status_override,
            "trail": trail,
            "short_url": short_url,  # the timeline names an event's URL as host and file name, the whole URL on hover
        },
        page_lang=page_lang,
    )
