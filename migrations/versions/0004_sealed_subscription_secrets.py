"""Secrets at rest (issue 12, item 13): subscription targets and webhook secrets sealed (tracker.secretbox).

`target` and `secret` held Apprise passwords, webhook tokens and HMAC keys as written. They become `sealed_target`
and `sealed_secret`, sealed with the key from the settings (PLANVAKT_SECRET_KEY, else the key file, made on first
use), and `target_shown`, the masked form `subscriptions list` and `alerts list` print without needing the key.
Existing rows are sealed here, in the same transaction: an upgrade that cannot seal (a key that does not fit)
fails whole and leaves the plain columns as they were. Downgrade opens them again (it needs the key).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 18:05:00
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa
from alembic import context, op

from tracker.alerts.subscriptions import shown_target
from tracker.config import load_settings
from tracker.secretbox import SecretKeys

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keys() -> SecretKeys:
    """The keys `storage.upgrade` was given, else the settings' (when alembic is run by hand)."""
    given = context.config.attributes.get("secret_keys")
    if isinstance(given, SecretKeys):
        return given
    url = op.get_bind().engine.url.render_as_string(hide_password=False)
    return SecretKeys.from_settings(replace(load_settings(), database_url=url))


def upgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_target", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("target_shown", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("sealed_secret", sa.Text(), nullable=True))
    subscription = sa.table(
        "subscription",
        sa.column("id", sa.Integer()),
        sa.column("channel", sa.String()),
        sa.column("target", sa.String()),
        sa.column("secret", sa.String()),
        sa.column("sealed_target", sa.Text()),
        sa.column("target_shown", sa.String()),
        sa.column("sealed_secret", sa.Text()),
    )
    bind = op.get_bind()
    columns = subscription.c
    rows = bind.execute(sa.select(columns.id, columns.channel, columns.target, columns.secret)).all()
    if rows:
        box = _keys().box(create=True)
        for row in rows:
            bind.execute(
                subscription.update()
                .where(subscription.c.id == row.id)
                .values(
                    sealed_target=box.seal(row.target).stored,
                    target_shown=shown_target(row.channel, row.target),
                    sealed_secret=box.seal(row.secret).stored if row.secret is not None else None,
                )
            )
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.alter_column("sealed_target", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("target_shown", existing_type=sa.String(length=2000), nullable=False)
        batch_op.drop_column("target")
        batch_op.drop_column("secret")


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("secret", sa.String(length=500), nullable=True))
    subscription = sa.table(
        "subscription",
        sa.column("id", sa.Integer()),
        sa.column("target", sa.String()),
        sa.column("secret", sa.String()),
        sa.column("sealed_target", sa.Text()),
        sa.column("sealed_secret", sa.Text()),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(subscription.c.id, subscription.c.sealed_target, subscription.c.sealed_secret)).all()
    if rows:
        box = _keys().box()
        for row in rows:
            bind.execute(
                subscription.update()
                .where(subscription.c.id == row.id)
                .values(
                    target=box.open(row.sealed_target),
                    secret=box.open(row.sealed_secret) if row.sealed_secret is not None else None,
                )
            )
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.alter_column("target", existing_type=sa.String(length=2000), nullable=False)
        batch_op.drop_column("sealed_secret")
        batch_op.drop_column("target_shown")
        batch_op.drop_column("sealed_target")
