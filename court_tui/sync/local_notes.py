"""Oversight notes written on this laptop: which are still to send, and what the central
store said about each.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from court_tui.store.tables import NOTES
from court_tui.sync.errors import SyncError
from court_tui.sync.local_base import LocalBase
from court_tui.sync.local_tables import SYNC_NOTES
from court_tui.sync.protocol import NoteChange, NoteResult


@dataclass
class NotesTally:
    """What sending the oversight notes written here did."""

    sent: int = 0
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


def unsent_notes_query(*, count: bool = False) -> sa.Select[Any]:
    """The notes written here not yet taken by the central store (or their count)."""
    joined = NOTES.outerjoin(SYNC_NOTES, SYNC_NOTES.c.note_id == NOTES.c.id)
    unsent = sa.or_(SYNC_NOTES.c.note_id.is_(None), SYNC_NOTES.c.outcome == "refused")
    if count:
        return sa.select(sa.func.count()).select_from(joined).where(unsent)
    return (
        sa.select(NOTES).select_from(joined).where(unsent).order_by(NOTES.c.written_at, NOTES.c.id)
    )


def mark_note(
    conn: sa.Connection, note_id: str, outcome: str, reason: str | None, now: datetime
) -> None:
    """Keep what became of note NOTE_ID: sent, refused, or pulled from the central store."""
    upsert = sqlite_insert(SYNC_NOTES).values(
        note_id=note_id, outcome=outcome, reason=reason, updated_at=now
    )
    conn.execute(
        upsert.on_conflict_do_update(
            index_elements=[SYNC_NOTES.c.note_id],
            set_={"outcome": outcome, "reason": reason, "updated_at": now},
        )
    )


class NotesSync(LocalBase):
    """Oversight notes written on this laptop, on their way to the central store."""

    # -- oversight notes written on this laptop -------------------------------------

    def unsent_notes(self, limit: int | None = None) -> list[NoteChange]:
        """The oversight notes written here that the central store has not taken (the
        first LIMIT), oldest first; refused ones too, as their case may have arrived."""
        query = unsent_notes_query()
        with self._read() as conn:
            rows = conn.execute(query if limit is None else query.limit(limit)).all()
        return [
            NoteChange(
                id=row.id,
                case_id=row.case_id,
                item_id=row.item_id,
                note=row.note,
                written_at=row.written_at.astimezone(UTC).isoformat(),
            )
            for row in rows
        ]

    def refused_notes(self) -> list[tuple[str, str]]:
        """Oversight notes written here that the central store refused: (case, reason)."""
        query = (
            sa.select(NOTES.c.case_id, SYNC_NOTES.c.reason)
            .select_from(NOTES.join(SYNC_NOTES, SYNC_NOTES.c.note_id == NOTES.c.id))
            .where(SYNC_NOTES.c.outcome == "refused")
            .order_by(NOTES.c.written_at, NOTES.c.id)
        )
        with self._read() as conn:
            return [(row.case_id, row.reason or "") for row in conn.execute(query)]

    def record_note_results(
        self, notes: Sequence[NoteChange], results: Sequence[NoteResult]
    ) -> NotesTally:
        """Keep what the central store said about each of NOTES."""
        if [n.id for n in notes] != [r.id for r in results]:
            raise SyncError(
                "The central store's answer did not match the notes sent, so nothing was "
                "recorded; they are sent again next time."
            )
        tally = NotesTally()
        now = self._clock()
        with self._write() as conn:
            for note, result in zip(notes, results, strict=True):
                outcome = "refused" if result.outcome == "rejected" else "sent"
                mark_note(conn, note.id, outcome, result.detail, now)
                if result.outcome == "applied":
                    tally.sent += 1
                    self._audit(conn, "sync-note", note.case_id, "oversight note sent")
                elif result.outcome == "duplicate":
                    tally.duplicates += 1
                else:
                    reason = result.detail or "refused by the central store"
                    tally.refused.append((note.case_id, reason))
        return tally
