"""The wire to the central store: push a batch of changes (and of oversight notes), pull
a page of changes.

`Transport` is what the sync needs; `PostgresTransport` is the real one. Tests wrap it to
drop replies, send batches twice or crash at the worst moment.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import psycopg
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import URL

from court_tui.sync.errors import CentralTooOld, NotAnswering, translate
from court_tui.sync.protocol import (
    BATCH_PROTOCOL,
    OLDEST_PROTOCOL,
    Change,
    ChangeResult,
    NoteChange,
    NoteResult,
    PulledItem,
    PullPage,
)
from court_tui.sync.server import make_engine
from court_tui.sync.server_schema import LOGIN_SETTINGS, SCHEMA

# How long one call may take before this laptop stops waiting for the central store.
CALL_DEADLINE_SECONDS = 30.0

_RESULT_COLUMNS = "seq, outcome, duplicate, revision, detail, theirs_revision, theirs_json"
_PUSH = sa.text(f"SELECT {_RESULT_COLUMNS} FROM {SCHEMA}.push_changes(:device, :ops)").bindparams(
    sa.bindparam("ops", type_=JSONB)
)
_PUSH_BATCH = sa.text(
    f"SELECT {_RESULT_COLUMNS} FROM {SCHEMA}.push_batch(:device, :ops)"
).bindparams(sa.bindparam("ops", type_=JSONB))
_PROTOCOL = sa.text(f"SELECT {SCHEMA}.sync_protocol()")
_PULL = sa.text(
    f"SELECT change_seq, kind, key, revision, payload, detail "
    f"FROM {SCHEMA}.pull_changes(:device, :cursor, :limit)"
)
_PUSH_NOTES = sa.text(
    f"SELECT id, outcome, detail FROM {SCHEMA}.push_notes(:device, :notes)"
).bindparams(sa.bindparam("notes", type_=JSONB))
_TEAMS = sa.text(f"SELECT team FROM {SCHEMA}.staff_teams WHERE login_name = current_user")
_CASE = sa.text(f"SELECT revision, case_json FROM {SCHEMA}.cases WHERE id = :id")


@contextmanager
def _deadline(conn: sa.Connection, seconds: float, expired: threading.Event) -> Iterator[None]:
    """Cut CONN's line to the server when the body runs past SECONDS: a stopped server
    never answers, and libpq would wait for it for ever. Shutting the socket down wakes
    the waiting call with a lost connection, which the pool then discards."""
    raw = conn.connection.driver_connection
    fd = raw.pgconn.socket if isinstance(raw, psycopg.Connection) else -1

    def cut() -> None:
        expired.set()
        try:
            line = socket.socket(fileno=os.dup(fd))
        except OSError:
            return
        try:
            line.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            line.close()

    timer = threading.Timer(seconds, cut)
    timer.daemon = True
    if fd >= 0:
        timer.start()
    try:
        yield
    finally:
        timer.cancel()


class Transport(Protocol):
    """The calls a sync makes, each one statement (its own transaction) on the central
    store."""

    def protocol(self) -> int:
        """The sync protocol the central store speaks (OLDEST_PROTOCOL when it predates
        asking); `push` speaks it, and changes for protocol 1 carry their case's rows."""
        ...

    def push(self, device_id: str, changes: Sequence[Change]) -> list[ChangeResult]:
        """Send CHANGES (in sequence order); one result per change, in the same order."""
        ...

    def push_notes(self, device_id: str, notes: Sequence[NoteChange]) -> list[NoteResult]:
        """Send oversight NOTES written on this laptop; one result per note, in order."""
        ...

    def pull(self, device_id: str, cursor: int, limit: int) -> PullPage:
        """Up to LIMIT changes made elsewhere after CURSOR, for this person's teams."""
        ...

    def fetch_case(self, case_id: str) -> tuple[int, str] | None:
        """The central store's revision and JSON of one case in this person's teams."""
        ...

    def close(self) -> None:
        """Let go of the connection."""
        ...


