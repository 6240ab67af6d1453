"""The batch push (push_batch, protocol 2) keeps every rule of the change-at-a-time push
(push_changes), on the real central store; and a laptop still syncs with a central store
at an older revision, through the old call."""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sync_helpers import Central, PostgresServer, edit, new_case, new_central

from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.store import Store
from court_tui.sync.client import RetryPolicy, SyncReport, sync_once
from court_tui.sync.protocol import BATCH_PROTOCOL, OLDEST_PROTOCOL
from court_tui.sync.server import add_user, init_server
from court_tui.sync.transport import PostgresTransport

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1, first_wait=0, max_wait=0)
_older = itertools.count(1)


def op(record: CaseRecord, seq: int, base: int, **fields: Any) -> dict[str, Any]:
    """A change as a laptop sends it to protocol 2 (the case alone, and its status)."""
    doc = json.loads(record.model_dump_json())
    doc.update(fields.pop("doc", {}))
    change: dict[str, Any] = {
        "seq": seq,
        "case_id": record.id,
        "base_revision": base,
        "revision": record.revision,
        "kind": "edit",
        "case_json": json.dumps(doc),
        "summary": {"status": "In progress"},
    }
    change.update(fields)
    return change


@functools.cache
def case(case_id: str, revision: int, team: str = "North", **answers: Any) -> CaseRecord:
    """The same record each time it is asked for (a replay sends the same content)."""
    follow_up = FollowUp(
        id=f"{case_id}-f", question="crn", owner="Amy", action="Ask", recorded_on=date(2026, 3, 2)
    )
    return CaseRecord(
        id=case_id,
        team=team,
        revision=revision,
        answers={"name": f"Person {case_id}", "crn": "a1", **answers},
        checks={"police": {"requested": "yes", "agency": "Police"}},  # type: ignore[dict-item]
        follow_ups=[follow_up],
    )


# Calls in order: (login, device, changes). Between them they make every outcome: applied
# (new and moved on), a case changed twice in one batch, a replay, a replay with other
# content, a refusal and what waits behind it, a team not the sender's, bad numbers and
# records, a conflict with another laptop, changes kept with it, and both resolutions.
CALLS: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "amy",
        "amy-1",
        [
            op(case("c1", 1), 1, 0),
            op(case("c2", 1), 2, 0),
            op(case("c2", 2, notes="twice"), 3, 1),
            op(case("c3", 1), 4, 0, case_json="not JSON"),
            op(case("c3", 2), 5, 1),
            op(case("c4", 1, team="South"), 6, 0),
            op(case("c5", 1), 7, 0, revision=10**30),
            op(case("c6", 1), 8, 0, doc={"id": "someone-else"}),
            op(case("c7", 1), 9, 0, kind="rewrite"),
            {"seq": "ten", "case_id": "c8"},
            op(case("c9", 1), 11, 0, doc={"handover": {"sent_to_team": "South"}}),
        ],
    ),
    (
        "amy",
        "amy-1",
        [
            op(case("c1", 1), 1, 0),
            op(case("c2", 2, notes="other"), 3, 1),
            op(case("c1", 2, notes="on"), 12, 1),
            op(case("c3", 3), 13, 2),
        ],
    ),
    ("bob", "bob-1", [op(case("c1", 3, notes="bob"), 1, 2), op(case("c10", 1), 2, 0)]),
    (
        "amy",
        "amy-1",
        [
            op(case("c1", 3, notes="amy"), 14, 2),
            op(case("c1", 4, notes="amy again"), 15, 3),
            op(case("c2", 3), 16, 2),
        ],
    ),
    ("amy", "amy-1", [op(case("c1", 5, notes="mine"), 17, 3, kind="keep-mine")]),
    ("bob", "bob-1", [op(case("c2", 4), 3, 3), op(case("c10", 2), 4, 0)]),
    ("amy", "amy-1", [op(case("c2", 5), 18, 3), op(case("c2", 5), 19, 4, kind="take-theirs")]),
    ("amy", "amy-1", []),
    ("sue", "amy-1", [op(case("c11", 1, team="South"), 1, 0)]),
]

# What each table holds, without what differs by when or in which order rows were written.
STATE = {
    "cases": "SELECT id, revision, created_at, updated_at, officer, team, name, crn, pnc, "
    "court, courtroom, hearing_date, status, pending_checks, case_json, changed_by, "
    "changed_by_device, changed_by_seq FROM court_tui.cases",
    "answers": "SELECT * FROM court_tui.answers",
    "checks": "SELECT * FROM court_tui.checks",
    "follow_ups": "SELECT * FROM court_tui.follow_ups",
    "applied": "SELECT device_id, seq, case_id, kind, base_revision, revision, outcome, "
    "content_md5, login_name FROM court_tui.applied_ops",
    "conflicts": "SELECT case_id, device_id, seq, login_name, base_revision, mine_revision, "
    "mine_json, theirs_revision, theirs_json, resolved_at IS NULL, resolution, "
    "resolved_by_seq FROM court_tui.conflicts",
    "audit": "SELECT actor, device_id, action, case_id, detail FROM court_tui.audit_log "
    "WHERE action LIKE 'sync-%'",
    "devices": "SELECT device_id, login_name FROM court_tui.devices",
    "handovers": "SELECT case_id, sent_to, sent_to_team FROM court_tui.handovers",
}


