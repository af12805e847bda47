"""What "the latest finding of a kommune" means, as the one query builder every reader uses.

A kommune's latest finding is its finding stored last: the highest `finding.id` of the kommune. Findings are only
added (`planvakt reclassify` re-decides the latest in place, keeping its id), so the newest row is the newest
word; a tie in `checked_at` between two checks cannot make two readers disagree, and a check that failed on our
side stores no finding, so it never hides the last one. A volunteer's tip stores a check but no finding: it is
evidence beside the crawl, never the kommune's latest check. The check behind the latest finding is the kommune's
latest check.

Everything that shows or acts on "the latest" (exports, the dashboard and its API, letters, reviews, reclassify, the
scheduler's follow-ups) builds on these functions; `tests/test_latest.py` checks that no other module derives it
again (no `max(finding.id)`, no "order by id desc, limit 1" of its own). The rows exports and the dashboard stream
(each kommune's latest finding with its evidence, the plans in its latest check) are read here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, func, select
from sqlalchemy.orm import Session, aliased

from tracker.store.documents import newest_readings
from tracker.store.models import ClassificationRow, Document, Finding, KommuneRow, Sighting, SiteCheck

__all__ = [
    "NEWEST_FIRST",
    "FindingRow",
    "PlanRow",
    "iter_latest_findings",
    "iter_latest_plans",
    "is_latest_finding",
    "latest_check_ids",
    "latest_finding",
    "latest_finding_ids",
    "latest_findings",
]

#: findings newest first, for history lists: the first of a kommune's findings in this order is its latest finding
NEWEST_FIRST = (Finding.id.desc(),)


def latest_finding_ids(kommune_id: int | None = None) -> Select[int]:
    """The latest finding id of each kommune (column `finding_id`), or of the one kommune `kommune_id`."""
    newest = select(func.max(Finding.id).label("finding_id"))
    if kommune_id is not None:
        return newest.where(Finding.kommune_id == kommune_id)
    return newest.group_by(Finding.kommune_id)


def is_latest_finding() -> ColumnElement[bool]:
    """A `where` clause keeping only each kommune's latest finding."""
    return Finding.id.in_(latest_finding_ids())


def latest_findings(name: str = "latest_finding") -> Subquery:
    """Each kommune's latest finding row (all `finding` columns), as a subquery to join or outer-join onto."""
    ids = latest_finding_ids().subquery()
    return select(Finding).join(ids, ids.c.finding_id == Finding.id).subquery(name)


def latest_check_ids() -> Subquery:
    """The check behind each kommune's latest finding (columns `kommune_id`, `check_id`, `checked_at`)."""
    ids = latest_finding_ids().subquery()
    return (
        select(Finding.kommune_id, Finding.check_id, Finding.checked_at)
        .join(ids, ids.c.finding_id == Finding.id)
        .subquery("latest_check")
    )


def latest_finding(session: Session, kommune_id: int) -> Finding | None:
    """The kommune's latest finding row, or None when it was never checked."""
    return session.scalars(select(Finding).where(Finding.id.in_(latest_finding_ids(kommune_id)))).first()


@dataclass(frozen=True)
class FindingRow:
    """One kommune's latest finding joined with its evidence, as exports and the dashboard read it."""

    kommunenummer: str
    name: str
    country: str
    website: str
    status: str
    plan_url: str | None
    plan_title: str | None
    plan_category: str | None
    plan_format: str | None
    year_start: int | None
    year_end: int | None
    plan_current: str | None
    click_depth: int | None
    found_via: str | None
    text_source: str | None
    pages_fetched: int
    checked_at: datetime
    region_code: str | None = None
    region: str | None = None
    #: the decision's one line ("abuse_specific plan '...' found via link", "3 candidate document(s) read; ...")
    reason: str = ""
    plan_confidence: float | None = None
    #: the plan's checklist hits ({"criterion", "met", ...}), one per criterion that applies to its language
    criteria: list[Any] | None = None
    #: what the check searched (`site_check.trail`: sitemaps, site-search queries, pages); None before revision 0006
    trail: dict[str, Any] | None = None
    #: candidate documents the check read (the sightings of its check)
    candidates_read: int = 0


