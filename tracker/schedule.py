"""The scheduler: APScheduler 3 jobs that call the pipeline and the outbox. A composition root, no rules of its own.

Jobs, persisted in the same database (table `apscheduler_jobs`) so a restart keeps their next run times:

    planvakt.sweep     cron, `PLANVAKT_SWEEP_CRON` (UTC)   crawl every kommune of the registry
    planvakt.followup  every 15 minutes                   re-crawl kommuner with a plan suspected missing once
                                                          their last check is `PLANVAKT_FOLLOWUP_HOURS` old
    planvakt.alerts    every minute                       `tracker.outbox.send_due`

Every scheduler process on a database fires the same persisted jobs; a crawl first claims its slot
(`sweep:<scheduled fire time>`) in `sweep_claim` (see `tracker.store.sweeps`), so a sweep runs once however many
processes fire it, and never on top of a sweep still running.

A sweep interrupted by a stop (SIGTERM: its run is `interrupted`) is resumed by the next scheduler to start, or by the
next sweep job, if it is still the newest sweep and its slot is within one sweep period: the slot
`resume:sweep:<fire time>` is claimed for the same crawl run, so it is resumed once, by one process.

The job store keeps only plain kwargs (no secrets, no engines); what a process lends its jobs (settings, engine,
stop flag, the scheduled fire time) travels in a `JobContext` that `ContextExecutor` adds at submission.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from crawlers.types import CrawlOptions
from tracker.clock import utc_now
from tracker.config import Settings
from tracker.domain import Kommune
from tracker.pipeline import run_crawl
from tracker.registry import builtin_registry, load_registry_csv, select
from tracker.site_check import crawl_dependencies
from tracker.store import database, runs, sweeps
from tracker.store.models import CrawlRun

logger = logging.getLogger(__name__)

#: the table APScheduler keeps its jobs in (not ours: migrations/env.py leaves it out of `alembic check`)
JOBS_TABLE = "apscheduler_jobs"
SWEEP_JOB = "planvakt.sweep"
FOLLOWUP_JOB = "planvakt.followup"
ALERTS_JOB = "planvakt.alerts"
RESUME_JOB = "planvakt.resume"
#: a weekly sweep missed while no scheduler ran still runs if one starts within this long
SWEEP_MISFIRE_GRACE = timedelta(hours=12)
CLAIM_ALIVE_FOR = sweeps.CLAIM_ALIVE_FOR
#: how often a running crawl looks at the stop flag
STOP_POLL_SECONDS = 0.2


# -- what one process lends its jobs ----------------------------------------------------------------------------


@dataclass
class Runtime:
    """One scheduler process: its settings and engine, the stop flag, and the sweep counter for `--exit-after-sweeps`.

    Never persisted. Built once by the CLI; the jobs reach it through `JobContext`.
    """

    settings: Settings
    instance: str
    stopping: threading.Event = field(default_factory=threading.Event)
    now: Callable[[], datetime] = utc_now
    exit_after_sweeps: int | None = None
    claim_alive_for: timedelta = CLAIM_ALIVE_FOR
    #: time between two sweep slots (set by `run_scheduler` from the cron); an interrupted sweep is resumed
    #: only while its slot is at most this old. None: never resumed by the scheduler
    sweep_period: timedelta | None = None
    sweeps_done: int = 0
    #: set on PostgreSQL by `planvakt schedule --queue`: a claimed sweep or follow-up run is handed to the job queue
    #: (`enqueue(run_id, kommuner)`, for `planvakt worker` processes) instead of being crawled in this process
    enqueue: Callable[[int, list[Kommune]], None] | None = None
    _engine: Engine | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = database.make_engine(self.settings.resolved_database_url)
            return self._engine

    def session_factory(self) -> sessionmaker[Session]:
        return database.make_session_factory(self.engine)

    def sweep_finished(self) -> None:
        """Count a sweep this process ran; ask the process to stop once it has run `exit_after_sweeps`."""
        with self._lock:
            self.sweeps_done += 1
            if self.exit_after_sweeps is not None and self.sweeps_done >= self.exit_after_sweeps:
                self.stopping.set()

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


@dataclass(frozen=True)
class JobContext:
    """What a job gets besides its persisted kwargs: the process runtime and the fire time it was scheduled for."""

    runtime: Runtime
    scheduled_fire_time: datetime


class ContextExecutor(ThreadPoolExecutor):  # type: ignore[misc]  # APScheduler 3 ships no types
    """A thread pool that hands each job a `JobContext`.

    APScheduler 3 does not tell a job which fire time it runs for, and the claim must be keyed on that, not on the
    clock (two processes firing one slot see slightly different clocks). `_do_submit_job` is APScheduler 3's
    documented hook for custom executors; the job is copied so the context never reaches the job store.
    """

    def __init__(self, runtime: Runtime, max_workers: int = 4) -> None:
        super().__init__(max_workers)
        self.runtime = runtime

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        bound = copy.copy(job)  # pickled state only: put back what the executor reads of a live job
        bound._scheduler = job._scheduler
        bound._jobstore_alias = job._jobstore_alias
        bound.kwargs = {**job.kwargs, "context": JobContext(self.runtime, run_times[-1].astimezone(UTC))}
        super()._do_submit_job(bound, run_times)


# -- the jobs (top-level callables: the job store keeps references to them) ----------------------------------


def sweep_job(
    *, registry: str | None, kommuner: Sequence[str], crawl: dict[str, Any], context: JobContext | None = None
) -> None:
    """Crawl every kommune of the registry once per scheduled slot, whichever process fires it."""
    context = _required(context)
    if context.runtime.stopping.is_set():
        return
    resume_job(registry=registry, kommuner=kommuner, crawl=crawl, context=context)
    if context.runtime.stopping.is_set():
        return
    slot = f"sweep:{context.scheduled_fire_time.isoformat()}"
    if _crawl_slot(context, slot, _registry(registry, kommuner), crawl, blocked_by=SWEEP_BLOCKED_BY):
        context.runtime.sweep_finished()


#: claims that keep a sweep from starting: another sweep, or the resume of one
SWEEP_BLOCKED_BY = ("sweep:", sweeps.RESUME_PREFIX)


def resume_job(
    *, registry: str | None, kommuner: Sequence[str], crawl: dict[str, Any], context: JobContext | None = None
) -> None:
    """Resume the newest sweep if it was interrupted and its slot is within one sweep period; once, by one process.

    Runs when a scheduler starts and at the start of every sweep job. A resumed sweep counts as a sweep run.
    """
    context = _required(context)
    runtime = context.runtime
    if runtime.stopping.is_set() or runtime.sweep_period is None:
        return
    with runtime.session_factory()() as session:
        latest = sweeps.latest_sweep(session)
    if latest is None or latest.state != "interrupted" or latest.resume_claimed:
        return
    age = runtime.now() - latest.fire_time
    if age > runtime.sweep_period:
        logger.info("%s: interrupted %s ago, too long to resume (next sweep will crawl afresh)", latest.slot, age)
        return
    slot = sweeps.RESUME_PREFIX + latest.slot
    todo = _registry(registry, kommuner)
    if _crawl_slot(context, slot, todo, crawl, blocked_by=SWEEP_BLOCKED_BY, resume_run_id=latest.run_id):
        runtime.sweep_finished()


def followup_job(
    *, registry: str | None, kommuner: Sequence[str], crawl: dict[str, Any], context: JobContext | None = None
) -> None:
    """Re-crawl the kommuner whose plan is suspected missing and whose last check is `followup_hours` old."""
    context = _required(context)
    runtime = context.runtime
    if runtime.stopping.is_set():
        return
    checked_before = runtime.now() - timedelta(hours=runtime.settings.followup_hours)
    with runtime.session_factory()() as session:
        due = set(sweeps.followup_due(session, checked_before))
    todo = [k for k in _registry(registry, kommuner) if (k.country.value, k.kommunenummer) in due]
    if not todo:
        return
    logger.info("follow-up of %d kommuner with a plan suspected missing", len(todo))
    slot = f"followup:{context.scheduled_fire_time.isoformat()}"
    _crawl_slot(context, slot, todo, crawl, blocked_by=(*SWEEP_BLOCKED_BY, "followup:"))


def alerts_job(*, allow_private_networks: bool = False, context: JobContext | None = None) -> None:
    """Deliver what the outbox has due (safe when several processes do it at once: the outbox leases rows).

    Webhook and Apprise targets on private addresses only with `allow_private_networks` (the crawl's switch).
    """
    from tracker.outbox import send_due

    runtime = _required(context).runtime
    if runtime.stopping.is_set():
        return
    report = send_due(
        runtime.session_factory(), runtime.settings, now=runtime.now, allow_private_networks=allow_private_networks
    )
    if report.sent or report.retried or report.dead:
        logger.info("alerts: %d sent, %d to retry, %d dead-lettered", report.sent, report.retried, report.dead)


def _required(context: JobContext | None) -> JobContext:
    # Optional only because APScheduler checks a job's arguments before ContextExecutor adds the context.
    if context is None:
        raise TypeError("a scheduler job needs its JobContext (run it through ContextExecutor)")
    return context


def _registry(path: str | None, numbers: Sequence[str]) -> list[Kommune]:
    kommuner = load_registry_csv(Path(path)) if path else builtin_registry()
    return select(kommuner, numbers) if numbers else kommuner


def _crawl_slot(
    context: JobContext,
    slot: str,
    kommuner: list[Kommune],
    crawl: dict[str, Any],
    *,
    blocked_by: Sequence[str],
    resume_run_id: int | None = None,
) -> bool:
    """Claim `slot`, crawl (or resume `resume_run_id`), release. True when this process ran the crawl to its end."""
    runtime = context.runtime
    options = replace(CrawlOptions(), **crawl)
    factory = runtime.session_factory()
    now = runtime.now()
    claim = sweeps.claim_slot(
        factory,
        slot,
        claimed_by=runtime.instance,
        now=now,
        alive_since=now - runtime.claim_alive_for,
        blocked_by=blocked_by,
        run_options=options.record(),
        planned=len(kommuner),
        resume_run_id=resume_run_id,
    )
    if claim.outcome == "taken":
        logger.info("%s: claimed by another scheduler, skipped", slot)
        return False
    if claim.outcome == "busy":
        logger.warning("%s: skipped, %s is still running", slot, claim.blocker)
        return False
    assert claim.claim_id is not None and claim.run_id is not None
    if resume_run_id is None:
        logger.info("%s: claimed, crawl run %d of %d kommuner", slot, claim.run_id, len(kommuner))
    else:
        logger.info("%s: resuming interrupted crawl run %d", slot, claim.run_id)
    if runtime.enqueue is not None:
        return _queue_slot(runtime, factory, slot, claim.run_id, claim.claim_id, kommuner)
    finished = False
    try:
        finished = asyncio.run(_crawl(runtime, claim.run_id, kommuner, options))
    finally:
        with factory.begin() as session:
            if not finished:
                run = session.get(CrawlRun, claim.run_id)
                if run is not None and run.state != "finished":
                    runs.finish_run(session, run, runtime.now(), state="interrupted")
            sweeps.release_claim(session, claim.claim_id, runtime.now())
    logger.info("%s: crawl run %d %s", slot, claim.run_id, "finished" if finished else "interrupted")
    if finished:  # the paragraph `planvakt crawl` ends with, for the operator reading the scheduler's log
        with factory() as session:
            logger.info("%s: %s", slot, runs.run_summary(session, claim.run_id).paragraph())
    return finished


def _queue_slot(
    runtime: Runtime,
    factory: sessionmaker[Session],
    slot: str,
    run_id: int,
    claim_id: int,
    kommuner: list[Kommune],
) -> bool:
    """Queue the claimed run's kommuner for the workers and release the claim: the calendar's part is done.

    A run whose jobs could not be queued is marked `interrupted`, so the next sweep job queues it again."""
    assert runtime.enqueue is not None
    queued = False
    try:
        runtime.enqueue(run_id, kommuner)
        queued = True
    finally:
        with factory.begin() as session:
            run = session.get(CrawlRun, run_id)
            if not queued and run is not None and run.state != "finished":
                runs.finish_run(session, run, runtime.now(), state="interrupted")
            sweeps.release_claim(session, claim_id, runtime.now())
    logger.info("%s: crawl run %d queued for the workers", slot, run_id)
    return True


async def _crawl(runtime: Runtime, run_id: int, kommuner: list[Kommune], options: CrawlOptions) -> bool:
    """Run the crawl until it ends (True) or the process is asked to stop (False: the run stays resumable)."""
    async with crawl_dependencies(runtime.settings, runtime.session_factory(), now=runtime.now) as deps:
        crawl = asyncio.create_task(run_crawl(kommuner, options, deps, resume_run_id=run_id))
        while not crawl.done():
            if runtime.stopping.is_set():
                crawl.cancel()
                break
            await asyncio.wait({crawl}, timeout=STOP_POLL_SECONDS)
        try:
            await crawl
        except asyncio.CancelledError:
            return False
        return True


# -- building the scheduler ---------------------------------------------------------------------------------


_CRONTAB_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _crontab_day_of_week(field_value: str) -> str:
    """A crontab day-of-week field (0 and 7 = Sunday) in APScheduler 3's words (where 0 is Monday).

    APScheduler 3's `CronTrigger.from_crontab` passes numbers through, so "0 3 * * 1" would fire on Tuesdays.
    """
    if field_value == "*" or not any(ch.isdigit() for ch in field_value):
        return field_value
    days: list[int] = []
    for part in field_value.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            first, last = int(low), int(high)
        else:
            first = last = int(span)
            if step_text:
                last = 6
        if not (0 <= first <= 7 and 0 <= last <= 7 and first <= last and step >= 1):
            raise ValueError(f"bad day-of-week {part!r} in cron expression")
        days.extend(range(first, last + 1, step))
    names = dict.fromkeys(_CRONTAB_WEEKDAYS[d] for d in sorted(d % 7 for d in days))
    return ",".join(names)


def sweep_period(trigger: BaseTrigger, now: datetime) -> timedelta | None:
    """The time between the next two sweep slots after `now` (None when the trigger fires at most once more)."""
    first = trigger.get_next_fire_time(None, now)
    if first is None:
        return None
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
    return None if second is None else second - first


def sweep_trigger(expression: str) -> CronTrigger:
    """A trigger from a crontab expression in UTC: 5 fields (minute hour day month weekday, crontab weekdays),
    or 6 with seconds first (`*/5 * * * * *`: every five seconds, for tests). ValueError when malformed."""
    fields = expression.split()
    if len(fields) == 5:
        fields = ["0", *fields]
    if len(fields) != 6:
        raise ValueError(f"cron expression {expression!r} needs 5 fields (or 6 with seconds first)")
    second, minute, hour, day, month, weekday = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_crontab_day_of_week(weekday),
        timezone=UTC,
    )


@dataclass(frozen=True)
class ScheduleOptions:
    """What `planvakt schedule` was asked to run."""

    sweep_cron: str
    registry: Path | None = None
    kommuner: tuple[str, ...] = ()
    crawl: CrawlOptions = field(default_factory=CrawlOptions)
    followup_every: timedelta = timedelta(minutes=15)
    alerts_every: timedelta = timedelta(minutes=1)
    #: stop after this long (tests, one-shot runs); None runs until SIGTERM/SIGINT
    run_for: timedelta | None = None


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., None]
    trigger: BaseTrigger
    kwargs: dict[str, Any]
    misfire_grace_time: int


def job_specs(options: ScheduleOptions) -> list[JobSpec]:
    """The three jobs with their triggers and plain, picklable kwargs (no secrets: the job store is a table)."""
    crawl = options.crawl.record()
    target = {
        "registry": str(options.registry.resolve()) if options.registry else None,
        "kommuner": list(options.kommuner),
        "crawl": crawl,
    }
    followup = int(options.followup_every.total_seconds())
    alerts = int(options.alerts_every.total_seconds())
    return [
        JobSpec(
            SWEEP_JOB, sweep_job, sweep_trigger(options.sweep_cron), target, int(SWEEP_MISFIRE_GRACE.total_seconds())
        ),
        JobSpec(FOLLOWUP_JOB, followup_job, IntervalTrigger(seconds=followup, timezone=UTC), target, followup),
        JobSpec(
            ALERTS_JOB,
            alerts_job,
            IntervalTrigger(seconds=alerts, timezone=UTC),
            {"allow_private_networks": options.crawl.allow_private_networks},
            alerts,
        ),
    ]


def build_scheduler(runtime: Runtime) -> BackgroundScheduler:
    return BackgroundScheduler(
        # "local": this process's one-off jobs (the resume at start), never persisted
        jobstores={
            "default": SQLAlchemyJobStore(engine=runtime.engine, tablename=JOBS_TABLE),
            "local": MemoryJobStore(),
        },
        executors={"default": ContextExecutor(runtime)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )


def install_jobs(scheduler: BackgroundScheduler, specs: Sequence[JobSpec]) -> None:
    """Add the jobs, keeping a stored job whose schedule and kwargs are unchanged.

    Keeping it keeps its stored next run time, so a sweep missed while no scheduler ran still runs (within
    `SWEEP_MISFIRE_GRACE`) instead of being pushed to next week by a restart.
    """
    for spec in specs:
        existing = scheduler.get_job(spec.id)
        if (
            existing is not None
            and existing.func_ref == f"{spec.func.__module__}:{spec.func.__qualname__}"
            and str(existing.trigger) == str(spec.trigger)
            and existing.kwargs == spec.kwargs
            and existing.misfire_grace_time == spec.misfire_grace_time
        ):
            logger.info("job %s kept, next run %s", spec.id, existing.next_run_time)
            continue
        job = scheduler.add_job(
            spec.func,
            trigger=spec.trigger,
            id=spec.id,
            name=spec.id,
            kwargs=spec.kwargs,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=spec.misfire_grace_time,
        )
        logger.info("job %s scheduled, next run %s", spec.id, job.next_run_time)


def stop_scheduler(scheduler: BackgroundScheduler, *, wait: bool) -> None:
    """Shut down without touching the stored jobs.

    APScheduler 3 looks for due jobs once more after `shutdown()` and, finding the executor closed, advances their
    next run time without running them; a job store detached first keeps them as they are.
    """
    scheduler.pause()
    scheduler.remove_jobstore("default")
    scheduler.shutdown(wait=wait)


def run_scheduler(runtime: Runtime, options: ScheduleOptions) -> int:
    """Run the jobs until `runtime.stopping` is set (SIGTERM/SIGINT, `run_for`, `exit_after_sweeps`).

    A crawl running at that moment is interrupted (its run is marked `interrupted`; `planvakt crawl --resume`
    finishes it). Returns the number of sweeps this process ran to their end.
    """
    specs = job_specs(options)
    runtime.sweep_period = sweep_period(specs[0].trigger, runtime.now())
    scheduler = build_scheduler(runtime)
    try:
        with sweeps.setup_lock(runtime.engine):
            scheduler.start(paused=True)  # creates the job table if it is missing
    except BaseException:
        runtime.close()
        raise
    try:
        with sweeps.setup_lock(runtime.engine):
            install_jobs(scheduler, specs)
        # A sweep interrupted by the last stop is resumed now, not at the next slot.
        scheduler.add_job(
            resume_job,
            trigger="date",
            run_date=runtime.now(),
            id=RESUME_JOB,
            kwargs=specs[0].kwargs,
            jobstore="local",
            misfire_grace_time=None,
        )
        scheduler.resume()
        timeout = options.run_for.total_seconds() if options.run_for is not None else None
        runtime.stopping.wait(timeout)
        runtime.stopping.set()
    finally:
        logger.info("stopping the scheduler (waiting for running jobs)")
        stop_scheduler(scheduler, wait=True)
        runtime.close()
    return runtime.sweeps_done
