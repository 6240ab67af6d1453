"""Oversight notes written on a supervisor's laptop reach the central store once, in the
supervisor's central name, whatever goes wrong on the way; nobody else's laptop can send
one, and a note is never a change to the case, so it never conflicts with the officer's.

Against a real PostgreSQL server, with each person's own login.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from support.pgserver import waits_on
from support.waiting import wait_until
from sync_helpers import Central, PostgresServer, new_case, open_laptop

from court_tui.domain.case import FollowUp
from court_tui.domain.forms import FormSet
from court_tui.store import Store
from court_tui.sync.client import RetryPolicy, sync_once, sync_status
from court_tui.sync.errors import CannotReach
from court_tui.sync.local import LocalSync
from court_tui.sync.protocol import NoteChange, NoteResult
from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1)


def _people(central: Central) -> None:
    add_user(central.admin_url, "amy", teams=["Leeds"], role="officer", display_name="Amy Cole")
    add_user(central.admin_url, "bob", teams=["York"], role="officer", display_name="Bob Hart")
    add_user(
        central.admin_url, "sue", teams=["Leeds"], role="supervisor", display_name="Sue Grant"
    )


def _synced_case(central: Central, folder: Path, forms: FormSet) -> str:
    """Amy's case, on the central store."""
    with open_laptop(folder / "amy.db", forms) as laptop:
        saved = laptop.repository.save_case(new_case("Leeds", officer="Amy Cole"), actor="amy")
        assert sync_once(laptop, central.transport("amy"), retry=NO_WAIT).applied == 1
    return saved.id


def _notes(central: Central, case_id: str) -> list[tuple[str, str, str | None]]:
    with central.connect() as conn:
        rows = conn.execute(
            "SELECT written_by, note, item_id FROM court_tui.supervisor_notes "
            "WHERE case_id = %s ORDER BY written_at",
            [case_id],
        ).fetchall()
    return [tuple(row) for row in rows]


def _sue(central: Central, folder: Path, forms: FormSet) -> Store:
    laptop = open_laptop(folder / "sue.db", forms)
    assert sync_once(laptop, central.transport("sue"), retry=NO_WAIT).error is None
    return laptop


