"""What the overview, the map and the API list: every kommune's current status with its plan, in one query.

The latest finding per kommune comes from one grouped subquery over the indexed `finding(kommune_id, checked_at)`/
primary key, so the overview stays a single join whatever the history (455 kommuner, two years of weekly checks:
≈47,000 findings; see bench/bench_dashboard.py for the figures). Reads only; returns frozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Subquery, select
from sqlalchemy.orm import Session

from tracker.domain import NOT_CHECKED
from tracker.store.latest import latest_findings
from tracker.store.models import ClassificationRow, Document, KommuneRow, Sighting


@dataclass(frozen=True)
class KommuneStatus:
    """One kommune with its latest finding (status `not_checked` when it has none)."""

    kommunenummer: str
    name: str
    country: str
    region_code: str | None
    region: str | None
    website: str
    status: str
    plan_category: str | None
    plan_current: str | None
    plan_url: str | None
    plan_title: str | None
    year_start: int | None
    year_end: int | None
    click_depth: int | None
    found_via: str | None
    criteria_met: int | None
    criteria_total: int | None
    checked_at: datetime | None
    written_standard: str | None


def _count_met(criteria: list[Any] | None) -> tuple[int | None, int | None]:
    if not criteria:
        return None, None
    return sum(1 for hit in criteria if hit.get("met")), len(criteria)


def current_findings() -> Subquery:
    """Each kommune's latest finding row, as a subquery to outer-join kommuner onto (never-checked ones stay)."""
    return latest_findings("current_finding")


def _status_query() -> Select[Any]:
    current = current_findings()
    return (
        select(
            KommuneRow.kommunenummer,
            KommuneRow.name,
            KommuneRow.country,
            KommuneRow.region_code,
            KommuneRow.region,
            KommuneRow.website,
            current.c.status,
            current.c.plan_category,
            current.c.plan_current,
            Sighting.url,
            Document.title,
            ClassificationRow.year_start,
            ClassificationRow.year_end,
            current.c.click_depth,
            current.c.found_via,
            ClassificationRow.criteria,
            current.c.checked_at,
            KommuneRow.written_standard,
        )
        .select_from(KommuneRow)
        .outerjoin(current, current.c.kommune_id == KommuneRow.id)
        .outerjoin(Sighting, Sighting.id == current.c.plan_sighting_id)
        .outerjoin(Document, Document.id == Sighting.document_id)
        .outerjoin(ClassificationRow, ClassificationRow.id == current.c.plan_classification_id)
    )


def _status_row(row: Any) -> KommuneStatus:
    met, total = _count_met(row.criteria)
    return KommuneStatus(
        kommunenummer=row.kommunenummer,
        name=row.name,
        country=row.country,
        region_code=row.region_code,
        region=row.region,
        website=row.website,
        status=row.status or NOT_CHECKED,
        plan_category=row.plan_category,
        plan_current=row.plan_current,
        plan_url=row.url,
        plan_title=row.title,
        year_start=row.year_start,
        year_end=row.year_end,
        click_depth=row.click_depth,
        found_via=row.found_via,
        criteria_met=met,
        criteria_total=total,
        checked_at=row.checked_at,
        written_standard=row.written_standard,
    )


def kommune_statuses(session: Session) -> list[KommuneStatus]:
    """Every kommune in the registry with its latest finding, NO before DK, by kommunenummer."""
    stmt = _status_query().order_by(KommuneRow.country.desc(), KommuneRow.kommunenummer)
    return [_status_row(row) for row in session.execute(stmt)]


def kommune_status(session: Session, kommunenummer: str) -> KommuneStatus | None:
    row = session.execute(_status_query().where(KommuneRow.kommunenummer == kommunenummer)).first()
    return _status_row(row) if row is not None else None


def region_names(session: Session) -> list[tuple[str, str]]:
    """(country, region) pairs present in the registry, for filter menus."""
    rows = session.execute(
        select(KommuneRow.country, KommuneRow.region).where(KommuneRow.region.is_not(None)).distinct()
    )
    return sorted(((c, r) for c, r in rows if r is not None), key=lambda pair: (pair[0] != "NO", pair[1]))
