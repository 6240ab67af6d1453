"""Cases in and out of the store: one transaction per change, audited, with an outbox row.

Callers get plain objects (CaseRecord, frozen dataclasses), never table rows, so nothing
outside the store holds a database session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from court_tui.domain.bounds import OutOfBounds, next_revision
from court_tui.domain.case import CaseRecord, new_id, utc_now
from court_tui.domain.casefile import describe_error
from court_tui.domain.forms import FormSet
from court_tui.store import writes
from court_tui.store.engine import WriteLock, store_errors
from court_tui.store.entries import (
    AuditEntry,
    CaseSummary,
    ImportConflict,
    ImportResult,
    PendingItem,
    SupervisorNoteEntry,
)
from court_tui.store.errors import (
    CaseChanged,
    CaseNotFound,
    FollowUpIdTaken,
    NoRevisionLeft,
    StoreError,
)
from court_tui.store.opening import case_list_query, case_summaries
from court_tui.store.pending import pending_items
from court_tui.store.tables import (
    AUDIT,
    CASES,
    CHECK_IS_OUTSTANDING,
    CHECKS,
    FOLLOW_UPS,
    NOTES,
    OUTBOX,
    REFERENCE,
    SETTINGS,
)
from court_tui.store.writes import AuditAction

SUMMARY_COLUMNS = (
    CASES.c.id,
    CASES.c.name,
    CASES.c.crn,
    CASES.c.pnc,
    CASES.c.court,
    CASES.c.courtroom,
    CASES.c.hearing_date,
    CASES.c.pending_checks,
    CASES.c.status,
    CASES.c.updated_at,
    # The soonest "reply expected by" of the case's outstanding checks, so the list can
    # say a pending check is overdue.
    sa.select(sa.func.min(CHECKS.c.expected_by))
    .where(CHECKS.c.case_id == CASES.c.id, sa.text(f"checks.{CHECK_IS_OUTSTANDING}"))
    .scalar_subquery()
    .label("next_check_due"),
)


def _comparable(record: CaseRecord) -> dict[str, Any]:
    return record.model_dump(mode="json", exclude={"revision", "updated_at"})


class Repository:
    """Saves, reads and lists cases; every change is one audited transaction."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        device_id: str,
        forms: FormSet,
        write_lock: WriteLock | None = None,
        clock: Callable[[], datetime] = utc_now,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._engine = engine
        self._writer = engine.execution_options(immediate=True)
        self._lock = write_lock or WriteLock()
        self.device_id = device_id
        self.forms = forms
        self._clock = clock
        self._today = today

    # -- transactions -------------------------------------------------------------------

    @property
    def engine(self) -> sa.Engine:
        """The store's engine, for the layers built on the store (sync, review)."""
        return self._engine

    @property
    def write_lock(self) -> WriteLock:
        """The one writer lock every transaction on this store queues behind."""
        return self._lock

    def transaction(self) -> AbstractContextManager[sa.Connection]:
        """A write transaction (BEGIN IMMEDIATE) queued behind the store's other writers."""
        return self._write()

    def connection(self) -> AbstractContextManager[sa.Connection]:
        """A connection for reading, with store errors in plain words."""
        return self._read()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._lock, store_errors(), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with store_errors(), self._engine.connect() as conn:
            yield conn

    def _audit(
        self,
        conn: sa.Connection,
        action: AuditAction,
        actor: str,
        case_id: str | None,
        detail: str = "",
    ) -> None:
        writes.append_audit(
            conn,
            at=self._clock(),
            device_id=self.device_id,
            actor=actor,
            action=action,
            case_id=case_id,
            detail=detail,
        )

    # -- saving -------------------------------------------------------------------------

    def save_case(self, record: CaseRecord, *, actor: str) -> CaseRecord:
        """Save RECORD (based on its revision) with an audit row and an outbox row.

        Returns the saved copy: revision + 1 and updated_at now. Raises CaseChanged when
        the store holds a different revision than the one RECORD was based on.
        """
        with self._write() as conn:
            stored = writes.stored_summary(conn, record.id)
            if stored is not None and stored["revision"] != record.revision:
                raise CaseChanged(record.id, record.revision, int(stored["revision"]))
            action: AuditAction = "create" if stored is None else "save"
            return self._put(conn, record, action=action, actor=actor, detail="", stored=stored)

    def import_case(self, record: CaseRecord, *, actor: str, source: str) -> ImportResult:
        """Add RECORD from a case file; unchanged when already here, refused when different."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(CASES.c.revision, CASES.c.case_json).where(CASES.c.id == record.id)
            ).first()
            if row is not None:
                stored = CaseRecord.model_validate_json(row.case_json)
                if _comparable(stored) == _comparable(record):
                    return ImportResult(stored, "unchanged")
                raise ImportConflict(record, int(row.revision))
            ids = [follow_up.id for follow_up in record.follow_ups]
            taken = conn.execute(
                sa.select(FOLLOW_UPS.c.id).where(FOLLOW_UPS.c.id.in_(ids)).limit(1)
            ).scalar_one_or_none()
            if taken is not None:
                raise FollowUpIdTaken(str(taken))
            saved = self._put(conn, record, action="import", actor=actor, detail=source)
        return ImportResult(saved, "imported")

    def _stored_revision(self, conn: sa.Connection, case_id: str) -> int | None:
        revision = conn.execute(
            sa.select(CASES.c.revision).where(CASES.c.id == case_id)
        ).scalar_one_or_none()
        return None if revision is None else int(revision)

    def _put(
        self,
        conn: sa.Connection,
        record: CaseRecord,
        *,
        action: AuditAction,
        actor: str,
        detail: str,
        stored: dict[str, Any] | None = None,
    ) -> CaseRecord:
        now = self._clock()
        try:
            revision = next_revision(record.revision)
        except OutOfBounds as exc:
            raise NoRevisionLeft(str(exc)) from None
        # The saved copy has containers of its own, so that what it holds is what was
        # written even if the caller's were changed in place afterwards. The values in
        # them are shared, not copied: the domain changes a case by making a new record,
        # never by changing one it was given.
        saved = record.model_copy(
            update={
                "revision": revision,
                "updated_at": now,
                "answers": dict(record.answers),
                "checks": dict(record.checks),
                "follow_ups": list(record.follow_ups),
                "drafts": dict(record.drafts),
            }
        )
        exists = action not in ("create", "import")
        columns = writes.write_case(
            conn, saved, self.forms, self._today(), exists=exists, stored=stored
        )
        self._audit(conn, action, actor, saved.id, detail)
        writes.queue_change(
            conn,
            device_id=self.device_id,
            case_id=saved.id,
            base_revision=record.revision,
            revision=saved.revision,
            case_json=columns["case_json"],
            created_at=now,
        )
        return saved

    # -- reading ------------------------------------------------------------------------

    def get_case(self, case_id: str, *, actor: str) -> CaseRecord:
        """The case CASE_ID, recording the view in the audit log; raises CaseNotFound."""
        with self._write() as conn:
            case_json = conn.execute(
                sa.select(CASES.c.case_json).where(CASES.c.id == case_id)
            ).scalar_one_or_none()
            if case_json is None:
                raise CaseNotFound(case_id)
            self._audit(conn, "view", actor, case_id)
        try:
            return CaseRecord.model_validate_json(case_json)
        except ValidationError as error:
            raise StoreError(
                f"Case {case_id} cannot be read by this court-tui ({describe_error(error)}); "
                "it is set aside: `court-tui doctor` lists it."
            ) from None

    def find_case_id(self, text: str) -> str:
        """The id of the case whose id or CRN is TEXT; raises CaseNotFound, or StoreError
        when a CRN belongs to more than one case."""
        wanted = text.strip()
        with self._read() as conn:
            if conn.execute(sa.select(CASES.c.id).where(CASES.c.id == wanted)).first():
                return wanted
            ids = list(
                conn.execute(sa.select(CASES.c.id).where(CASES.c.crn == wanted.upper()))
                .scalars()
                .all()
            )
        if not ids:
            raise CaseNotFound(wanted)
        if len(ids) > 1:
            raise StoreError(
                f"More than one case has CRN {wanted.upper()}: give the case id instead "
                f"({', '.join(ids)})."
            )
        return str(ids[0])

    def case_exists(self, case_id: str) -> bool:
        """Whether a case with CASE_ID is in the store (no audit: nothing is read)."""
        with self._read() as conn:
            return (
                conn.execute(sa.select(CASES.c.id).where(CASES.c.id == case_id)).first()
                is not None
            )

    def list_cases(self, *, on: date | None = None) -> list[CaseSummary]:
        """The cases heard ON a day (today's cases), or every case when ON is None."""
        sql, params = case_list_query(on)
        with self._read() as conn:
            return case_summaries(conn.exec_driver_sql(sql, params))

    def search_cases(self, text: str) -> list[CaseSummary]:
        """Cases whose name, CRN or PNC contains TEXT, ignoring case."""
        wanted = text.strip()
        if not wanted:
            return []
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        # The id-only query runs on the covering index; the rows are fetched after.
        matching = (
            sa.select(CASES.c.id)
            .where(
                sa.or_(
                    CASES.c.name.like(pattern, escape="\\"),
                    CASES.c.crn.like(pattern, escape="\\"),
                    CASES.c.pnc.like(pattern, escape="\\"),
                )
            )
            .scalar_subquery()
        )
        query = (
            sa.select(*SUMMARY_COLUMNS)
            .where(CASES.c.id.in_(matching))
            .order_by(CASES.c.name, CASES.c.hearing_date)
        )
        with self._read() as conn:
            return [CaseSummary(**row._mapping) for row in conn.execute(query)]

    def pending_items(self, *, today: date, team: str | None = None) -> list[PendingItem]:
        """Outstanding checks and open follow-ups, by due date (overdue first, undated last)."""
        with self._read() as conn:
            return pending_items(conn, self.forms, today=today, team=team)

    # -- audit, disclosure, oversight ---------------------------------------------------

    def record_disclosure(self, case_id: str, *, actor: str, detail: str) -> None:
        """Record that CASE_ID left court-tui (an export): who, when, and in what form."""
        with self._write() as conn:
            if self._stored_revision(conn, case_id) is None:
                raise CaseNotFound(case_id)
            self._audit(conn, "disclose", actor, case_id, detail)

    def audit_rows(self, case_id: str | None = None) -> list[AuditEntry]:
        """The audit log, oldest first; only CASE_ID's rows when given."""
        query = sa.select(AUDIT).order_by(AUDIT.c.id)
        if case_id is not None:
            query = query.where(AUDIT.c.case_id == case_id)
        with self._read() as conn:
            return [AuditEntry(**row._mapping) for row in conn.execute(query)]

    def add_supervisor_note(
        self, case_id: str, *, actor: str, note: str, item_id: str | None = None
    ) -> SupervisorNoteEntry:
        """Record a supervisor's oversight note on CASE_ID (or one item of it), audited."""
        entry = SupervisorNoteEntry(
            id=new_id(),
            case_id=case_id,
            item_id=item_id,
            note=note,
            written_by=actor,
            written_at=self._clock(),
        )
        with self._write() as conn:
            if self._stored_revision(conn, case_id) is None:
                raise CaseNotFound(case_id)
            writes.add_note(conn, **entry.__dict__)
            self._audit(conn, "note", actor, case_id, item_id or "")
        return entry

    def supervisor_notes(self, case_id: str) -> list[SupervisorNoteEntry]:
        """The oversight notes on CASE_ID, oldest first."""
        query = (
            sa.select(NOTES)
            .where(NOTES.c.case_id == case_id)
            .order_by(NOTES.c.written_at, NOTES.c.id)
        )
        with self._read() as conn:
            return [SupervisorNoteEntry(**row._mapping) for row in conn.execute(query)]

    # -- outbox, reference data, settings -----------------------------------------------

    def outbox_depth(self) -> int:
        """How many changes are waiting to be sent."""
        query = (
            sa.select(sa.func.count())
            .select_from(OUTBOX)
            .where(OUTBOX.c.acknowledged_at.is_(None))
        )
        with self._read() as conn:
            return int(conn.execute(query).scalar_one())

    def outbox_sequences(self) -> list[int]:
        """This device's outbox sequence numbers, in order (for checks and the doctor)."""
        query = (
            sa.select(OUTBOX.c.seq)
            .where(OUTBOX.c.device_id == self.device_id)
            .order_by(OUTBOX.c.seq)
        )
        with self._read() as conn:
            return [int(seq) for seq in conn.execute(query).scalars()]

    def revisions(self) -> dict[str, int]:
        """Every case id with its stored revision (for checks and sync)."""
        with self._read() as conn:
            rows = conn.execute(sa.select(CASES.c.id, CASES.c.revision))
            return {str(row.id): int(row.revision) for row in rows}

    def count_cases(self) -> int:
        """How many cases are in the store."""
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(CASES)).scalar_one())

    def put_reference_data(self, kind: str, payload: dict[str, Any]) -> None:
        """Keep PAYLOAD as the reference data of KIND (replacing what was there)."""
        text = json.dumps(payload, ensure_ascii=False)
        with self._write() as conn:
            writes.put_reference_data(conn, kind, text, self._clock())

    def get_reference_data(self, kind: str) -> dict[str, Any] | None:
        """The reference data of KIND, or None."""
        with self._read() as conn:
            payload = conn.execute(
                sa.select(REFERENCE.c.payload).where(REFERENCE.c.kind == kind)
            ).scalar_one_or_none()
        if payload is None:
            return None
        data = json.loads(payload)
        return data if isinstance(data, dict) else None

    def get_setting(self, key: str) -> str | None:
        """The setting KEY, or None when it was never set."""
        with self._read() as conn:
            value = conn.execute(
                sa.select(SETTINGS.c.value).where(SETTINGS.c.key == key)
            ).scalar_one_or_none()
        return None if value is None else str(value)

    def put_setting(self, key: str, value: str) -> None:
        """Set KEY to VALUE."""
        with self._write() as conn:
            updated = conn.execute(
                SETTINGS.update().where(SETTINGS.c.key == key).values(value=value)
            )
            if updated.rowcount == 0:
                conn.execute(SETTINGS.insert().values(key=key, value=value))
