"""The `planvakt` command line: the app, its logging, and the schema and registry commands. No business rules here.

The other commands register on it from their own modules (`crawl` and `demo`, the classifier's, the exports,
`schedule`, the alert commands, `serve`, the queue's), which import only `planvakt.options` and `planvakt.wiring`,
never this one.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from planvakt import cli_alerts, cli_classifier, cli_crawl, cli_export, cli_schedule, cli_serve, cli_worker
from planvakt.options import DbOption, RegistryOption
from planvakt.wiring import console, engine_for, fail, kommuner_from, settings_for
from tracker.blobs import EvidenceStore
from tracker.errors import TrackerError
from tracker.secretbox import SecretKeys
from tracker.store import database, runs

app = typer.Typer(
    help="Planvakt: finds, reads and watches kommuner's plans against sexual abuse of children.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
registry_app = typer.Typer(help="The kommune registry.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(registry_app, name="registry")


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


cli_crawl.register(app)
cli_classifier.register(app)
cli_export.register(app)
cli_schedule.register(app)
cli_alerts.register(app)
cli_serve.register(app)
cli_worker.register(app)
