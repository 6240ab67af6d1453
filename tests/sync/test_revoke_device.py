"""A lost laptop (issue 18): an administrator, or a supervisor of its owner's team, cuts it
off the central store, which then refuses it itself (the real PostgreSQL server, for
sending and receiving), with the revocation in the audit log; a disabled login cannot
connect; the laptop is told in words and keeps its unsynced work until it is let back."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
import time_machine
from sync_helpers import PASSPHRASE, Central, edit, new_case

from court_tui.cli import main
from court_tui.store import Store, open_store
from court_tui.sync.client import (
    REVOKED_RECHECK,
    RetryPolicy,
    SyncReport,
    sync_once,
    sync_status,
    try_sync,
)
from court_tui.sync.doctor import sync_doctor_lines
from court_tui.sync.errors import DeviceRevoked, ServerRefused, SyncError
from court_tui.sync.local import LocalSync
from court_tui.sync.server import restore_device, revoke_device, set_login_enabled
from court_tui.sync.transport import PostgresTransport

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1, first_wait=0, max_wait=0)


def sync(store: Store, central: Central, login: str) -> SyncReport:
    transport = PostgresTransport(central.url(login))
    try:
        return sync_once(store, transport, retry=NO_WAIT)
    finally:
        transport.close()


def audit(central: Central, action: str) -> list[tuple[Any, ...]]:
    with central.connect() as conn:
        rows = conn.execute(
            "SELECT actor, device_id, detail, at FROM court_tui.audit_log WHERE action = %s "
            "ORDER BY id",
            [action],
        )
        return rows.fetchall()


@pytest.fixture
def teams(central: Central) -> Central:
    central.add("amy", "North")
    central.add("sue", "South")
    central.add("pat", "North", role="supervisor")
    central.add("lee", "South", role="supervisor")
    return central


@pytest.fixture
def amy(teams: Central, make_laptop: Callable[[str], Store]) -> Store:
    """Amy's laptop, known to the central store (it has synced one case)."""
    laptop = make_laptop("amy")
    laptop.repository.save_case(new_case("North", "First Case"), actor="amy")
    report = sync(laptop, teams, "amy")
    assert report.ok and report.applied == 1, report.lines()
    return laptop


def test_a_revoked_laptop_is_refused_by_the_server_itself_and_the_revocation_is_audited(
    teams: Central, amy: Store
) -> None:
    device = amy.device_id
    result = revoke_device(teams.admin_url, device, reason="left on the train")

    assert not result.already
    assert result.lines()[0].startswith(f"Cut off amy's laptop (amy, device {device})")
    # Who, when and why, in the insert-only audit log.
    [(actor, audited_device, detail, _at)] = audit(teams, "device-revoke")
    assert (actor, audited_device) == ("postgres", device)
    assert detail == "laptop of amy cut off: left on the train"

    # The server refuses the device id itself, whatever the client: push, notes and pull.
    calls = [
        ("SELECT * FROM court_tui.push_changes(%s, '[]'::jsonb)", [device]),
        ("SELECT * FROM court_tui.push_notes(%s, '[]'::jsonb)", [device]),
        ("SELECT * FROM court_tui.pull_changes(%s, 0, 10)", [device]),
    ]
    for sql, params in calls:
        with teams.connect("amy") as conn, pytest.raises(psycopg.Error) as refused:
            conn.execute(sql, params)
        assert refused.value.sqlstate == "CTR01", sql
        told = json.loads(refused.value.diag.message_detail or "{}")
        assert (told["revoked_by"], told["reason"]) == ("postgres", "left on the train")
    # Another login using that device id learns only that it is cut off.
    with teams.connect("sue") as conn, pytest.raises(psycopg.Error) as refused:
        conn.execute("SELECT * FROM court_tui.pull_changes(%s, 0, 10)", [device])
    assert refused.value.diag.message_detail is None

    # Revoking again changes nothing and says so.
    again = revoke_device(teams.admin_url, device[:8], reason="again")
    assert again.already and "was already cut off" in again.lines()[0]
    assert len(audit(teams, "device-revoke")) == 1


