"""What one check searched and read, for a person asking why "no plan found" (or why this plan): the pages read, the
sitemaps, the site-search queries and their hits (`site_check.trail`), and every candidate document read with why it
was or was not taken as the plan (its newest classification, stored per document). Reads only; takes a Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import NOT_YET_A_PLAN, PLAN_CATEGORIES
from tracker.store.documents import newest_readings
from tracker.store.models import ClassificationRow, Document, Finding, Sighting, SiteCheck

#: why a candidate was or was not the plan, in the order a page lists them
VERDICTS = ("plan", "ranked_lower", "not_final", "not_a_plan", "unreadable")


@dataclass(frozen=True)
class CandidateRead:
    """One document the check read, and why it was (not) taken as the plan."""

    url: str
    title: str
    format: str
    found_via: str
    category: str | None  # None: the document could not be read
    document_kind: str | None
    confidence: float | None
    #: the machine's reason (the classification's, or the extraction error), in English as stored
    reason: str
    verdict: str  # one of VERDICTS


@dataclass(frozen=True)
class CheckTrail:
    check_id: int
    #: False for a check stored before the trail was recorded (revision 0006) or a volunteer's tip
    recorded: bool
    front_page: str
    pages_fetched: int
    rendered_pages: int
    robots_disallowed: int
    sitemaps: tuple[str, ...]
    sitemap_entries: int
    search_action: str | None
    search_source: str | None
    searches: tuple[tuple[str, int | None], ...]
    #: the pages opened by following links and sitemap entries, as full URLs, front page first
    pages: tuple[str, ...]
    candidates: tuple[CandidateRead, ...]


def _verdict(sighting_id: int, plan_sighting_id: int | None, reading: ClassificationRow | None) -> str:
    if reading is None:
        return "unreadable"
    if sighting_id == plan_sighting_id:
        return "plan"
    if reading.category not in {c.value for c in PLAN_CATEGORIES}:
        return "not_a_plan"
    if reading.document_kind in NOT_YET_A_PLAN:
        return "not_final"
    return "ranked_lower"


def _candidates(session: Session, check_id: int) -> tuple[CandidateRead, ...]:
    plan_sighting_id = session.scalars(
        select(Finding.plan_sighting_id).where(Finding.check_id == check_id).limit(1)
    ).first()
    newest = newest_readings()
    rows = session.execute(
        select(Sighting, Document, ClassificationRow)
        .join(Document, Document.id == Sighting.document_id)
        .outerjoin(newest, newest.c.document_id == Document.id)
        .outerjoin(ClassificationRow, ClassificationRow.id == newest.c.id)
        .where(Sighting.check_id == check_id)
    ).all()
    candidates = [
        CandidateRead(
            url=sighting.url,
            title=document.title,
            format=document.format,
            found_via=sighting.found_via,
            category=reading.category if reading else None,
            document_kind=reading.document_kind if reading else None,
            confidence=reading.confidence if reading else None,
            reason=reading.reason if reading else (document.extraction_error or ""),
            verdict=_verdict(sighting.id, plan_sighting_id, reading),
        )
        for sighting, document, reading in rows
    ]
    candidates.sort(key=lambda c: (VERDICTS.index(c.verdict), c.url))
    return tuple(candidates)


def _searches(trail: dict[str, Any]) -> tuple[tuple[str, int | None], ...]:
    return tuple((str(query), None if hits is None else int(hits)) for query, hits in trail.get("searches") or ())


def check_trail(session: Session, check_id: int) -> CheckTrail | None:
    """The check's trail and candidates; None when there is no such check."""
    check = session.get(SiteCheck, check_id)
    if check is None:
        return None
    trail: dict[str, Any] = check.trail or {}
    front_page = check.final_url or check.start_url
    return CheckTrail(
        check_id=check.id,
        recorded=check.trail is not None,
        front_page=front_page,
        pages_fetched=check.pages_fetched,
        rendered_pages=check.rendered_pages,
        robots_disallowed=check.robots_disallowed,
        sitemaps=tuple(str(url) for url in trail.get("sitemaps") or ()),
        sitemap_entries=int(trail.get("sitemap_entries") or 0),
        search_action=trail.get("search_action"),
        search_source=trail.get("search_source"),
        searches=_searches(trail),
        pages=tuple(urljoin(front_page, str(page)) for page in trail.get("pages") or ()),
        candidates=_candidates(session, check_id),
    )
