"""Pure: from a check's classified sightings to the kommune's status and its best plan.

The best plan is the best abuse-specific plan, else the best general violence plan. Within a category the candidates
are ranked by `PlanTier` (period and format together, see there), then the easiest way a person would reach it wins
(link > rendered > site_search > sitemap), then the fewest clicks (`plan_rank`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from tracker.catalogue.reasons import stored
from tracker.domain import FOUND_VIA_PRECEDENCE, NOT_YET_A_PLAN, PLAN_CATEGORIES, Category, Status
from tracker.reading.plan_years import is_current


@dataclass(frozen=True)
class ClassifiedSighting:
    """One place a classified document was seen in a check."""

    sighting_key: int  # the caller's handle (a row id, or an index)
    url: str
    sha256: str
    format: str
    title: str
    text_source: str | None
    found_via: str
    click_depth: int | None
    category: Category
    confidence: float
    year_start: int | None
    year_end: int | None
    #: adopted_plan | draft | hearing_draft | case_document | not_a_plan (tracker/reading/document_kind.py)
    kind: str = "adopted_plan"


@dataclass(frozen=True)
class FindingDecision:
    status: Status
    plan: ClassifiedSighting | None
    plan_current: str  # "true" | "false" | "unknown" | "" (no plan)
    reason: str


def current_label(year_start: int | None, year_end: int | None, on: date) -> str:
    value = is_current(year_start, year_end, on)
    return "unknown" if value is None else ("true" if value else "false")


def decide(
    reachable: bool,
    sightings: Sequence[ClassifiedSighting],
    on: date,
    *,
    blocked: bool = False,
    error: str | None = None,
) -> FindingDecision:
    """The status of one check. A site that could not be crawled is never reported as having no plan.

    `blocked`: the site turned the crawler away (robots.txt disallows everything, HTTP 401/403/429 on the front
    page); with nothing read, that is "could not be crawled", not "no plan". `error`: the check's error (why the
    site could not be crawled: "refused by the private-address guard: ...", "front page answered HTTP 503"), which
    an unreachable site's reason then names.
    """
    if not reachable:
        because = stored("reason.unreachable_because", error=error) if error else stored("reason.unreachable")
        return FindingDecision(Status.SITE_UNREACHABLE, None, "", because)
    if blocked and not sightings:
        return FindingDecision(Status.SITE_UNREACHABLE, None, "", stored("reason.blocked"))
    for category, status in (
        (Category.ABUSE_SPECIFIC, Status.ABUSE_SPECIFIC_PLAN),
        (Category.GENERAL_VIOLENCE, Status.GENERAL_VIOLENCE_PLAN_ONLY),
    ):
        candidates = [s for s in sightings if s.category == category and s.kind not in NOT_YET_A_PLAN]
        if candidates:
            best = min(candidates, key=lambda s: plan_rank(s, on))
            current = current_label(best.year_start, best.year_end, on)
            reason = stored(
                "reason.plan", category=category.value, title=repr(best.title or best.url), via=best.found_via
            )
            return FindingDecision(status, best, current, reason)
    checked = len({s.sha256 for s in sightings})
    unfinished = sorted({s.kind for s in sightings if s.category in PLAN_CATEGORIES and s.kind in NOT_YET_A_PLAN})
    if unfinished:
        kinds = " / ".join(k.replace("_", " ") for k in unfinished)
        return FindingDecision(Status.NO_PLAN_FOUND, None, "", stored("reason.only_unfinished", kinds=kinds))
    return FindingDecision(
        Status.NO_PLAN_FOUND,
        None,
        "",
        stored("reason.none", count=checked),
    )


class PlanTier(IntEnum):
    """How well a candidate of a category answers a campaigner's question "what is the kommune's plan?", best first.

    A document (PDF, DOCX) is the plan the kommune adopted; an HTML page read as a plan is often the page that
    introduces the document (a landing page the classifier let through) or a copy of it, so it is acceptable (an
    HTML page that *is* the plan) but comes after a document that is not known to be out of date. A period known to
    span the check date beats one known to have ended; an undated candidate is unknown, not current: it never beats
    a current one, and beats an expired one only of the same format (an undated page after an expired document:
    the expired plan, with its years, is the finding, "it has run out", where the page would say "unknown").
    """

    CURRENT_DOCUMENT = 0
    UNDATED_DOCUMENT = 1
    CURRENT_PAGE = 2
    EXPIRED_DOCUMENT = 3
    UNDATED_PAGE = 4
    EXPIRED_PAGE = 5


_TIERS = {
    (False, "true"): PlanTier.CURRENT_DOCUMENT,
    (False, "unknown"): PlanTier.UNDATED_DOCUMENT,
    (False, "false"): PlanTier.EXPIRED_DOCUMENT,
    (True, "true"): PlanTier.CURRENT_PAGE,
    (True, "unknown"): PlanTier.UNDATED_PAGE,
    (True, "false"): PlanTier.EXPIRED_PAGE,
}


def plan_tier(s: ClassifiedSighting, on: date) -> PlanTier:
    return _TIERS[(s.format == "html", current_label(s.year_start, s.year_end, on))]


def plan_rank(s: ClassifiedSighting, on: date) -> tuple[PlanTier, int, int, float, int, str]:
    """The sort key of a candidate within its category, smallest best: its tier, then how a person reaches it (the
    easiest way, the fewest clicks), then the classifier's confidence, the latest period, the URL (a stable tie)."""
    via_rank = FOUND_VIA_PRECEDENCE.index(s.found_via) if s.found_via in FOUND_VIA_PRECEDENCE else 9
    depth = s.click_depth if s.click_depth is not None else 999
    return (plan_tier(s, on), via_rank, depth, -s.confidence, -(s.year_end or s.year_start or 0), s.url)
