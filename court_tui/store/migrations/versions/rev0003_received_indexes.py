"""Indexes for the review's "Received in the last seven days" tab: checks by the day they
were received, follow-ups by the day they were closed.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_checks_received_on",
        "checks",
        ["received_on", "case_id", "kind", "requested_on", "expected_by"],
        sqlite_where=sa.text("status = 'Received'"),
    )
    op.create_index(
        "ix_follow_ups_closed_on",
        "follow_ups",
        ["closed_on", "case_id", "id", "question", "owner", "action", "recorded_on", "due"],
        sqlite_where=sa.text("closed_on IS NOT NULL"),
    )


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