def iter_latest_findings(session: Session, batch_size: int = 500) -> Iterator[FindingRow]:
    """Each kommune's latest finding, streamed in batches (never the whole table in memory)."""
    latest = latest_finding_ids().subquery()
    plan_sighting = aliased(Sighting)
    stmt = (
        select(
            KommuneRow.kommunenummer,
            KommuneRow.name,
            KommuneRow.country,
            KommuneRow.website,
            Finding.status,
            plan_sighting.url,
            Document.title,
            Finding.plan_category,
            Document.format,
            ClassificationRow.year_start,
            ClassificationRow.year_end,
            Finding.plan_current,
            Finding.click_depth,
            Finding.found_via,
            Document.text_source,
            SiteCheck.pages_fetched,
            Finding.checked_at,
            KommuneRow.region_code,
            KommuneRow.region,
            Finding.reason,
            ClassificationRow.confidence.label("plan_confidence"),
            ClassificationRow.criteria,
            SiteCheck.trail,
            select(func.count(Sighting.id))
            .where(Sighting.check_id == Finding.check_id)
            .correlate(Finding)
            .scalar_subquery()
            .label("candidates_read"),
        )
        .join(latest, latest.c.finding_id == Finding.id)
        .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
        .join(SiteCheck, SiteCheck.id == Finding.check_id)
        .outerjoin(plan_sighting, plan_sighting.id == Finding.plan_sighting_id)
        .outerjoin(Document, Document.id == plan_sighting.document_id)
        .outerjoin(ClassificationRow, ClassificationRow.id == Finding.plan_classification_id)
        .order_by(KommuneRow.country.desc(), KommuneRow.kommunenummer)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(stmt):
        yield FindingRow(*tuple(row))


@dataclass(frozen=True)
class PlanRow:
    """One plan document seen in a kommune's latest check, with its reading and accessibility findings."""

    kommunenummer: str
    name: str
    country: str
    url: str
    sha256: str
    category: str
    document_kind: str | None
    language: str | None
    year_start: int | None
    year_end: int | None
    page_count: int | None
    format: str
    size_bytes: int
    text_source: str | None
    ocr_confidence: float | None
    found_via: str
    click_depth: int | None
    anchor_text: str
    search_rank: int | None
    criteria: list[Any]
    accessibility: list[Any]
    checked_at: datetime
    shared_with: tuple[str, ...]


def iter_latest_plans(session: Session, batch_size: int = 500) -> Iterator[PlanRow]:
    """Every plan document (category not `other`) in each kommune's latest check, streamed in batches.

    A document published by several kommuner (a shared inter-municipal plan) is recognised by its SHA-256 and
    `shared_with` names the other kommuner.
    """
    latest = latest_check_ids()
    newest_reading = newest_readings()
    base = (
        select(KommuneRow.kommunenummer, Document.sha256)
        .select_from(Sighting)
        .join(latest, latest.c.check_id == Sighting.check_id)
        .join(SiteCheck, SiteCheck.id == Sighting.check_id)
        .join(KommuneRow, KommuneRow.id == SiteCheck.kommune_id)
        .join(Document, Document.id == Sighting.document_id)
        .join(ClassificationRow, ClassificationRow.document_id == Document.id)
        .join(newest_reading, newest_reading.c.id == ClassificationRow.id)
        .where(ClassificationRow.category != "other")
    )
    publishers: dict[str, set[str]] = {}
    for number, sha in session.execute(base):
        publishers.setdefault(sha, set()).add(number)
    stmt = (
        base.with_only_columns(
            KommuneRow.kommunenummer,
            KommuneRow.name,
            KommuneRow.country,
            Sighting.url,
            Document.sha256,
            ClassificationRow.category,
            ClassificationRow.document_kind,
            ClassificationRow.language,
            ClassificationRow.year_start,
            ClassificationRow.year_end,
            Document.page_count,
            Document.format,
            Document.size_bytes,
            Document.text_source,
            Document.ocr_confidence,
            Sighting.found_via,
            Sighting.click_depth,
            Sighting.anchor_text,
            Sighting.search_rank,
            ClassificationRow.criteria,
            Sighting.accessibility,
            SiteCheck.finished_at.label("checked_at"),
        )
        .order_by(KommuneRow.country.desc(), KommuneRow.kommunenummer, Sighting.url)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(stmt):
        others = tuple(sorted(publishers.get(row.sha256, set()) - {row.kommunenummer}))
        yield PlanRow(**dict(row._mapping), shared_with=others)
