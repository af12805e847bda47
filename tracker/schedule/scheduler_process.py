"""The scheduler process: the jobs of `tracker.schedule` with their triggers and plain kwargs (`job_specs`), kept in
the database's job store (table `apscheduler_jobs`) so a restart keeps their next run times, and run until the
process is asked to stop (`run_scheduler`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawlers.types import CrawlOptions
from tracker.schedule import alerts_job, followup_job, resume_job, sweep_job
from tracker.schedule.cron import sweep_period, sweep_trigger
from tracker.schedule.job_context import ContextExecutor, Runtime
from tracker.store import sweeps

logger = logging.getLogger(__name__)

#: the table APScheduler keeps its jobs in (not ours: migrations/env.py leaves it out of `alembic check`)
JOBS_TABLE = "apscheduler_jobs"
SWEEP_JOB = "planvakt.sweep"
FOLLOWUP_JOB = "planvakt.followup"
ALERTS_JOB = "planvakt.alerts"
RESUME_JOB = "planvakt.resume"
#: a weekly sweep missed while no scheduler ran still runs if one starts within this long
SWEEP_MISFIRE_GRACE = timedelta(hours=12)


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
