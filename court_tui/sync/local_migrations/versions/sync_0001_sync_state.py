"""Sync state: what the central store said about each change, conflicts, the pull cursor.

Revision ID: sync_0001
Revises:

The store's outbox itself is not changed: a change the central store has not
acknowledged stays in it, with its reason in sync_changes when it was refused.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sync_changes",
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), server_default="edit", nullable=False),
        sa.Column("outcome", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_sync_changes"),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("mine_revision", sa.Integer(), nullable=False),
        sa.Column("mine_json", sa.String(), nullable=False),
        sa.Column("theirs_revision", sa.Integer(), nullable=False),
        sa.Column("theirs_json", sa.String(), nullable=False),
        sa.Column("detected_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("shown_at", UTC_DATETIME, nullable=True),
        sa.Column("resolved_at", UTC_DATETIME, nullable=True),
        sa.Column("resolution", sa.String(), nullable=True),
        sa.Column("resolution_seq", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sync_conflicts"),
        sa.UniqueConstraint("device_id", "seq", name="uq_sync_conflicts_device_id_seq"),
        sqlite_autoincrement=True,
    )
    # At most one open conflict a case: a newer one replaces it ('superseded').
    op.create_index(
        "ix_sync_conflicts_open",
        "sync_conflicts",
        ["case_id"],
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sync_state"),
    )


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
