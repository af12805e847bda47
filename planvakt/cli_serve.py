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
    demo: Annotated[
        bool,
        typer.Option(
            help="Over the demo crawl only (make demo): serve the demo web again, allow private addresses, and "
            "print a reviewer token made for this process alone."
        ),
    ] = False,
) -> None:
    """Serve the dashboard (overview, kommune pages, changes, crawler health, data, JSON API)."""
    import uvicorn

    from crawlers.testweb import build_demo_web
    from dashboards.app import create_app
    from planvakt import demo_serve
    from tracker.store import database

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
    factory = database.make_session_factory(engine)
    base_url = f"http://{settings.serve_host}:{settings.serve_port}"
    if not demo:
        app = create_app(settings, session_factory=factory, allow_private_networks=allow_private_networks)
        typer.echo(f"Planvakt dashboard: {base_url}/")
        uvicorn.run(app, host=settings.serve_host, port=settings.serve_port, log_level="info")
        return
    try:
        with factory() as session:
            serving = demo_serve.prepare(session)
    except TrackerError as exc:
        raise fail(exc) from exc
    settings = replace(settings, admin_token=serving.admin_token, public_url=base_url)
    mail_folder = settings.var_dir / "demo-mail"
    with build_demo_web(port=serving.web_port), demo_serve.demo_mailbox(mail_folder) as smtp_port:
        if smtp_port is not None:
            settings = replace(
                settings, smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_username="", smtp_starttls=False
            )
        app = create_app(settings, session_factory=factory, allow_private_networks=True)
        typer.echo(demo_serve.banner(base_url, serving, mail_folder if smtp_port is not None else None))
        uvicorn.run(app, host=settings.serve_host, port=settings.serve_port, log_level="info")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
