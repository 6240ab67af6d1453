"""Who may see and change what on the central store, tried against a real PostgreSQL
server with each person's own login: PostgreSQL's row-level security and grants, not
court-tui's client, are what keep people to their teams."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from sync_helpers import Central, PostgresServer, new_case, new_central, open_laptop

from court_tui.domain.case import CheckRequest, FollowUp
from court_tui.domain.forms import FormSet
from court_tui.sync.client import RetryPolicy, sync_once
from court_tui.sync.protocol import Change

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1)
CASE_TABLES = ("cases", "answers", "checks", "follow_ups", "supervisor_notes", "conflicts")


@pytest.fixture(scope="module")
def access(pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Central:
    """One central store for this module's tests, which change nothing they read."""
    return new_central(pg_server)


@pytest.fixture(scope="module")
def teams(
    access: Central, tmp_path_factory: pytest.TempPathFactory, forms: FormSet
) -> dict[str, str]:
    """Team A (amy), team B (bob), team C (cat); sue supervises A and C; each officer
    has synced one case with an outstanding check and an open follow-up."""
    folder = tmp_path_factory.mktemp("laptops")
    access.add("amy", "Team A")
    access.add("bob", "Team B")
    access.add("cat", "Team C")
    access.add("sue", "Team A", "Team C", role="supervisor")
    ids = {}
    for login, team in (("amy", "Team A"), ("bob", "Team B"), ("cat", "Team C")):
        record = new_case(team, name=f"Case of {team}")
        record.checks["safeguarding"] = CheckRequest(
            requested="yes", requested_on=date(2026, 3, 1), expected_by=date(2026, 3, 9)
        )
        record.follow_ups.append(
            FollowUp(question="crn", owner=login, action="Ask", recorded_on=date(2026, 3, 2))
        )
        with open_laptop(folder / f"{login}.db", forms) as laptop:
            saved = laptop.repository.save_case(record, actor=login)
            report = sync_once(laptop, access.transport(login), retry=NO_WAIT)
        assert report.applied == 1, report.lines()
        ids[team] = saved.id
    with access.connect("sue") as conn:
        conn.execute("SELECT court_tui.add_supervisor_note(%s, NULL, 'Chase it')", [ids["Team A"]])
        conn.execute("SELECT court_tui.add_supervisor_note(%s, NULL, 'Chase it')", [ids["Team C"]])
    return ids


