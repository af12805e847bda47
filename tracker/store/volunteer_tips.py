"""SQL of volunteers' tips: the `tip` table, and whether the crawler ever found what a tip found.

"Missed by the crawler" is decided live: a stored tip whose document (by SHA-256) no crawled sighting of that
kommune has ever contained. `Tip.crawler_had_it` keeps the answer as it was when the tip came in. Functions take a
Session from the caller; they flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tracker.domain import PLAN_CATEGORIES, FoundVia
from tracker.errors import StorageError
from tracker.store.documents import newest_readings
from tracker.store.models import ClassificationRow, CrawlRun, Document, KommuneRow, Sighting, SiteCheck, Tip

TIP_FOUND_VIA = FoundVia.TIP.value


@dataclass(frozen=True)
class TipView:
    id: int
    kommunenummer: str
    kommune_name: str
    country: str
    url: str
    note: str
    state: str
    error: str | None
    submitted_at: datetime
    processed_at: datetime | None
    crawler_had_it: bool | None
    #: live: the crawler has still never found this document for this kommune
    missed_by_crawler: bool
    title: str | None
    category: str | None
    sha256: str | None
    found_url: str | None


def tips_since(session: Session, client_key: str, since: datetime) -> int:
    """How many tips this client submitted at or after `since` (the rate limit counts these)."""
    return int(
        session.scalar(
            select(func.count()).select_from(Tip).where(Tip.client_key == client_key, Tip.submitted_at >= since)
        )
        or 0
    )


def add_tip(session: Session, *, kommune_id: int, url: str, note: str, client_key: str, now: datetime) -> Tip:
    tip = Tip(kommune_id=kommune_id, url=url, note=note, client_key=client_key, submitted_at=now, state="pending")
    session.add(tip)
    session.flush()
    return tip


def get_tip_row(session: Session, tip_id: int) -> Tip:
    tip = session.get(Tip, tip_id)
    if tip is None:
        raise StorageError(f"no tip {tip_id}")
    return tip


def crawler_had_document(session: Session, kommune_id: int, sha256: str) -> bool:
    """Whether any crawl (not a tip) of this kommune ever saw the document with this SHA-256."""
    stmt = (
        select(Sighting.id)
        .join(SiteCheck, SiteCheck.id == Sighting.check_id)
        .join(Document, Document.id == Sighting.document_id)
        .where(SiteCheck.kommune_id == kommune_id, Document.sha256 == sha256, Sighting.found_via != TIP_FOUND_VIA)
        .limit(1)
    )
    return session.scalars(stmt).first() is not None


def mark_tip_stored(
    session: Session, tip: Tip, *, check_id: int, sighting_id: int, crawler_had_it: bool, now: datetime
) -> None:
    tip.state = "stored"
    tip.error = None
    tip.check_id = check_id
    tip.sighting_id = sighting_id
    tip.crawler_had_it = crawler_had_it
    tip.processed_at = now
    session.flush()


def mark_tip_failed(session: Session, tip_id: int, error: str, now: datetime) -> None:
    tip = get_tip_row(session, tip_id)
    tip.state = "failed"
    tip.error = error[:2000]
    tip.processed_at = now
    session.flush()


def _crawled_shas(session: Session, kommune_ids: Iterable[int]) -> set[tuple[int, str]]:
    ids = sorted(set(kommune_ids))
    if not ids:
        return set()
    rows = session.execute(
        select(SiteCheck.kommune_id, Document.sha256)
        .join(Sighting, Sighting.check_id == SiteCheck.id)
        .join(Document, Document.id == Sighting.document_id)
        .where(SiteCheck.kommune_id.in_(ids), Sighting.found_via != TIP_FOUND_VIA)
        .distinct()
    )
    return {(kommune_id, sha) for kommune_id, sha in rows}


def _tip_views(session: Session, where: Any) -> list[TipView]:
    newest = newest_readings()
    reading = aliased(ClassificationRow)
    stmt = (
        select(Tip, KommuneRow, Sighting, Document, reading.category)
        .join(KommuneRow, KommuneRow.id == Tip.kommune_id)
        .outerjoin(Sighting, Sighting.id == Tip.sighting_id)
        .outerjoin(Document, Document.id == Sighting.document_id)
        .outerjoin(newest, newest.c.document_id == Document.id)
        .outerjoin(reading, reading.id == newest.c.id)
        .where(where)
        .order_by(Tip.submitted_at.desc(), Tip.id.desc())
    )
    rows = list(session.execute(stmt))
    crawled = _crawled_shas(session, (tip.kommune_id for tip, *_ in rows))
    views = []
    for tip, kommune, sighting, document, category in rows:
        sha = document.sha256 if document is not None else None
        views.append(
            TipView(
                id=tip.id,
                kommunenummer=kommune.kommunenummer,
                kommune_name=kommune.name,
                country=kommune.country,
                url=tip.url,
                note=tip.note,
                state=tip.state,
                error=tip.error,
                submitted_at=tip.submitted_at,
                processed_at=tip.processed_at,
                crawler_had_it=tip.crawler_had_it,
                missed_by_crawler=tip.state == "stored" and sha is not None and (tip.kommune_id, sha) not in crawled,
                title=document.title if document is not None else None,
                category=category,
                sha256=sha,
                found_url=sighting.final_url if sighting is not None else None,
            )
        )
    return views


def get_tip(session: Session, tip_id: int) -> TipView | None:
    views = _tip_views(session, Tip.id == tip_id)
    return views[0] if views else None


def kommune_tips(session: Session, kommune_id: int) -> list[TipView]:
    """Every tip for a kommune, newest first, with what it found and whether the crawler missed it.

    The kommune page shows these; a stored tip with `missed_by_crawler` and a plan `category` is a plan "found by
    a volunteer, missed by the crawler".
    """
    return _tip_views(session, Tip.kommune_id == kommune_id)


def recent_tips(session: Session, limit: int = 20) -> list[TipView]:
    return _tip_views(session, Tip.id.in_(select(Tip.id).order_by(Tip.id.desc()).limit(limit)))


def missed_plan_tips(session: Session) -> dict[int, int]:
    """Per kommune id: stored tips of a plan (abuse-specific or general) whose document the crawler never found."""
    views = _tip_views(session, Tip.state == "stored")
    counts: dict[int, int] = {}
    ids = dict(session.execute(select(KommuneRow.kommunenummer, KommuneRow.id)).all()) if views else {}
    for view in views:
        if view.missed_by_crawler and view.category in PLAN_CATEGORIES:
            kommune_id = ids[view.kommunenummer]
            counts[kommune_id] = counts.get(kommune_id, 0) + 1
    return counts


def is_tip_run(run: CrawlRun) -> bool:
    """Whether a crawl run holds a volunteer's tip rather than a crawl (other pages may hide those)."""
    options: Mapping[str, Any] = run.options or {}
    return options.get("source") == TIP_FOUND_VIA
