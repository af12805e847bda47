"""The `planvakt` command line: parse options, build dependencies, call one function. No business rules here.

The app and the core commands live here; `schedule`, the alert commands and `serve` register on it from their own
modules, which import only `planvakt.options` and `planvakt.wiring`, never this one.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from crawlers.types import CrawlOptions
from planvakt import cli_alerts, cli_schedule, cli_serve, cli_worker
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
from planvakt.wiring import console, crawl_inputs, crawl_options, engine_for, fail, kommuner_from, settings_for
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import DocumentText, Kommune, Status
from tracker.errors import TrackerError
from tracker.export import (
    EXPORT_FORMATS,
    FINDINGS_COLUMNS,
    PLANS_COLUMNS,
    Record,
    csv_text,
    finding_records,
    plan_records,
    write_records,
)
from tracker.registry import load_registry_csv
from tracker.run_summary import RunSummary
from tracker.secretbox import SecretKeys
from tracker.store import database, latest, reviews, runs

app = typer.Typer(
    help="Planvakt: finds, reads and watches kommuner's plans against sexual abuse of children.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
#: exit code of a crawl that could reach none of its sites (2 is a usage or setup error, 130 an interruption)
NOTHING_REACHED = 3

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
registry_app = typer.Typer(help="The kommune registry.", no_args_is_help=True)
export_app = typer.Typer(help="Exports for journalists (CSV, Excel CSV or JSON).", no_args_is_help=True)
ExportFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        help="csv (UTF-8, comma: for programs) | excel-csv (UTF-8 with BOM, semicolon: opens in columns in a "
        "Norwegian/Danish Excel) | json (typed values).",
    ),
]
app.add_typer(db_app, name="db")
app.add_typer(registry_app, name="registry")
app.add_typer(export_app, name="export")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False) -> None:
    """Planvakt's command line."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "httpcore", "pdfminer", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database to the newest schema (alembic upgrade head); tighten the evidence store."""
    settings = settings_for(db)
    try:
        engine = engine_for(settings, migrated=False)
    except TrackerError as exc:
        raise fail(exc) from exc
    database.upgrade(engine, SecretKeys.from_settings(settings))
    EvidenceStore.open(settings.resolved_evidence_dir)  # an older version's store gets owner-only modes here
    console.print(f"database ready: {settings.resolved_database_url}")


@registry_app.command("load")
def registry_load(registry: RegistryOption = None, db: DbOption = None) -> None:
    """Load the registry into the database (all 357 Norwegian and 98 Danish kommuner by default)."""
    try:
        kommuner = kommuner_from(registry)
        factory = database.make_session_factory(engine_for(settings_for(db)))
        with factory.begin() as session:
            runs.sync_kommuner(session, kommuner)
            counts = runs.count_kommuner(session)
    except TrackerError as exc:
        raise fail(exc) from exc
    typer.echo(
        f"loaded {len(kommuner)} kommuner; database now holds "
        + ", ".join(f"{n} {c}" for c, n in sorted(counts.items()))
    )


@app.command("crawl")
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

        from tracker.store import sweeps

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


class _RichProgress:
    """A live progress bar on a terminal: sites done of planned, sites in flight and pages fetched.

    While the bar is live, the log's stream handlers write through rich's redirected standard error, so log lines
    are printed above the bar instead of running into it.
    """

    def __init__(self, on: Console = console) -> None:
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sites done · {task.fields[in_flight]} in flight · {task.fields[pages]:,} pages"),
            TimeElapsedColumn(),
            console=on,
            # its own thread redraws it, holding the GIL the crawl needs: 10 redraws a second (rich's default)
            # cost 11 ms of CPU per second, 2 (as often as the crawl reports progress) 3 ms
            refresh_per_second=2,
        )
        self.task: Any = None
        self._streams: list[tuple[logging.StreamHandler[Any], Any]] = []

    def __enter__(self) -> _RichProgress:
        self.bar.start()
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.__stderr__, sys.__stdout__):
                live = sys.stderr if handler.stream is sys.__stderr__ else sys.stdout  # rich's proxies while live
                self._streams.append((handler, handler.stream))
                handler.setStream(live)
        return self

    def __exit__(self, *exc: object) -> None:
        for handler, stream in self._streams:
            handler.setStream(stream)
        self._streams.clear()
        self.bar.stop()

    def planned(self, total: int) -> None:
        self.task = self.bar.add_task("crawling", total=total, in_flight=0, pages=0)

    def crawling(self, pages: int, in_flight: int) -> None:
        self.bar.update(self.task, pages=pages, in_flight=in_flight)

    def site_done(self, kommune: Kommune, status: Status, pages: int) -> None:
        self.bar.console.log(f"{kommune.kommunenummer} {kommune.name}: {status.value} ({pages} pages)")
        self.bar.advance(self.task)

    def site_failed(self, kommune: Kommune, reason: str) -> None:
        self.bar.console.log(f"{kommune.kommunenummer} {kommune.name}: check failed on our side, not stored: {reason}")
        self.bar.advance(self.task)


