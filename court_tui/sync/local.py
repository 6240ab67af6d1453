"""The laptop's side of the sync, inside the encrypted store.

Reads pending outbox rows in order, records what the central store said about each,
keeps conflicts (both versions) until the officer chooses, applies changes made
elsewhere as new local revisions without queuing them again, and keeps the pull cursor
and the last sync's time. Every write is one transaction on the store's own engine,
taken with the store's writer lock, so a sync and the officer's saves never interleave.
"""

from __future__ import annotations

from court_tui.sync.local_base import (
    STATE_CURSOR,
    STATE_LAST_ATTEMPT,
    STATE_LAST_ERROR,
    STATE_LAST_SYNCED,
    STATE_TEAMS,
    SYNC_ACTOR,
)
from court_tui.sync.local_conflicts import ConflictRow, Keep
from court_tui.sync.local_notes import NotesSync, NotesTally
from court_tui.sync.local_outbox import OutboxSync, PendingRow, PushTally
from court_tui.sync.local_pull import PullSync, PullTally

__all__ = [
    "STATE_CURSOR",
    "STATE_LAST_ATTEMPT",
    "STATE_LAST_ERROR",
    "STATE_LAST_SYNCED",
    "STATE_TEAMS",
    "SYNC_ACTOR",
    "ConflictRow",
    "Keep",
    "LocalSync",
    "NotesTally",
    "PendingRow",
    "PullTally",
    "PushTally",
]


class LocalSync(OutboxSync, PullSync, NotesSync):
    """The sync's reads and writes on one open store: the outbox and the push's answers
    (local_outbox), conflicts (local_conflicts), the pull (local_pull), oversight notes
    (local_notes) and the sync state (local_base)."""
