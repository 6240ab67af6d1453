"""Sync conflicts on this laptop: both versions kept until the officer chooses, then the
choice saved as a new change on top of the central store's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from pydantic import ValidationError

from court_tui.domain.case import CaseRecord
from court_tui.store import writes
from court_tui.store.tables import CASES
from court_tui.sync.errors import SyncError, describe_invalid
from court_tui.sync.local_base import LocalBase
from court_tui.sync.local_tables import SYNC_CHANGES, SYNC_CONFLICTS
from court_tui.sync.protocol import Change, ChangeKind, ChangeResult

Keep = Literal["mine", "theirs"]


@dataclass(frozen=True)
class ConflictRow:
    """An open conflict as the store keeps it."""

    id: int
    case_id: str
    seq: int
    base_revision: int
    mine_revision: int
    mine_json: str
    theirs_revision: int
    theirs_json: str
    detected_at: datetime
    shown_at: datetime | None


def read_theirs(case_json: str) -> tuple[CaseRecord | None, str]:
    """The central store's version of a case in conflict, or None and why it cannot be
    read here."""
    try:
        return CaseRecord.model_validate_json(case_json), ""
    except ValidationError as invalid:
        return None, describe_invalid(invalid)


def update_theirs(
    conn: sa.Connection, case_id: str, revision: int, case_json: str, now: datetime
) -> int:
    """Put the central store's newer REVISION in CASE_ID's open conflict; returns how many
    conflicts it updated (0 when none is open or it already has that revision)."""
    updated = conn.execute(
        SYNC_CONFLICTS.update()
        .where(
            SYNC_CONFLICTS.c.case_id == case_id,
            SYNC_CONFLICTS.c.resolved_at.is_(None),
            SYNC_CONFLICTS.c.theirs_revision < revision,
        )
        .values(theirs_revision=revision, theirs_json=case_json, updated_at=now)
    )
    return int(updated.rowcount)


def refresh_theirs(conn: sa.Connection, case_id: str, result: ChangeResult, now: datetime) -> None:
    """Keep the central store's newer version in CASE_ID's open conflict, if RESULT has it."""
    if result.theirs_json is None or result.theirs_revision is None:
        return
    update_theirs(conn, case_id, result.theirs_revision, result.theirs_json, now)


class ConflictSync(LocalBase):
    """Conflicts: both versions kept until the officer chooses, and the choice saved."""

    def _record_conflict(
        self,
        conn: sa.Connection,
        device_id: str,
        change: Change,
        result: ChangeResult,
        now: datetime,
    ) -> int:
        """Keep both versions; returns 1 when this conflict is new here."""
        known = conn.execute(
            sa.select(SYNC_CONFLICTS.c.id).where(
                SYNC_CONFLICTS.c.device_id == device_id, SYNC_CONFLICTS.c.seq == change.seq
            )
        ).first()
        if known is not None:
            refresh_theirs(conn, change.case_id, result, now)
            return 0
        if result.theirs_json is None or result.theirs_revision is None:
            raise SyncError("The central store reported a conflict without its own version.")
        conn.execute(
            SYNC_CONFLICTS.update()
            .where(
                SYNC_CONFLICTS.c.case_id == change.case_id, SYNC_CONFLICTS.c.resolved_at.is_(None)
            )
            .values(resolved_at=now, updated_at=now, resolution="superseded")
        )
        conn.execute(
            SYNC_CONFLICTS.insert().values(
                case_id=change.case_id,
                device_id=device_id,
                seq=change.seq,
                base_revision=change.base_revision,
                mine_revision=change.revision,
                mine_json=change.case_json,
                theirs_revision=result.theirs_revision,
                theirs_json=result.theirs_json,
                detected_at=now,
                updated_at=now,
            )
        )
        self._audit(
            conn,
            "sync-conflict",
            change.case_id,
            f"change {change.seq} was made on revision {change.base_revision}; the central "
            f"store has revision {result.theirs_revision}",
        )
        return 1

    # -- conflicts --------------------------------------------------------------------

    def open_conflicts(self) -> list[ConflictRow]:
        """The open conflicts, oldest first."""
        query = (
            sa.select(SYNC_CONFLICTS)
            .where(SYNC_CONFLICTS.c.resolved_at.is_(None))
            .order_by(SYNC_CONFLICTS.c.id)
        )
        with self._read() as conn:
            return [
                ConflictRow(
                    id=row.id,
                    case_id=row.case_id,
                    seq=row.seq,
                    base_revision=row.base_revision,
                    mine_revision=row.mine_revision,
                    mine_json=row.mine_json,
                    theirs_revision=row.theirs_revision,
                    theirs_json=row.theirs_json,
                    detected_at=row.detected_at,
                    shown_at=row.shown_at,
                )
                for row in conn.execute(query)
            ]

    def open_conflict_count(self) -> int:
        """How many cases wait for the officer to choose a version."""
        query = (
            sa.select(sa.func.count())
            .select_from(SYNC_CONFLICTS)
            .where(SYNC_CONFLICTS.c.resolved_at.is_(None))
        )
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def current_case(self, case_id: str) -> CaseRecord | None:
        """The case as this laptop has it now (no audit: the caller records the viewing)."""
        with self._read() as conn:
            case_json = conn.execute(
                sa.select(CASES.c.case_json).where(CASES.c.id == case_id)
            ).scalar_one_or_none()
        return None if case_json is None else CaseRecord.model_validate_json(case_json)

    def mark_shown(self, conflicts: Sequence[ConflictRow], actor: str) -> None:
        """The officer has been shown both versions of CONFLICTS (audited once each)."""
        fresh = [conflict for conflict in conflicts if conflict.shown_at is None]
        if not fresh:
            return
        now = self._clock()
        with self._write() as conn:
            for conflict in fresh:
                conn.execute(
                    SYNC_CONFLICTS.update()
                    .where(SYNC_CONFLICTS.c.id == conflict.id)
                    .values(shown_at=now)
                )
                self._audit(
                    conn,
                    "view",
                    conflict.case_id,
                    "both versions of a sync conflict",
                    actor=actor,
                    at=now,
                )

    def resolve(self, case_id: str, keep: Keep, *, actor: str) -> CaseRecord:
        """Settle CASE_ID's conflict with the officer's choice, as a new change on top of
        the central store's version; returns the case as now saved here."""
        if keep not in ("mine", "theirs"):
            raise SyncError("Choose which version to keep: mine or theirs.")
        now = self._clock()
        with self._write() as conn:
            conflict = conn.execute(
                sa.select(SYNC_CONFLICTS).where(
                    SYNC_CONFLICTS.c.case_id == case_id, SYNC_CONFLICTS.c.resolved_at.is_(None)
                )
            ).first()
            if conflict is None:
                raise SyncError(f"Case {case_id} has no sync conflict to resolve.")
            stored = conn.execute(
                sa.select(CASES.c.revision, CASES.c.case_json).where(CASES.c.id == case_id)
            ).first()
            if stored is None:
                raise SyncError(f"Case {case_id} is not on this laptop.")
            problem = ""
            if keep == "mine":
                chosen: CaseRecord | None = CaseRecord.model_validate_json(stored.case_json)
            else:
                chosen, problem = read_theirs(conflict.theirs_json)
            if chosen is None:
                raise SyncError(
                    f"The central store's version of case {case_id} cannot be read by "
                    f"this laptop ({problem}): keep yours with --keep mine."
                )
            # Above both versions, so no revision number ever names two different versions.
            revision = max(int(stored.revision), int(conflict.theirs_revision)) + 1
            saved = chosen.model_copy(
                deep=True, update={"id": case_id, "revision": revision, "updated_at": now}
            )
            self._write_case(conn, saved, exists=True)
            seq = writes.queue_change(
                conn,
                device_id=self.device_id,
                case_id=case_id,
                base_revision=int(conflict.theirs_revision),
                revision=revision,
                case_json=saved.model_dump_json(),
                created_at=now,
            )
            kind: ChangeKind = "keep-mine" if keep == "mine" else "take-theirs"
            conn.execute(
                SYNC_CHANGES.insert().values(
                    device_id=self.device_id, seq=seq, kind=kind, attempts=0, updated_at=now
                )
            )
            conn.execute(
                SYNC_CONFLICTS.update()
                .where(SYNC_CONFLICTS.c.id == conflict.id)
                .values(resolved_at=now, updated_at=now, resolution=keep, resolution_seq=seq)
            )
            self._audit(
                conn,
                "save",
                case_id,
                f"sync conflict resolved: kept {_whose(keep)} version "
                f"(revision {revision}, change {seq})",
                actor=actor,
                at=now,
            )
        return saved


def _whose(keep: Keep) -> str:
    return "this laptop's" if keep == "mine" else "the central store's"