def _progress() -> Any:
    from tracker.progress import LogProgress

    return _RichProgress() if console.is_terminal else nullcontext(LogProgress())


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


@export_app.command("findings")
def export_findings(
    format: ExportFormatOption = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    db: DbOption = None,
) -> None:
    """One row per kommune, its latest check (columns in README's data dictionary)."""
    _export(
        FINDINGS_COLUMNS,
        lambda session: finding_records(latest.iter_latest_findings(session), reviews.finding_reviews(session)),
        format,
        out,
        db,
    )


def _export(
    columns: tuple[str, ...],
    records: Callable[[Session], Iterable[Record]],
    format: str,
    out: Path | None,
    db: str | None,
) -> None:
    fmt = next((f for f in EXPORT_FORMATS if f == format), None)
    if fmt is None:
        raise fail(ValueError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {format!r}"))
    try:
        factory = database.make_session_factory(engine_for(settings_for(db), read_only=True))
    except TrackerError as exc:
        raise fail(exc) from exc
    with factory() as session:
        try:  # filters are checked here, before --out is created
            rows = records(session)
        except TrackerError as exc:
            raise fail(exc) from exc
        target = out.open("w", encoding="utf-8", newline="") if out else nullcontext(sys.stdout)
        with target as handle:
            count = write_records(rows, columns, handle, fmt)
    if out:
        console.print(f"wrote {count} rows to {out}")


@export_app.command("plans")
def export_plans(
    format: ExportFormatOption = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    db: DbOption = None,
) -> None:
    """One row per plan document in each kommune's latest check: reading, checklist criteria, accessibility."""
    _export(
        PLANS_COLUMNS,
        lambda session: plan_records(latest.iter_latest_plans(session), reviews.plan_reviews(session)),
        format,
        out,
        db,
    )


@app.command("demo")
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


@app.command("reclassify")
def reclassify_command(db: DbOption = None) -> None:
    """Re-read every stored document with the current classifier and re-decide the latest findings (no re-crawl)."""
    from tracker.clock import utc_now
    from tracker.reclassify import reclassify

    try:
        factory = database.make_session_factory(engine_for(settings_for(db)))
    except TrackerError as exc:
        raise fail(exc) from exc
    report = reclassify(factory, today=utc_now().date(), now=utc_now)
    typer.echo(
        f"classifier {report.version}: read {report.documents_read} documents, re-decided "
        f"{report.findings_redecided} findings ({report.findings_changed} changed)"
    )


_CORPUS_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}


def _read_corpus_file(path: Path) -> DocumentText:
    """A binary corpus document, read by the crawler's sandboxed extractor (OCR for scans) like a crawled one."""
    from crawlers.errors import ExtractionError
    from crawlers.extract import extract_sync

    fmt = _CORPUS_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"unsupported file type {path.suffix!r} (use .txt, .pdf, .docx or .html)")
    try:
        extracted = extract_sync(path.read_bytes(), fmt, url=path.as_uri())
    except ExtractionError as exc:
        raise ValueError(f"could not extract: {exc}") from exc
    return DocumentText(url=f"corpus:{path.name}", title=extracted.title, pages=extracted.pages, format=fmt)


@app.command("evaluate")
def evaluate(
    corpus_dir: Annotated[
        Path,
        typer.Argument(
            help="Folder of .txt/.pdf documents with labels.csv (file,label,language).", exists=True, file_okay=False
        ),
    ],
) -> None:
    """Measure the classifier on a labelled corpus: precision, recall and F1 per category, and the confusion matrix."""
    from tracker.evaluate import evaluate_corpus, format_report

    try:
        report = evaluate_corpus(corpus_dir, read_binary=_read_corpus_file)
    except ValueError as exc:
        raise fail(exc) from exc
    typer.echo(format_report(report))


@export_app.command("events")
def export_events(
    format: ExportFormatOption = "csv",
    since: Annotated[
        datetime | None,
        typer.Option("--since", help="Only events detected on or after this date (UTC).", formats=["%Y-%m-%d"]),
    ] = None,
    kommune: Annotated[
        list[str] | None, typer.Option("--kommune", help="Only this kommunenummer (repeatable).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    db: DbOption = None,
) -> None:
    """Every change event (plan_appeared ... crawler_blocked, check_failed), oldest first; details = the evidence."""
    from datetime import UTC

    from tracker.export import EVENTS_COLUMNS, event_records
    from tracker.filters import check_values
    from tracker.store import watch

    start = since.replace(tzinfo=UTC) if since else None

    def records(session: Session) -> Iterable[Record]:
        check_values("kommunenummer", kommune or [], watch.kommunenumre(session))
        return event_records(watch.iter_events(session, since=start, kommuner=kommune or ()))

    _export(
        EVENTS_COLUMNS,
        records,
        format,
        out,
        db,
    )


cli_schedule.register(app)
cli_alerts.register(app)
cli_serve.register(app)
cli_worker.register(app)
