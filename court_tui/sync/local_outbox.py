"""The push's side of the outbox: pending rows in sequence order, the changes built from
them, and what the central store said about each (acknowledged, conflict, refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from court_tui.domain.case import CaseRecord
from court_tui.store import writes
from court_tui.store.tables import ANSWERS, CASES, CHECKS, FOLLOW_UPS, OUTBOX
from court_tui.store.writes import case_rows
from court_tui.sync.errors import SyncError
from court_tui.sync.local_conflicts import ConflictSync, refresh_theirs
from court_tui.sync.local_notes import unsent_notes_query
from court_tui.sync.local_tables import SYNC_CHANGES
from court_tui.sync.protocol import Change, ChangeKind, ChangeResult

SUMMARY_FIELDS = (
    "officer",
    "team",
    "created_at",
    "updated_at",
    "name",
    "crn",
    "pnc",
    "court",
    "courtroom",
    "hearing_date",
    "status",
    "pending_checks",
)

# The sync's record of an outbox row: what the central store last said about it.
_SYNC_CHANGE_OF_OUTBOX_ROW = sa.and_(
    SYNC_CHANGES.c.device_id == OUTBOX.c.device_id, SYNC_CHANGES.c.seq == OUTBOX.c.seq
)

_upsert = sqlite_insert(SYNC_CHANGES)
# What the central store said last about each change, counting the attempts.
_UPSERT_OUTCOME = _upsert.on_conflict_do_update(
    index_elements=[SYNC_CHANGES.c.device_id, SYNC_CHANGES.c.seq],
    set_={
        "outcome": _upsert.excluded.outcome,
        "reason": _upsert.excluded.reason,
        "attempts": SYNC_CHANGES.c.attempts + 1,
        "updated_at": _upsert.excluded.updated_at,
    },
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {key: _jsonable(value) for key, value in row.items()}


@dataclass(frozen=True)
class PendingRow:
    """An outbox row the central store has not acknowledged."""

    device_id: str
    seq: int
    case_id: str
    base_revision: int
    revision: int
    case_json: str
    kind: ChangeKind
    outcome: str | None
    reason: str | None


@dataclass
class PushTally:
    """What one batch's results did to the outbox."""

    applied: int = 0
    duplicates: int = 0
    conflicts: int = 0
    held: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    blocked: int = 0
    stuck_cases: set[str] = field(default_factory=set)


