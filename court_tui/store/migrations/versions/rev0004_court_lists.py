"""Imported court lists: one row per listed defendant, keyed by the source's own ids.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "court_list_entries",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("hearing_date", sa.Date(), nullable=False),
        sa.Column("court_code", sa.String(), nullable=False),
        sa.Column("room", sa.String(), nullable=False),
        sa.Column("surname", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=True),
        sa.Column("rejected_json", sa.String(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_court_list_entries"),
    )
    op.create_index(
        "ix_court_list_entries_day", "court_list_entries", ["hearing_date", "court_code"]
    )


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
