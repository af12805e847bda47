"""`planvakt serve`: the dashboard under uvicorn. Thin: settings, then `dashboards.app.create_app`, then run."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer

from planvakt.options import DbOption
from planvakt.wiring import engine_for, fail
from tracker.config import load_settings
from tracker.errors import TrackerError


def serve(
    db: DbOption = None,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default PLANVAKT_SERVE_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default PLANVAKT_SERVE_PORT, 8000).")] = None,
    allow_private_networks: Annotated[
        bool, typer.Option(help="Let tips point at loopback/private addresses (the demo web only).")
    ] = False,
) -> None:
    """Serve the dashboard (overview, kommune pages, changes, crawler health, data, JSON API)."""
    import uvicorn

    from dashboards.app import create_app
    from tracker import storage

    settings = load_settings()
    settings = replace(
        settings,
        database_url=db or settings.database_url,
        serve_host=host or settings.serve_host,
        serve_port=port if port is not None else settings.serve_port,
    )
    try:
        engine = engine_for(settings, read_only=True)  # a mistyped path is an error, not a new empty database
    except TrackerError as exc:
        raise fail(exc) from exc
    app = create_app(
        settings,
        session_factory=storage.make_session_factory(engine),
        allow_private_networks=allow_private_networks,
    )
    typer.echo(f"Planvakt dashboard: http://{settings.serve_host}:{settings.serve_port}/")
    uvicorn.run(app, host=settings.serve_host, port=settings.serve_port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
