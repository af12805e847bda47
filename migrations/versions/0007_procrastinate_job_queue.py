"""The job queue of sweeps on many workers (issue 10): procrastinate's schema, on PostgreSQL only.

`planvakt sweep enqueue` defers one procrastinate job per kommune and `planvakt worker` processes consume them
(tracker.schedule.sweep_queue, tracker.schedule.worker). Their tables (`procrastinate_jobs`, `_events`, `_workers`,
`_periodic_defers`), types and functions are procrastinate's own schema SQL, run here so that `planvakt db upgrade`
stays the one command that readies a database and `check_migrated` the one check. SQLite has no job queue (the
in-process crawl is its engine): this revision does nothing there. A database where procrastinate's schema was
applied by hand (`procrastinate schema --apply`) is left as it is.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 05:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from procrastinate.schema import SchemaManager

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: drops every table, function and type (enums; composite types, left once the tables are gone) of procrastinate's
#: schema (all named procrastinate_*), whatever its version
_DROP_PROCRASTINATE = """
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables
                WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
    END LOOP;
    FOR item IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'c') AND t.typname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
    END LOOP;
END;
$$;
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if bind.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is not None:
        return
    _run_script(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _run_script(_DROP_PROCRASTINATE)


def _run_script(sql: str) -> None:
    """Run SQL with several statements and literal `%` signs: psycopg's own execute without parameters parses no
    placeholders (SQLAlchemy's would), on the migration's connection, so inside its transaction."""
    op.get_bind().connection.driver_connection.execute(sql)  # type: ignore[union-attr]
