"""The database itself: engines (SQLite made safe and private), sessions, the schema's migrations, and the data
version the pages key their caches on. Nothing here reads or writes a table's rows but `data_version`.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import StorageError
from tracker.filemodes import create_private_file, make_private_dir, tighten
from tracker.secretbox import SecretKeys
from tracker.store.models import (
    DataVersion,
)

#: the Alembic scripts, found through their package: a checkout and an installed wheel alike
MIGRATIONS_DIR = Path(str(importlib.resources.files("migrations")))


#: files SQLite keeps beside the database; it creates them with the database file's mode, umask or not
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine with SQLite made safe for a crawler (WAL, foreign keys, waits instead of 'database is locked').

    A SQLite file is private (subscribers' addresses, sealed credentials): made 0600 in a new 0700 folder before
    SQLite first opens it, and an existing one (with its -wal/-shm/-journal files) tightened and logged.
    Raises `StorageError` when `url` is no database URL (a bare file path, say), and with `create=False` (read-only
    commands) when its SQLite file does not exist: a mistyped path must not become a new, empty database.
    Nothing is connected to here (`check_connects`).
    """
    try:
        database = sqlite_path(url)
    except ArgumentError as exc:
        raise _not_a_database_url(url) from exc
    if database is not None:
        if not create and not database.is_file():
            raise StorageError.said("db_error.no_file", path=str(database))
        _private_sqlite_file(database)
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise _not_a_database_url(url) from exc
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    return engine


def _not_a_database_url(url: str) -> StorageError:
    return StorageError.said(
        "db_error.not_a_url", url=repr(url), sqlite=f"sqlite:///{Path(url).expanduser().absolute()}"
    )


def check_connects(engine: Engine) -> None:
    """Raise `StorageError` (one line: the URL without its password, and why) unless the database answers."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc).strip() else type(exc).__name__
        shown = engine.url.render_as_string(hide_password=True)
        raise StorageError.said("db_error.cannot_open", url=shown, reason=reason) from exc


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):  # a URI filename (`?uri=true`): SQLite resolves it, not us
        return None
    return Path(parsed.database)


def _private_sqlite_file(database: Path) -> None:
    make_private_dir(database.parent)
    if create_private_file(database):  # SQLite takes an empty file as an empty database, keeping its mode
        return
    for path in (database, *(database.with_name(database.name + s) for s in SQLITE_SIDE_FILES)):
        tighten(path)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(engine: Engine, keys: SecretKeys | None = None) -> None:
    """Bring the database to the newest schema (`alembic upgrade head`).

    `keys` seal secrets a migration finds in plain text (0004); None: the settings' keys, read only if needed.
    """
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        config.attributes["secret_keys"] = keys
        command.upgrade(config, "head")


def check_migrated(engine: Engine) -> None:
    """Raise StorageError unless the database answers and is at the newest schema."""
    check_connects(engine)
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        if current:
            raise StorageError.said("db_error.schema", current=current, head=head or "")
        raise StorageError.said("db_error.no_schema", head=head or "")


@dataclass(frozen=True)
class DataVersionStamp:
    """What `data_version` says: a number that grows with every committed write the pages can show, and when."""

    number: int
    changed_at: datetime


def data_version(session: Session) -> DataVersionStamp:
    """The current data version: one primary-key read of the row the triggers of migration 0005 bump.

    Read it before the data it keys: a write committed in between then makes the data newer than the number,
    never older, so a cache keyed on it is at worst rebuilt once more, never stale.
    """
    row = session.execute(select(DataVersion.number, DataVersion.changed_ms).where(DataVersion.id == 1)).first()
    if row is None:
        raise StorageError("the data_version row is missing; run `planvakt db upgrade`")
    return DataVersionStamp(row.number, datetime.fromtimestamp(row.changed_ms / 1000, UTC))