class PostgresTransport:
    """The central PostgreSQL store, through the court_tui schema's functions."""

    def __init__(self, url: URL | str, *, deadline: float = CALL_DEADLINE_SECONDS) -> None:
        # Each call is one statement, committed by the server as it ends (autocommit): no
        # round trip for COMMIT, and no transaction, nor the team's feed lock a push takes,
        # held open while this laptop gets round to sending one.
        self.engine = make_engine(url, settings=LOGIN_SETTINGS).execution_options(
            isolation_level="AUTOCOMMIT"
        )
        self.deadline = deadline
        self._protocol: int | None = None

    def _run(self, action: Any, *, new_in_court_tui: str | None = None) -> Any:
        """ACTION (each of its statements its own transaction), given up after the
        deadline. NEW_IN_COURT_TUI names
        what waits on this laptop when the central store's court-tui is too old to have
        the function it calls."""
        expired = threading.Event()
        try:
            with self.engine.connect() as conn, _deadline(conn, self.deadline, expired):
                return action(conn)
        except (sa.exc.SQLAlchemyError, psycopg.Error) as exc:
            if expired.is_set():
                raise NotAnswering(f"no answer in {self.deadline:g} s") from None
            missing = isinstance(getattr(exc, "orig", exc), psycopg.errors.UndefinedFunction)
            if new_in_court_tui is not None and missing:
                raise CentralTooOld(new_in_court_tui) from None
            raise translate(exc) from None

    def protocol(self) -> int:
        if self._protocol is None:

            def action(conn: sa.Connection) -> int:
                try:
                    return int(conn.execute(_PROTOCOL).scalar_one())
                except sa.exc.ProgrammingError as exc:
                    # A central store at revision 0006 or older: it has push_changes only.
                    if isinstance(exc.orig, psycopg.errors.UndefinedFunction):
                        return OLDEST_PROTOCOL
                    raise

            spoken: int = self._run(action)
            self._protocol = spoken
        return self._protocol

    def push(self, device_id: str, changes: Sequence[Change]) -> list[ChangeResult]:
        batch = self.protocol() >= BATCH_PROTOCOL
        statement = _PUSH_BATCH if batch else _PUSH
        ops = [change.as_json(with_rows=not batch) for change in changes]

        def action(conn: sa.Connection) -> Sequence[sa.Row[Any]]:
            return conn.execute(statement, {"device": device_id, "ops": ops}).all()

        rows: Sequence[sa.Row[Any]] = self._run(action)
        return [
            ChangeResult(
                seq=int(row.seq),
                outcome=row.outcome,
                duplicate=bool(row.duplicate),
                revision=row.revision,
                detail=row.detail,
                theirs_revision=row.theirs_revision,
                theirs_json=row.theirs_json,
            )
            for row in rows
        ]

    def push_notes(self, device_id: str, notes: Sequence[NoteChange]) -> list[NoteResult]:
        payload = [note.as_json() for note in notes]

        def action(conn: sa.Connection) -> list[NoteResult]:
            rows = conn.execute(_PUSH_NOTES, {"device": device_id, "notes": payload})
            return [NoteResult(str(row.id), row.outcome, row.detail) for row in rows]

        results: list[NoteResult] = self._run(
            action, new_in_court_tui="oversight notes written on this laptop"
        )
        return results

    def pull(self, device_id: str, cursor: int, limit: int) -> PullPage:
        def action(conn: sa.Connection) -> tuple[list[str], Sequence[sa.Row[Any]]]:
            teams = [str(team) for team in conn.execute(_TEAMS).scalars()]
            pulled = {"device": device_id, "cursor": cursor, "limit": limit}
            return teams, conn.execute(_PULL, pulled).all()

        teams, rows = self._run(action)
        items: list[PulledItem] = []
        high_water = cursor
        for row in rows:
            if row.kind == "cursor":
                high_water = max(high_water, int(row.change_seq))
                continue
            detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
            items.append(
                PulledItem(
                    change_seq=int(row.change_seq),
                    kind=row.kind,
                    key=row.key,
                    revision=row.revision,
                    payload=row.payload,
                    detail=detail,
                )
            )
        return PullPage(items=items, high_water=high_water, teams=tuple(sorted(teams)))

    def fetch_case(self, case_id: str) -> tuple[int, str] | None:
        def action(conn: sa.Connection) -> tuple[int, str] | None:
            row = conn.execute(_CASE, {"id": case_id}).first()
            return None if row is None else (int(row.revision), str(row.case_json))

        found: tuple[int, str] | None = self._run(action)
        return found

    def close(self) -> None:
        self.engine.dispose()
