"""Cases from the central store this laptop cannot read, set aside with the reason; and
the revision a change to a case goes on when it takes the place of a refused one.

Revision ID: sync_0003
Revises: sync_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sync_0003"
down_revision: str | None = "sync_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_set_aside",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("set_aside_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_sync_set_aside"),
    )
    with op.batch_alter_table("sync_changes") as batch:
        batch.add_column(sa.Column("base_revision", sa.Integer(), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
