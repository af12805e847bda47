"""`planvakt sweep enqueue` and `planvakt worker`: a sweep as one job per kommune in procrastinate's PostgreSQL
queue, worked by any number of worker processes on any number of machines (tracker.schedule.sweep_queue,
tracker.schedule.worker).

Here the engine, the procrastinate App, the extractor and the evidence store are built and passed down.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from typing import Annotated, Any

import typer

from planvakt import heap
from planvakt.options import (
    AllowPrivateOption,
    CrawlKommuneOption,
    DbOption,
    MaxPagesOption,
    PerHostDelayOption,
    RegistryOption,
    RenderOption,
)
from planvakt.wiring import crawl_inputs, engine_for, fail, queue_app, settings_for
from tracker.config import Settings
from tracker.errors import TrackerError

logger = logging.getLogger(__name__)

#: kommune checks one worker runs at once when neither --concurrency nor PLANVAKT_CONCURRENCY gives a number
#: (the global caps on connections, browser pages and document bytes protect the machine, as in `planvakt crawl`)
WORKER_CONCURRENCY = 32

sweep_app = typer.Typer(help="Sweeps as jobs in the PostgreSQL job queue (for `planvakt worker` processes).")


@sweep_app.command("enqueue")
def enqueue(
    registry: RegistryOption = None,
    kommune: CrawlKommuneOption = None,
    max_pages_per_site: MaxPagesOption = None,
    per_host_delay: PerHostDelayOption = None,
    render: RenderOption = "auto",
    allow_private_networks: AllowPrivateOption = False,
    db: DbOption = None,
) -> None:
    """Start a crawl run and queue one check job per kommune; `planvakt worker` processes do the crawling."""
    from tracker.clock import utc_now
    from tracker.schedule.sweep_queue import enqueue_sweep
    from tracker.store import database

    inputs = crawl_inputs(
        db,
        registry,
        kommune,
        max_pages=max_pages_per_site,
        delay=per_host_delay,
        concurrency=None,
        render=render,
        allow_private=allow_private_networks,
    )
    try:
        app = queue_app(inputs.engine)
    except TrackerError as exc:
        raise fail(exc) from exc
    factory = database.make_session_factory(inputs.engine)
    run_id = enqueue_sweep(app, factory, inputs.kommuner, inputs.options.record(), utc_now())
    inputs.engine.dispose()
    typer.echo(f"crawl run {run_id}: {len(inputs.kommuner)} kommuner queued")


def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(help="Kommune sites this worker checks at once (PLANVAKT_CONCURRENCY; 32 if that is 0).", min=1),
    ] = None,
    heartbeat: Annotated[float, typer.Option(help="Seconds between this worker's heartbeats.", min=0.1)] = 10.0,
    stalled_after: Annotated[
        float,
        typer.Option(help="A worker silent this many seconds is taken for dead and its jobs are run again.", min=1),
    ] = 60.0,
    maintenance_every: Annotated[
        float, typer.Option(help="Seconds between looks for stalled jobs and finished runs.", min=0.1)
    ] = 10.0,
    shutdown_grace: Annotated[
        float,
        typer.Option(help="On SIGTERM/SIGINT, seconds running checks may take; then they go back to the queue."),
    ] = 30.0,
    keep_jobs_days: Annotated[
        int | None,
        typer.Option(help="Finished jobs older than this many days are deleted (a periodic task; 14).", min=1),
    ] = None,
    prune_cron: Annotated[
        str | None, typer.Option(help="When old finished jobs are deleted: crontab's fields, UTC ('30 4 * * *').")
    ] = None,
    db: DbOption = None,
) -> None:
    """Work the sweep job queue (PostgreSQL) until SIGTERM/SIGINT: check one kommune per job."""
    from tracker.schedule.sweep_queue import KEEP_JOBS_DAYS, PRUNE_CRON, register_job_pruning

    settings = settings_for(db)
    try:
        engine = engine_for(settings)
        app = queue_app(engine)
    except TrackerError as exc:
        raise fail(exc) from exc
    name = f"{socket.gethostname()}:{os.getpid()}"
    options = {
        # PLANVAKT_CONCURRENCY=0 (every site at once) is the in-process crawl's default; a worker needs a number
        "concurrency": concurrency or (settings.concurrency if settings.concurrency > 0 else WORKER_CONCURRENCY),
        "name": name,
        "update_heartbeat_interval": heartbeat,
        "stalled_worker_timeout": stalled_after,
        "shutdown_graceful_timeout": shutdown_grace,
    }
    logger.info("worker %s: %d at a time", name, options["concurrency"])
    try:
        register_job_pruning(app, keep_days=keep_jobs_days or KEEP_JOBS_DAYS, cron=prune_cron or PRUNE_CRON)
        heap.settle_for_crawling()
        asyncio.run(_work(settings, engine, app, options, maintenance_every, stalled_after))
    finally:
        engine.dispose()
    typer.echo(f"worker {name} stopped")


async def _work(
    settings: Settings, engine: Any, app: Any, options: dict[str, Any], every: float, stalled_after: float
) -> None:
    from tracker.clock import utc_now
    from tracker.schedule.sweep_queue import QUEUE, keep_sweeps_moving
    from tracker.schedule.worker import SiteChecker, register_check_task
    from tracker.site_check import crawl_dependencies
    from tracker.store import database
    from tracker.store.host_leases import HostLeases

    factory = database.make_session_factory(engine)
    async with app.open_async(), crawl_dependencies(settings, factory) as deps:
        async with SiteChecker(deps, host_slots=HostLeases(engine)) as checker:
            register_check_task(app, checker)
            maintenance = asyncio.create_task(
                keep_sweeps_moving(app, engine, every=every, stalled_after=stalled_after, now=utc_now)
            )
            try:
                await app.run_worker_async(queues=[QUEUE], install_signal_handlers=True, **options)
            finally:
                maintenance.cancel()
                await asyncio.gather(maintenance, return_exceptions=True)


def register(app: typer.Typer) -> None:
    """Add `planvakt sweep enqueue` and `planvakt worker` to the command line."""
    app.add_typer(sweep_app, name="sweep")
    app.command("worker")(worker)
