"""What a check searched (issue 13): `site_check.trail` holds the sitemaps read and the site-search queries asked
with their hit counts, so a kommune page can say what was searched before saying "no plan found". It is not put in
`issues`: those are problems, counted as errors on the health page and in the run's counters.

Checks stored before this revision keep NULL: "not recorded", never "nothing was searched".

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("site_check", schema=None) as batch_op:
        batch_op.add_column(sa.Column("trail", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("site_check", schema=None) as batch_op:
        batch_op.drop_column("trail")
