"""SQL of reviewer overrides (the `review_override` table) and what the Review page reads.

A reviewer's verdict is stored beside the machine's, never over it: a new override on the same target withdraws
the previous one (kept for the history). Which finding override is in force is `tracker.volunteers.review`'s rule. Reads
of findings, sightings and classifications that only the write side's pages need live here, so `tracker/store/runs.py`
stays the crawl's store. Tips live in `tracker/store/volunteer_tips.py`, the letter's and queue's reads in
`tracker/store/acts.py`. Functions take a Session from the caller; they flush, the caller commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from tracker.domain import CATEGORIES, STATUSES, years_text
from tracker.errors import StorageError
from tracker.findings import current_label
from tracker.store.documents import newest_readings
from tracker.store.latest import is_latest_finding, latest_finding
from tracker.store.models import ClassificationRow, Document, Finding, KommuneRow, ReviewOverride, Sighting, SiteCheck
from tracker.store.volunteer_tips import TipView, kommune_tips, missed_plan_tips
from tracker.volunteers.review import OverrideFact, finding_override_in_force

__all__ = [
    "FindingReview",
    "KommuneReview",
    "OverrideView",
    "ReviewDocument",
    "add_override",
    "all_kommuner",
    "check_documents",
    "document_overrides",
    "finding_override_facts",
    "finding_reviews",
    "kommune_by_number",
    "kommune_tips",  # the kommune page's tips, from tracker.store.volunteer_tips
    "override_history",
    "plan_reviews",
    "review_kommune",
    "status_override",
    "withdraw_override",
]


# -- kommuner ---------------------------------------------------------------------------------------------------


def kommune_by_number(session: Session, kommunenummer: str, country: str | None = None) -> KommuneRow | None:
    """The kommune with this number (Norway first if a Danish code ever collides, unless `country` is given)."""
    stmt = select(KommuneRow).where(KommuneRow.kommunenummer == kommunenummer)
    if country:
        stmt = stmt.where(KommuneRow.country == country)
    return session.scalars(stmt.order_by(KommuneRow.country.desc()).limit(1)).first()


def all_kommuner(session: Session) -> list[tuple[str, str, str]]:
    """(country, kommunenummer, name) of every kommune, Norway first, for the pickers on the Act and Review pages."""
    rows = session.execute(
        select(KommuneRow.country, KommuneRow.kommunenummer, KommuneRow.name).order_by(
            KommuneRow.country.desc(), KommuneRow.name
        )
    )
    return [(country, number, name) for country, number, name in rows]


# -- overrides --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideView:
    id: int
    target: str
    target_id: int
    kommunenummer: str
    value: str
    #: what the machine said about the target (a status or a category)
    machine_value: str
    reason: str
    reviewer: str
    created_at: datetime
    withdrawn_at: datetime | None
    #: the document's title (classification overrides) or the check time (finding overrides)
    subject: str


def _override_target(
    session: Session, target: str, target_id: int, value: str, kommune_id: int | None
) -> tuple[int, Select[int]]:
    """Check an override's target and value: the kommune it counts for and the overrides it withdraws."""
    if target == "finding":
        finding = session.get(Finding, target_id)
        if finding is None:
            raise StorageError(f"no finding {target_id}")
        if value not in STATUSES:
            raise StorageError(f"{value!r} is not a status")
        previous = select(ReviewOverride.id).where(
            ReviewOverride.target == "finding", ReviewOverride.target_id == target_id
        )
        return finding.kommune_id, previous
    if target == "classification":
        classification = session.get(ClassificationRow, target_id)
        if classification is None:
            raise StorageError(f"no classification {target_id}")
        if value not in CATEGORIES:
            raise StorageError(f"{value!r} is not a category")
        if kommune_id is None:
            raise StorageError("a classification override needs the kommune it was made for")
        same_document = select(ClassificationRow.id).where(ClassificationRow.document_id == classification.document_id)
        previous = select(ReviewOverride.id).where(
            ReviewOverride.target == "classification", ReviewOverride.target_id.in_(same_document)
        )
        return kommune_id, previous
    raise StorageError(f"cannot override a {target!r}")


