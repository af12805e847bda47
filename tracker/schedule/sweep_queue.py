"""A sweep as durable jobs in procrastinate's PostgreSQL queue: one job per kommune, consumed by `planvakt worker`
processes on any number of machines (`tracker.schedule.worker` is the job itself). PostgreSQL only; SQLite keeps the
in-process crawl (`tracker.pipeline.run_crawl`).

Guarantees and the locks that give them:

- `enqueue_sweep` writes the crawl run and its jobs in one transaction (procrastinate defers on our connection):
  a sweep is queued whole or not at all.
- Each job has the queueing lock `check:<run>:<kommune>` (procrastinate refuses a second waiting job with it) and
  the check itself is unique per (run, kommune) in `site_check`; a job that finds its kommune already checked in
  its run (a retry after its worker died between storing and acknowledging) stores nothing. So a kommune is
  checked once per sweep, whatever the number of workers.
- Each job has the lock `host:<host of its website>`: procrastinate starts no job while another with the same lock
  is running, so across all workers one kommune site of a host is crawled at a time; inside the worker the
  fetcher's per-host gate keeps one request in flight and the delay, and the job waits out the delay after its
  last request before it ends (and so before the lock passes to the next worker).
- A worker killed outright leaves its job `doing` with a heartbeat that stops. `keep_sweeps_moving` (every worker
  runs it; a PostgreSQL advisory lock lets one at a time act) hands jobs of workers silent for `stalled_after`
  seconds back to the queue (`JobManager.get_stalled_jobs` / `retry_job`), where another worker takes them.
- The run is `finished` when no job of it is waiting or running: checked by each job as it ends, and by the
  maintenance loop for the case where the last two jobs end at the same moment and each sees the other running.
- Finished jobs (succeeded, failed, cancelled, aborted) older than `keep_days` are deleted, with their events, by
  procrastinate's builtin `remove_old_jobs`, run as the periodic task `PRUNE_TASK` (`register_job_pruning`):
  every worker's periodic deferrer offers it, procrastinate defers it once per cron tick, one worker runs it.
  Jobs still waiting or running are never deleted, so no run loses the jobs that finish it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from procrastinate import App, JobContext, builtin_tasks
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker.domain import Kommune
from tracker.errors import StorageError
from tracker.store import database, runs, sweep_jobs
from tracker.store.sweep_jobs import CHECK_TASK

logger = logging.getLogger(__name__)

#: the procrastinate queue of kommune checks (its jobs carry the task name `CHECK_TASK`)
QUEUE = "sweep"
#: the periodic task that deletes old finished jobs, and its default schedule (daily, 04:30 UTC)
PRUNE_TASK = "planvakt.prune_jobs"
PRUNE_CRON = "30 4 * * *"
#: finished jobs are kept this many days by default
KEEP_JOBS_DAYS = 14
#: PostgreSQL advisory lock key that lets one worker at a time hand stalled jobs back (0x706C61xx: "pla.")
STALLED_LOCK_KEY = 0x706C6171


def host_lock(website: str) -> str:
    """The procrastinate lock of every job whose kommune site is on this host."""
    return f"host:{(urlsplit(website).hostname or website).lower()}"


def kommune_lock(run_id: int, kommune_id: int) -> str:
    """The queueing lock of one kommune's check in one sweep."""
    return f"check:{run_id}:{kommune_id}"


def require_postgres(engine: Engine) -> None:
    """The job queue lives in PostgreSQL; on SQLite say what to use instead."""
    if engine.dialect.name != "postgresql":
        raise StorageError.said("db_error.queue_needs_postgres")


def enqueue_sweep(
    app: App,
    session_factory: sessionmaker[Session],
    kommuner: Sequence[Kommune],
    options_record: dict[str, Any],
    now: datetime,
) -> int:
    """Start a crawl run and queue one check job per kommune, in one transaction; return the run id."""
    with session_factory.begin() as session:
        run = runs.start_run(session, options_record, len(kommuner), now)
        _defer_checks(app, session, run.id, kommuner)
        run_id = run.id
    logger.info("crawl run %d: %d kommuner queued", run_id, len(kommuner))
    return run_id


def queue_checks(
    app: App, session_factory: sessionmaker[Session], run_id: int, kommuner: Sequence[Kommune], now: datetime
) -> int:
    """Queue check jobs into an existing run (the scheduler's claimed sweep) for the kommuner it has not checked
    yet; finish the run at once when there are none. Returns the number of jobs queued."""
    with session_factory.begin() as session:
        ids = runs.sync_kommuner(session, kommuner)
        done = runs.checked_kommune_ids(session, run_id)
        todo = [k for k in kommuner if ids[(k.country.value, k.kommunenummer)] not in done]
        if todo:
            _defer_checks(app, session, run_id, todo)
        else:
            run = runs.find_run(session, run_id, lock=True)
            if run is not None and run.state == "running":
                runs.finish_run(session, run, now)
    logger.info("crawl run %d: %d kommuner queued", run_id, len(todo))
    return len(todo)


