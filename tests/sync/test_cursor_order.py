"""A change committed out of order is never skipped by a pull.

Two laptops' pushes run at once on the real central store: the first takes the lower
change number and holds its transaction open; the second takes the higher number and
commits first. A reader who pulls in between must not move its cursor past the lower
number, so that when the first commits, the next pull still brings it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb
from sync_helpers import Central, edit, new_case

from court_tui.domain.case import Handover
from court_tui.store import Store
from court_tui.sync.client import RetryPolicy, SyncReport, sync_once
from court_tui.sync.local import LocalSync

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1, first_wait=0, max_wait=0)


def sync(store: Store, central: Central, login: str) -> SyncReport:
    transport = central.transport(login)
    try:
        report = sync_once(store, transport, retry=NO_WAIT)
    finally:
        transport.close()
    assert report.ok, report.lines()
    return report


@contextmanager
def push_held_open(central: Central, login: str, store: Store) -> Iterator[None]:
    """LOGIN sends STORE's unsent changes in a transaction that stays open (the change
    numbers are taken, nothing is committed) until the block ends, then commits."""
    local = LocalSync(store)
    ops = [change.as_json() for change in local.build_changes(local.pending_rows(0, 100))]
    with psycopg.connect(central.server.conninfo(login, central.database)) as conn:
        rows = conn.execute(
            "SELECT outcome FROM court_tui.push_changes(%s, %s)", (local.device_id, Jsonb(ops))
        ).fetchall()
        assert [row[0] for row in rows] == ["applied"] * len(ops)
        yield
        conn.commit()


def until_sent_or_waiting(central: Central, login: str, pushing: Future[SyncReport]) -> None:
    """Wait until LOGIN's sync has ended or waits on a lock on the central store."""
    deadline = time.monotonic() + 30
    while not pushing.done():
        waiting = central.scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE usename = %s"
            " AND datname = current_database() AND wait_event_type = 'Lock'",
            login,
        )
        if waiting:
            return
        assert time.monotonic() < deadline, f"{login}'s sync neither ended nor waited"
        time.sleep(0.05)


def change_number(central: Central, case_id: str) -> int:
    number = central.scalar("SELECT change_seq FROM court_tui.cases WHERE id = %s", case_id)
    assert isinstance(number, int)
    return number


@pytest.fixture
def two_teams(central: Central) -> Central:
    central.add("nell", "North")
    central.add("sid", "South")
    central.add("rita", "North", "South")
    central.add("rob", "South")
    return central


def test_a_reader_of_both_teams_receives_the_change_committed_after_a_later_one(
    two_teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    nell, sid, rita = make_laptop("nell"), make_laptop("sid"), make_laptop("rita")
    north = nell.repository.save_case(new_case("North", "Nora North"), actor="nell")
    south = sid.repository.save_case(new_case("South", "Sam South"), actor="sid")

    with push_held_open(two_teams, "nell", nell):  # takes the lower number, and waits
        assert sync(sid, two_teams, "sid").applied == 1  # the higher number, committed
        sync(rita, two_teams, "rita")  # pulls while the lower number is not yet committed
    assert change_number(two_teams, north.id) < change_number(two_teams, south.id)

    sync(rita, two_teams, "rita")
    assert rita.repository.revisions() == {north.id: 1, south.id: 1}


def _handed_to_rob(store: Store, **answers: Any) -> str:
    record = new_case("North", "Hal Handed")
    record.handover = Handover(sent_to="rob", sent_by="nell")
    record.answers.update(answers)
    return store.repository.save_case(record, actor="nell").id


def test_a_change_to_a_case_handed_over_from_another_team_is_not_skipped(
    two_teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    nell, sid, rob = make_laptop("nell"), make_laptop("sid"), make_laptop("rob")
    handed = _handed_to_rob(nell)
    sync(nell, two_teams, "nell")
    sync(rob, two_teams, "rob")
    assert rob.repository.revisions() == {handed: 1}

    edit(nell, handed, courtroom="Court 3")
    south = sid.repository.save_case(new_case("South", "Sam South"), actor="sid")
    with push_held_open(two_teams, "nell", nell):  # North's number: lower, committed last
        sync(sid, two_teams, "sid")
        sync(rob, two_teams, "rob")
    assert change_number(two_teams, handed) < change_number(two_teams, south.id)

    sync(rob, two_teams, "rob")
    assert rob.repository.revisions() == {handed: 2, south.id: 1}
    assert rob.repository.get_case(handed, actor="rob").answers["courtroom"] == "Court 3"


def test_a_case_handed_over_in_a_change_still_open_is_not_skipped(
    two_teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    nell, sid, rob = make_laptop("nell"), make_laptop("sid"), make_laptop("rob")
    sync(sid, two_teams, "sid")  # each laptop's own sync tables made before the race
    sync(rob, two_teams, "rob")
    handed = _handed_to_rob(nell)
    south = sid.repository.save_case(new_case("South", "Sam South"), actor="sid")
    with ThreadPoolExecutor(1) as pool, push_held_open(two_teams, "nell", nell):
        # nell's push hands a North case to rob of South: it holds South's feed lock too,
        # so sid's South change waits for it and takes the higher number
        sid_sync = pool.submit(sync, sid, two_teams, "sid")
        until_sent_or_waiting(two_teams, "sid", sid_sync)
        sync(rob, two_teams, "rob")  # pulls while the handover is not yet committed
    sid_sync.result(timeout=60)
    assert change_number(two_teams, handed) < change_number(two_teams, south.id)

    sync(rob, two_teams, "rob")
    assert rob.repository.revisions() == {handed: 1, south.id: 1}
