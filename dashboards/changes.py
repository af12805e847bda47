"""The changes page: the latest events across all kommuner, filterable by kind and fylke/region (in the URL)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dashboards.read_model import region_names
from dashboards.rendering import render
from tracker.domain import EVENT_KINDS
from tracker.watch_store import latest_events

router = APIRouter()

PAGE_SIZE = 200


@router.get("/changes", response_class=HTMLResponse, include_in_schema=False)
def changes(request: Request) -> HTMLResponse:
    kind = request.query_params.get("kind") or ""
    kind = kind if kind in EVENT_KINDS else ""
    region = (request.query_params.get("region") or "").strip()
    with request.app.state.session_factory() as session:
        events = latest_events(session, kinds=[kind] if kind else (), region=region or None, limit=PAGE_SIZE)
        regions = region_names(session)
    return render(
        request,
        "changes.html",
        {"events": events, "kinds": EVENT_KINDS, "kind": kind, "region": region, "regions": regions},
    )
