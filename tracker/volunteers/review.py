"""Pure: the detective-task queue, and which reviewer override is in force.

A machine that reads 455 websites is sure of most of them and unsure of some. The unsure cases become *detective
tasks* for volunteers and reviewers, each with what a person should check: low classification confidence,
conflicting documents (plans of different categories, an expired abuse plan beside a current general plan), a site
that blocked or did not answer, only a draft found, a plan reachable only through the site's search or sitemap, a
plan a volunteer found that the crawler missed. Tasks are sorted by priority (higher first), then by kommune.

A reviewer's override of a finding stands while the machine keeps saying what it said when the reviewer judged it:
once a later check reaches a different status, the override no longer applies (the situation changed and needs a
new look). Overrides of a classification follow the document (its SHA-256), whatever classifier version read it.
No I/O here: `tracker.store.reviews` reads the cases from the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from tracker.catalogue import text
from tracker.domain import DRAFT_KINDS, NOT_BY_LINKS, NOT_YET_A_PLAN, PLAN_CATEGORIES

__all__ = [
    "LOW_CONFIDENCE",
    "TASK_KINDS",
    "CaseDocument",
    "DetectiveTask",
    "KommuneCase",
    "OverrideFact",
    "detective_tasks",
    "finding_override_in_force",
]

#: below this the classifier's verdict on the kommune's plan is worth a human look
LOW_CONFIDENCE: Final = 0.6

#: kind -> base priority (higher is more urgent)
TASK_KINDS: Final[dict[str, int]] = {
    "site_blocked": 90,
    "site_unreachable": 80,
    "missed_by_crawler": 75,
    "conflicting_documents": 70,
    "only_draft": 65,
    "low_confidence": 60,
    "expired_plan": 45,
    "hard_to_find": 40,
    "no_plan_found": 20,
}


@dataclass(frozen=True)
class CaseDocument:
    """A plan-like document seen in the kommune's latest check, with the newest reading of it."""

    title: str
    url: str
    category: str
    confidence: float
    kind: str | None  # adopted_plan | draft | hearing_draft | case_document | not_a_plan
    current: str  # "true" | "false" | "unknown"
    found_via: str
    click_depth: int | None
    #: a reviewer's category for this document, if one is in force
    reviewed_category: str | None = None


@dataclass(frozen=True)
class KommuneCase:
    """What the queue needs to know about one kommune's latest check."""

    kommunenummer: str
    name: str
    country: str
    region: str | None
    status: str
    reachable: bool
    blocked: bool
    checked_at: datetime
    plan: CaseDocument | None
    documents: tuple[CaseDocument, ...] = ()
    #: a reviewer's status for the latest finding, if one is in force
    reviewed_status: str | None = None
    #: stored tips whose plan document the crawler never found
    missed_tips: int = 0


@dataclass(frozen=True)
class DetectiveTask:
    kommunenummer: str
    name: str
    country: str
    region: str | None
    kind: str
    priority: int
    #: what the machine saw, e.g. the conflicting titles or the confidence: an English machine form of
    #: `tracker.catalogue.reasons` (the dashboard shows it in the reader's language)
    detail: str
    documents: tuple[str, ...] = field(default=())

    def what_to_check(self, lang: str = "nb") -> str:
        """What a person should check for this kind of task, in `lang` (the catalogue's `task_check.<kind>`)."""
        return text(lang, f"task_check.{self.kind}")


def _category(doc: CaseDocument) -> str:
    return doc.reviewed_category or doc.category


def _task(case: KommuneCase, kind: str, detail: str, bonus: int = 0, docs: Iterable[str] = ()) -> DetectiveTask:
    return DetectiveTask(
        kommunenummer=case.kommunenummer,
        name=case.name,
        country=case.country,
        region=case.region,
        kind=kind,
        priority=TASK_KINDS[kind] + bonus,
        detail=detail,
        documents=tuple(docs),
    )


