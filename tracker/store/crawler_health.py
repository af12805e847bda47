"""What the crawler-health page reads: each kommune's latest check as the crawler saw it, and the recent runs.

Reads only; returns frozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import NOT_CHECKED
from tracker.store.models import CrawlRun, KommuneRow, SiteCheck
from tracker.store.statuses import current_findings


@dataclass(frozen=True)
class HealthRow:
    kommunenummer: str
    name: str
    country: str
    region: str | None
    status: str
    checked_at: datetime | None
    reachable: bool | None
    blocked: bool | None
    pages_fetched: int | None
    robots_disallowed: int | None
    rendered_pages: int | None
    errors: int | None
    error: str | None


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: datetime
    finished_at: datetime | None
    state: str
    source: str
    kommuner_planned: int
    kommuner_checked: int
    pages_fetched: int
    documents_fetched: int
    errors: int


def crawler_health(session: Session) -> list[HealthRow]:
    """Every kommune with the check behind its latest finding (None fields: never checked)."""
    current = current_findings()
    stmt = (
        select(
            KommuneRow.kommunenummer,
            KommuneRow.name,
            KommuneRow.country,
            KommuneRow.region,
            current.c.status,
            SiteCheck.finished_at,
            SiteCheck.reachable,
            SiteCheck.blocked,
            SiteCheck.pages_fetched,
            SiteCheck.robots_disallowed,
            SiteCheck.rendered_pages,
            SiteCheck.issues,
            SiteCheck.error,
        )
        .select_from(KommuneRow)
        .outerjoin(current, current.c.kommune_id == KommuneRow.id)
        .outerjoin(SiteCheck, SiteCheck.id == current.c.check_id)
        .order_by(KommuneRow.country.desc(), KommuneRow.kommunenummer)
    )
    rows = []
    for row in session.execute(stmt):
        errors = None if row.reachable is None else len(row.issues or []) + (0 if row.reachable else 1)
        rows.append(
            HealthRow(
                kommunenummer=row.kommunenummer,
                name=row.name,
                country=row.country,
                region=row.region,
                status=row.status or NOT_CHECKED,
                checked_at=row.finished_at,
                reachable=row.reachable,
                blocked=row.blocked,
                pages_fetched=row.pages_fetched,
                robots_disallowed=row.robots_disallowed,
                rendered_pages=row.rendered_pages,
                errors=errors,
                error=row.error,
            )
        )
    return rows


def recent_runs(session: Session, limit: int = 10) -> list[RunRow]:
    """The newest crawl runs, newest first; `source` is "tip" for a volunteer's tip, else "crawl"."""
    return [
        RunRow(
            id=run.id,
            started_at=run.started_at,
            finished_at=run.finished_at,
            state=run.state,
            source=str((run.options or {}).get("source", "crawl")),
            kommuner_planned=run.kommuner_planned,
            kommuner_checked=run.kommuner_checked,
            pages_fetched=run.pages_fetched,
            documents_fetched=run.documents_fetched,
            errors=run.errors,
        )
        for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit))
    ]
