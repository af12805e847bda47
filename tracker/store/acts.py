"""What the Act page's letter and the detective-task queue read: each kommune's latest check as facts.

Reads only (no writes). Reviewer overrides in force and volunteers' tips are folded in, so the letter speaks of
the status a reviewer set and of a plan a volunteer found, and the queue leaves judged cases alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.domain import DRAFT_KINDS, PLAN_CATEGORIES, Category, Language, Status
from tracker.findings import current_label
from tracker.store.documents import newest_readings
from tracker.store.latest import is_latest_finding, latest_finding
from tracker.store.models import ClassificationRow, Document, Finding, KommuneRow, ReviewOverride, Sighting, SiteCheck
from tracker.store.reviews import check_documents, document_overrides, finding_override_facts
from tracker.store.volunteer_tips import get_tip_row, kommune_tips, missed_plan_tips
from tracker.volunteers.letters import LetterFacts, PlanFact, plan_facts_criteria
from tracker.volunteers.review import CaseDocument, KommuneCase, finding_override_in_force


def _plan_fact(sighting: Sighting, document: Document, reading: ClassificationRow, on: date) -> PlanFact:
    return PlanFact(
        title=document.title,
        url=sighting.url,
        category=reading.category,
        current=current_label(reading.year_start, reading.year_end, on),
        year_start=reading.year_start,
        year_end=reading.year_end,
        kind=reading.document_kind or "adopted_plan",
        found_via=sighting.found_via,
        click_depth=sighting.click_depth,
        criteria=plan_facts_criteria(reading.criteria),
        language=reading.language,
    )


def letter_facts(
    session: Session, kommune_id: int, language: Language, *, evidence_url: str = ""
) -> LetterFacts | None:
    """What the letter of one kommune says, from its latest finding (None when it was never checked).

    A reviewer's status in force replaces the machine's. When the crawler found no plan but a volunteer's tip did,
    the tipped plan is the plan the letter speaks of (marked as found by a volunteer).
    """
    kommune = session.get(KommuneRow, kommune_id)
    finding = latest_finding(session, kommune_id)
    if kommune is None or finding is None:
        return None
    check = session.get(SiteCheck, finding.check_id)
    assert check is not None
    on = finding.checked_at.date()
    rows = check_documents(session, check.id)
    doc_overrides = document_overrides(session, [d.id for _, d, _ in rows])
    plan: PlanFact | None = None
    drafts: list[PlanFact] = []
    for sighting, document, reading in rows:
        fact = _plan_fact(sighting, document, reading, on)
        override = doc_overrides.get(document.id)
        if override is not None:
            fact = replace(fact, category=override.value)
        if sighting.id == finding.plan_sighting_id:
            plan = fact
        elif fact.category in PLAN_CATEGORIES and fact.kind in DRAFT_KINDS:
            drafts.append(fact)
    facts_overrides = finding_override_facts(session, [kommune_id]).get(kommune_id, [])
    in_force = finding_override_in_force(facts_overrides, finding.id, finding.status)
    status = in_force.value if in_force else finding.status
    found_by_volunteer = False
    if plan is None:
        tipped = _best_tipped_plan(session, kommune_id, on)
        if tipped is not None:
            plan, found_by_volunteer = tipped, True
            if status in (Status.NO_PLAN_FOUND, Status.GENERAL_VIOLENCE_PLAN_ONLY) and in_force is None:
                specific = plan.category == Category.ABUSE_SPECIFIC
                status = (Status.ABUSE_SPECIFIC_PLAN if specific else Status.GENERAL_VIOLENCE_PLAN_ONLY).value
    return LetterFacts(
        kommune_name=kommune.name,
        country=kommune.country,
        language=language,
        website=kommune.website,
        status=status,
        checked_on=on,
        plan=plan,
        drafts=tuple(drafts),
        found_by_volunteer=found_by_volunteer,
        evidence_url=evidence_url,
    )


def _best_tipped_plan(session: Session, kommune_id: int, on: date) -> PlanFact | None:
    """The best plan among stored tips of this kommune that the crawler missed (abuse-specific first)."""
    views = [v for v in kommune_tips(session, kommune_id) if v.missed_by_crawler and v.category in PLAN_CATEGORIES]
    if not views:
        return None
    newest = newest_readings()
    facts = []
    for view in views:
        tip = get_tip_row(session, view.id)
        row = session.execute(
            select(Sighting, Document, ClassificationRow)
            .join(Document, Document.id == Sighting.document_id)
            .join(ClassificationRow, ClassificationRow.document_id == Document.id)
            .join(newest, newest.c.id == ClassificationRow.id)
            .where(Sighting.id == tip.sighting_id)
        ).first()
        if row is not None:
            facts.append(_plan_fact(row[0], row[1], row[2], on))
    facts.sort(key=lambda f: (f.category != "abuse_specific", f.current != "true", f.kind != "adopted_plan"))
    return facts[0] if facts else None


def _documents_by_check(
    session: Session, check_ids: list[int]
) -> dict[int, list[tuple[Sighting, Document, ClassificationRow]]]:
    """The documents each of these checks saw, with their newest reading, per check id."""
    documents: dict[int, list[tuple[Sighting, Document, ClassificationRow]]] = {}
    if not check_ids:
        return documents
    newest = newest_readings()
    stmt = (
        select(Sighting, Document, ClassificationRow)
        .join(Document, Document.id == Sighting.document_id)
        .join(ClassificationRow, ClassificationRow.document_id == Document.id)
        .join(newest, newest.c.id == ClassificationRow.id)
        .where(Sighting.check_id.in_(check_ids))
    )
    for sighting, document, reading in session.execute(stmt):
        documents.setdefault(sighting.check_id, []).append((sighting, document, reading))
    return documents


def _case_documents(
    rows: list[tuple[Sighting, Document, ClassificationRow]],
    plan_sighting_id: int | None,
    doc_overrides: dict[int, ReviewOverride],
    on: date,
) -> tuple[list[CaseDocument], CaseDocument | None]:
    """A check's plan-like documents (a reviewed one or the finding's plan too) and which of them is the plan."""
    docs: list[CaseDocument] = []
    plan: CaseDocument | None = None
    for sighting, document, reading in rows:
        override = doc_overrides.get(document.id)
        is_plan = sighting.id == plan_sighting_id
        if reading.category == "other" and override is None and not is_plan:
            continue
        case_doc = CaseDocument(
            title=document.title,
            url=sighting.url,
            category=reading.category,
            confidence=reading.confidence,
            kind=reading.document_kind,
            current=current_label(reading.year_start, reading.year_end, on),
            found_via=sighting.found_via,
            click_depth=sighting.click_depth,
            reviewed_category=override.value if override is not None else None,
        )
        docs.append(case_doc)
        if is_plan:
            plan = case_doc
    return docs, plan


def kommune_cases(session: Session) -> list[KommuneCase]:
    """Each checked kommune's latest check as the detective-task queue reads it (plan-like documents only)."""
    latest = list(
        session.execute(
            select(Finding, SiteCheck, KommuneRow)
            .join(SiteCheck, SiteCheck.id == Finding.check_id)
            .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
            .where(is_latest_finding())
        )
    )
    documents = _documents_by_check(session, [check.id for _, check, _ in latest])
    doc_overrides = document_overrides(session)
    finding_overrides = finding_override_facts(session)
    missed = missed_plan_tips(session)
    cases = []
    for finding, check, kommune in latest:
        rows = documents.get(check.id, [])
        docs, plan = _case_documents(rows, finding.plan_sighting_id, doc_overrides, check.finished_at.date())
        in_force = finding_override_in_force(finding_overrides.get(kommune.id, []), finding.id, finding.status)
        cases.append(
            KommuneCase(
                kommunenummer=kommune.kommunenummer,
                name=kommune.name,
                country=kommune.country,
                region=kommune.region,
                status=finding.status,
                reachable=check.reachable,
                blocked=check.blocked,
                checked_at=finding.checked_at,
                plan=plan,
                documents=tuple(docs),
                reviewed_status=in_force.value if in_force else None,
                missed_tips=missed.get(kommune.id, 0),
            )
        )
    return cases
