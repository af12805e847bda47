"""Crawl runs and what they store per kommune: the kommune rows, each site check with its sightings, and the finding.

A site check is written in one transaction when that site is done, so a crawl killed halfway keeps every check it
finished and a rerun picks up from there. Functions take a Session passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.domain import Kommune
from tracker.errors import StorageError
from tracker.findings import FindingDecision
from tracker.run_summary import RunSummary, summarize
from tracker.store.latest import is_latest_finding
from tracker.store.models import (
    ClassificationRow,
    CrawlRun,
    Finding,
    KommuneRow,
    Sighting,
    SiteCheck,
)


def sync_kommuner(session: Session, kommuner: Iterable[Kommune]) -> dict[tuple[str, str], int]:
    """Insert or update kommuner; return their ids keyed by (country, kommunenummer)."""
    existing = {(k.country, k.kommunenummer): k for k in session.scalars(select(KommuneRow))}
    for kommune in kommuner:
        row = existing.get((kommune.country.value, kommune.kommunenummer))
        if row is None:
            row = KommuneRow(country=kommune.country.value, kommunenummer=kommune.kommunenummer)
            session.add(row)
            existing[(row.country, row.kommunenummer)] = row
        row.name = kommune.name
        row.website = kommune.website
        row.website_alt = kommune.website_alt
        row.region_code = kommune.region_code
        row.region = kommune.region
        row.written_standard = kommune.written_standard
    session.flush()
    return {key: row.id for key, row in existing.items()}


def count_kommuner(session: Session) -> dict[str, int]:
    rows = session.execute(select(KommuneRow.country, func.count()).group_by(KommuneRow.country))
    return {country: count for country, count in rows}


def kommune_websites(session: Session) -> list[tuple[str, str, str]]:
    """(kommunenummer, name, website) of every kommune stored."""
    rows = session.execute(select(KommuneRow.kommunenummer, KommuneRow.name, KommuneRow.website))
    return [(number, name, website) for number, name, website in rows]


def start_run(session: Session, options: dict[str, Any], planned: int, now: datetime) -> CrawlRun:
    run = CrawlRun(started_at=now, options=options, kommuner_planned=planned, state="running")
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: CrawlRun, now: datetime, state: str = "finished") -> None:
    run.finished_at = now
    run.state = state


def reopen_run(session: Session, run_id: int) -> CrawlRun | None:
    """Take a run up again (`running`) to check the kommuner it has no check of yet; None when there is no such run."""
    run = find_run(session, run_id)
    if run is not None:
        run.state = "running"
    return run


def interrupt_run(session: Session, run_id: int, now: datetime) -> None:
    """Mark the run `interrupted`, so it can be resumed, unless it finished (or is gone): its crawl was stopped."""
    run = find_run(session, run_id)
    if run is not None and run.state != "finished":
        finish_run(session, run, now, state="interrupted")


def checked_kommune_ids(session: Session, run_id: int) -> set[int]:
    return set(session.scalars(select(SiteCheck.kommune_id).where(SiteCheck.run_id == run_id)))


def add_check(session: Session, check: SiteCheck, sightings: Sequence[Sighting]) -> SiteCheck:
    session.add(check)
    session.flush()
    for sighting in sightings:
        sighting.check_id = check.id
        session.add(sighting)
    session.flush()
    return check


def record_check(
    session: Session,
    *,
    run_id: int,
    kommune_id: int,
    start_url: str,
    final_url: str | None,
    reachable: bool,
    blocked: bool,
    error: str | None,
    pages_fetched: int,
    robots_disallowed: int,
    rendered_pages: int,
    issues: list[dict[str, Any]],
    trail: dict[str, Any] | None,
    started_at: datetime,
    finished_at: datetime,
    sightings: Sequence[Sighting],
) -> SiteCheck:
    """Store one check of one kommune's site in a run, with the sightings of the documents it saw there."""
    check = SiteCheck(
        run_id=run_id,
        kommune_id=kommune_id,
        start_url=start_url,
        final_url=final_url,
        reachable=reachable,
        blocked=blocked,
        error=error,
        pages_fetched=pages_fetched,
        robots_disallowed=robots_disallowed,
        rendered_pages=rendered_pages,
        issues=issues,
        trail=trail,
        started_at=started_at,
        finished_at=finished_at,
    )
    return add_check(session, check, sightings)


