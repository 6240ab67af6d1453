"""What the central store said about each oversight note on this laptop.

Revision ID: sync_0002
Revises: sync_0001

A note with no row here was written on this laptop and not yet sent; a refused one is
sent again at the next sync (its case may not have reached the central store yet).

On a laptop that has pulled from the central store before, the notes already in the
store are recorded as pulled: they came from it, or were written by a court-tui that
kept them on the laptop, and sending them now would stop an upgraded laptop's sync
against a central store not upgraded yet. On a laptop never synced, every note was
written here and goes with the first sync.
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
    op.execute(
        "INSERT INTO sync_notes (note_id, outcome, updated_at) "
        "SELECT id, 'pulled', written_at FROM supervisor_notes "
        "WHERE EXISTS (SELECT 1 FROM sync_state WHERE key = 'pull_cursor')"
    )


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