def _defer_checks(app: App, session: Session, run_id: int, kommuner: Sequence[Kommune]) -> None:
    """Defer one check job per kommune on the session's own connection: they commit (or not) with the session."""
    require_postgres(session.get_bind())  # type: ignore[arg-type]
    ids = runs.sync_kommuner(session, kommuner)
    jobs = []
    for kommune in kommuner:
        kommune_id = ids[(kommune.country.value, kommune.kommunenummer)]
        deferrer = app.configure_task(
            CHECK_TASK, queue=QUEUE, lock=host_lock(kommune.website), queueing_lock=kommune_lock(run_id, kommune_id)
        )
        jobs.append(deferrer.make_new_job(run_id=run_id, kommune_id=kommune_id))
    app.job_manager.batch_defer_jobs(jobs, connection=sweep_jobs.driver_connection(session))


def finish_if_last(session_factory: sessionmaker[Session], run_id: int, job_id: int, now: datetime) -> bool:
    """Mark the run finished when no job of it but `job_id` (the caller, about to end) is waiting or running.

    The run's row is locked first, so two jobs ending together never both finish it.
    """
    with session_factory.begin() as session:
        run = runs.find_run(session, run_id, lock=True)
        if run is None or run.state != "running":
            return False
        if sweep_jobs.other_open_jobs(session, run_id, job_id):
            return False
        runs.finish_run(session, run, now)
    logger.info("crawl run %d finished", run_id)
    return True


def finish_drained_runs(session_factory: sessionmaker[Session], now: datetime) -> list[int]:
    """Finish every queued run with no job left waiting or running; return their ids."""
    finished = []
    with session_factory.begin() as session:
        for run_id in sweep_jobs.drained_run_ids(session):
            run = runs.find_run(session, run_id, lock=True)
            if run is not None and run.state == "running":
                runs.finish_run(session, run, now)
                finished.append(run.id)
    for run_id in finished:
        logger.info("crawl run %d finished (its last jobs ended together)", run_id)
    return finished


async def retry_stalled_jobs(app: App, engine: Engine, stalled_after: float) -> int:
    """Hand back to the queue the check jobs of workers whose heartbeat is `stalled_after` seconds old.

    One worker at a time does it (advisory lock): two listing the same stalled job, the second could otherwise put
    it back after a live worker had already taken it, and two workers would crawl one host.
    """
    with sweep_jobs.advisory_lock(engine, STALLED_LOCK_KEY) as held:
        if not held:
            return 0
        stalled = list(await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after))
        for job in stalled:
            logger.warning("job %s (%s) of a silent worker goes back to the queue", job.id, job.call_string)
            await app.job_manager.retry_job(job)
    return len(stalled)


async def keep_sweeps_moving(
    app: App,
    engine: Engine,
    *,
    every: float,
    stalled_after: float,
    now: Callable[[], datetime],
) -> None:
    """Until cancelled: retry stalled jobs and finish drained runs every `every` seconds (errors are logged)."""
    factory = database.make_session_factory(engine)
    while True:
        try:
            await retry_stalled_jobs(app, engine, stalled_after)
            finish_drained_runs(factory, now())
        except Exception:  # noqa: BLE001 - a database hiccup must not stop the worker; the next round tries again
            logger.exception("sweep maintenance failed; trying again in %.0f s", every)
        await asyncio.sleep(every)


def register_job_pruning(app: App, *, keep_days: int = KEEP_JOBS_DAYS, cron: str = PRUNE_CRON) -> None:
    """Delete finished jobs older than `keep_days` on `cron` (crontab's five fields in UTC; a sixth gives seconds),
    with procrastinate's builtin task: procrastinate's documented recipe, on the sweep queue the workers listen to.
    A prune waits for a free job slot, which a daily task can afford."""

    @app.periodic(cron=cron, periodic_id="prune")
    @app.task(name=PRUNE_TASK, queue=QUEUE, queueing_lock=PRUNE_TASK, pass_context=True)
    async def prune_jobs(context: JobContext, timestamp: int) -> None:
        await builtin_tasks.remove_old_jobs(
            context, max_hours=keep_days * 24, remove_failed=True, remove_cancelled=True, remove_aborted=True
        )
        logger.info("finished jobs older than %d days deleted", keep_days)