def test_the_laptop_is_told_in_words_and_keeps_its_unsynced_work_until_let_back(
    teams: Central, amy: Store, tmp_path: Path
) -> None:
    case_id = amy.repository.list_cases()[0].id
    edit(amy, case_id, name="Kept Change")
    unsynced = amy.repository.save_case(new_case("North", "Unsynced Case"), actor="amy")
    pending = LocalSync(amy).pending_count()
    assert pending == 2
    revoke_device(teams.admin_url, amy.device_id, reason="reported lost")

    report = sync(amy, teams, "amy")

    assert isinstance(report.revoked, DeviceRevoked)
    said = "\n".join(report.lines())
    assert said.startswith("This laptop was cut off from the central store on ")
    assert " by postgres: reported lost. Your unsynced work is kept on this laptop: " in said
    assert "`court-tui export CASE --out FILE`" in said
    assert said.endswith("2 changes not yet synced")
    # Nothing is dropped: the outbox, the cases and the edit are all still here.
    assert LocalSync(amy).pending_count() == pending
    assert amy.repository.get_case(unsynced.id, actor="amy").answers["name"] == "Unsynced Case"
    assert amy.repository.get_case(case_id, actor="amy").answers["name"] == "Kept Change"
    assert sync_status(amy).describe().startswith("This laptop was cut off")
    assert teams.scalar("SELECT name FROM court_tui.cases") == "First Case"

    # Let back: the kept work lands, and the laptop stops saying it is cut off.
    restored = restore_device(teams.admin_url, amy.device_id, reason="found in lost property")
    assert not restored.already
    [(actor, device, detail, _)] = audit(teams, "device-restore")
    assert (actor, device) == ("postgres", amy.device_id)
    assert detail.endswith("by postgres): found in lost property")

    report = sync(amy, teams, "amy")

    assert report.ok and report.revoked is None, report.lines()
    assert report.applied == 2
    assert LocalSync(amy).pending_count() == 0
    names = teams.scalar("SELECT string_agg(name, ',' ORDER BY name) FROM court_tui.cases")
    assert names == "Kept Change,Unsynced Case"
    assert not sync_status(amy).describe().startswith("This laptop was cut off")


def test_the_owner_can_still_open_the_store_and_export_the_kept_case(
    teams: Central,
    amy: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    unsynced = amy.repository.save_case(new_case("North", "Unsynced Case"), actor="amy")
    revoke_device(teams.admin_url, amy.device_id, reason="reported lost")
    db = str(amy.path)
    amy.close()
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)

    code = main(["sync", "--db", db, "--server", teams.url("amy")])

    out, err = capsys.readouterr()
    assert code == 3
    assert out.startswith("This laptop was cut off from the central store on ")
    assert "Traceback" not in out + err
    exported = tmp_path / "kept.json"
    assert main(["export", unsynced.id, "--db", db, "--out", str(exported)]) == 0
    assert json.loads(exported.read_text())["case"]["answers"]["name"] == "Unsynced Case"
    # Still refused, still kept: the second sync says the same, and drops nothing.
    assert main(["sync", "--db", db, "--server", teams.url("amy")]) == 3
    with open_store(Path(db), PASSPHRASE) as store:
        assert LocalSync(store).pending_count() == 1
        doctor = sync_doctor_lines(store)
    assert any(
        line.startswith("Device: revoked on ") and " by postgres: reported lost." in line
        for line in doctor
    ), doctor
    capsys.readouterr()
    assert main(["doctor", "--db", db]) == 1
    assert "Device: revoked on " in capsys.readouterr().out


def test_doctor_says_the_device_is_not_revoked_as_of_the_last_sync(amy: Store) -> None:
    doctor = sync_doctor_lines(amy)
    assert any(line.startswith("Device: not revoked (as of the last sync, ") for line in doctor)


def test_the_background_sync_does_not_keep_asking_a_store_that_cut_it_off(
    teams: Central, amy: Store
) -> None:
    revoke_device(teams.admin_url, amy.device_id, reason="reported lost")
    first = try_sync(amy, server=teams.url("amy"), retry=NO_WAIT)
    assert first is not None and first.revoked is not None
    # Within the hour the background attempt does not connect at all (this address would
    # say it cannot reach anything), and still says why.
    nowhere = "postgresql://amy@/court?host=/nonexistent/socket/dir"
    held = try_sync(amy, server=nowhere, retry=NO_WAIT)
    assert held is not None and held.revoked is not None and held.next_check is not None
    assert held.lines()[0].startswith("This laptop was cut off")
    assert "`court-tui sync` asks it now." in held.lines()[1]
    # An hour on, it asks again (and, let back meanwhile, gets through).
    restore_device(teams.admin_url, amy.device_id)
    with time_machine.travel(held.next_check + REVOKED_RECHECK / 60, tick=False):
        again = try_sync(amy, server=teams.url("amy"), retry=NO_WAIT)
    assert again is not None and again.ok and again.revoked is None, again.lines()


def test_only_an_administrator_or_a_supervisor_of_the_owners_team_may_revoke(
    teams: Central, amy: Store
) -> None:
    device = amy.device_id
    with pytest.raises(SyncError, match="only an administrator or a supervisor can cut off"):
        revoke_device(teams.url("amy"), device)
    with pytest.raises(SyncError, match=f"no laptop {device} among your teams' laptops"):
        revoke_device(teams.url("lee"), device)
    assert audit(teams, "device-revoke") == []
    assert teams.scalar("SELECT count(*) FROM court_tui.devices WHERE revoked_at IS NOT NULL") == 0

    result = revoke_device(teams.url("pat"), device[:8], reason="lost")
    assert (result.device_id, result.revoked_by) == (device, "pat")
    assert [row[0] for row in audit(teams, "device-revoke")] == ["pat"]
    # Letting it back is for an administrator.
    with pytest.raises(SyncError, match="only an administrator can let a laptop back"):
        restore_device(teams.url("pat"), device)


