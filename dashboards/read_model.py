"""The dashboard's reads: every SQL query behind the pages and the JSON API, returning frozen rows.

Each page is a fixed, small number of queries whatever the size of the history (no N+1): the latest finding per
kommune comes from one grouped subquery over the indexed `finding(kommune_id, checked_at)`/primary key, and a
kommune's plans, checks and events are fetched with one query each. With 455 kommuner and two years of weekly
checks (≈47,000 findings) the overview stays a single join (see bench/bench_dashboard.py for the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Subquery, select
from sqlalchemy.orm import Session

from tracker.domain import NOT_CHECKED
from tracker.findings import current_label
from tracker.store.latest import NEWEST_FIRST, latest_findings
from tracker.store.models import ClassificationRow, CrawlRun, Document, Event, Finding, KommuneRow, Sighting, SiteCheck


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


def _current_findings() -> Subquery:
    """Each kommune's latest finding row, as a subquery to outer-join kommuner onto (never-checked ones stay)."""
    return latest_findings("current_finding")


def _status_query() -> Select[Any]:
    current = _current_findings()
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


# -- one kommune's evidence ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEvidence:
    """One plan document seen in the kommune's latest check: where, how, what it says and how accessible it is."""

    sighting_id: int
    url: str
    final_url: str
    http_status: int
    anchor_text: str
    found_via: str
    click_depth: int | None
    click_path: list[dict[str, str]]
    in_sitemap: bool | None
    search_rank: int | None
    accessibility: list[dict[str, Any]]
    seen_at: datetime
    sha256: str
    format: str
    content_type: str
    size_bytes: int
    title: str
    page_count: int | None
    text_source: str | None
    category: str
    confidence: float
    reason: str
    document_kind: str | None
    language: str | None
    year_start: int | None
    year_end: int | None
    current: str
    criteria: list[dict[str, Any]]
    is_best: bool


@dataclass(frozen=True)
class CheckSummary:
    """One check of the kommune's site, with the status its finding gave."""

    check_id: int
    run_id: int
    checked_at: datetime
    status: str
    reason: str
    reachable: bool
    blocked: bool
    error: str | None
    pages_fetched: int
    robots_disallowed: int
    rendered_pages: int
    issues: int
    start_url: str
    final_url: str | None


@dataclass(frozen=True)
class EventSummary:
    uuid: str
    kind: str
    detected_at: datetime
    url: str | None
    previous_url: str | None
    sha256: str | None
    previous_sha256: str | None


@dataclass(frozen=True)
class KommuneDetail:
    kommune_id: int
    status: KommuneStatus
    latest_check: CheckSummary | None
    plans: list[PlanEvidence]
    checks: list[CheckSummary]
    events: list[EventSummary]


