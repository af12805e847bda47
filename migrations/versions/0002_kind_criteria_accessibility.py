"""Document kind, checklist criteria and accessibility findings (issue 3).

JSON columns get a server default so existing rows migrate on PostgreSQL too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:55:42.092469
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("classification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("kind_evidence", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("criteria", sa.JSON(), nullable=False, server_default="[]"))

    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("in_sitemap", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("search_rank", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("accessibility", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("sighting", schema=None) as batch_op:
        batch_op.drop_column("accessibility")
        batch_op.drop_column("search_rank")
        batch_op.drop_column("in_sitemap")

    with op.batch_alter_table("classification", schema=None) as batch_op:
        batch_op.drop_column("criteria")
        batch_op.drop_column("kind_evidence")
        batch_op.drop_column("document_kind")