class OutboxSync(ConflictSync):
    """The outbox read in order, built into changes, and the central store's answers kept."""

    def pending_devices(self) -> list[str]:
        """The device ids with unacknowledged rows: any earlier id of this store (one it
        had before a restore, say) first, then its own."""
        query = (
            sa.select(OUTBOX.c.device_id)
            .where(OUTBOX.c.acknowledged_at.is_(None))
            .group_by(OUTBOX.c.device_id)
        )
        with self._read() as conn:
            devices = [str(device) for device in conn.execute(query).scalars()]
        return sorted(devices, key=lambda device: (device == self.device_id, device))

    def pending_rows(
        self, after_seq: int, limit: int, device_id: str | None = None
    ) -> list[PendingRow]:
        """Up to LIMIT unacknowledged outbox rows of DEVICE_ID (this store's by default)
        after AFTER_SEQ, in sequence order."""
        device = device_id or self.device_id
        query = (
            sa.select(
                OUTBOX.c.device_id,
                OUTBOX.c.seq,
                OUTBOX.c.case_id,
                sa.func.coalesce(SYNC_CHANGES.c.base_revision, OUTBOX.c.base_revision).label(
                    "base_revision"
                ),
                OUTBOX.c.revision,
                OUTBOX.c.case_json,
                SYNC_CHANGES.c.kind,
                SYNC_CHANGES.c.outcome,
                SYNC_CHANGES.c.reason,
            )
            .select_from(OUTBOX.outerjoin(SYNC_CHANGES, _SYNC_CHANGE_OF_OUTBOX_ROW))
            .where(
                OUTBOX.c.device_id == device,
                OUTBOX.c.acknowledged_at.is_(None),
                OUTBOX.c.seq > after_seq,
            )
            .order_by(OUTBOX.c.seq)
            .limit(limit)
        )
        with self._read() as conn:
            return [
                PendingRow(
                    device_id=row.device_id,
                    seq=int(row.seq),
                    case_id=row.case_id,
                    base_revision=int(row.base_revision),
                    revision=int(row.revision),
                    case_json=row.case_json,
                    kind=row.kind or "edit",
                    outcome=row.outcome,
                    reason=row.reason,
                )
                for row in conn.execute(query)
            ]

    def pending_count(self) -> int:
        """How many changes the central store has not acknowledged: the outbox, and the
        oversight notes written here and not yet taken."""
        with self._read() as conn:
            notes = int(conn.execute(unsent_notes_query(count=True)).scalar_one())
        return self.store.repository.outbox_depth() + notes

    def refused_rows(self) -> list[PendingRow]:
        """Unacknowledged changes the central store refused, with its reasons."""
        return [
            row
            for device in self.pending_devices()
            for row in self.pending_rows(0, 1_000_000, device)
            if row.outcome in ("rejected", "blocked")
        ]

    def refused_count(self) -> int:
        """How many unacknowledged changes were refused or are waiting behind one."""
        query = (
            sa.select(sa.func.count())
            .select_from(OUTBOX.join(SYNC_CHANGES, _SYNC_CHANGE_OF_OUTBOX_ROW))
            .where(
                OUTBOX.c.acknowledged_at.is_(None),
                SYNC_CHANGES.c.outcome.in_(("rejected", "blocked")),
            )
        )
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def build_changes(self, rows: Sequence[PendingRow], *, with_rows: bool = True) -> list[Change]:
        """ROWS as changes to send, each with the summary and (WITH_ROWS, for a central
        store that reads them) the rows the server indexes.

        A row that is the case's current revision takes those rows from the store's own
        tables; an older one (saved over since) has them worked out from its JSON.
        """
        ids = sorted({row.case_id for row in rows})
        current: dict[str, dict[str, Any]] = {}
        children: dict[str, dict[str, list[dict[str, Any]]]] = {
            case_id: {"answers": [], "checks": [], "follow_ups": []} for case_id in ids
        }
        with self._read() as conn:
            for case in conn.execute(sa.select(CASES).where(CASES.c.id.in_(ids))):
                current[case.id] = dict(case._mapping)
            sources = (("answers", ANSWERS), ("checks", CHECKS), ("follow_ups", FOLLOW_UPS))
            for name, table in sources if with_rows else ():
                convert = table is not ANSWERS  # answers hold only text and flags
                for child in conn.execute(sa.select(table).where(table.c.case_id.in_(ids))):
                    values = dict(child._mapping)
                    children[child.case_id][name].append(_json_row(values) if convert else values)
        changes = []
        for row in rows:
            stored = current.get(row.case_id)
            if (
                stored is not None
                and stored["revision"] == row.revision
                and stored["case_json"] == row.case_json
            ):
                summary = {name: _jsonable(stored[name]) for name in SUMMARY_FIELDS}
                rows_of = children[row.case_id]
                answers, checks, follow_ups = (
                    rows_of["answers"],
                    rows_of["checks"],
                    rows_of["follow_ups"],
                )
            else:
                record = CaseRecord.model_validate_json(row.case_json)
                built = case_rows(record, self.forms, self._today())
                summary = {name: _jsonable(built.columns[name]) for name in SUMMARY_FIELDS}
                answers = [_json_row(r) for r in built.answers] if with_rows else []
                checks = [_json_row(r) for r in built.checks] if with_rows else []
                follow_ups = [_json_row(r) for r in built.follow_ups] if with_rows else []
            changes.append(
                Change(
                    seq=row.seq,
                    case_id=row.case_id,
                    base_revision=row.base_revision,
                    revision=row.revision,
                    kind=row.kind,
                    case_json=row.case_json,
                    summary=summary,
                    answers=answers,
                    checks=checks,
                    follow_ups=follow_ups,
                )
            )
        return changes

    def supersede_refused(self, device_id: str) -> list[int]:
        """A case saved again after its change was refused: the later save takes the
        refused change's place (it may well correct it). The changes before it are kept
        as superseded (each carried the whole case, as the later one does) and it goes on
        the revision the refused one was made on. Returns the changes superseded."""
        query = (
            sa.select(
                OUTBOX.c.seq,
                OUTBOX.c.case_id,
                OUTBOX.c.created_at,
                sa.func.coalesce(SYNC_CHANGES.c.base_revision, OUTBOX.c.base_revision).label(
                    "base_revision"
                ),
                SYNC_CHANGES.c.outcome,
                SYNC_CHANGES.c.updated_at,
            )
            .select_from(OUTBOX.outerjoin(SYNC_CHANGES, _SYNC_CHANGE_OF_OUTBOX_ROW))
            .where(OUTBOX.c.device_id == device_id, OUTBOX.c.acknowledged_at.is_(None))
            .order_by(OUTBOX.c.seq)
        )
        superseded: list[int] = []
        now = self._clock()
        with self._write() as conn:
            by_case: dict[str, list[Any]] = {}
            for row in conn.execute(query):
                by_case.setdefault(row.case_id, []).append(row)
            for rows in by_case.values():
                refusals = [row.updated_at for row in rows if row.outcome == "rejected"]
                latest = rows[-1]
                if not refusals or latest.outcome == "rejected" or latest.created_at is None:
                    continue
                if all(latest.created_at <= refused_at for refused_at in refusals if refused_at):
                    continue  # saved before the refusal came: not a correction of it
                earlier = rows[:-1]
                for row in earlier:
                    self._note_change(
                        conn, device_id, row.seq, "superseded",
                        f"replaced by change {latest.seq}", count_attempt=False,
                    )  # fmt: skip
                writes.acknowledge_changes(conn, device_id, [row.seq for row in earlier], now)
                self._note_change(
                    conn, device_id, latest.seq, "pending", None, count_attempt=False
                )
                conn.execute(
                    SYNC_CHANGES.update()
                    .where(SYNC_CHANGES.c.device_id == device_id, SYNC_CHANGES.c.seq == latest.seq)
                    .values(base_revision=rows[0].base_revision)
                )
                superseded += [row.seq for row in earlier]
        return superseded

    def withdraw(self, case_id: str, *, actor: str) -> int:
        """Stop sending CASE_ID's unsent changes (the officer gave up on them, say after
        a refusal); the laptop keeps its copy. Audited. Returns how many were withdrawn."""
        now = self._clock()
        rows = [
            row
            for device in self.pending_devices()
            for row in self.pending_rows(0, 1_000_000, device)
            if row.case_id == case_id
        ]
        if not rows:
            raise SyncError(f"Case {case_id} has no changes waiting to be sent.")
        with self._write() as conn:
            for row in rows:
                self._note_change(
                    conn, row.device_id, row.seq, "withdrawn", f"withdrawn by {actor}",
                    count_attempt=False,
                )  # fmt: skip
                writes.acknowledge_changes(conn, row.device_id, [row.seq], now)
            seqs = ", ".join(str(row.seq) for row in rows)
            self._audit(
                conn, "sync-withdraw", case_id,
                f"change(s) {seqs} withdrawn: not sent to the central store", actor=actor,
            )  # fmt: skip
        return len(rows)

    def waiting_behind(self) -> dict[str, list[PendingRow]]:
        """Each case with a refused change: the refused change first, then what waits
        behind it."""
        waiting: dict[str, list[PendingRow]] = {}
        for row in self.refused_rows():
            waiting.setdefault(row.case_id, []).append(row)
        return {
            case_id: rows for case_id, rows in waiting.items()
            if any(row.outcome == "rejected" for row in rows)
        }  # fmt: skip

    def mark_unsent(self, rows: Sequence[PendingRow], reason: str) -> None:
        """ROWS were not sent (an earlier change to their case was refused)."""
        with self._write() as conn:
            for row in rows:
                self._note_change(
                    conn, row.device_id, row.seq, "blocked", reason, count_attempt=False
                )

    def _note_change(
        self,
        conn: sa.Connection,
        device_id: str,
        seq: int,
        outcome: str,
        reason: str | None,
        *,
        count_attempt: bool = True,
    ) -> None:
        key = (SYNC_CHANGES.c.device_id == device_id) & (SYNC_CHANGES.c.seq == seq)
        values: dict[str, Any] = {
            "outcome": outcome,
            "reason": reason,
            "updated_at": self._clock(),
        }
        if count_attempt:
            values["attempts"] = SYNC_CHANGES.c.attempts + 1
        updated = conn.execute(SYNC_CHANGES.update().where(key).values(**values))
        if updated.rowcount == 0:
            values["attempts"] = 1 if count_attempt else 0
            conn.execute(SYNC_CHANGES.insert().values(device_id=device_id, seq=seq, **values))

    def record_results(
        self, device_id: str, changes: Sequence[Change], results: Sequence[ChangeResult]
    ) -> PushTally:
        """Acknowledge what the central store holds, keep conflicts and refusals; one
        transaction for the batch."""
        tally = PushTally()
        now = self._clock()
        pairs = list(zip(changes, results, strict=True))
        acknowledged = [change.seq for change, result in pairs if result.acknowledged]
        outcomes = [
            {
                "device_id": device_id,
                "seq": change.seq,
                "kind": change.kind,
                "outcome": result.outcome,
                "reason": result.detail,
                "attempts": 1,
                "updated_at": now,
            }
            for change, result in pairs
        ]
        with self._write() as conn:
            writes.acknowledge_changes(conn, device_id, acknowledged, now)
            conn.execute(_UPSERT_OUTCOME, outcomes)
            for change, result in pairs:
                tally.duplicates += result.acknowledged and result.duplicate
                if result.outcome == "applied":
                    tally.applied += 1
                elif result.outcome == "conflict":
                    tally.conflicts += self._record_conflict(conn, device_id, change, result, now)
                elif result.outcome == "held":
                    tally.held += 1
                    refresh_theirs(conn, change.case_id, result, now)
                else:
                    tally.stuck_cases.add(change.case_id)
                    if result.outcome == "rejected":
                        reason = result.detail or "refused by the central store"
                        tally.rejected.append((change.seq, change.case_id, reason))
                    else:
                        tally.blocked += 1
        return tally