def _check_summaries(session: Session, kommune_id: int, limit: int) -> list[CheckSummary]:
    stmt = (
        select(Finding, SiteCheck)
        .join(SiteCheck, SiteCheck.id == Finding.check_id)
        .where(Finding.kommune_id == kommune_id)
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    return [
        CheckSummary(
            check_id=check.id,
            run_id=finding.run_id,
            checked_at=finding.checked_at,
            status=finding.status,
            reason=finding.reason,
            reachable=check.reachable,
            blocked=check.blocked,
            error=check.error,
            pages_fetched=check.pages_fetched,
            robots_disallowed=check.robots_disallowed,
            rendered_pages=check.rendered_pages,
            issues=len(check.issues or []),
            start_url=check.start_url,
            final_url=check.final_url,
        )
        for finding, check in session.execute(stmt)
    ]


def _plans_in_check(session: Session, check_id: int, best_sighting_id: int | None) -> list[PlanEvidence]:
    sightings = session.execute(
        select(Sighting, Document)
        .join(Document, Document.id == Sighting.document_id)
        .where(Sighting.check_id == check_id)
    ).all()
    if not sightings:
        return []
    document_ids = {document.id for _, document in sightings}
    newest: dict[int, ClassificationRow] = {}
    for row in session.scalars(
        select(ClassificationRow).where(ClassificationRow.document_id.in_(document_ids)).order_by(ClassificationRow.id)
    ):
        newest[row.document_id] = row
    plans: list[PlanEvidence] = []
    for sighting, document in sightings:
        reading = newest.get(document.id)
        if reading is None or reading.category == "other":
            continue
        plans.append(
            PlanEvidence(
                sighting_id=sighting.id,
                url=sighting.url,
                final_url=sighting.final_url,
                http_status=sighting.http_status,
                anchor_text=sighting.anchor_text,
                found_via=sighting.found_via,
                click_depth=sighting.click_depth,
                click_path=list(sighting.click_path or []),
                in_sitemap=sighting.in_sitemap,
                search_rank=sighting.search_rank,
                accessibility=list(sighting.accessibility or []),
                seen_at=sighting.seen_at,
                sha256=document.sha256,
                format=document.format,
                content_type=document.content_type,
                size_bytes=document.size_bytes,
                title=document.title,
                page_count=document.page_count,
                text_source=document.text_source,
                category=reading.category,
                confidence=reading.confidence,
                reason=reading.reason,
                document_kind=reading.document_kind,
                language=reading.language,
                year_start=reading.year_start,
                year_end=reading.year_end,
                current=current_label(reading.year_start, reading.year_end, sighting.seen_at.date()),
                criteria=list(reading.criteria or []),
                is_best=sighting.id == best_sighting_id,
            )
        )
    order = {"abuse_specific": 0, "general_violence": 1}
    plans.sort(key=lambda p: (not p.is_best, order.get(p.category, 2), p.url))
    return plans


def kommune_detail(session: Session, kommunenummer: str, *, history: int = 200) -> KommuneDetail | None:
    """The kommune page's data in five queries; None when no kommune has that number."""
    kommune = session.scalars(select(KommuneRow).where(KommuneRow.kommunenummer == kommunenummer)).first()
    if kommune is None:
        return None
    status = kommune_status(session, kommunenummer)
    assert status is not None
    checks = _check_summaries(session, kommune.id, history)
    latest = checks[0] if checks else None  # newest first: the check behind the latest finding
    plans: list[PlanEvidence] = []
    if latest is not None:
        best = session.scalars(
            select(Finding.plan_sighting_id).where(Finding.check_id == latest.check_id).limit(1)
        ).first()
        plans = _plans_in_check(session, latest.check_id, best)
    events = [
        EventSummary(e.uuid, e.kind, e.detected_at, e.url, e.previous_url, e.sha256, e.previous_sha256)
        for e in session.scalars(
            select(Event).where(Event.kommune_id == kommune.id).order_by(Event.detected_at.desc()).limit(history)
        )
    ]
    return KommuneDetail(
        kommune_id=kommune.id, status=status, latest_check=latest, plans=plans, checks=checks, events=events
    )


# -- the evidence store's index --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchivedDocument:
    sha256: str
    format: str
    content_type: str
    title: str
    size_bytes: int
    url: str | None
    first_seen_at: datetime


def archived_document(session: Session, sha256: str) -> ArchivedDocument | None:
    """A stored document's metadata (for serving its archived copy), with one URL it was seen at."""
    document = session.scalars(select(Document).where(Document.sha256 == sha256)).first()
    if document is None:
        return None
    url = session.scalars(select(Sighting.url).where(Sighting.document_id == document.id).limit(1)).first()
    return ArchivedDocument(
        document.sha256,
        document.format,
        document.content_type,
        document.title,
        document.size_bytes,
        url,
        document.first_seen_at,
    )


# -- crawler health --------------------------------------------------------------------------------------------


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
class RunSummary:
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
    current = _current_findings()
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


def recent_runs(session: Session, limit: int = 10) -> list[RunSummary]:
    """The newest crawl runs, newest first; `source` is "tip" for a volunteer's tip, else "crawl"."""
    return [
        RunSummary(
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


def region_names(session: Session) -> list[tuple[str, str]]:
    """(country, region) pairs present in the registry, for filter menus."""
    rows = session.execute(
        select(KommuneRow.country, KommuneRow.region).where(KommuneRow.region.is_not(None)).distinct()
    )
    return sorted(((c, r) for c, r in rows if r is not None), key=lambda pair: (pair[0] != "NO", pair[1]))
