"""The scheduler's SQL: claiming a crawl slot in `sweep_claim`, releasing it, finding follow-ups that are due, and
telling live crawl runs from dead ones (what `crawl --resume` and the scheduler may resume).

Why claims: every scheduler process sharing a database fires the same persisted jobs. Before a crawl, a process
inserts `sweep_claim(slot=...)`; the unique `slot` lets exactly one process win a slot (the loser gets an
IntegrityError and skips), and a claim that is still running (not released, and either recent or with a site
check finished recently: its heartbeat) keeps a second crawl from overlapping it. The claim and its `crawl_run`
row are written in the same transaction, so a slot always points at the one run it produced.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Engine, and_, exists, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tracker.store import runs
from tracker.store.latest import latest_check_ids
from tracker.store.models import CrawlRun, KommuneRow, SiteCheck, SweepClaim, WatchedPlan
from tracker.store.sweep_jobs import NO_OPEN_JOBS_OF_CRAWL_RUN
from tracker.watch.changes import PlanState

#: PostgreSQL advisory lock key that serialises "is anything running? then claim" between processes
CLAIM_LOCK_KEY = 0x706C616E  # "plan"

#: PostgreSQL advisory lock key that serialises schedulers setting up the shared job store (table and jobs)
SETUP_LOCK_KEY = 0x706C616F

ClaimOutcome = Literal["claimed", "taken", "busy"]
#: an unreleased claim whose crawl has not finished a site for this long belongs to a dead process
CLAIM_ALIVE_FOR = timedelta(hours=2)
#: slot prefix of a claim that resumes an interrupted sweep: `resume:sweep:<fire time>`, so it runs once
RESUME_PREFIX = "resume:"


@dataclass(frozen=True)
class Claim:
    """The answer to a claim: `claimed` (run it: `claim_id`, `run_id`), `taken` (another process has this slot) or
    `busy` (a crawl of another slot is still running: `blocker` names its slot)."""

    outcome: ClaimOutcome
    slot: str
    claim_id: int | None = None
    run_id: int | None = None
    blocker: str | None = None


class _Busy(Exception):
    def __init__(self, slot: str) -> None:
        self.slot = slot


def claim_slot(
    session_factory: sessionmaker[Session],
    slot: str,
    *,
    claimed_by: str,
    now: datetime,
    alive_since: datetime,
    blocked_by: Sequence[str],
    run_options: dict[str, Any],
    planned: int,
    resume_run_id: int | None = None,
) -> Claim:
    """Claim `slot` and start its crawl run in one transaction of its own (the unique violation is the answer).

    `blocked_by` lists slot prefixes (e.g. `("sweep:",)`) whose unreleased claims, alive since `alive_since`, make
    this claim `busy`. With `resume_run_id` the claim takes over that (interrupted) run instead of starting one, and
    marks it `running` again. Nothing is written unless the outcome is `claimed`.
    """
    try:
        with session_factory.begin() as session:
            if session.get_bind().dialect.name == "postgresql":
                # Two processes claiming different slots at once must not both see "nothing running".
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CLAIM_LOCK_KEY})
            if resume_run_id is None:
                run = runs.start_run(session, run_options, planned, now)
            else:
                resumed = session.get(CrawlRun, resume_run_id)
                if resumed is None:
                    raise ValueError(f"no crawl run {resume_run_id}")
                run = resumed
                run.state = "running"
                run.finished_at = None
            claim = SweepClaim(slot=slot, claimed_by=claimed_by, claimed_at=now, run_id=run.id)
            session.add(claim)
            session.flush()  # raises IntegrityError when another process holds this slot
            # On SQLite the insert above took the write lock, so the check below sees every committed claim.
            blocker = running_claims(session, blocked_by, alive_since, exclude_id=claim.id)
            if blocker:
                raise _Busy(blocker[0])
            return Claim("claimed", slot, claim_id=claim.id, run_id=run.id)
    except IntegrityError:
        return Claim("taken", slot)
    except _Busy as busy:
        return Claim("busy", slot, blocker=busy.slot)


def release_claim(session: Session, claim_id: int, now: datetime) -> None:
    """Mark the claim's crawl over (finished, interrupted or failed: its run's state says which)."""
    claim = session.get(SweepClaim, claim_id)
    if claim is None:
        raise ValueError(f"no sweep claim {claim_id}")
    claim.finished_at = now


def running_claims(
    session: Session, prefixes: Sequence[str], alive_since: datetime, *, exclude_id: int | None = None
) -> list[str]:
    """Slots (with one of `prefixes`) claimed and not released whose claim or latest site check is recent.

    A process killed without releasing its claim stops being "running" once it has not finished a site since
    `alive_since`, so a dead scheduler never blocks the next sweep for good.
    """
    if not prefixes:
        return []
    stmt = (
        select(SweepClaim.slot)
        .where(
            _alive(alive_since),
            or_(*(SweepClaim.slot.startswith(prefix, autoescape=True) for prefix in prefixes)),
        )
        .order_by(SweepClaim.claimed_at)
    )
    if exclude_id is not None:
        stmt = stmt.where(SweepClaim.id != exclude_id)
    return list(session.scalars(stmt))


def _alive(alive_since: datetime) -> ColumnElement[bool]:
    """A claim is alive while it is not released and either recent or its crawl finished a site recently."""
    heartbeat = exists().where(SiteCheck.run_id == SweepClaim.run_id, SiteCheck.finished_at >= alive_since)
    return and_(SweepClaim.finished_at.is_(None), or_(SweepClaim.claimed_at >= alive_since, heartbeat))


def resumable_run(session: Session, alive_since: datetime) -> CrawlRun | None:
    """The newest crawl run that is unfinished and that no live process is running: `interrupted`, or `running`
    with no live claim (its claim released, or silent since `alive_since`; a `crawl` killed outright has none).

    A sweep another scheduler is still running is never picked, so `crawl --resume` cannot crawl it twice; nor, on
    PostgreSQL, a run with check jobs still waiting or running in the job queue (`tracker.schedule.sweep_queue`).
    """
    live = exists().where(SweepClaim.run_id == CrawlRun.id, _alive(alive_since))
    stmt = select(CrawlRun).where(or_(CrawlRun.state == "interrupted", and_(CrawlRun.state == "running", ~live)))
    if session.get_bind().dialect.name == "postgresql":  # nor a sweep the job queue's workers are still doing
        stmt = stmt.where(text(NO_OPEN_JOBS_OF_CRAWL_RUN))
    return session.scalars(stmt.order_by(CrawlRun.id.desc()).limit(1)).first()


@dataclass(frozen=True)
class LatestSweep:
    """The newest sweep slot claimed, its crawl run's state, and whether it was already claimed for a resume."""

    slot: str
    fire_time: datetime
    run_id: int
    state: str
    resume_claimed: bool


