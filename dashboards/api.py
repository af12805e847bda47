"""The read-only JSON API: /api/kommuner, /api/kommuner/{nr}, /api/events, /api/plans.

Response models are pydantic classes, so /api/openapi.json documents every field. The API reads through the same
read model as the pages; nothing here writes. An unknown filter value (a status, a region, a kommunenummer, an event
kind) is answered 422 with a message listing the valid values, never with an unfiltered or empty list.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field

from dashboards.overview_query import STATUSES, apply_filter, parse_filter
from tracker.domain import COUNTRIES, EVENT_KINDS, years_text
from tracker.errors import FilterError
from tracker.export import current_flag
from tracker.filters import CATEGORIES, check_values
from tracker.store.kommune_detail import PlanEvidence, kommune_detail
from tracker.store.latest import iter_latest_plans
from tracker.store.statuses import KommuneStatus, kommune_statuses
from tracker.store.trails import VERDICTS, CheckTrail, check_trail
from tracker.store.watch import latest_events

router = APIRouter(prefix="/api", tags=["read-only API"])


def _reject_unknown(parameter: str, values: list[str], valid: Iterable[str | None]) -> None:
    """422 naming the parameter and the valid values when a filter value matches nothing that exists."""
    try:
        check_values(parameter, values, valid)
    except FilterError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from exc


def _regions(rows: list[KommuneStatus]) -> list[str | None]:
    return [r.region for r in rows] + [r.region_code for r in rows]


class KommuneOut(BaseModel):
    """A kommune with its latest finding."""

    kommunenummer: str = Field(description="4 digits: Norwegian kommunenummer or Danish kommunekode")
    name: str
    country: str = Field(description="NO or DK")
    region: str | None = Field(description="fylke (NO) or region (DK)")
    status: str = Field(
        description="abuse_specific_plan | general_violence_plan_only | no_plan_found | site_unreachable | not_checked"
    )
    plan_url: str | None
    plan_title: str | None
    plan_category: str | None = Field(description="abuse_specific | general_violence")
    plan_years: str | None = Field(description="e.g. 2021-2024")
    plan_current: bool | None = Field(description="whether the plan's period spans the check date; null: unknown")
    click_depth: int | None = Field(description="clicks from the front page; null when not reachable by links")
    found_via: str | None = Field(description="link | rendered | site_search | sitemap | tip")
    criteria_met: int | None = Field(description="checklist items the best plan commits to")
    criteria_total: int | None = Field(description="checklist items that apply to the plan's language")
    checked_at: datetime | None
    url: str = Field(description="this kommune in the API")


def _kommune_out(row: KommuneStatus) -> KommuneOut:
    return KommuneOut(
        kommunenummer=row.kommunenummer,
        name=row.name,
        country=row.country,
        region=row.region,
        status=row.status,
        plan_url=row.plan_url,
        plan_title=row.plan_title,
        plan_category=row.plan_category,
        plan_years=years_text(row.year_start, row.year_end) or None if row.plan_url else None,
        plan_current=current_flag(row.plan_current) if row.plan_url else None,
        click_depth=row.click_depth,
        found_via=row.found_via,
        criteria_met=row.criteria_met,
        criteria_total=row.criteria_total,
        checked_at=row.checked_at,
        url=f"/api/kommuner/{row.kommunenummer}",
    )


class CriterionOut(BaseModel):
    criterion: str
    met: bool
    sentences: list[tuple[int, str]] = Field(description="(page, sentence) pairs that show it")


class AccessibilityOut(BaseModel):
    check: str
    ok: bool | None = Field(description="null: does not apply or not recorded")
    detail: str


class ClickHop(BaseModel):
    url: str
    anchor_text: str


class PlanEvidenceOut(BaseModel):
    url: str
    final_url: str
    http_status: int
    title: str
    category: str
    confidence: float
    document_kind: str | None
    language: str | None
    years: str | None
    current: bool | None = Field(description="whether the period spanned the day it was seen; null: unknown")
    format: str
    size_bytes: int
    page_count: int | None
    text_source: str | None
    found_via: str
    click_depth: int | None
    click_path: list[ClickHop]
    sha256: str
    archived_copy: str = Field(description="path of the archived copy on this server")
    seen_at: datetime
    best: bool = Field(description="the plan the kommune's status rests on")
    criteria: list[CriterionOut]
    accessibility: list[AccessibilityOut]


class CheckOut(BaseModel):
    checked_at: datetime
    status: str
    reachable: bool
    blocked: bool
    pages_fetched: int
    error: str | None


class EventOut(BaseModel):
    event_id: str = Field(description="public id (uuid), the alerts' idempotency key")
    kind: str = Field(description=" | ".join(EVENT_KINDS))
    kommunenummer: str
    name: str
    region: str | None
    url: str | None
    previous_url: str | None
    sha256: str | None
    previous_sha256: str | None
    detected_at: datetime
    first_check: bool = Field(
        description="true for an event of the kommune's first check: the plan was there before Planvakt looked"
    )
    details: dict[str, Any]


class CandidateOut(BaseModel):
    """A document the check read, and why it was or was not taken as the plan."""

    url: str
    title: str
    format: str
    found_via: str
    category: str | None = Field(description="null: the document could not be read")
    document_kind: str | None
    confidence: float | None
    reason: str = Field(description="the machine's reason (English), or the extraction error")
    verdict: str = Field(description=" | ".join(VERDICTS))


class SiteSearchOut(BaseModel):
    query: str
    hits: int | None = Field(description="results on the first page; null when they could not be counted")


class TrailOut(BaseModel):
    """What the latest check searched and read (the kommune page's "what was searched")."""

    recorded: bool = Field(description="false for a check stored before the trail was recorded, or a tip")
    front_page: str
    pages_fetched: int
    rendered_pages: int
    robots_disallowed: int
    sitemaps: list[str]
    sitemap_entries: int
    search_action: str | None = Field(description="the site's own search form the crawler used")
    searches: list[SiteSearchOut]
    pages: list[str] = Field(description="pages opened by following links and sitemap entries, front page first")
    candidates: list[CandidateOut]


def _trail_out(trail: CheckTrail) -> TrailOut:
    return TrailOut(
        recorded=trail.recorded,
        front_page=trail.front_page,
        pages_fetched=trail.pages_fetched,
        rendered_pages=trail.rendered_pages,
        robots_disallowed=trail.robots_disallowed,
        sitemaps=list(trail.sitemaps),
        sitemap_entries=trail.sitemap_entries,
        search_action=trail.search_action,
        searches=[SiteSearchOut(query=query, hits=hits) for query, hits in trail.searches],
        pages=list(trail.pages),
        candidates=[CandidateOut(**vars(candidate)) for candidate in trail.candidates],
    )


class KommuneDetailOut(KommuneOut):
    website: str
    plans: list[PlanEvidenceOut]
    checks: list[CheckOut] = Field(description="newest first")
    events: list[EventOut] = Field(description="newest first")
    trail: TrailOut | None = Field(description="what the latest check searched and read; null before any check")


class PlanOut(BaseModel):
    """A plan document in a kommune's latest check (the `plans` download as JSON, typed)."""

    kommunenummer: str
    name: str
    country: str
    url: str
    sha256: str
    category: str
    document_kind: str | None
    language: str | None
    years: str | None
    page_count: int | None
    format: str
    size_bytes: int
    text_source: str | None
    found_via: str
    click_depth: int | None
    link_text: str | None
    criteria: dict[str, bool] = Field(description="criterion id -> met")
    accessibility: dict[str, bool | None] = Field(description="check id -> ok")
    search_rank: int | None
    shared_with: list[str]
    checked_at: datetime


@router.get("/kommuner", response_model=list[KommuneOut], summary="Every kommune with its latest finding")
def api_kommuner(
    request: Request,
    country: Annotated[str | None, Query(description="NO or DK")] = None,
    region: Annotated[str | None, Query(description="fylke/region name or code")] = None,
    status: Annotated[str | None, Query(description="a status")] = None,
) -> list[KommuneOut]:
    _reject_unknown("country", [(country or "").upper()], COUNTRIES)
    _reject_unknown("status", [status or ""], STATUSES)
    chosen = parse_filter({"country": country or "", "region": region or "", "status": status or ""})
    with request.app.state.session_factory() as session:
        rows = kommune_statuses(session)
    _reject_unknown("region", [region or ""], _regions(rows))
    return [_kommune_out(row) for row in apply_filter(rows, chosen)]


@router.get("/kommuner/{kommunenummer}", response_model=KommuneDetailOut, summary="One kommune with its evidence")
def api_kommune(request: Request, kommunenummer: str) -> KommuneDetailOut:
    with request.app.state.session_factory() as session:
        detail = kommune_detail(session, kommunenummer, history=104)
        events = latest_events(session, kommuner=[kommunenummer], limit=104) if detail else []
        latest = detail.latest_check if detail else None
        trail = check_trail(session, latest.check_id) if latest else None
    if detail is None:
        raise HTTPException(status_code=404, detail="no such kommune")
    base = _kommune_out(detail.status)
    plans = [_plan_out(p) for p in detail.plans]
    checks = [
        CheckOut(
            checked_at=c.checked_at,
            status=c.status,
            reachable=c.reachable,
            blocked=c.blocked,
            pages_fetched=c.pages_fetched,
            error=c.error,
        )
        for c in detail.checks
    ]
    return KommuneDetailOut(
        **base.model_dump(),
        website=detail.status.website,
        plans=plans,
        checks=checks,
        events=[_event_out(e) for e in events],
        trail=_trail_out(trail) if trail else None,
    )


def _plan_out(p: PlanEvidence) -> PlanEvidenceOut:
    """One plan document of the kommune's latest check, with the evidence behind it."""
    return PlanEvidenceOut(
        url=p.url,
        final_url=p.final_url,
        http_status=p.http_status,
        title=p.title,
        category=p.category,
        confidence=p.confidence,
        document_kind=p.document_kind,
        language=p.language,
        years=years_text(p.year_start, p.year_end) or None,
        current=current_flag(p.current),
        format=p.format,
        size_bytes=p.size_bytes,
        page_count=p.page_count,
        text_source=p.text_source,
        found_via=p.found_via,
        click_depth=p.click_depth,
        click_path=[ClickHop(url=h.get("url", ""), anchor_text=h.get("anchor_text", "")) for h in p.click_path],
        sha256=p.sha256,
        archived_copy=f"/evidence/{p.sha256}",
        seen_at=p.seen_at,
        best=p.is_best,
        criteria=[
            CriterionOut(criterion=c["criterion"], met=c["met"], sentences=[tuple(s) for s in c["sentences"]])
            for c in p.criteria
        ],
        accessibility=[
            AccessibilityOut(check=a["check"], ok=a.get("ok"), detail=a.get("detail", "")) for a in p.accessibility
        ],
    )


def _event_out(e: Any) -> EventOut:
    return EventOut(
        event_id=e.event_id,
        kind=e.kind,
        kommunenummer=e.kommunenummer,
        name=e.name,
        region=e.region,
        url=e.url,
        previous_url=e.previous_url,
        sha256=e.sha256,
        previous_sha256=e.previous_sha256,
        detected_at=e.detected_at,
        first_check=e.first_check,
        details=e.evidence or {},
    )


@router.get("/events", response_model=list[EventOut], summary="The latest change events, newest first")
def api_events(
    request: Request,
    kind: Annotated[list[str] | None, Query(description="event kind (repeatable)")] = None,
    region: Annotated[str | None, Query(description="fylke/region name or code")] = None,
    kommune: Annotated[list[str] | None, Query(description="kommunenummer (repeatable)")] = None,
    since: Annotated[datetime | None, Query(description="ISO 8601; only events detected at or after")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[EventOut]:
    _reject_unknown("kind", kind or [], EVENT_KINDS)
    with request.app.state.session_factory() as session:
        rows = kommune_statuses(session)
        _reject_unknown("region", [region or ""], _regions(rows))
        _reject_unknown("kommune", kommune or [], [r.kommunenummer for r in rows])
        events = latest_events(
            session, kinds=kind or (), region=region, kommuner=kommune or (), since=since, limit=limit
        )
    return [_event_out(e) for e in events]


@router.get("/plans", response_model=list[PlanOut], summary="Every plan document in each kommune's latest check")
def api_plans(
    request: Request,
    kommune: Annotated[list[str] | None, Query(description="kommunenummer (repeatable)")] = None,
    category: Annotated[str | None, Query(description="abuse_specific or general_violence")] = None,
) -> list[PlanOut]:
    _reject_unknown("category", [category or ""], CATEGORIES)
    wanted = set(kommune or ())
    plans: list[PlanOut] = []
    with request.app.state.session_factory() as session:
        _reject_unknown("kommune", kommune or [], [r.kommunenummer for r in kommune_statuses(session)])
        for row in iter_latest_plans(session):
            if (wanted and row.kommunenummer not in wanted) or (category and row.category != category):
                continue
            plans.append(
                PlanOut(
                    kommunenummer=row.kommunenummer,
                    name=row.name,
                    country=row.country,
                    url=row.url,
                    sha256=row.sha256,
                    category=row.category,
                    document_kind=row.document_kind,
                    language=row.language,
                    years=years_text(row.year_start, row.year_end) or None,
                    page_count=row.page_count,
                    format=row.format,
                    size_bytes=row.size_bytes,
                    text_source=row.text_source,
                    found_via=row.found_via,
                    click_depth=row.click_depth,
                    link_text=row.anchor_text or None,
                    criteria={hit["criterion"]: bool(hit["met"]) for hit in row.criteria},
                    accessibility={a["check"]: a.get("ok") for a in row.accessibility},
                    search_rank=row.search_rank,
                    shared_with=list(row.shared_with),
                    checked_at=row.checked_at,
                )
            )
    return plans
