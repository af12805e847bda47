"""What several commands build from their options, written once: settings, the engine, the kommuner, crawl options;
and how a command ends on a failure it can explain (exit code 2).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from crawlers.types import CrawlOptions, RenderMode
from tracker.catalogue import text
from tracker.catalogue.errors import say
from tracker.config import Settings, cli_language, load_settings
from tracker.domain import Kommune
from tracker.errors import ConfigError, TrackerError
from tracker.registry import builtin_registry, read_registry_file, select
from tracker.store import database

console = Console(stderr=True, soft_wrap=True)

RENDER_MODES: dict[str, RenderMode] = {"auto": "auto", "never": "never", "always": "always"}


def settings_for(db: str | None) -> Settings:
    """The settings from the environment, with `--db` (when given) as the database URL."""
    settings = load_settings()
    return replace(settings, database_url=db) if db else settings


def engine_for(settings: Settings, *, migrated: bool = True, read_only: bool = False) -> Any:
    """The settings' engine, connected once; raises `TrackerError` when `--db` is no database URL, the database
    does not answer, or its schema is not current (`migrated=False` skips that check). `read_only` commands never
    create a SQLite file: a missing one is an error."""
    engine = database.make_engine(settings.resolved_database_url, create=not read_only)
    if migrated:
        database.check_migrated(engine)
    else:
        database.check_connects(engine)
    return engine


def kommuner_from(registry: Path | None) -> list[Kommune]:
    """The kommuner of a registry CSV, or the built-in registry; raises `RegistryError` on a bad file.

    For a CSV, one line on standard error says what reading it assumed (encoding, delimiter, re-padded numbers).
    """
    if registry is None:
        return builtin_registry()
    read = read_registry_file(registry)
    console.print(f"registry {registry.name}: {read.assumed()}", highlight=False)
    return read.kommuner


def crawl_options(
    settings: Settings,
    max_pages: int | None,
    delay: float | None,
    concurrency: int | None,
    render: str,
    allow_private: bool,
) -> CrawlOptions:
    """Crawl options: a command-line value where given, else the setting; `render` must be a key of RENDER_MODES."""
    base = CrawlOptions()
    return replace(
        base,
        user_agent=settings.user_agent or base.user_agent,
        max_pages_per_site=max_pages if max_pages is not None else settings.max_pages_per_site,
        per_host_delay=delay if delay is not None else settings.per_host_delay,
        concurrency=concurrency if concurrency is not None else settings.concurrency,
        max_document_bytes_per_site=settings.max_document_bytes_per_site,
        max_document_bytes=settings.max_document_bytes,
        max_open_connections=settings.max_open_connections,
        render=RENDER_MODES[render],
        allow_private_networks=allow_private,
        chromium_path=settings.chromium_path,
    )


@dataclass(frozen=True)
class CrawlInputs:
    """What every crawling command (`crawl`, `sweep enqueue`, `schedule`) builds from its options."""

    settings: Settings
    kommuner: list[Kommune]
    engine: Any
    options: CrawlOptions


def crawl_inputs(
    db: str | None,
    registry: Path | None,
    kommune: list[str] | None,
    *,
    max_pages: int | None,
    delay: float | None,
    concurrency: int | None,
    render: str,
    allow_private: bool,
) -> CrawlInputs:
    """The settings (`--db` wins), the kommuner (`--registry`, narrowed to `--kommune`), the connected and migrated
    engine, and the crawl options (command-line values over settings).

    Raises `typer.Exit` (code 2, after one line on standard error) on a bad `--render`, registry file, `--kommune`
    or database, before anything is crawled or written.
    """
    if render not in RENDER_MODES:
        raise fail(ConfigError.said("cli_error.render"))
    settings = settings_for(db)
    try:
        kommuner = kommuner_from(registry)
        if kommune:
            kommuner = select(kommuner, kommune)
        engine = engine_for(settings)
    except TrackerError as exc:
        raise fail(exc) from exc
    options = crawl_options(settings, max_pages, delay, concurrency, render, allow_private)
    return CrawlInputs(settings, kommuner, engine, options)


def fail(exc: Exception, code: int = 2) -> typer.Exit:
    """Print the error on standard error, in the operator's language (`cli_language`: PLANVAKT_LANG, else the
    locale, else English) when the error names its catalogue entry; the caller raises the returned exit."""
    lang = cli_language()
    prefix = text(lang, "cli_error.prefix")
    console.print(f"[red]{prefix}:[/red] {escape(say(exc, lang))}", highlight=False)  # no colours guessed into URLs
    return typer.Exit(code=code)


def queue_app(engine: Any) -> Any:
    """The procrastinate App on the engine's PostgreSQL database (the sweep job queue); raises `StorageError` on
    SQLite. Its connection pool opens with `app.open_async()` (workers); `enqueue` uses the caller's transaction."""
    from procrastinate import App, PsycopgConnector

    from tracker.schedule.sweep_queue import require_postgres

    require_postgres(engine)
    conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return App(connector=PsycopgConnector(conninfo=conninfo))