def add_tip_check(
    session: Session,
    run: CrawlRun,
    *,
    kommune_id: int,
    url: str,
    final_url: str,
    sighting: Sighting,
    started: datetime,
    now: datetime,
) -> SiteCheck:
    """A volunteer's tip as the one check of its own run: the one URL it names, fetched and read, seen once."""
    check = record_check(
        session,
        run_id=run.id,
        kommune_id=kommune_id,
        start_url=url,
        final_url=final_url,
        reachable=True,
        blocked=False,
        error=None,
        pages_fetched=0,
        robots_disallowed=0,
        rendered_pages=0,
        issues=[],
        trail=None,  # a tip reads the one URL it names: nothing was searched
        started_at=started,
        finished_at=now,
        sightings=[sighting],
    )
    run.documents_fetched = 1
    run.kommuner_checked = 1
    return check


def add_finding(
    session: Session,
    *,
    run: CrawlRun,
    check: SiteCheck,
    decision: FindingDecision,
    plan_sighting: Sighting | None,
    plan_classification: ClassificationRow | None,
) -> Finding:
    finding = Finding(
        run_id=run.id,
        kommune_id=check.kommune_id,
        check_id=check.id,
        status=decision.status.value,
        plan_sighting_id=plan_sighting.id if plan_sighting else None,
        plan_classification_id=plan_classification.id if plan_classification else None,
        plan_category=decision.plan.category.value if decision.plan else None,
        plan_current=decision.plan_current or None,
        found_via=decision.plan.found_via if decision.plan else None,
        click_depth=decision.plan.click_depth if decision.plan else None,
        checked_at=check.finished_at,
        reason=decision.reason,
    )
    session.add(finding)
    # Counted in SQL (`SET n = n + 1`), not read-modify-write: workers storing into one run at once lose no count.
    run.kommuner_checked = CrawlRun.kommuner_checked + 1
    run.pages_fetched = CrawlRun.pages_fetched + check.pages_fetched
    run.errors = CrawlRun.errors + len(check.issues) + (0 if check.reachable else 1)
    session.flush()
    return finding


def find_run(session: Session, run_id: int, *, lock: bool = False) -> CrawlRun | None:
    """The run, or None; `lock`: its row locked for the transaction (`FOR UPDATE`), so two finishers never race."""
    return session.get(CrawlRun, run_id, with_for_update=True if lock else None)


def find_kommune(session: Session, kommune_id: int) -> KommuneRow | None:
    return session.get(KommuneRow, kommune_id)


def count_documents_fetched(session: Session, run_id: int, fetched: int) -> None:
    """Add a check's documents to its run's count, in SQL (`SET n = n + k`: see `add_finding`), flushed at once so
    that a second count in the same transaction adds to this one instead of replacing it."""
    run = get_run(session, run_id)
    run.documents_fetched = CrawlRun.documents_fetched + fetched
    session.flush()


def count_our_failure(session: Session, run_id: int) -> None:
    """Count a check that failed on our side in its run's `errors`, in SQL: other workers count into the same run.
    Flushed at once, as `count_documents_fetched`."""
    run = get_run(session, run_id)
    run.errors = CrawlRun.errors + 1
    session.flush()


def get_run(session: Session, run_id: int) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise StorageError(f"no crawl run {run_id}")
    return run


def run_summary(session: Session, run_id: int) -> RunSummary:
    """What the run came to: its checks' statuses, unreachable causes and our failures (`tracker.run_summary`).

    A failure on our side stores nothing, so in a finished run it is a planned kommune without a check
    (`errors` counts site issues too).
    """
    run = get_run(session, run_id)
    ours = max(run.kommuner_planned - run.kommuner_checked, 0) if run.state == "finished" else 0
    checks = session.execute(
        select(Finding.status, SiteCheck.blocked, SiteCheck.error)
        .join(SiteCheck, SiteCheck.id == Finding.check_id)
        .where(Finding.run_id == run_id)
    )
    return summarize(run.id, run.state, run.kommuner_planned, ((s, b, e) for s, b, e in checks), ours)


def latest_findings_with_checks(session: Session) -> list[tuple[Finding, SiteCheck]]:
    rows = session.execute(
        select(Finding, SiteCheck).join(SiteCheck, SiteCheck.id == Finding.check_id).where(is_latest_finding())
    )
    return [(finding, check) for finding, check in rows]


def redecide_finding(
    session: Session,
    finding: Finding,
    decision: FindingDecision,
    *,
    plan_sighting: Sighting | None,
    plan_classification: ClassificationRow | None,
    note: str,
) -> None:
    finding.status = decision.status.value
    finding.plan_sighting_id = plan_sighting.id if plan_sighting else None
    finding.plan_classification_id = plan_classification.id if plan_classification else None
    finding.plan_category = decision.plan.category.value if decision.plan else None
    finding.plan_current = decision.plan_current or None
    finding.found_via = decision.plan.found_via if decision.plan else None
    finding.click_depth = decision.plan.click_depth if decision.plan else None
    finding.reason = f"{decision.reason} ({note})"
    session.flush()
