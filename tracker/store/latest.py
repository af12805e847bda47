"""What "the latest finding of a kommune" means, as the one query builder every reader uses.

A kommune's latest finding is its finding stored last: the highest `finding.id` of the kommune. Findings are only
added (`planvakt reclassify` re-decides the latest in place, keeping its id), so the newest row is the newest
word; a tie in `checked_at` between two checks cannot make two readers disagree, and a check that failed on our
side stores no finding, so it never hides the last one. A volunteer's tip stores a check but no finding: it is
evidence beside the crawl, never the kommune's latest check. The check behind the latest finding is the kommune's
latest check.

Everything that shows or acts on "the latest" (exports, the dashboard and its API, letters, reviews, reclassify, the
scheduler's follow-ups) builds on these functions; `tests/test_latest.py` checks that no other module derives it
again (no `max(finding.id)`, no "order by id desc, limit 1" of its own).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, Subquery, func, select
from sqlalchemy.orm import Session

from tracker.store.models import Finding

__all__ = [
    "NEWEST_FIRST",
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