def test_cli_exit_codes_and_words_for_an_unknown_or_ambiguous_device(
    teams: Central, amy: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    admin = ["--server", teams.admin_url]
    assert main(["server", "revoke-device", "no-such-laptop", *admin]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "court-tui server revoke-device: The central store could not do that: no laptop "
        "no-such-laptop on the central store."
    )
    assert main(["server", "revoke-device", "short", *admin]) == 2
    assert "no laptop short" in capsys.readouterr().err
    assert main(["server", "revoke-device", amy.device_id, "--reason", "x" * 501, *admin]) == 2
    assert "The reason is too long" in capsys.readouterr().err
    assert main(["server", "restore-device", amy.device_id, *admin]) == 0
    assert "was not cut off: nothing changed" in capsys.readouterr().out

    assert main(["server", "revoke-device", amy.device_id, "--reason", "stolen", *admin]) == 0
    out = capsys.readouterr().out
    assert "it is refused from now on. Reason: stolen" in out
    assert "court-tui server add-user amy --disable" in out
    assert main(["server", "revoke-device", amy.device_id, "--server", teams.url("amy")]) == 2
    assert "only an administrator or a supervisor" in capsys.readouterr().err
    # The server's doctor lists it as cut off, not as a laptop gone quiet with work on it.
    with teams.connect() as conn:
        conn.execute("UPDATE court_tui.devices SET last_contact = now() - interval '30 days'")
    assert main(["server", "doctor", *admin]) == 0
    doctor = capsys.readouterr().out
    assert "Laptops cut off (revoked): 1" in doctor
    assert f"laptop {amy.device_id} of amy: cut off " in doctor and "by postgres: stolen" in doctor
    assert "Stuck sessions and laptops: none" in doctor
    assert main(["server", "restore-device", amy.device_id, *admin]) == 0
    assert "Let amy's laptop" in capsys.readouterr().out


def test_a_disabled_login_cannot_connect_and_add_user_keeps_it_disabled(
    teams: Central, make_laptop: Callable[[str], Store], capsys: pytest.CaptureFixture[str]
) -> None:
    # Logins belong to the whole PostgreSQL server, which other tests' central stores share:
    # this one is this test's alone.
    login = teams.add(f"lost.{uuid.uuid4().hex[:8]}", "North")
    laptop = make_laptop(login)
    laptop.repository.save_case(new_case("North"), actor=login)
    assert sync(laptop, teams, login).ok
    open_session = teams.connect(login)
    admin = ["--server", teams.admin_url]

    assert main(["server", "add-user", login, "--disable", *admin]) == 0
    assert f"Disabled {login}'s login" in capsys.readouterr().out

    # The real server refuses the login, and its open session was ended.
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        teams.connect(login)
    with pytest.raises(psycopg.OperationalError):
        open_session.execute("SELECT 1")
    open_session.close()
    [(actor, _, detail, _)] = audit(teams, "login-disable")
    assert (actor, detail) == ("postgres", f"{login}; 1 open session(s) ended")
    # The laptop's sync says so in words, and does not count it as a passing fault.
    laptop.repository.save_case(new_case("North", "Later Case"), actor=login)
    report = sync(laptop, teams, login)
    assert report.error is not None and "your login is disabled" in report.error
    assert report.retries == 0
    # Adding a team keeps it disabled.
    adding = ["server", "add-user", login, "--team", "East", "--role", "officer", *admin]
    assert main(adding) == 0
    assert f"{login}'s login stays disabled" in capsys.readouterr().out
    assert teams.scalar("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", login) is False

    assert set_login_enabled(teams.admin_url, login, enabled=False).changed is False
    assert main(["server", "add-user", login, "--enable", *admin]) == 0
    assert f"Enabled {login}'s login" in capsys.readouterr().out
    assert [row[0] for row in audit(teams, "login-enable")] == ["postgres"]
    report = sync(laptop, teams, login)
    assert report.ok and report.applied == 1, report.lines()

    assert main(["server", "add-user", "nobody", "--disable", *admin]) == 2
    assert "no court-tui login nobody" in capsys.readouterr().err
    assert main(["server", "add-user", login, "--disable", "--team", "X", *admin]) == 2
    assert main(["server", "add-user", login, *admin]) == 2
    assert "Give --team TEAM and --role" in capsys.readouterr().err


def test_a_refusal_the_laptop_cannot_read_is_still_said_plainly() -> None:
    for detail in (None, "not json", "[1]", json.dumps({"revoked_at": 5, "reason": ["x"]})):
        refusal = DeviceRevoked.from_json(detail)
        assert refusal.message.startswith("This laptop was cut off from the central store. ")
    hostile = DeviceRevoked.from_json(
        json.dumps({"revoked_by": "pat\x1b[2J", "reason": "r" * 1000, "revoked_at": "soon"})
    )
    assert "\x1b" not in hostile.message and len(hostile.reason) == 500
    assert hostile.revoked_at is None
    assert not isinstance(hostile, ServerRefused)
