"""When sweeps run and where: the scheduler (`scheduler_process`, its jobs' context `job_context`, the sweep's
crontab `cron`) and the PostgreSQL job queue of one check per kommune (`sweep_queue`, whose job is `worker`).

This module holds the scheduler's jobs: APScheduler 3 callables that call the pipeline and the outbox. A composition
root, no rules of its own. They stay here under these names: the job store keeps references to them
(`tracker.schedule:sweep_job`), so they are the package's own module, not one of its submodules.

Jobs, persisted in the same database (table `apscheduler_jobs`) so a restart keeps their next run times:

    planvakt.sweep     cron, `PLANVAKT_SWEEP_CRON` (UTC)   crawl every kommune of the registry
    planvakt.followup  every 15 minutes                   re-crawl kommuner with a plan suspected missing once
                                                          their last check is `PLANVAKT_FOLLOWUP_HOURS` old
    planvakt.alerts    every minute                       `public_subscribe.expire_unconfirmed`, `outbox.send_due`

Every scheduler process on a database fires the same persisted jobs; a crawl first claims its slot
(`sweep:<scheduled fire time>`) in `sweep_claim` (see `tracker.store.sweeps`), so a sweep runs once however many
processes fire it, and never on top of a sweep still running.

A sweep interrupted by a stop (SIGTERM: its run is `interrupted`) is resumed by the next scheduler to start, or by the
next sweep job, if it is still the newest sweep and its slot is within one sweep period: the slot
`resume:sweep:<fire time>` is claimed for the same crawl run, so it is resumed once, by one process.

The job store keeps only plain kwargs (no secrets, no engines); what a process lends its jobs (settings, engine,
stop flag, the scheduled fire time) travels in a `JobContext` that `ContextExecutor` adds at submission
(`tracker.schedule.job_context`). Which jobs run when, and the scheduler that runs them, is
`tracker.schedule.scheduler_process`; the sweep's crontab is read by `tracker.schedule.cron`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawlers.types import CrawlOptions
from tracker.domain import Kommune
from tracker.pipeline import run_crawl
from tracker.registry import builtin_registry, load_registry_csv, select
from tracker.schedule.job_context import JobContext, Runtime
from tracker.site_check import crawl_dependencies
from tracker.store import runs, sweeps

logger = logging.getLogger(__name__)

#: how often a running crawl looks at the stop flag
STOP_POLL_SECONDS = 0.2


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
    """Delete public subscriptions past their confirmation window, then deliver what the outbox has due (safe when
    several processes do both at once). Private webhook/Apprise targets only with `allow_private_networks`."""
    from tracker.alerts.outbox import send_due
    from tracker.alerts.public_subscribe import expire_unconfirmed

    runtime = _required(context).runtime
    if runtime.stopping.is_set():
        return
    factory = runtime.session_factory()
    expire_unconfirmed(factory, runtime.now())
    report = send_due(factory, runtime.settings, now=runtime.now, allow_private_networks=allow_private_networks)
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
                runs.interrupt_run(session, claim.run_id, runtime.now())
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
            if not queued:
                runs.interrupt_run(session, run_id, runtime.now())
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
