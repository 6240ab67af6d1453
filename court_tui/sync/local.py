"""The laptop's side of the sync, inside the encrypted store.

Reads pending outbox rows in order, records what the central store said about each,
keeps conflicts (both versions) until the officer chooses, applies changes made
elsewhere as new local revisions without queuing them again, and keeps the pull cursor
and the last sync's time. Every write is one transaction on the store's own engine,
taken with the store's writer lock, so a sync and the officer's saves never interleave.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from court_tui.domain.case import CaseRecord, utc_now
from court_tui.store import Store, writes
from court_tui.store.tables import ANSWERS, CASES, CHECKS, FOLLOW_UPS, NOTES, OUTBOX
from court_tui.store.writes import AuditAction, case_rows
from court_tui.sync.errors import SyncError
from court_tui.sync.local_schema import ensure_sync_schema
from court_tui.sync.local_tables import SYNC_CHANGES, SYNC_CONFLICTS, SYNC_NOTES, SYNC_STATE
from court_tui.sync.protocol import (
    Change,
    ChangeKind,
    ChangeResult,
    NoteChange,
    NoteResult,
    PulledItem,
    PullPage,
)

STATE_CURSOR = "pull_cursor"
STATE_TEAMS = "pull_teams"
STATE_LAST_SYNCED = "last_synced_at"
STATE_LAST_ATTEMPT = "last_attempt_at"
STATE_LAST_ERROR = "last_error"

SYNC_ACTOR = "court-tui sync"
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
Keep = Literal["mine", "theirs"]


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


@dataclass
class NotesTally:
    """What sending the oversight notes written here did."""

    sent: int = 0
    duplicates: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PullTally:
    """What applying pulled pages did to the store."""

    cases: int = 0
    notes: int = 0
    reference: int = 0
    conflicts_updated: int = 0
    waiting: int = 0
    case_ids: list[str] = field(default_factory=list)


class LocalSync:
    """The sync's reads and writes on one open store."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.store = store
        repository = store.repository
        self.device_id = repository.device_id
        self.forms = repository.forms
        # The sync's transactions are the store's own, so they queue behind the officer's
        # saves like any other writer.
        self._repository = repository
        self._clock = clock
        self._today = today
        ensure_sync_schema(repository.engine, repository.write_lock)

    def _write(self) -> AbstractContextManager[sa.Connection]:
        return self._repository.transaction()

    def _read(self) -> AbstractContextManager[sa.Connection]:
        return self._repository.connection()

    # -- sync state -----------------------------------------------------------------

    def state(self, key: str) -> str | None:
        """One value of the sync state."""
        with self._read() as conn:
            return self._state(conn, key)

    @staticmethod
    def _state(conn: sa.Connection, key: str) -> str | None:
        value = conn.execute(
            sa.select(SYNC_STATE.c.value).where(SYNC_STATE.c.key == key)
        ).scalar_one_or_none()
        return None if value is None else str(value)

    @staticmethod
    def _put_state(conn: sa.Connection, key: str, value: str | None) -> None:
        conn.execute(SYNC_STATE.delete().where(SYNC_STATE.c.key == key))
        if value is not None:
            conn.execute(SYNC_STATE.insert().values(key=key, value=value))

    def pull_position(self) -> tuple[int, tuple[str, ...] | None]:
        """The pull cursor and the teams it was taken for (None before the first pull)."""
        with self._read() as conn:
            cursor = self._state(conn, STATE_CURSOR)
            teams = self._state(conn, STATE_TEAMS)
        return (int(cursor) if cursor else 0), (tuple(json.loads(teams)) if teams else None)

    def start_over(self, teams: Sequence[str]) -> None:
        """Pull everything again, for TEAMS (the officer's teams changed)."""
        with self._write() as conn:
            self._put_state(conn, STATE_CURSOR, "0")
            self._put_state(conn, STATE_TEAMS, json.dumps(list(teams)))

    def record_success(self, finished_at: datetime) -> None:
        """A sync finished at FINISHED_AT with nothing left unsaid."""
        with self._write() as conn:
            self._put_state(conn, STATE_LAST_ATTEMPT, finished_at.isoformat())
            self._put_state(conn, STATE_LAST_SYNCED, finished_at.isoformat())
            self._put_state(conn, STATE_LAST_ERROR, None)

    def record_failure(self, message: str) -> None:
        """A sync stopped with MESSAGE."""
        with self._write() as conn:
            self._put_state(conn, STATE_LAST_ATTEMPT, self._clock().isoformat())
            self._put_state(conn, STATE_LAST_ERROR, message)

    # -- outbox ---------------------------------------------------------------------

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
                OUTBOX.c.base_revision,
                OUTBOX.c.revision,
                OUTBOX.c.case_json,
                SYNC_CHANGES.c.kind,
                SYNC_CHANGES.c.outcome,
                SYNC_CHANGES.c.reason,
            )
            .select_from(
                OUTBOX.outerjoin(
                    SYNC_CHANGES,
                    sa.and_(
                        SYNC_CHANGES.c.device_id == OUTBOX.c.device_id,
                        SYNC_CHANGES.c.seq == OUTBOX.c.seq,
                    ),
                )
            )
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
            notes = int(conn.execute(self._unsent_notes_query(count=True)).scalar_one())
        return self.store.repository.outbox_depth() + notes

    # -- oversight notes written on this laptop -------------------------------------

    @staticmethod
    def _unsent_notes_query(*, count: bool = False) -> sa.Select[Any]:
        joined = NOTES.outerjoin(SYNC_NOTES, SYNC_NOTES.c.note_id == NOTES.c.id)
        unsent = sa.or_(SYNC_NOTES.c.note_id.is_(None), SYNC_NOTES.c.outcome == "refused")
        if count:
            return sa.select(sa.func.count()).select_from(joined).where(unsent)
        return (
            sa.select(NOTES)
            .select_from(joined)
            .where(unsent)
            .order_by(NOTES.c.written_at, NOTES.c.id)
        )

    def unsent_notes(self, limit: int | None = None) -> list[NoteChange]:
        """The oversight notes written here that the central store has not taken (the
        first LIMIT), oldest first; refused ones too, as their case may have arrived."""
        query = self._unsent_notes_query()
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
                self._mark_note(conn, note.id, outcome, result.detail, now)
                if result.outcome == "applied":
                    tally.sent += 1
                    self._audit(conn, "sync-note", note.case_id, "oversight note sent")
                elif result.outcome == "duplicate":
                    tally.duplicates += 1
                else:
                    reason = result.detail or "refused by the central store"
                    tally.refused.append((note.case_id, reason))
        return tally

    @staticmethod
    def _mark_note(
        conn: sa.Connection, note_id: str, outcome: str, reason: str | None, now: datetime
    ) -> None:
        upsert = sqlite_insert(SYNC_NOTES).values(
            note_id=note_id, outcome=outcome, reason=reason, updated_at=now
        )
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[SYNC_NOTES.c.note_id],
                set_={"outcome": outcome, "reason": reason, "updated_at": now},
            )
        )

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
            .select_from(
                OUTBOX.join(
                    SYNC_CHANGES,
                    sa.and_(
                        SYNC_CHANGES.c.device_id == OUTBOX.c.device_id,
                        SYNC_CHANGES.c.seq == OUTBOX.c.seq,
                    ),
                )
            )
            .where(
                OUTBOX.c.acknowledged_at.is_(None),
                SYNC_CHANGES.c.outcome.in_(("rejected", "blocked")),
            )
        )
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def build_changes(self, rows: Sequence[PendingRow]) -> list[Change]:
        """ROWS as changes to send, each with the summary and rows the server indexes.

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
            for name, table in (
                ("answers", ANSWERS),
                ("checks", CHECKS),
                ("follow_ups", FOLLOW_UPS),
            ):
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
                answers = [_json_row(r) for r in built.answers]
                checks = [_json_row(r) for r in built.checks]
                follow_ups = [_json_row(r) for r in built.follow_ups]
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
                    self._refresh_theirs(conn, change.case_id, result, now)
                else:
                    tally.stuck_cases.add(change.case_id)
                    if result.outcome == "rejected":
                        reason = result.detail or "refused by the central store"
                        tally.rejected.append((change.seq, change.case_id, reason))
                    else:
                        tally.blocked += 1
        return tally

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
            self._refresh_theirs(conn, change.case_id, result, now)
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

    def _refresh_theirs(
        self, conn: sa.Connection, case_id: str, result: ChangeResult, now: datetime
    ) -> None:
        if result.theirs_json is None or result.theirs_revision is None:
            return
        self._update_theirs(conn, case_id, result.theirs_revision, result.theirs_json, now)

    @staticmethod
    def _update_theirs(
        conn: sa.Connection, case_id: str, revision: int, case_json: str, now: datetime
    ) -> int:
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

    # -- writing cases ----------------------------------------------------------------

    def _audit(
        self,
        conn: sa.Connection,
        action: AuditAction,
        case_id: str | None,
        detail: str,
        *,
        actor: str = SYNC_ACTOR,
        at: datetime | None = None,
    ) -> None:
        writes.append_audit(
            conn,
            at=self._clock() if at is None else at,
            device_id=self.device_id,
            actor=actor,
            action=action,
            case_id=case_id,
            detail=detail,
        )

    def _write_case(self, conn: sa.Connection, record: CaseRecord, *, exists: bool) -> None:
        writes.write_case(conn, record, self.forms, self._today(), exists=exists)

    # -- pulling --------------------------------------------------------------------

    def missing_cases(self, page: PullPage) -> list[str]:
        """Cases that notes on PAGE belong to and that are neither here nor on PAGE."""
        wanted = {
            str(item.detail.get("case_id"))
            for item in page.items
            if item.kind == "note" and item.detail.get("case_id")
        }
        wanted -= {item.key for item in page.items if item.kind == "case"}
        if not wanted:
            return []
        with self._read() as conn:
            here = set(conn.execute(sa.select(CASES.c.id).where(CASES.c.id.in_(wanted))).scalars())
        return sorted(wanted - here)

    def apply_page(
        self, page: PullPage, fetched: dict[str, tuple[int, str]], cursor: int
    ) -> PullTally:
        """Apply one page of changes made elsewhere and move the cursor to CURSOR, in one
        transaction (a crash part-way applies the page again, which changes nothing)."""
        tally = PullTally()
        now = self._clock()
        extra = [
            PulledItem(0, "case", case_id, revision, case_json, {})
            for case_id, (revision, case_json) in fetched.items()
        ]
        cases = [item for item in [*extra, *page.items] if item.kind == "case"]
        with self._write() as conn:
            for item in cases:
                self._apply_case(conn, item, tally, now)
            for item in page.items:
                if item.kind == "note":
                    self._apply_note(conn, item, tally)
                elif item.kind == "reference":
                    self._apply_reference(conn, item, tally, now)
            self._put_state(conn, STATE_CURSOR, str(cursor))
            self._put_state(conn, STATE_TEAMS, json.dumps(list(page.teams)))
        return tally

    def _apply_case(
        self, conn: sa.Connection, item: PulledItem, tally: PullTally, now: datetime
    ) -> None:
        revision = int(item.revision or 0)
        if self._update_theirs(conn, item.key, revision, item.payload, now):
            tally.conflicts_updated += 1
            return
        open_conflict = conn.execute(
            sa.select(SYNC_CONFLICTS.c.id).where(
                SYNC_CONFLICTS.c.case_id == item.key, SYNC_CONFLICTS.c.resolved_at.is_(None)
            )
        ).first()
        if open_conflict is not None:
            return
        pending = conn.execute(
            sa.select(OUTBOX.c.seq)
            .where(OUTBOX.c.case_id == item.key, OUTBOX.c.acknowledged_at.is_(None))
            .limit(1)
        ).first()
        if pending is not None:
            # This laptop's own change goes first; if it clashes, the push says so.
            tally.waiting += 1
            return
        local = conn.execute(
            sa.select(CASES.c.revision).where(CASES.c.id == item.key)
        ).scalar_one_or_none()
        if local is not None and int(local) >= revision:
            return
        try:
            record = CaseRecord.model_validate_json(item.payload)
        except ValidationError:
            raise SyncError(
                "A case from the central store cannot be read by this version of court-tui: "
                "update court-tui and sync again."
            ) from None
        if record.id != item.key or record.revision != revision:
            record = record.model_copy(update={"id": item.key, "revision": revision})
        self._write_case(conn, record, exists=local is not None)
        changed_by = item.detail.get("changed_by") or "another laptop"
        self._audit(
            conn,
            "sync-pull",
            item.key,
            f"revision {revision} from the central store (changed by {changed_by})",
        )
        tally.cases += 1
        tally.case_ids.append(item.key)

    def _apply_note(self, conn: sa.Connection, item: PulledItem, tally: PullTally) -> None:
        case_id = str(item.detail.get("case_id") or "")
        if conn.execute(sa.select(CASES.c.id).where(CASES.c.id == case_id)).first() is None:
            return
        written_at = _parse_time(item.detail.get("written_at")) or self._clock()
        written_by = str(item.detail.get("written_by") or "")
        if conn.execute(sa.select(NOTES.c.id).where(NOTES.c.id == item.key)).first() is not None:
            # Sent from here (or pulled before): the central store has it, with the
            # supervisor's name and time as it keeps them, which this copy takes.
            self._mark_note(conn, item.key, "sent", None, self._clock())
            writes.set_note_author(conn, item.key, written_by, written_at)
            return
        self._mark_note(conn, item.key, "pulled", None, self._clock())
        writes.add_note(
            conn,
            id=item.key,
            case_id=case_id,
            item_id=item.detail.get("item_id"),
            note=item.payload,
            written_by=written_by,
            written_at=written_at,
        )
        self._audit(conn, "note", case_id, "supervisor's note from the central store")
        tally.notes += 1

    def _apply_reference(
        self, conn: sa.Connection, item: PulledItem, tally: PullTally, now: datetime
    ) -> None:
        updated_at = _parse_time(item.detail.get("updated_at")) or now
        writes.put_reference_data(conn, item.key, item.payload, updated_at)
        tally.reference += 1

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
            mine = CaseRecord.model_validate_json(stored.case_json)
            theirs = CaseRecord.model_validate_json(conflict.theirs_json)
            chosen = mine if keep == "mine" else theirs
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


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
