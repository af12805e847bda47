"""`planvakt crawl` and `planvakt demo`: a crawl run from the command line (in this process, with a progress bar on a
terminal), then the findings table and the run's summary. Ctrl-C stores the run `interrupted` and exits 130."""

from __future__ import annotations

import asyncio
import logging
from contextlib import nullcontext
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from crawlers.types import CrawlOptions
from planvakt import heap
from planvakt.crawl_progress import RichProgress
from planvakt.demo_serve import DEMO_WEB_PORT
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
from planvakt.wiring import console, crawl_inputs, crawl_options, engine_for, fail, settings_for
from tracker.config import Settings
from tracker.domain import Kommune
from tracker.errors import TrackerError
from tracker.export import csv_text, finding_records
from tracker.registry import load_registry_csv
from tracker.run_summary import RunSummary
from tracker.secretbox import SecretKeys
from tracker.store import database, latest, runs, sweeps

#: exit code of a crawl that could reach none of its sites (2 is a usage or setup error, 130 an interruption)
NOTHING_REACHED = 3


def crawl(
    registry: RegistryOption = None,
    kommune: CrawlKommuneOption = None,
    max_pages_per_site: MaxPagesOption = None,
    per_host_delay: PerHostDelayOption = None,
    concurrency: ConcurrencyOption = None,
    render: RenderOption = "auto",
    allow_private_networks: AllowPrivateOption = False,
    resume: Annotated[
        bool, typer.Option(help="Continue the last unfinished run instead of starting a new one.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Crawl kommune sites, find and classify their plans, and store a finding per kommune."""
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
    run_id = _run(inputs.settings, inputs.engine, inputs.kommuner, inputs.options, resume=resume)
    typer.echo(f"crawl run {run_id} finished")
    _print_findings(inputs.engine)
    if _print_summary(inputs.engine, run_id).nothing_reached:
        raise typer.Exit(code=NOTHING_REACHED)


def _run(settings: Settings, engine: Any, kommuner: list[Kommune], options: CrawlOptions, *, resume: bool) -> int:
    """The crawl's run id; on Ctrl-C one line on how far it got and exit 130 (the run is stored `interrupted`)."""
    from tracker.pipeline import CrawlInterrupted

    try:
        return _crawl(settings, engine, kommuner, options, resume=resume)
    except CrawlInterrupted as stop:
        console.print(f"interrupted after {stop.checked} of {stop.planned} sites; resume with --resume")
    except KeyboardInterrupt:  # before the run was stored, or a second Ctrl-C while it was being marked
        console.print("interrupted; resume with --resume")
    raise typer.Exit(code=130)


def _crawl(settings: Settings, engine: Any, kommuner: list[Kommune], options: CrawlOptions, *, resume: bool) -> int:
    from tracker.pipeline import CrawlInterrupted, run_crawl
    from tracker.site_check import crawl_dependencies

    factory = database.make_session_factory(engine)
    resume_id = None
    if resume:
        from datetime import UTC

        with factory() as session:
            alive_since = datetime.now(UTC) - sweeps.CLAIM_ALIVE_FOR
            unfinished = sweeps.resumable_run(session, alive_since)  # never a sweep still running elsewhere
        resume_id = unfinished.id if unfinished else None

    async def go() -> int:
        with _progress() as progress:
            async with crawl_dependencies(settings, factory, progress=progress) as deps:
                return await run_crawl(kommuner, options, deps, resume_run_id=resume_id)

    async def interruptible() -> int | CrawlInterrupted:
        # asyncio.run turns a cancellation left to propagate into a bare KeyboardInterrupt: keep what the run said
        asyncio.get_running_loop().set_exception_handler(_quiet_dead_driver)
        try:
            return await go()
        except CrawlInterrupted as stop:
            return stop

    heap.settle_for_crawling()
    outcome = asyncio.run(interruptible())
    if isinstance(outcome, CrawlInterrupted):
        raise outcome
    return outcome


#: what Playwright's pipe says when its driver died (Ctrl-C reaches the driver too: same process group)
_DEAD_DRIVER = "Connection closed while reading from the driver"


def _quiet_dead_driver(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's handler of errors nobody awaited, minus Playwright's dead-driver future.

    Playwright sets that error on a future it never reads; the renderer has already let the dead browser go, so
    it is no news to the person who pressed Ctrl-C (a debug line, not an ERROR with the exception).
    """
    if str(context.get("exception")) == _DEAD_DRIVER:
        logging.getLogger(__name__).debug("Playwright's driver is gone: %s", context.get("message"))
        return
    loop.default_exception_handler(context)


def _progress() -> Any:
    from tracker.progress import LogProgress

    return RichProgress() if console.is_terminal else nullcontext(LogProgress())


def _print_summary(engine: Any, run_id: int) -> RunSummary:
    with database.make_session_factory(engine)() as session:
        summary = runs.run_summary(session, run_id)
    typer.echo(summary.paragraph())
    return summary


def _print_findings(engine: Any) -> None:
    factory = database.make_session_factory(engine)
    table = Table(title="Findings (latest check per kommune)")
    for column in ("kommune", "status", "category", "format", "years", "current", "via", "depth", "pages"):
        table.add_column(column)
    with factory() as session:
        for record in finding_records(latest.iter_latest_findings(session)):
            text = {column: csv_text(column, value, record) for column, value in record.items()}
            table.add_row(
                f"{text['kommunenummer']} {text['name']}",
                text["status"],
                text["plan_category"],
                text["plan_format"],
                text["plan_years"],
                text["plan_current"],
                text["found_via"],
                text["click_depth"],
                text["pages_fetched"],
            )
    Console(width=max(console.width, 150)).print(table)


def demo(
    db: DbOption = None,
    per_host_delay: Annotated[float, typer.Option(help="Delay between requests to one demo host.")] = 0.05,
    web_port: Annotated[
        int, typer.Option(help="Port of the demo web (`serve --demo` serves it again on the same one; 0: any).")
    ] = DEMO_WEB_PORT,
) -> None:
    """Start the bundled demo web on loopback addresses, crawl it, and print the findings table."""
    from crawlers.testweb import build_demo_web

    settings = settings_for(db)
    try:
        engine = engine_for(settings, migrated=False)
    except TrackerError as exc:
        raise fail(exc) from exc
    database.upgrade(engine, SecretKeys.from_settings(settings))
    with build_demo_web(port=web_port) as web:
        registry = web.write_registry(settings.var_dir / "demo-registry.csv")
        kommuner = load_registry_csv(registry)
        options = crawl_options(settings, 120, per_host_delay, 16, "auto", True)
        started = datetime.now()
        run_id = _run(settings, engine, kommuner, options, resume=False)
        console.print(
            f"demo crawl run {run_id} of {len(kommuner)} sites took {(datetime.now() - started).total_seconds():.1f} s"
        )
    _print_findings(engine)
    _print_summary(engine, run_id)
    typer.echo(
        "next: planvakt serve --demo (make demo does): the dashboard with the demo web, tips and a reviewer token"
    )


def register(app: typer.Typer) -> None:
    """Add `planvakt crawl` and `planvakt demo` to the command line."""
    app.command("crawl")(crawl)
    app.command("demo")(demo)