def _teams(central: Central) -> Central:
    central.add("amy", "North")
    central.add("bob", "North")
    central.add("sue", "South")
    return central


def _replay(central: Central, function: str) -> tuple[list[Any], dict[str, list[Any]]]:
    answers = []
    for login, device, changes in CALLS:
        with central.connect(login) as conn:
            answers.append(
                conn.execute(
                    f"SELECT * FROM court_tui.{function}(%s, %s::jsonb)",
                    [device, json.dumps(changes)],
                ).fetchall()
            )
    with central.connect() as conn:
        state = {
            name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in STATE.items()
        }
    return answers, state


def test_a_batch_is_answered_and_kept_as_one_change_at_a_time_would_be(
    pg_server: PostgresServer,
) -> None:
    one_at_a_time = _replay(_teams(new_central(pg_server)), "push_changes")
    batched = _replay(_teams(new_central(pg_server)), "push_batch")

    for call, (expected, got) in enumerate(zip(one_at_a_time[0], batched[0], strict=True)):
        assert got == expected, f"call {call}"
    for table, rows in one_at_a_time[1].items():
        assert batched[1][table] == rows, table
    # The calls made every outcome, so the comparison covered each rule.
    outcomes = {row[1] for answer in batched[0] for row in answer}
    assert outcomes == {"applied", "rejected", "blocked", "conflict", "held"}
    assert any(row[2] for answer in batched[0] for row in answer)  # a replay


def test_a_batch_of_new_cases_is_written_with_the_rows_supervisors_read(
    central: Central,
) -> None:
    _teams(central)
    changes = [op(case(f"n{n}", 1), n, 0) for n in range(1, 51)]
    with central.connect("amy") as conn:
        answered = conn.execute(
            "SELECT seq, outcome, revision FROM court_tui.push_batch('amy-1', %s::jsonb)",
            [json.dumps(changes)],
        ).fetchall()

    assert answered == [(n, "applied", 1) for n in range(1, 51)]
    assert central.scalar("SELECT count(*) FROM court_tui.cases WHERE crn = 'A1'") == 50
    assert central.scalar("SELECT count(*) FROM court_tui.answers") == 100
    assert (
        central.scalar("SELECT count(*) FROM court_tui.checks WHERE status = 'Outstanding'") == 50
    )
    assert central.scalar("SELECT count(*) FROM court_tui.follow_ups") == 50
    assert central.scalar("SELECT sum(pending_checks) FROM court_tui.cases") == 50
    assert (
        central.scalar(
            "SELECT count(DISTINCT change_seq) FROM court_tui.cases WHERE changed_by = 'amy'"
        )
        == 50
    )
    # Whoever may call the one may call the other, and nobody else.
    acl = "SELECT proacl::text FROM pg_proc WHERE proname = %s"
    assert central.scalar(acl, "push_batch") == central.scalar(acl, "push_changes")


def _older_central(server: PostgresServer, revision: str) -> Central:
    name = f"older_{next(_older)}"
    server.create_database(name)
    older = Central(server, name)
    init_server(older.admin_url, target=revision)
    add_user(older.admin_url, "amy", teams=["North"], role="officer")
    return older


def _sync(central: Central, store: Store) -> tuple[int, SyncReport]:
    """The protocol the laptop found the central store speaks, and the sync."""
    transport = PostgresTransport(central.url("amy"))
    try:
        return transport.protocol(), sync_once(store, transport, retry=NO_WAIT)
    finally:
        transport.close()


def test_a_laptop_syncs_with_a_central_store_at_an_older_revision_and_after_its_upgrade(
    pg_server: PostgresServer, make_laptop: Callable[[str], Store]
) -> None:
    older = _older_central(pg_server, "0006")
    amy = make_laptop("amy")
    first = amy.repository.save_case(new_case("North", name="Before"), actor="amy")

    # 0006 has no push_batch: the sync goes through only by the old call.
    protocol, report = _sync(older, amy)

    assert protocol == OLDEST_PROTOCOL
    assert report.ok and report.applied == 1, report.lines()
    assert older.scalar("SELECT name FROM court_tui.cases") == "Before"
    assert older.scalar("SELECT count(*) FROM court_tui.answers") == 2

    init_server(older.admin_url)  # `server init` upgrades it
    with older.connect() as conn:
        assert current_revision_of(conn) == "0007"
    edit(amy, first.id, name="After")
    protocol, report = _sync(older, amy)
    assert protocol == BATCH_PROTOCOL
    assert report.ok and report.applied == 1, report.lines()
    assert older.scalar("SELECT name FROM court_tui.cases") == "After"
    assert older.scalar("SELECT count(*) FROM court_tui.applied_ops WHERE device_id <> ''") == 2


def current_revision_of(conn: Any) -> str | None:
    row = conn.execute("SELECT version_num FROM court_tui.alembic_version").fetchone()
    return None if row is None else str(row[0])
