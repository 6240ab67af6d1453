"""The sync's hold on the laptop's store: its transactions, audit rows and sync state.

Every write is one transaction on the store's own engine, taken with the store's writer
lock, so a sync and the officer's saves never interleave; cases, audit rows and outbox
rows are written through the store's own writer (`court_tui.store.writes`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime

import sqlalchemy as sa

from court_tui.domain.case import CaseRecord, utc_now
from court_tui.store import Store, writes
from court_tui.store.writes import AuditAction
from court_tui.sync.local_schema import ensure_sync_schema
from court_tui.sync.local_tables import SYNC_STATE

STATE_CURSOR = "pull_cursor"
STATE_TEAMS = "pull_teams"
STATE_LAST_SYNCED = "last_synced_at"
STATE_LAST_ATTEMPT = "last_attempt_at"
STATE_LAST_ERROR = "last_error"

SYNC_ACTOR = "court-tui sync"


class LocalBase:
    """One open store as the sync sees it: its transactions, its audit rows, its state."""

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
        ensure_sync_schema(
            repository.engine, repository.write_lock, keep_copy=store.keep_copy_before_upgrade
        )

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

    def take_new_device_id(self, new: str, *, actor: str, unsent: int) -> None:
        """Become device NEW (after a restore), its pull started again; audited."""
        old = self.device_id
        with self._write() as conn:
            writes.set_device_id(conn, new)
            self._put_state(conn, STATE_CURSOR, "0")
            self.device_id = new
            self._audit(
                conn,
                "sync-new-device",
                None,
                f"restored from a backup: device {old} is now {new}; "
                f"{unsent} unsent change(s) keep their identity",
                actor=actor,
            )

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
