"""A data version bumped by triggers on every write to what the dashboard shows (issue 10).

`data_version` holds one row; a trigger on each table the pages read adds one to `number` (and stamps
`changed_ms`) whenever a row is inserted, updated or deleted, in the writing transaction, so the new number
becomes visible in the same commit as the data. The dashboard keys its response cache and ETags on it: one
primary-key read per request instead of re-deriving 455 rows.

SQLite: plain AFTER triggers per row (writers are serialised by the database lock anyway). PostgreSQL: deferred
constraint triggers, so the row lock on `data_version` is taken only at commit, for microseconds, never while a
transaction does its work (no waiting behind a long crawl transaction, no lock-order deadlock); a per-transaction
setting makes a bulk insert bump once. Our writers run at READ COMMITTED, where two commits bumping at once simply
take turns; a writer at REPEATABLE READ or SERIALIZABLE would have to retry on a serialization failure there.

Tables left out write often and show on no shared page: subscription, delivery (the alert outbox) and sweep_claim.
A table added later needs its triggers in its own migration (`tests/dashboards/test_data_version.py` fails
otherwise).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 05:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: the tables whose writes change a page, as of this revision (frozen here: a migration never reads live code)
VERSIONED = (
    "kommune",
    "crawl_run",
    "site_check",
    "document",
    "sighting",
    "classification",
    "finding",
    "kommune_watch",
    "watched_plan",
    "event",
    "tip",
    "review_override",
)
OPERATIONS = ("insert", "update", "delete")
FUNCTION = "planvakt_bump_data_version"

_SQLITE_NOW_MS = "CAST(ROUND((julianday('now') - 2440587.5) * 86400000) AS INTEGER)"
_POSTGRES_FUNCTION = f"""
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- once per transaction: a bulk insert of 47,000 rows bumps once
    IF current_setting('planvakt.data_version_bumped', true) IS DISTINCT FROM txid_current()::text THEN
        UPDATE data_version
           SET number = number + 1, changed_ms = (extract(epoch FROM clock_timestamp()) * 1000)::bigint
         WHERE id = 1;
        PERFORM set_config('planvakt.data_version_bumped', txid_current()::text, true);
    END IF;
    RETURN NULL;
END
$$
"""


def _trigger(table: str, operation: str = "") -> str:
    return f"data_version_{table}_{operation}" if operation else f"data_version_{table}"


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("changed_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(f"INSERT INTO data_version (id, number, changed_ms) VALUES (1, 1, {_SQLITE_NOW_MS})")
        for table in VERSIONED:
            for operation in OPERATIONS:
                op.execute(
                    f"CREATE TRIGGER {_trigger(table, operation)} AFTER {operation.upper()} ON {table} "
                    f"BEGIN UPDATE data_version SET number = number + 1, changed_ms = {_SQLITE_NOW_MS} "
                    "WHERE id = 1; END"
                )
    elif dialect == "postgresql":
        op.execute(
            "INSERT INTO data_version (id, number, changed_ms) "
            "VALUES (1, 1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)"
        )
        op.execute(_POSTGRES_FUNCTION)
        for table in VERSIONED:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )
    else:
        raise NotImplementedError(f"no data version triggers for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in VERSIONED:
        if dialect == "sqlite":
            for operation in OPERATIONS:
                op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, operation)}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
    if dialect == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    op.drop_table("data_version")
