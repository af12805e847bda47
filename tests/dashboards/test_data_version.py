"""The data version the dashboard's cache and ETags are keyed on: bumped by triggers on every table the pages show,
visible in the same commit as the data, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, text, update

from tracker.store import database
from tracker.store.models import Base, CrawlRun

#: tables no shared page reads (written often by the alert outbox, the scheduler and the workers' host leases), and
#: the version itself
UNVERSIONED = frozenset({"subscription", "delivery", "sweep_claim", "data_version", "host_lease"})


def _triggered(engine: Engine) -> set[tuple[str, str]]:
    """(table, operation) pairs with a data-version trigger, from the database's own catalogue."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            rows = conn.execute(
                text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'data_version_%'")
            )
            return {
                (table, operation)
                for table, sql in rows
                for operation in ("INSERT", "UPDATE", "DELETE")
                if f"AFTER {operation} ON" in sql
            }
        rows = conn.execute(
            text(
                "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
                "WHERE trigger_name LIKE 'data_version_%'"
            )
        )
        return {(table, operation) for table, operation in rows}


def _version(engine: Engine) -> int:
    with database.make_session_factory(engine)() as session:
        return database.data_version(session).number


def test_every_table_the_pages_show_bumps_the_version(engine: Engine) -> None:
    shown = set(Base.metadata.tables) - UNVERSIONED
    expected = {(table, operation) for table in shown for operation in ("INSERT", "UPDATE", "DELETE")}
    missing = expected - _triggered(engine)
    assert not missing, f"tables without data-version triggers (add them in a migration): {sorted(missing)}"


def test_a_write_bumps_the_version_when_it_commits(engine: Engine) -> None:
    at = datetime(2026, 3, 2, tzinfo=UTC)
    start = _version(engine)
    with engine.connect() as writer:
        writer.begin()
        run_id = writer.execute(
            insert(CrawlRun).returning(CrawlRun.id), {"started_at": at, "state": "running", "options": {}}
        ).scalar_one()
        if engine.dialect.name == "postgresql":  # SQLite's readers wait on the write lock instead
            assert _version(engine) == start  # not before the data is visible
        writer.commit()
    inserted = _version(engine)
    assert inserted > start
    with engine.begin() as conn:
        conn.execute(update(CrawlRun).where(CrawlRun.id == run_id).values(state="finished", finished_at=at))
    updated = _version(engine)
    assert updated > inserted
    with engine.connect() as conn:
        conn.begin()
        conn.execute(update(CrawlRun).values(errors=CrawlRun.errors + 1))
        conn.rollback()
    assert _version(engine) == updated  # a rolled-back write changes nothing
    with engine.begin() as conn:
        conn.execute(CrawlRun.__table__.delete().where(CrawlRun.id == run_id))
    with database.make_session_factory(engine)() as session:
        stamp = database.data_version(session)
    assert stamp.number > updated and stamp.changed_at.tzinfo == UTC
    assert abs((datetime.now(UTC) - stamp.changed_at).total_seconds()) < 60
