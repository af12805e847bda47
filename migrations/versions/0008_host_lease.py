"""Per-host politeness across workers (issue 10): `host_lease` holds, per host the queue's workers fetch from, the
worker holding its one request slot, until when, and when the last request to it ended (`tracker.store.host_leases`).

Created on every backend so the schema is one; only the workers (PostgreSQL) use it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.store.models

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "host_lease",
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=True),
        sa.Column("leased_until", tracker.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_end", tracker.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_host_lease")),
    )


def downgrade() -> None:
    op.drop_table("host_lease")