def test_a_note_goes_once_in_the_supervisors_central_name(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    _people(central)
    case_id = _synced_case(central, tmp_path, forms)
    with _sue(central, tmp_path, forms) as laptop:
        revision = laptop.repository.get_case(case_id, actor="t").revision
        laptop.repository.add_supervisor_note(
            case_id, actor="Whatever the laptop says", note="Chase the police", item_id="x"
        )
        assert sync_status(laptop).pending == 1
        report = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        assert (report.notes_sent, report.sent, report.error) == (1, 0, None)
        assert "Sent 1 oversight note(s)." in report.lines()
        assert sync_status(laptop).pending == 0
        # The laptop's copy now reads as the central store keeps it.
        (mine,) = laptop.repository.supervisor_notes(case_id)
        assert mine.written_by == "Sue Grant"
        again = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        assert again.notes_sent == 0 and not again.notes_refused
        # Not a change to the case: its revision is where it was.
        assert laptop.repository.get_case(case_id, actor="t").revision == revision
    assert _notes(central, case_id) == [("Sue Grant", "Chase the police", "x")]
    assert (
        central.scalar(
            "SELECT count(*) FROM court_tui.audit_log WHERE action = 'note' AND actor = 'sue'"
        )
        == 1
    )
    # The officer's laptop gets it with the next sync.
    with open_laptop(tmp_path / "amy.db", forms) as laptop:
        report = sync_once(laptop, central.transport("amy"), retry=NO_WAIT)
        assert report.pulled_notes == 1
        (note,) = laptop.repository.supervisor_notes(case_id)
        assert (note.written_by, note.note) == ("Sue Grant", "Chase the police")
        # ... and never sends it back.
        assert sync_status(laptop).pending == 0


class LostReply:
    """The real transport, whose first reply to a batch of notes is lost after the
    central store has committed it."""

    def __init__(self, inner: PostgresTransport) -> None:
        self.inner = inner
        self.lost = False

    def protocol(self) -> int:
        return self.inner.protocol()

    def push(self, device_id: str, changes: Sequence[Any]) -> Any:
        return self.inner.push(device_id, changes)

    def push_notes(self, device_id: str, notes: Sequence[NoteChange]) -> list[NoteResult]:
        results = self.inner.push_notes(device_id, notes)
        if not self.lost:
            self.lost = True
            raise CannotReach("the connection was lost")
        return results

    def pull(self, device_id: str, cursor: int, limit: int) -> Any:
        return self.inner.pull(device_id, cursor, limit)

    def fetch_case(self, case_id: str) -> Any:
        return self.inner.fetch_case(case_id)

    def close(self) -> None:
        self.inner.close()


def test_a_lost_reply_sends_the_note_again_and_the_central_store_keeps_one(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    _people(central)
    case_id = _synced_case(central, tmp_path, forms)
    with _sue(central, tmp_path, forms) as laptop:
        laptop.repository.add_supervisor_note(case_id, actor="Sue Grant", note="Seen")
        transport = LostReply(central.transport("sue"))
        first = sync_once(laptop, transport, retry=NO_WAIT)
        assert first.error is not None and "Cannot reach" in first.error
        assert sync_status(laptop).pending == 1
        second = sync_once(laptop, transport, retry=NO_WAIT)
        assert second.error is None and second.notes_sent == 0  # it was already there
        assert sync_status(laptop).pending == 0
        transport.close()
    assert _notes(central, case_id) == [("Sue Grant", "Seen", None)]


def test_an_officers_laptop_cannot_send_a_note_and_says_so(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    _people(central)
    case_id = _synced_case(central, tmp_path, forms)
    with open_laptop(tmp_path / "amy.db", forms) as laptop:
        laptop.repository.add_supervisor_note(case_id, actor="Amy Cole", note="Looks fine")
        report = sync_once(laptop, central.transport("amy"), retry=NO_WAIT)
        assert report.error is None and report.notes_sent == 0
        assert report.notes_refused == [
            (case_id, "Only a supervisor's login can send oversight notes.")
        ]
        assert (
            f"Refused: an oversight note on case {case_id}: Only a supervisor's login can "
            "send oversight notes."
        ) in report.lines()
        # Kept, counted as not synced and listed with its reason, rather than dropped.
        assert sync_status(laptop).pending == 1
        assert LocalSync(laptop).refused_notes() == [
            (case_id, "Only a supervisor's login can send oversight notes.")
        ]
    assert _notes(central, case_id) == []


def test_a_note_on_a_case_not_in_the_supervisors_teams_is_refused(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    _people(central)
    with open_laptop(tmp_path / "bob.db", forms) as laptop:
        york = laptop.repository.save_case(new_case("York", officer="Bob Hart"), actor="bob")
        assert sync_once(laptop, central.transport("bob"), retry=NO_WAIT).applied == 1
    with open_laptop(tmp_path / "sue.db", forms) as laptop:
        # A copy of Bob's case reached Sue's laptop some other way (a case file).
        laptop.repository.save_case(york, actor="Sue Grant")
        laptop.repository.add_supervisor_note(york.id, actor="Sue Grant", note="Mine now?")
        report = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        assert (york.id, "The case is not on the central store in your teams (yet).") in (
            report.notes_refused
        )
    assert _notes(central, york.id) == []


def test_a_note_dated_in_the_future_by_a_wrong_clock_is_dated_now(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    _people(central)
    case_id = _synced_case(central, tmp_path, forms)
    transport = central.transport("sue")
    try:
        (result,) = transport.push_notes(
            "sue-laptop",
            [
                NoteChange(
                    id="0190f000-0000-7000-8000-00000000a001",
                    case_id=case_id,
                    item_id=None,
                    note="From a fast clock",
                    written_at="2030-01-01T09:00:00+00:00",
                )
            ],
        )
    finally:
        transport.close()
    assert result.outcome == "applied"
    written_at = central.scalar(
        "SELECT written_at FROM court_tui.supervisor_notes WHERE case_id = %s", case_id
    )
    assert isinstance(written_at, datetime)
    assert written_at <= datetime.now(UTC)


def test_a_reassignment_and_a_note_at_the_same_moment_never_deadlock(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    """The central reassignment takes its team's change feed lock before the case's row, as
    every other writer does: a writer holding the feed's lock and wanting the row (as
    push_changes does) waits for it rather than deadlocking."""
    _people(central)
    case = new_case("Leeds", officer="Amy Cole")
    follow_up = FollowUp(
        question="crn", owner="Amy Cole", action="Ask", recorded_on=date(2026, 3, 2)
    )
    case.follow_ups.append(follow_up)
    with open_laptop(tmp_path / "amy.db", forms) as laptop:
        saved = laptop.repository.save_case(case, actor="amy")
        assert sync_once(laptop, central.transport("amy"), retry=NO_WAIT).applied == 1
    errors: list[BaseException] = []
    with central.connect() as holder:
        holder.execute("BEGIN")
        holder.execute("SELECT court_tui.lock_feed('Leeds')")  # the team's, as push_changes takes
        holder_pid = holder.info.backend_pid
        reassigning: list[int] = []  # the reassignment's backend

        def reassign() -> None:
            try:
                with central.connect("sue") as conn:
                    reassigning.append(conn.info.backend_pid)
                    conn.execute(
                        "SELECT court_tui.reassign_follow_up(%s, %s, 'Sue Grant')",
                        [saved.id, follow_up.id],
                    )
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)

        worker = threading.Thread(target=reassign)
        worker.start()
        with central.connect() as watcher:  # on only once the reassignment waits for us
            wait_until(
                lambda: errors or [p for p in reassigning if waits_on(watcher, p, holder_pid)],
                "the reassignment to wait for the change feed's lock",
            )
        try:
            holder.execute("SELECT id FROM court_tui.cases WHERE id = %s FOR UPDATE", [saved.id])
        except psycopg.errors.DeadlockDetected as error:  # pragma: no cover - the bug
            errors.append(error)
        holder.execute("COMMIT")
        worker.join(timeout=30)
    assert errors == []
    assert (
        central.scalar("SELECT owner FROM court_tui.follow_ups WHERE id = %s", follow_up.id)
        == "Sue Grant"
    )


def test_notes_wait_on_the_laptop_for_a_central_store_not_yet_upgraded(
    pg_server: PostgresServer, tmp_path: Path, forms: FormSet
) -> None:
    url = pg_server.create_database("central_not_upgraded")
    init_server(url, target="0001")
    central = Central(pg_server, "central_not_upgraded")
    _people(central)
    case_id = _synced_case(central, tmp_path, forms)
    with open_laptop(tmp_path / "sue.db", forms) as laptop:
        report = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        assert report.pulled_cases == 1
        laptop.repository.add_supervisor_note(case_id, actor="Sue Grant", note="Waiting")
        report = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        # The sync itself goes on; the note waits, said and counted.
        assert report.error is None
        assert any("older than this laptop's" in line for line in report.lines())
        assert sync_status(laptop).pending == 1
        init_server(url)
        report = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        assert (report.notes_sent, sync_status(laptop).pending) == (1, 0)


def test_a_laptop_of_someone_else_cannot_send_notes_in_its_name(
    central: Central, tmp_path: Path, forms: FormSet
) -> None:
    _people(central)
    case_id = _synced_case(central, tmp_path, forms)
    amys_device = central.scalar(
        "SELECT device_id FROM court_tui.devices WHERE login_name = 'amy'"
    )
    transport = central.transport("sue")
    try:
        (result,) = transport.push_notes(
            str(amys_device),
            [NoteChange("0190f000-0000-7000-8000-00000000a002", case_id, None, "x", "")],
        )
    finally:
        transport.close()
    assert result.outcome == "rejected"
    assert "belongs to another user" in (result.detail or "")
    assert _notes(central, case_id) == []