def _tasks_for(case: KommuneCase) -> list[DetectiveTask]:
    if case.blocked:
        return [_task(case, "site_blocked", "robots.txt or 403/429 walls kept the crawler out")]
    if not case.reachable or case.status == "site_unreachable":
        return [_task(case, "site_unreachable", "the site did not answer")]
    tasks: list[DetectiveTask] = []
    if case.missed_tips:
        tasks.append(_task(case, "missed_by_crawler", f"{case.missed_tips} tip(s) the crawler never found"))
    if case.reviewed_status is not None:
        return tasks  # a reviewer has judged this finding; only new volunteer evidence needs another look
    plans = [d for d in case.documents if _category(d) in PLAN_CATEGORIES]
    conflict = _conflict(case, [d for d in plans if d.kind not in NOT_YET_A_PLAN])
    if conflict is not None:
        tasks.append(conflict)
    if case.plan is None and any(d.kind in DRAFT_KINDS for d in plans):
        drafts = [d.title or d.url for d in plans if d.kind in DRAFT_KINDS]
        tasks.append(_task(case, "only_draft", "only a draft or hearing version of a plan was found", docs=drafts))
    if case.plan is not None and case.plan.reviewed_category is None and case.plan.confidence < LOW_CONFIDENCE:
        bonus = round((LOW_CONFIDENCE - case.plan.confidence) * 50)
        tasks.append(
            _task(
                case,
                "low_confidence",
                f"{case.plan.category} with confidence {case.plan.confidence:.2f}",
                bonus=bonus,
                docs=[case.plan.title or case.plan.url],
            )
        )
    if (
        case.plan is not None
        and case.plan.current == "false"
        and not any(t.kind == "conflicting_documents" for t in tasks)
    ):
        tasks.append(_task(case, "expired_plan", "the best plan's period is over", docs=[case.plan.title]))
    if case.plan is not None and case.plan.found_via in NOT_BY_LINKS:
        tasks.append(
            _task(
                case, "hard_to_find", f"found only via {case.plan.found_via}", docs=[case.plan.title or case.plan.url]
            )
        )
    if case.status == "no_plan_found" and not any(t.kind == "only_draft" for t in tasks):
        tasks.append(_task(case, "no_plan_found", "no plan found on the site"))
    return tasks


def _conflict(case: KommuneCase, adopted: Sequence[CaseDocument]) -> DetectiveTask | None:
    """A task when the kommune's adopted plans contradict each other (an expired abuse plan beside a current general
    one, or several abuse plans with different periods)."""
    abuse = [d for d in adopted if _category(d) == "abuse_specific"]
    general = [d for d in adopted if _category(d) == "general_violence"]
    if abuse and general and all(d.current == "false" for d in abuse) and any(d.current == "true" for d in general):
        return _task(
            case,
            "conflicting_documents",
            "the abuse-specific plan has expired while a general violence plan is current",
            docs=[d.title or d.url for d in (*abuse, *general)],
        )
    if len({d.title.casefold() for d in abuse}) > 1 and len({d.current for d in abuse}) > 1:
        return _task(
            case,
            "conflicting_documents",
            "several abuse-specific plans with different periods",
            bonus=-5,
            docs=[d.title or d.url for d in abuse],
        )
    return None


def detective_tasks(cases: Iterable[KommuneCase], *, kinds: Sequence[str] = ()) -> list[DetectiveTask]:
    """Every task for `cases` (only `kinds` when given), most urgent first, then by country and kommunenummer."""
    tasks = [task for case in cases for task in _tasks_for(case) if not kinds or task.kind in kinds]
    return sorted(tasks, key=lambda t: (-t.priority, t.country != "NO", t.kommunenummer, t.kind))


@dataclass(frozen=True)
class OverrideFact:
    """An active (not withdrawn) finding override with the machine status of the finding it judged."""

    id: int
    finding_id: int
    machine_status: str
    value: str
    reason: str
    reviewer: str
    created_at: datetime


def finding_override_in_force(
    overrides: Sequence[OverrideFact], latest_finding_id: int, latest_status: str
) -> OverrideFact | None:
    """The override that applies to a kommune's latest finding, or None.

    An override of the latest finding applies. An override of an earlier finding still applies when the latest
    machine status is the one the reviewer judged (a reviewer's "this is wrong" should not vanish with every weekly
    check); an override of the latest finding wins, then the newest.
    """
    candidates = [
        o
        for o in overrides
        if o.finding_id == latest_finding_id or (o.finding_id < latest_finding_id and o.machine_status == latest_status)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda o: (o.finding_id == latest_finding_id, o.created_at, o.id))
