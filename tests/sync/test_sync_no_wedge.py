"""No bad case, login or restore stalls or wedges anyone's sync: each failure of issue 15
on the real central store (PostgreSQL) and real laptops' stores."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sync_helpers import PASSPHRASE, Central, edit, new_case

from court_tui.cli import main
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.store import Store
from court_tui.sync.client import RetryPolicy, SyncReport, sync_once, sync_status
from court_tui.sync.conflicts import list_conflicts, resolve_conflict
from court_tui.sync.errors import SyncError
from court_tui.sync.local import LocalSync
from court_tui.sync.transport import PostgresTransport

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1, first_wait=0, max_wait=0)
UNREADABLE = {"handover": "not a handover"}  # the central store's checks pass; the model's fail


def sync(store: Store, central: Central, login: str, **kwargs: Any) -> SyncReport:
    transport = PostgresTransport(central.url(login), **kwargs)
    try:
        return sync_once(store, transport, retry=NO_WAIT)
    finally:
        transport.close()


def change(record: CaseRecord, seq: int, base: int = 0, **fields: Any) -> dict[str, Any]:
    """A change as a laptop sends it, for a login sending its own by hand."""
    doc = json.loads(record.model_dump_json())
    doc.update(fields.pop("doc", {}))
    op: dict[str, Any] = {
        "seq": seq,
        "case_id": record.id,
        "base_revision": base,
        "revision": record.revision,
        "kind": "edit",
        "case_json": json.dumps(doc),
        "summary": {
            "team": record.team,
            "officer": record.officer,
            "created_at": record.created_at.isoformat(),
            "updated_at": record.updated_at.isoformat(),
            **dict.fromkeys(("name", "crn", "pnc", "court", "courtroom"), ""),
            "hearing_date": None,
            "status": "In progress",
            "pending_checks": 0,
            **fields.pop("summary", {}),
        },
        "answers": [],
        "checks": [],
        "follow_ups": [],
    }
    op.update(fields)
    return op


def push_by_hand(
    central: Central,
    login: str,
    device: str,
    ops: list[dict[str, Any]],
    function: str = "push_changes",
) -> list[tuple[Any, ...]]:
    with central.connect(login) as conn:
        rows = conn.execute(
            f"SELECT seq, outcome, detail FROM court_tui.{function}(%s, %s::jsonb)",
            [device, json.dumps(ops)],
        )
        return rows.fetchall()


@pytest.fixture(params=["push_changes", "push_batch"])
def push_call(request: pytest.FixtureRequest) -> str:
    """Each way a laptop sends changes: one at a time (protocol 1), or a batch at once."""
    return str(request.param)


@pytest.fixture
def teams(central: Central) -> Central:
    central.add("amy", "North")
    central.add("bob", "North")
    central.add("eve", "North")
    central.add("sue", "South")
    return central


def test_a_case_no_laptop_can_read_is_set_aside_and_the_rest_of_the_pull_applies(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    good = CaseRecord(id="case-good", team="North", revision=1, answers={"name": "Good"})
    odd = CaseRecord(id="case-odd", team="North", revision=1, answers={"name": "Odd"})
    # Past the domain's bounds, as a hostile login can push it: built without the checks.
    huge = CaseRecord.model_construct(
        **{
            **CaseRecord().__dict__,
            "id": "case-rsr",
            "team": "North",
            "revision": 1,
            "answers": {"rsr_score": 10**30},
        }
    )
    ops = [change(good, 1), change(odd, 2, doc=UNREADABLE), change(huge, 3)]
    assert [row[1] for row in push_by_hand(teams, "eve", "eve-laptop", ops)] == ["applied"] * 3
    bob = make_laptop("bob")

    report = sync(bob, teams, "bob")

    assert report.ok, report.lines()
    assert "case-good" in bob.repository.revisions()
    assert {case_id for case_id, _ in report.set_aside} == {"case-odd", "case-rsr"}
    said = "\n".join(report.lines())
    assert "Set aside: case case-odd from the central store: this laptop cannot read it" in said
    assert "handover" in said
    assert sync_status(bob).set_aside == 2
    assert "2 case(s) from the central store set aside" in sync_status(bob).describe()
    from court_tui.sync.doctor import sync_doctor_lines  # new with the set-aside

    doctor = "\n".join(sync_doctor_lines(bob))
    assert "Set aside: case case-rsr (revision 1)" in doctor
    # A readable revision of the case takes its place.
    fixed = odd.model_copy(update={"revision": 2})
    assert push_by_hand(teams, "eve", "eve-laptop", [change(fixed, 4, base=1)])[0][1] == "applied"
    assert sync(bob, teams, "bob").set_aside == []
    assert "case-odd" in bob.repository.revisions()
    assert [aside.case_id for aside in LocalSync(bob).set_aside_cases()] == ["case-rsr"]


def test_the_central_store_refuses_what_it_cannot_keep_with_a_reason_and_takes_the_rest(
    teams: Central, push_call: str
) -> None:
    def case(n: int, **updates: Any) -> CaseRecord:
        # Built without the domain's checks: some of these are past its bounds on purpose.
        fields = {**CaseRecord().__dict__, "id": f"case-{n}", "team": "North", "revision": 1}
        return CaseRecord.model_construct(**{**fields, **updates})

    ops = [
        change(case(1), 1, case_json="this is not JSON"),
        change(case(2, answers={"notes": "x" * 2_000_000}), 2),
        change(case(3), 3, revision=2_147_483_647, doc={"revision": 2_147_483_647}),
        change(case(4), 4, revision=10**30),
        change(case(5), 5, doc={"follow_ups": [{"action": "no id or question"}]}),
        change(case(6), 6, doc={"id": "someone-else"}),
        change(case(7), 7),
    ]

    results = push_by_hand(teams, "eve", "eve-laptop", ops, push_call)

    outcome = {seq: (said, detail) for seq, said, detail in results}
    assert outcome[7] == ("applied", None)
    assert [outcome[n][0] for n in range(1, 7)] == ["rejected"] * 6
    assert outcome[1][1] == "The case is not readable JSON."
    assert outcome[2][1].startswith("The case is too large for the central store")
    assert "beyond what the central store keeps" in outcome[3][1]
    assert "beyond what the central store keeps" in outcome[4][1]
    assert outcome[5][1] == "A follow-up on the case has no id or question."
    assert outcome[6][1] == "The case's own id is not the id the change was sent for."
    assert teams.scalar("SELECT count(*) FROM court_tui.cases") == 1
    assert (
        teams.scalar("SELECT count(*) FROM court_tui.audit_log WHERE action = 'sync-reject'") == 6
    )


def test_a_laptop_with_a_revision_out_of_range_is_told_and_its_other_cases_sync(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy = make_laptop("amy")
    imported = new_case("North").model_copy(update={"revision": 2_147_483_646})
    big = amy.repository.save_case(imported, actor="amy")  # saved on as 2,147,483,647
    other = amy.repository.save_case(new_case("North", name="Other"), actor="amy")

    report = sync(amy, teams, "amy")

    assert report.ok and report.applied == 1
    assert [r.case_id for r in report.rejected] == [big.id]
    assert "revision is beyond what the central store keeps" in report.rejected[0].reason
    assert teams.scalar("SELECT id FROM court_tui.cases") == other.id
    edit(amy, other.id, name="Other, edited")
    assert sync(amy, teams, "amy").applied == 1  # the laptop goes on syncing


def test_the_rows_supervisors_read_come_from_the_case_not_from_beside_it(
    teams: Central, push_call: str
) -> None:
    follow_up = FollowUp(
        id="f1", question="crn", owner="Amy", action="Ask", recorded_on=date(2026, 3, 2)
    )
    record = CaseRecord(
        id="case-1",
        team="North",
        revision=1,
        answers={"name": "Real Name", "crn": "x123456"},
        checks={"police": {"requested": "yes", "agency": "Police"}},  # type: ignore[dict-item]
        follow_ups=[follow_up],
    )
    lies = change(
        record,
        1,
        summary={"name": "Someone Else", "pending_checks": 0, "crn": "Z9"},
        answers=[{"question": "name", "value": '"Someone Else"', "not_known": False}],
        checks=[{"kind": "police", "status": "Received"}],
        follow_ups=[{"id": "made-up", "question": "x", "owner": "Nobody", "action": "-",
                     "recorded_on": "2026-01-01", "recorded_by": ""}],
    )  # fmt: skip

    assert push_by_hand(teams, "eve", "eve-laptop", [lies], push_call)[0][1] == "applied"

    with teams.connect() as conn:
        assert conn.execute(
            "SELECT name, crn, pending_checks FROM court_tui.cases"
        ).fetchall() == [("Real Name", "X123456", 1)]
        answers = dict(conn.execute("SELECT question, value FROM court_tui.answers").fetchall())
        assert answers == {"name": '"Real Name"', "crn": '"X123456"'}
        assert conn.execute("SELECT kind, status FROM court_tui.checks").fetchall() == [
            ("police", "Outstanding")
        ]
        assert conn.execute("SELECT id, owner FROM court_tui.follow_ups").fetchall() == [
            ("f1", "Amy")
        ]


def test_too_many_changes_in_one_call_or_laptops_for_one_login_are_refused_in_words(
    teams: Central, push_call: str
) -> None:
    record = CaseRecord(id="case-1", team="North", revision=1)
    flood = [change(record, n) for n in range(1, 20_001)]

    results = push_by_hand(teams, "eve", "eve-laptop", flood, push_call)

    assert {outcome for _, outcome, _ in results} == {"rejected"}
    assert "Too many changes in one call (20000; at most 500)" in results[0][2]
    assert teams.scalar("SELECT count(*) FROM court_tui.cases") == 0
    for n in range(1, 11):
        push_by_hand(teams, "eve", f"eve-laptop-{n}", [], push_call)
    refused = push_by_hand(teams, "eve", "eve-laptop-11", [change(record, 1)], push_call)
    assert refused[0][1] == "rejected"
    assert "already has 10 laptops on the central store" in refused[0][2]
    with (
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="10 laptops"),
        teams.connect("eve") as conn,
    ):
        conn.execute("SELECT * FROM court_tui.pull_changes('eve-laptop-12', 0, 10)")


def test_two_teams_cases_may_share_a_follow_up_id(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy, sue = make_laptop("amy"), make_laptop("sue")
    for store, team in ((amy, "North"), (sue, "South")):
        case = new_case(team)
        case.follow_ups.append(
            FollowUp(id="shared-id", question="crn", owner="x", recorded_on=date(2026, 3, 2))
        )
        store.repository.save_case(case, actor="x")

    first, second = sync(amy, teams, "amy"), sync(sue, teams, "sue")

    assert (first.applied, second.applied) == (1, 1), (first.lines(), second.lines())
    assert teams.scalar("SELECT count(*) FROM court_tui.follow_ups WHERE id = 'shared-id'") == 2

    # A supervisor of both teams pulls both: the laptop keeps one case a follow-up id, so
    # one case is set aside and said, and the rest of the pull applies.
    teams.add("kim", "North", "South", role="supervisor")
    kim = make_laptop("kim")
    pulled = sync(kim, teams, "kim")
    assert pulled.pulled_cases == 1, pulled.lines()
    assert len(pulled.set_aside) == 1 and "follow-up id" in pulled.set_aside[0][1]


def _hold_a_push_open(central: Central, login: str, team: str) -> psycopg.Connection:
    """LOGIN opens a transaction around push_changes and leaves it open."""
    holder = psycopg.connect(central.server.conninfo(login, central.database))
    holder.execute("SET idle_in_transaction_session_timeout = 0")  # a hostile login can
    holder.execute(
        "SELECT * FROM court_tui.push_changes('holder-laptop', %s::jsonb)",
        [json.dumps([change(CaseRecord(id="held", team=team, revision=1), 1)])],
    )
    return holder


def _sync_in_time(store: Store, central: Central, login: str, **kwargs: Any) -> SyncReport:
    """Sync in a thread; fail (not hang) when it has not finished in 60 s."""
    reports: list[SyncReport] = []
    worker = threading.Thread(target=lambda: reports.append(sync(store, central, login, **kwargs)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=60)
    assert reports, f"{login}'s sync did not return"
    return reports[0]


def test_a_login_holding_a_transaction_open_does_not_stall_another_teams_sync(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    sue = make_laptop("sue")
    sue.repository.save_case(new_case("South"), actor="sue")
    holder = _hold_a_push_open(teams, "eve", "North")
    try:
        report = _sync_in_time(sue, teams, "sue")
    finally:
        holder.close()
    assert report.ok and report.applied == 1, report.lines()


def test_a_team_mate_of_a_login_holding_a_transaction_open_is_told_within_the_deadline(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy = make_laptop("amy")
    amy.repository.save_case(new_case("North"), actor="amy")
    holder = _hold_a_push_open(teams, "eve", "North")
    try:
        report = _sync_in_time(amy, teams, "amy")
    finally:
        holder.close()
    assert report.error is not None
    assert report.error.startswith("The central store is not answering (")
    assert report.error.endswith("Your work is saved on this laptop.")
    assert report.pending == 1
    assert sync(amy, teams, "amy").applied == 1  # once it ends, the change goes


def test_a_paused_server_gives_not_answering_within_the_deadline(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy = make_laptop("amy")
    transport = PostgresTransport(teams.url("amy"), deadline=3)
    try:
        assert sync_once(amy, transport, retry=NO_WAIT).ok  # the connection is open
        # amy's open connection to this central database; other tests' connections
        # (other databases on the same server) are not hers to pause
        with teams.connect() as conn:
            backends = conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE usename = 'amy' AND datname = current_database() AND state = 'idle'"
            ).fetchall()
        assert len(backends) == 1, backends
        backend = backends[0][0]
        assert isinstance(backend, int)
        amy.repository.save_case(new_case("North"), actor="amy")
        os.kill(backend, signal.SIGSTOP)
        try:
            started = time.monotonic()
            report = sync_once(amy, transport, retry=NO_WAIT)
            waited = time.monotonic() - started
        finally:
            os.kill(backend, signal.SIGCONT)
    finally:
        transport.close()
    assert report.error == (
        "The central store is not answering (no answer in 3 s). Your work is saved on this laptop."
    )
    assert waited < 30  # it gave up at its deadline, not never
    assert report.pending == 1


def test_a_refused_change_is_corrected_by_a_later_save_and_what_waits_is_named(
    teams: Central, make_laptop: Callable[[str], Store], capsys: pytest.CaptureFixture[str]
) -> None:
    amy = make_laptop("amy")
    saved = amy.repository.save_case(new_case("Bradford"), actor="amy")
    edit(amy, saved.id, name="Second edit")
    refused = sync(amy, teams, "amy")
    assert [r.case_id for r in refused.rejected] == [saved.id]
    lines = "\n".join(_status_lines(amy))
    assert f"Not accepted: case {saved.id} (change 1)" in lines
    assert "Waiting behind it: 1 later change(s) (2)." in lines
    assert f"court-tui sync --withdraw {saved.id}" in lines

    record = amy.repository.get_case(saved.id, actor="amy")
    amy.repository.save_case(record.model_copy(update={"team": "North"}), actor="amy")
    corrected = sync(amy, teams, "amy")

    assert corrected.applied == 1 and corrected.rejected == [], corrected.lines()
    assert amy.repository.outbox_depth() == 0
    assert teams.scalar("SELECT team FROM court_tui.cases WHERE id = %s", saved.id) == "North"
    assert sync_status(amy).describe().startswith("All changes synced")


def _status_lines(store: Store) -> list[str]:
    from court_tui.sync.doctor import sync_problem_lines

    return sync_problem_lines(LocalSync(store))


def test_a_refused_change_can_be_withdrawn_and_the_withdrawal_is_audited(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy = make_laptop("amy")
    saved = amy.repository.save_case(new_case("Bradford"), actor="amy")
    edit(amy, saved.id, name="Second edit")
    sync(amy, teams, "amy")

    assert LocalSync(amy).withdraw(saved.id, actor="amy") == 2

    assert sync_status(amy).pending == 0 and sync_status(amy).refused == 0
    audit = [e for e in amy.repository.audit_rows(saved.id) if e.action == "sync-withdraw"]
    assert [e.actor for e in audit] == ["amy"]
    assert sync(amy, teams, "amy").ok
    with pytest.raises(SyncError, match="no changes waiting"):
        LocalSync(amy).withdraw(saved.id, actor="amy")


def test_sync_withdraw_from_the_command_line(
    teams: Central, tmp_path: Path, forms: Any, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from sync_helpers import open_laptop

    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "amy.db"
    with open_laptop(path, forms) as amy:
        saved = amy.repository.save_case(new_case("Bradford"), actor="amy")
        sync(amy, teams, "amy")
    assert main(["sync", "--status", "--db", str(path)]) == 0
    assert 'You are not on team "Bradford"' in capsys.readouterr().out
    assert main(["sync", "--withdraw", saved.id, "--db", str(path)]) == 0
    said = capsys.readouterr().out
    assert f"Withdrew 1 unsent change(s) to case {saved.id}" in said
    assert "All changes synced" in said


def test_a_restored_laptop_syncs_its_new_work_as_a_new_device(
    teams: Central, tmp_path: Path, forms: Any, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from sync_helpers import open_laptop

    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    path, backup = tmp_path / "amy.db", tmp_path / "backup.db"
    with open_laptop(path, forms) as amy:
        first = amy.repository.save_case(new_case("North", name="Before"), actor="amy")
        assert sync(amy, teams, "amy").applied == 1
        old_device = amy.device_id
        amy.backup(backup)
        edit(amy, first.id, name="After the backup")
        assert sync(amy, teams, "amy").applied == 1
    assert main(["restore", str(backup), "--db", str(path)]) == 0
    assert "syncs as a new device" in capsys.readouterr().out

    with open_laptop(path, forms) as amy:
        assert amy.device_id != old_device
        new_work = amy.repository.save_case(new_case("North", name="New work"), actor="amy")
        report = sync(amy, teams, "amy")
        assert report.ok and report.rejected == [] and report.applied == 1, report.lines()
        # What this laptop sent after the backup was made comes back to it.
        back = amy.repository.get_case(first.id, actor="amy")
        assert back.answers["name"] == "After the backup"
        assert amy.repository.outbox_sequences() == [1]
    assert teams.scalar("SELECT name FROM court_tui.cases WHERE id = %s", new_work.id) == (
        "New work"
    )


def test_a_conflict_whose_central_copy_cannot_be_read_is_shown_and_resolved_without_a_crash(
    teams: Central, make_laptop: Callable[[str], Store]
) -> None:
    amy = make_laptop("amy")
    saved = amy.repository.save_case(new_case("North"), actor="amy")
    sync(amy, teams, "amy")
    edit(amy, saved.id, name="Amy's edit")
    theirs = saved.model_copy(update={"revision": 2})
    pushed = push_by_hand(teams, "eve", "eve-laptop", [change(theirs, 1, base=1, doc=UNREADABLE)])
    assert pushed[0][1] == "applied"
    assert sync(amy, teams, "amy").conflicts == 1

    views = list_conflicts(amy, actor="amy")

    assert views[0].theirs_unreadable is not None
    assert "cannot be read by this laptop" in "\n".join(views[0].lines())
    with pytest.raises(SyncError, match="keep yours with --keep mine"):
        resolve_conflict(amy, saved.id, "theirs", actor="amy")
    resolve_conflict(amy, saved.id, "mine", actor="amy")
    assert sync(amy, teams, "amy").applied == 1
    assert teams.scalar("SELECT name FROM court_tui.cases") == "Amy's edit"


def test_server_doctor_reports_refusals_and_a_stuck_login_in_words(
    teams: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    unreadable = change(CaseRecord(id="c", team="North", revision=1), 1, case_json="{")
    push_by_hand(teams, "eve", "eve-laptop", [unreadable])
    holder = _hold_a_push_open(teams, "bob", "North")
    try:
        time.sleep(11)  # past the doctor's 10 s: it reports what has been stuck a while
        code = main(["server", "doctor", "--server", teams.admin_url])
    finally:
        holder.close()
    said = capsys.readouterr().out
    assert code == 1
    assert "Changes refused in the last 7 days: 1" in said
    assert "eve (laptop eve-laptop), case c: change 1: The case is not readable JSON." in said
    assert "login bob: idle in transaction for" in said


def test_the_central_store_takes_the_revisions_the_domain_says_it_takes() -> None:
    # One figure: the domain's, which migration 0003 (frozen once applied) also holds.
    import importlib

    from court_tui.domain.bounds import MAX_REVISION, MAX_SYNCED_REVISION

    central = importlib.import_module(
        "court_tui.sync.server_migrations.versions.0003_bounded_sync"
    )
    assert central.MAX_REVISION == MAX_SYNCED_REVISION < MAX_REVISION
