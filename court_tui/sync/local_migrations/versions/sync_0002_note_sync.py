"""What the central store said about each oversight note on this laptop.

Revision ID: sync_0002
Revises: sync_0001

A note with no row here was written on this laptop and not yet sent; a refused one is
sent again at the next sync (its case may not have reached the central store yet).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0002"
down_revision: str | None = "sync_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_notes",
        sa.Column("note_id", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("note_id", name="pk_sync_notes"),
    )


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