def _teams_seen(access: Central, login: str, table: str) -> set[str]:
    with access.connect(login) as conn:
        rows = conn.execute(
            f"SELECT DISTINCT c.team FROM court_tui.{table} t "
            "JOIN court_tui.cases c ON c.id = " + ("t.id" if table == "cases" else "t.case_id")
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.parametrize("table", CASE_TABLES)
def test_an_officer_reads_only_their_own_teams_cases(
    access: Central, teams: dict[str, str], table: str
) -> None:
    expected = set() if table == "conflicts" else {"Team A"}
    assert _teams_seen(access, "amy", table) <= {"Team A"}
    if table != "conflicts":
        assert _teams_seen(access, "amy", table) == expected
    with access.connect("amy") as conn:
        count = conn.execute(
            "SELECT count(*) FROM court_tui.cases WHERE id = ANY(%s)",
            [[teams["Team B"], teams["Team C"]]],
        ).fetchone()
    assert count == (0,)


def test_an_officer_sees_no_other_teams_pending_items_or_pulled_changes(
    access: Central, teams: dict[str, str]
) -> None:
    with access.connect("amy") as conn:
        pending = conn.execute("SELECT DISTINCT team FROM court_tui.pending_items").fetchall()
        pulled = conn.execute(
            "SELECT kind, key, detail FROM court_tui.pull_changes('another-laptop', 0, 100)"
        ).fetchall()
    assert pending == [("Team A",)]
    case_keys = {key for kind, key, _ in pulled if kind == "case"}
    assert case_keys == {teams["Team A"]}
    note_cases = {detail["case_id"] for kind, _, detail in pulled if kind == "note"}
    assert note_cases == {teams["Team A"]}


def test_a_supervisor_reads_only_the_teams_they_supervise(
    access: Central, teams: dict[str, str]
) -> None:
    for table in CASE_TABLES:
        if table != "conflicts":
            assert _teams_seen(access, "sue", table) == {"Team A", "Team C"}, table
    with access.connect("sue") as conn:
        pending = conn.execute("SELECT DISTINCT team FROM court_tui.pending_items").fetchall()
        audit_cases = conn.execute(
            "SELECT DISTINCT case_id FROM court_tui.audit_log WHERE case_id IS NOT NULL"
        ).fetchall()
        devices = conn.execute("SELECT login_name FROM court_tui.team_devices()").fetchall()
    assert {row[0] for row in pending} == {"Team A", "Team C"}
    assert {row[0] for row in audit_cases} == {teams["Team A"], teams["Team C"]}
    assert {row[0] for row in devices} == {"amy", "cat"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE court_tui.cases SET name = 'changed' WHERE id = %s",
        "DELETE FROM court_tui.cases WHERE id = %s",
        "UPDATE court_tui.checks SET status = 'Received' WHERE case_id = %s",
        "DELETE FROM court_tui.follow_ups WHERE case_id = %s",
        "INSERT INTO court_tui.supervisor_notes (id, case_id, note, written_by, change_seq) "
        "VALUES ('x', %s, 'n', 'me', 0)",
    ],
)
@pytest.mark.parametrize("login", ["amy", "sue"])
def test_nobody_writes_the_case_tables_directly(
    access: Central, teams: dict[str, str], statement: str, login: str
) -> None:
    with access.connect(login) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement, [teams["Team A"]])


def _change(case_id: str, team: str, *, base: int, revision: int, seq: int) -> Change:
    record = new_case(team).model_copy(update={"id": case_id, "revision": revision})
    return Change(
        seq=seq,
        case_id=case_id,
        base_revision=base,
        revision=revision,
        kind="edit",
        case_json=record.model_dump_json(),
        summary={
            "officer": "x",
            "team": team,
            "created_at": record.created_at.isoformat(),
            "updated_at": record.updated_at.isoformat(),
            "name": "Taken over",
            "crn": "",
            "pnc": "",
            "court": "",
            "courtroom": "",
            "hearing_date": None,
            "status": "In progress",
            "pending_checks": 0,
        },
    )


def test_an_officer_cannot_change_another_teams_case_through_the_sync(
    access: Central, teams: dict[str, str]
) -> None:
    transport = access.transport("amy")
    b_case = teams["Team B"]
    results = transport.push(
        "amy-laptop-2",
        [
            # B's case at its real revision, kept in team B, and moved into team A.
            _change(b_case, "Team B", base=1, revision=2, seq=1),
            _change(b_case, "Team A", base=1, revision=2, seq=2),
            # A new case for a team Amy is not on.
            _change("new-case-for-b", "Team B", base=0, revision=1, seq=3),
        ],
    )
    transport.close()
    assert [r.outcome for r in results] == ["rejected", "blocked", "rejected"]
    assert "not on" in (results[0].detail or "")
    with access.connect() as conn:
        row = conn.execute(
            "SELECT revision, team, name FROM court_tui.cases WHERE id = %s", [b_case]
        ).fetchone()
        created = conn.execute(
            "SELECT count(*) FROM court_tui.cases WHERE id = 'new-case-for-b'"
        ).fetchone()
        refusals = conn.execute(
            "SELECT count(*) FROM court_tui.audit_log "
            "WHERE action = 'sync-reject' AND actor = 'amy'"
        ).fetchone()
    assert row == (1, "Team B", "Case of Team B")
    assert created == (0,)
    assert refusals == (2,)


def test_a_laptop_belongs_to_the_person_who_first_synced_it(
    access: Central, teams: dict[str, str]
) -> None:
    with access.connect() as conn:
        amys_device = conn.execute(
            "SELECT device_id FROM court_tui.devices WHERE login_name = 'amy'"
        ).fetchone()[0]
    access.add("ann", "Team A")
    transport = access.transport("ann")
    results = transport.push(
        amys_device, [_change("ann-case", "Team A", base=0, revision=1, seq=99)]
    )
    transport.close()
    assert results[0].outcome == "rejected"
    assert "another user" in (results[0].detail or "")


