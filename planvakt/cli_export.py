"""`planvakt export findings|plans|events`: the data for journalists as CSV, Excel CSV or JSON (`tracker.export`),
to standard output or a file; filters are checked before the file is made."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from planvakt.options import DbOption
from planvakt.wiring import console, engine_for, fail, settings_for
from tracker.errors import ConfigError, TrackerError
from tracker.export import (
    EXPORT_FORMATS,
    FINDINGS_COLUMNS,
    PLANS_COLUMNS,
    Record,
    finding_records,
    plan_records,
    write_records,
)
from tracker.store import database, latest, reviews, watch

export_app = typer.Typer(help="Exports for journalists (CSV, Excel CSV or JSON).", no_args_is_help=True)


ExportFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        help="csv (UTF-8, comma: for programs) | excel-csv (UTF-8 with BOM, semicolon: opens in columns in a "
        "Norwegian/Danish Excel) | json (typed values).",
    ),
]


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
        raise fail(ConfigError.said("cli_error.format", valid=", ".join(EXPORT_FORMATS), value=repr(format)))
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


def register(app: typer.Typer) -> None:
    """Add `planvakt export ...` to the command line."""
    export_app.command("findings")(export_findings)
    export_app.command("plans")(export_plans)
    export_app.command("events")(export_events)
    app.add_typer(export_app, name="export")