def latest_sweep(session: Session) -> LatestSweep | None:
    """The most recently claimed sweep (by claim time), for the scheduler's resume of an interrupted sweep."""
    row = session.execute(
        select(SweepClaim.slot, SweepClaim.claimed_at, CrawlRun.id, CrawlRun.state)
        .join(CrawlRun, CrawlRun.id == SweepClaim.run_id)
        .where(SweepClaim.slot.startswith("sweep:", autoescape=True))
        .order_by(SweepClaim.claimed_at.desc(), SweepClaim.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    slot, claimed_at, run_id, state = row
    try:
        fire_time = datetime.fromisoformat(slot.removeprefix("sweep:"))
    except ValueError:
        fire_time = claimed_at
    resumed = session.scalar(select(func.count()).where(SweepClaim.slot == RESUME_PREFIX + slot))
    return LatestSweep(slot, fire_time, int(run_id), str(state), bool(resumed))


def claims(session: Session, prefix: str = "") -> list[SweepClaim]:
    """Every claim whose slot starts with `prefix`, oldest first (for tests and the operator)."""
    return list(
        session.scalars(
            select(SweepClaim).where(SweepClaim.slot.startswith(prefix, autoescape=True)).order_by(SweepClaim.id)
        )
    )


def followup_due(session: Session, checked_before: datetime) -> list[tuple[str, str]]:
    """(country, kommunenummer) of kommuner with a plan suspected missing whose latest check ended before
    `checked_before`: the ones a follow-up crawl should look at now rather than at the next sweep. (A volunteer's
    tip is no check of the site: `tracker.store.latest`.)"""
    latest = latest_check_ids()
    rows = session.execute(
        select(KommuneRow.country, KommuneRow.kommunenummer)
        .join(WatchedPlan, WatchedPlan.kommune_id == KommuneRow.id)
        .join(latest, latest.c.kommune_id == KommuneRow.id)
        .where(WatchedPlan.state == PlanState.SUSPECTED_MISSING.value, latest.c.checked_at < checked_before)
        .distinct()
        .order_by(KommuneRow.country, KommuneRow.kommunenummer)
    )
    return [(country, number) for country, number in rows]


@contextmanager
def setup_lock(engine: Engine) -> Iterator[None]:
    """Hold a cross-process lock while a scheduler creates the job table and installs its jobs.

    Two schedulers started together against one PostgreSQL database would otherwise race on `CREATE TABLE
    apscheduler_jobs` (a unique violation in pg_type) and on inserting the same job ids. SQLite serialises writers
    itself, so there the lock is a no-op.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": SETUP_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": SETUP_LOCK_KEY})
            connection.commit()