def test_a_supervisors_laptop_sends_changes_only_to_their_teams(
    access: Central, teams: dict[str, str]
) -> None:
    transport = access.transport("sue")
    try:
        results = transport.push(
            "sue-laptop",
            [
                _change("sue-own-case", "Team C", base=0, revision=1, seq=1),
                _change("sue-b-case", "Team B", base=0, revision=1, seq=2),
            ],
        )
    finally:
        transport.close()
    assert [r.outcome for r in results] == ["applied", "rejected"]
    assert 'not on team "Team B"' in (results[1].detail or "")


def test_roles_keep_to_their_own_functions(access: Central, teams: dict[str, str]) -> None:
    with access.connect("amy") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT court_tui.add_supervisor_note(%s, NULL, 'x')", [teams["Team A"]])
    for call in (
        "SELECT court_tui.reassign_follow_up(%s, 'any', 'Someone')",
        "SELECT court_tui.record_review_access('view', ARRAY[%s], '')",
    ):
        with access.connect("amy") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(call, [teams["Team A"]])
    with access.connect("sue") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "SELECT court_tui.reassign_follow_up(%s, 'any', 'Someone')", [teams["Team B"]]
        )
    with access.connect("sue") as conn:
        written = conn.execute(
            "SELECT court_tui.record_review_access('view', ARRAY[%s, %s], 'opened')",
            [teams["Team A"], teams["Team B"]],
        ).fetchone()
        assert written == (1,)  # Team B's case is not hers to read, so not hers to log
    with access.connect("sue") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT court_tui.add_supervisor_note(%s, NULL, 'x')", [teams["Team B"]])
    with access.connect("amy") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM court_tui.audit_log")
    with access.connect() as conn:
        conn.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'stranger') "
            "THEN CREATE ROLE stranger LOGIN; END IF; END $$"
        )
    with access.connect("stranger") as conn:
        for query in ("SELECT * FROM court_tui.cases", "SELECT * FROM court_tui.pending_items"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(query)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE court_tui.audit_log SET detail = 'rewritten'",
        "DELETE FROM court_tui.audit_log",
        "TRUNCATE court_tui.audit_log",
        "UPDATE court_tui.applied_ops SET outcome = 'applied'",
        "DELETE FROM court_tui.applied_ops",
    ],
)
@pytest.mark.parametrize("who", ["amy", "sue", "owner", "superuser"])
def test_nobody_can_update_or_delete_audit_rows(
    access: Central, teams: dict[str, str], statement: str, who: str
) -> None:
    before = access.scalar("SELECT count(*) FROM court_tui.audit_log")
    login = who if who in ("amy", "sue") else "postgres"
    with access.connect(login) as conn:
        if who == "owner":
            conn.execute("SET ROLE court_tui_owner")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    assert access.scalar("SELECT count(*) FROM court_tui.audit_log") == before
    assert (
        access.scalar("SELECT count(*) FROM court_tui.audit_log WHERE detail = 'rewritten'") == 0
    )


def test_the_audit_log_records_each_sync_event(access: Central, teams: dict[str, str]) -> None:
    with access.connect("cat") as conn:
        conn.execute("SELECT * FROM court_tui.pull_changes('cats-other-laptop', 0, 100)")
    with access.connect() as conn:
        actions = conn.execute(
            "SELECT actor, action, device_id, case_id FROM court_tui.audit_log "
            "WHERE case_id IS NOT NULL"
        ).fetchall()
    assert ("cat", "sync-pull", "cats-other-laptop", teams["Team C"]) in actions
    by_action = {(actor, action, case_id) for actor, action, _, case_id in actions}
    assert ("amy", "sync-apply", teams["Team A"]) in by_action
    assert ("sue", "note", teams["Team C"]) in by_action
