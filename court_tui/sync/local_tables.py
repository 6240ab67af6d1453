"""The sync's own tables in the laptop's store, made by court_tui/sync/local_migrations.

Kept in their own MetaData, with their own Alembic version table: the store's tables and
schema revisions stay the store's, and these are read and written only by court_tui.sync.
"""

from __future__ import annotations

import sqlalchemy as sa

from court_tui.store.tables import UTCDateTime

metadata = sa.MetaData()
VERSION_TABLE = "sync_alembic_version"

# One row per outbox change the sync has handled or made: its kind (an edit, or the
# officer's choice in a conflict), what the central store said, and why.
SYNC_CHANGES = sa.Table(
    "sync_changes",
    metadata,
    sa.Column("device_id", sa.String(), primary_key=True),
    sa.Column("seq", sa.Integer(), primary_key=True),
    sa.Column("kind", sa.String(), nullable=False, server_default="edit"),
    sa.Column("outcome", sa.String(), nullable=True),
    sa.Column("reason", sa.String(), nullable=True),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("updated_at", UTCDateTime(), nullable=True),
    # Set when the change takes the place of a refused one: the revision the central
    # store has, which it goes on instead of the outbox's.
    sa.Column("base_revision", sa.Integer(), nullable=True),
)

# A case changed here and elsewhere: both versions, until the officer chooses.
SYNC_CONFLICTS = sa.Table(
    "sync_conflicts",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(), nullable=False),
    sa.Column("device_id", sa.String(), nullable=False),
    sa.Column("seq", sa.Integer(), nullable=False),
    sa.Column("base_revision", sa.Integer(), nullable=False),
    sa.Column("mine_revision", sa.Integer(), nullable=False),
    sa.Column("mine_json", sa.String(), nullable=False),
    sa.Column("theirs_revision", sa.Integer(), nullable=False),
    sa.Column("theirs_json", sa.String(), nullable=False),
    sa.Column("detected_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("shown_at", UTCDateTime(), nullable=True),
    sa.Column("resolved_at", UTCDateTime(), nullable=True),
    sa.Column("resolution", sa.String(), nullable=True),
    sa.Column("resolution_seq", sa.Integer(), nullable=True),
)

# The pull cursor, the teams it was taken for, the last sync's time and error.
SYNC_STATE = sa.Table(
    "sync_state",
    metadata,
    sa.Column("key", sa.String(), primary_key=True),
    sa.Column("value", sa.String(), nullable=False),
)

# What the central store said about each oversight note: sent (or already there),
# pulled from it, or refused (sent again next time). No row: written here, not yet sent.
SYNC_NOTES = sa.Table(
    "sync_notes",
    metadata,
    sa.Column("note_id", sa.String(), primary_key=True),
    sa.Column("outcome", sa.String(), nullable=False),
    sa.Column("reason", sa.String(), nullable=True),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
)

# A case from the central store this laptop could not read: kept, with the reason, until
# a readable revision of it arrives. The rest of the pull goes on without it.
SYNC_SET_ASIDE = sa.Table(
    "sync_set_aside",
    metadata,
    sa.Column("case_id", sa.String(), primary_key=True),
    sa.Column("revision", sa.Integer(), nullable=False),
    sa.Column("reason", sa.String(), nullable=False),
    sa.Column("payload", sa.String(), nullable=False),
    sa.Column("set_aside_at", UTCDateTime(), nullable=False),
)
