"""The crawler health page: when each kommune was last checked, pages fetched, errors, and which sites are
unreachable, blocked or never checked, so a blind spot is visible at a glance."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dashboards.rendering import render
from tracker.store.crawler_health import HealthRow, crawler_health, recent_runs

router = APIRouter()


@dataclass(frozen=True)
class HealthTotals:
    kommuner: int
    checked: int
    never_checked: int
    unreachable: int
    blocked: int
    pages_fetched: int
    errors: int


def totals(rows: list[HealthRow]) -> HealthTotals:
    checked = [r for r in rows if r.reachable is not None]
    return HealthTotals(
        kommuner=len(rows),
        checked=len(checked),
        never_checked=len(rows) - len(checked),
        unreachable=sum(1 for r in checked if not r.reachable),
        blocked=sum(1 for r in checked if r.blocked),
        pages_fetched=sum(r.pages_fetched or 0 for r in checked),
        errors=sum(r.errors or 0 for r in checked),
    )


@router.get("/health", response_class=HTMLResponse, include_in_schema=False)
def health(request: Request) -> HTMLResponse:
    with request.app.state.session_factory() as session:
        rows = crawler_health(session)
        runs = recent_runs(session)
    blind = [r for r in rows if r.reachable is None or not r.reachable or r.blocked]
    return render(request, "health.html", {"rows": rows, "runs": runs, "totals": totals(rows), "blind": blind})
