"""What a kommune's page and the evidence archive read: its status, the plans in each check and its history.

A fixed, small number of queries whatever the size of the history (no N+1): a kommune's plans, checks and events
are fetched with one query each. Reads only; returns frozen rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.findings import current_label
from tracker.store.latest import NEWEST_FIRST
from tracker.store.models import ClassificationRow, Document, Event, Finding, KommuneRow, Sighting, SiteCheck
from tracker.store.statuses import KommuneStatus, kommune_status


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
