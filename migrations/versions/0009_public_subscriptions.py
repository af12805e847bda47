"""Self-subscription from the dashboard (issue 13): a subscription an NGO makes on /subscribe waits, inactive, until
its owner confirms it (the link in the confirmation e-mail, or the code carried by a webhook's signed test delivery).

`origin` says who made it: `operator` (the CLI or a signed-in reviewer; active at once, as before) or `public` (the
/subscribe form). `confirmed_at` is when it became active: events detected from then on are delivered to it; rows
made before this revision count as confirmed when they were created. `regions` holds fylke/region codes (empty:
no region filter): a subscription to a fylke follows the registry, so a kommune moved into it is included.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.store.models import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=10), nullable=False, server_default="operator"))
        batch_op.add_column(sa.Column("confirmed_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("regions", sa.JSON(), nullable=True))
    op.execute("UPDATE subscription SET confirmed_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_column("regions")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("origin")
