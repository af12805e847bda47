"""The overview page: counts per standing (an expired plan apart from a current one), the dot map of Norway and
Denmark, counts per fylke/region, and the sortable, filterable table (filters and sorting live in the URL)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dashboards.dot_map import SHAPES, layout, load_geodata
from dashboards.overview_query import (
    CURRENT_VALUES,
    SORT_KEYS,
    STANDINGS,
    STATUSES,
    apply_filter,
    count_statuses,
    counts_by_region,
    parse_filter,
)
from dashboards.rendering import render
from tracker.store.statuses import kommune_statuses

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview(request: Request) -> HTMLResponse:
    chosen = parse_filter(request.query_params)
    with request.app.state.session_factory() as session:
        rows = kommune_statuses(session)
    shown = apply_filter(rows, chosen)
    regions = sorted({(r.country, r.region) for r in rows if r.region}, key=lambda p: (p[0] != "NO", p[1]))
    return render(
        request,
        "overview.html",
        {
            "rows": shown,
            "total": len(rows),
            "filter": chosen,
            "summary": count_statuses(rows),
            "shown_summary": count_statuses(shown),
            "by_region": counts_by_region(rows),
            "map": layout(rows, load_geodata()),
            "statuses": STATUSES,
            "standings": STANDINGS,
            "shapes": SHAPES,
            "sort_keys": SORT_KEYS,
            "current_values": CURRENT_VALUES,
            "regions": regions,
        },
    )