def add_override(
    session: Session,
    *,
    target: str,
    target_id: int,
    value: str,
    reason: str,
    reviewer: str,
    now: datetime,
    kommune_id: int | None = None,
) -> ReviewOverride:
    """Record a reviewer's verdict beside the machine's; the previous active one on the same target is withdrawn.

    `target` is `finding` (value: a status) or `classification` (value: a category; `kommune_id` names the
    kommune whose page the reviewer acted on, since a document can be published by several). Raises
    StorageError for an unknown target, a value that is not a status or category, or an empty reason.
    """
    reason = reason.strip()
    if not reason:
        raise StorageError("an override needs a reason")
    kommune_id, previous = _override_target(session, target, target_id, value, kommune_id)
    session.execute(
        update(ReviewOverride)
        .where(ReviewOverride.id.in_(previous), ReviewOverride.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
        .execution_options(synchronize_session="fetch")
    )
    row = ReviewOverride(
        target=target,
        target_id=target_id,
        kommune_id=kommune_id,
        value=value,
        reason=reason[:4000],
        reviewer=reviewer[:200],
        created_at=now,
        withdrawn_at=None,
    )
    session.add(row)
    session.flush()
    return row


def withdraw_override(session: Session, override_id: int, now: datetime) -> ReviewOverride:
    """Withdraw an override (kept for the history); the machine's verdict applies again."""
    row = session.get(ReviewOverride, override_id)
    if row is None:
        raise StorageError(f"no override {override_id}")
    if row.withdrawn_at is None:
        row.withdrawn_at = now
        session.flush()
    return row


def override_history(session: Session, kommune_id: int) -> list[OverrideView]:
    """Every override made on this kommune's page, withdrawn ones too, newest first."""
    rows = list(
        session.scalars(
            select(ReviewOverride)
            .where(ReviewOverride.kommune_id == kommune_id)
            .order_by(ReviewOverride.created_at.desc(), ReviewOverride.id.desc())
        )
    )
    kommune = session.get(KommuneRow, kommune_id)
    number = kommune.kommunenummer if kommune is not None else ""
    views = []
    for row in rows:
        machine, subject = "", ""
        if row.target == "finding":
            finding = session.get(Finding, row.target_id)
            if finding is not None:
                machine, subject = finding.status, finding.checked_at.isoformat()
        else:
            classification = session.get(ClassificationRow, row.target_id)
            if classification is not None:
                document = session.get(Document, classification.document_id)
                machine = classification.category
                subject = document.title if document is not None else ""
        views.append(
            OverrideView(
                id=row.id,
                target=row.target,
                target_id=row.target_id,
                kommunenummer=number,
                value=row.value,
                machine_value=machine,
                reason=row.reason,
                reviewer=row.reviewer,
                created_at=row.created_at,
                withdrawn_at=row.withdrawn_at,
                subject=subject,
            )
        )
    return views


def finding_override_facts(session: Session, kommune_ids: Iterable[int] | None = None) -> dict[int, list[OverrideFact]]:
    stmt = (
        select(ReviewOverride, Finding.status, Finding.kommune_id)
        .join(Finding, Finding.id == ReviewOverride.target_id)
        .where(ReviewOverride.target == "finding", ReviewOverride.withdrawn_at.is_(None))
    )
    if kommune_ids is not None:
        stmt = stmt.where(Finding.kommune_id.in_(sorted(set(kommune_ids))))
    facts: dict[int, list[OverrideFact]] = {}
    for row, status, kommune_id in session.execute(stmt):
        facts.setdefault(kommune_id, []).append(
            OverrideFact(row.id, row.target_id, status, row.value, row.reason, row.reviewer, row.created_at)
        )
    return facts


def status_override(session: Session, kommune_id: int) -> OverrideFact | None:
    """The reviewer's status in force for the kommune's latest finding (see `finding_override_in_force`), or None.

    Use this rather than "the newest active finding override": an override of an older finding no longer applies
    once the machine's status has changed.
    """
    finding = latest_finding(session, kommune_id)
    if finding is None:
        return None
    facts = finding_override_facts(session, [kommune_id]).get(kommune_id, [])
    return finding_override_in_force(facts, finding.id, finding.status)


def document_overrides(session: Session, document_ids: Iterable[int] | None = None) -> dict[int, ReviewOverride]:
    """The active category override per document id (a classification override follows its document)."""
    stmt = (
        select(ReviewOverride, ClassificationRow.document_id)
        .join(ClassificationRow, ClassificationRow.id == ReviewOverride.target_id)
        .where(ReviewOverride.target == "classification", ReviewOverride.withdrawn_at.is_(None))
        .order_by(ReviewOverride.created_at, ReviewOverride.id)
    )
    if document_ids is not None:
        stmt = stmt.where(ClassificationRow.document_id.in_(sorted(set(document_ids))))
    return {document_id: row for row, document_id in session.execute(stmt)}


@dataclass(frozen=True)
class FindingReview:
    """What a reviewer and the volunteers added to a kommune's latest finding (export columns)."""

    override_status: str = ""
    override_reason: str = ""
    overridden_by: str = ""
    overridden_at: datetime | None = None
    missed_by_crawler: bool = False


def finding_reviews(session: Session) -> dict[tuple[str, str], FindingReview]:
    """Per (country, kommunenummer) with anything to say: the override in force and the volunteers' catches."""
    latest = list(
        session.execute(
            select(Finding.id, Finding.kommune_id, Finding.status, KommuneRow.country, KommuneRow.kommunenummer)
            .join(KommuneRow, KommuneRow.id == Finding.kommune_id)
            .where(is_latest_finding())
        )
    )
    overrides = finding_override_facts(session)
    missed = missed_plan_tips(session)
    reviews: dict[tuple[str, str], FindingReview] = {}
    for finding_id, kommune_id, status, country, number in latest:
        in_force = finding_override_in_force(overrides.get(kommune_id, []), finding_id, status)
        if in_force is None and not missed.get(kommune_id):
            continue
        reviews[(country, number)] = FindingReview(
            override_status=in_force.value if in_force else "",
            override_reason=in_force.reason if in_force else "",
            overridden_by=in_force.reviewer if in_force else "",
            overridden_at=in_force.created_at if in_force else None,
            missed_by_crawler=bool(missed.get(kommune_id)),
        )
    return reviews


def plan_reviews(session: Session) -> dict[str, str]:
    """Per document SHA-256: the reviewer's category in force (for the plans export's `override_category`)."""
    overrides = document_overrides(session)
    if not overrides:
        return {}
    shas = dict(session.execute(select(Document.id, Document.sha256).where(Document.id.in_(sorted(overrides)))).all())
    return {shas[document_id]: row.value for document_id, row in overrides.items() if document_id in shas}


# -- what the Review page shows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDocument:
    classification_id: int
    document_id: int
    sha256: str
    title: str
    url: str
    category: str
    confidence: float
    reason: str
    kind: str | None
    years: str
    current: str
    found_via: str
    click_depth: int | None
    is_plan: bool
    override: ReviewOverride | None


@dataclass(frozen=True)
class KommuneReview:
    kommune: KommuneRow
    finding: Finding | None
    check: SiteCheck | None
    finding_override: OverrideFact | None
    documents: tuple[ReviewDocument, ...]
    history: tuple[OverrideView, ...]
    tips: tuple[TipView, ...]


def check_documents(session: Session, check_id: int) -> list[tuple[Sighting, Document, ClassificationRow]]:
    newest = newest_readings()
    stmt = (
        select(Sighting, Document, ClassificationRow)
        .join(Document, Document.id == Sighting.document_id)
        .join(ClassificationRow, ClassificationRow.document_id == Document.id)
        .join(newest, newest.c.id == ClassificationRow.id)
        .where(Sighting.check_id == check_id)
        .order_by(Sighting.id)
    )
    return [(s, d, c) for s, d, c in session.execute(stmt)]


def review_kommune(session: Session, kommune_id: int) -> KommuneReview:
    """The latest finding of a kommune with its plan documents, each beside the override in force."""
    kommune = session.get(KommuneRow, kommune_id)
    if kommune is None:
        raise StorageError(f"no kommune {kommune_id}")
    finding = latest_finding(session, kommune_id)
    check = session.get(SiteCheck, finding.check_id) if finding is not None else None
    documents: list[ReviewDocument] = []
    in_force = None
    if finding is not None and check is not None:
        rows = check_documents(session, check.id)
        overrides = document_overrides(session, [d.id for _, d, _ in rows])
        plan_sighting_id = finding.plan_sighting_id
        on = check.finished_at.date()
        for sighting, document, reading in rows:
            override = overrides.get(document.id)
            if reading.category == "other" and override is None and sighting.id != plan_sighting_id:
                continue
            documents.append(
                ReviewDocument(
                    classification_id=reading.id,
                    document_id=document.id,
                    sha256=document.sha256,
                    title=document.title,
                    url=sighting.url,
                    category=reading.category,
                    confidence=reading.confidence,
                    reason=reading.reason,
                    kind=reading.document_kind,
                    years=years_text(reading.year_start, reading.year_end),
                    current=current_label(reading.year_start, reading.year_end, on),
                    found_via=sighting.found_via,
                    click_depth=sighting.click_depth,
                    is_plan=sighting.id == plan_sighting_id,
                    override=override,
                )
            )
        facts = finding_override_facts(session, [kommune_id]).get(kommune_id, [])
        in_force = finding_override_in_force(facts, finding.id, finding.status)
    return KommuneReview(
        kommune=kommune,
        finding=finding,
        check=check,
        finding_override=in_force,
        documents=tuple(documents),
        history=tuple(override_history(session, kommune_id)),
        tips=tuple(kommune_tips(session, kommune_id)),
    )
