"""`planvakt schedule`: parse options, build the scheduler's runtime, run it in the foreground until told to stop."""

from __future__ import annotations

import logging
import os
import signal
import socket
from collections.abc import Callable
from datetime import timedelta
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer

from planvakt import heap
from planvakt.options import (
    AllowPrivateOption,
    ConcurrencyOption,
    CrawlKommuneOption,
    DbOption,
    MaxPagesOption,
    PerHostDelayOption,
    RegistryOption,
    RenderOption,
)
from planvakt.wiring import crawl_inputs, fail, queue_app
from tracker.domain import Kommune
from tracker.errors import TrackerError

if TYPE_CHECKING:
    from tracker.schedule.job_context import Runtime
    from tracker.schedule.scheduler_process import ScheduleOptions

logger = logging.getLogger(__name__)


#: the scheduler's own options; the crawl's are shared with `planvakt crawl` (`planvakt.options`)
SweepCronOption = Annotated[
    str | None,
    typer.Option(
        "--sweep-cron",
        help="When to sweep every kommune: crontab in UTC, 5 fields, or 6 with seconds first "
        "(default PLANVAKT_SWEEP_CRON, '0 3 * * 1': Mondays 03:00).",
    ),
]
FollowupEveryOption = Annotated[
    int, typer.Option(help="Seconds between looks for suspected vanishes due a follow-up check.", min=1)
]
AlertsEveryOption = Annotated[int, typer.Option(help="Seconds between alert deliveries.", min=1)]
RunForOption = Annotated[
    float | None, typer.Option(help="Stop after this many seconds (default: run until SIGTERM/SIGINT).")
]
ExitAfterSweepsOption = Annotated[
    int | None, typer.Option(help="Stop once this process has run this many sweeps to their end.", min=1)
]
QueueOption = Annotated[
    bool,
    typer.Option(
        "--queue",
        help="PostgreSQL: queue sweeps and follow-ups as one job per kommune for `planvakt worker` processes "
        "instead of crawling here.",
    ),
]


def schedule(
    sweep_cron: SweepCronOption = None,
    followup_every: FollowupEveryOption = 900,
    alerts_every: AlertsEveryOption = 60,
    run_for: RunForOption = None,
    exit_after_sweeps: ExitAfterSweepsOption = None,
    registry: RegistryOption = None,
    kommune: CrawlKommuneOption = None,
    max_pages_per_site: MaxPagesOption = None,
    per_host_delay: PerHostDelayOption = None,
    concurrency: ConcurrencyOption = None,
    render: RenderOption = "auto",
    allow_private_networks: AllowPrivateOption = False,
    queue: QueueOption = False,
    db: DbOption = None,
) -> None:
    """Run the scheduler in the foreground: weekly sweep, follow-ups of suspected vanishes, alerts every minute."""
    from tracker.schedule.cron import sweep_trigger
    from tracker.schedule.job_context import Runtime
    from tracker.schedule.scheduler_process import ScheduleOptions

    # the registry and --kommune are read now, so a bad one fails at start, not at 03:00
    inputs = crawl_inputs(
        db,
        registry,
        kommune,
        max_pages=max_pages_per_site,
        delay=per_host_delay,
        concurrency=concurrency,
        render=render,
        allow_private=allow_private_networks,
    )
    settings = inputs.settings
    cron = sweep_cron or settings.sweep_cron
    try:
        sweep_trigger(cron)
        app = queue_app(inputs.engine) if queue else None
    except (TrackerError, ValueError) as exc:
        raise fail(exc) from exc
    finally:
        inputs.engine.dispose()
    options = ScheduleOptions(
        sweep_cron=cron,
        registry=registry,
        kommuner=tuple(kommune or ()),
        crawl=inputs.options,
        followup_every=timedelta(seconds=followup_every),
        alerts_every=timedelta(seconds=alerts_every),
        run_for=timedelta(seconds=run_for) if run_for is not None else None,
    )
    runtime = Runtime(settings, instance=f"{socket.gethostname()}:{os.getpid()}", exit_after_sweeps=exit_after_sweeps)
    if app is not None:
        runtime.enqueue = _enqueuer(app, runtime)
    typer.echo(f"scheduler stopped after {_until_signalled(runtime, options)} sweep(s)")


def _until_signalled(runtime: Runtime, options: ScheduleOptions) -> int:
    """Run the scheduler until SIGTERM or SIGINT (or its own limits) and return the sweeps it ran: a signal lets the
    running jobs end (a crawl is interrupted, so it can be resumed), then the previous handlers come back."""
    from tracker.schedule.scheduler_process import run_scheduler

    def stop(signum: int, _frame: FrameType | None) -> None:
        logger.info("%s: stopping after the running jobs (a crawl is interrupted)", signal.Signals(signum).name)
        runtime.stopping.set()

    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)  # "job ran" every minute
    heap.settle_for_crawling()  # its sweeps crawl in this process
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return run_scheduler(runtime, options)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _enqueuer(app: Any, runtime: Any) -> Callable[[int, list[Kommune]], None]:
    """The scheduler's hand-over to the job queue: the claimed run's kommuner as check jobs."""
    from tracker.schedule.sweep_queue import queue_checks

    def enqueue(run_id: int, kommuner: list[Kommune]) -> None:
        queue_checks(app, runtime.session_factory(), run_id, kommuner, runtime.now())

    return enqueue


def register(app: typer.Typer) -> None:
    """Add `planvakt schedule` to the command line."""
    app.command("schedule")(schedule)
