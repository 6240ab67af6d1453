"""`court-tui server ...` and `court-tui sync` from the command line, on a real server."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sync_helpers import PASSPHRASE, Central, PostgresServer, edit, new_case, new_central

from court_tui.cli import main
from court_tui.store import Store
from court_tui.sync.server import head_revision

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("COURT_TUI_SERVER", raising=False)


def test_server_init_sets_up_once_and_then_says_so(
    pg_server: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_server.create_database("cli_init")

    assert main(["server", "init", url]) == 0
    head = head_revision()
    assert f"The central store is set up (schema {head})." in capsys.readouterr().out
    assert main(["server", "init", url]) == 0
    assert (
        capsys.readouterr().out.strip() == f"The central store is already set up (schema {head})."
    )


def test_server_init_refuses_an_address_that_is_not_postgresql(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["server", "init", "mysql://root@localhost/court"]) == 2
    assert "must be PostgreSQL" in capsys.readouterr().err


def test_add_user_makes_a_login_with_a_hashed_password(
    central: Central, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long initial password\n"))
    code = main(
        ["server", "add-user", "jo.evans", "--team", "Leeds", "--team", "Bradford",
         "--role", "supervisor", "--display-name", "Jo Evans", "--password-stdin",
         "--server", central.admin_url]
    )  # fmt: skip
    assert code == 0
    assert (
        capsys.readouterr().out.strip() == "Added supervisor jo.evans on team(s): Bradford, Leeds."
    )
    stored = central.scalar("SELECT rolpassword FROM pg_authid WHERE rolname = 'jo.evans'")
    assert str(stored).startswith("SCRAM-SHA-256$")
    assert (
        central.scalar("SELECT pg_has_role('jo.evans', 'court_tui_supervisor', 'MEMBER')") is True
    )

    monkeypatch.setenv("COURT_TUI_SERVER", central.admin_url)
    assert main(["server", "add-user", "postgres", "--team", "Leeds", "--role", "officer"]) == 2
    assert "superuser" in capsys.readouterr().err
    assert main(["server", "add-user", "Bad Name", "--team", "Leeds", "--role", "officer"]) == 2
    assert "cannot be a login name" in capsys.readouterr().err


def test_sync_remembers_the_server_and_reports_in_words(
    central: Central,
    make_laptop: Callable[[str], Store],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    central.add("amy", "Leeds")
    store = make_laptop("amy")
    store.repository.save_case(new_case("Leeds"), actor="amy")
    store.close()
    db = str(tmp_path / "amy.db")

    assert main(["sync", "--db", db]) == 2
    assert "No central store is configured" in capsys.readouterr().err

    with_password = central.url("amy").replace("amy@", "amy:secret@")
    assert main(["sync", "--db", db, "--server", with_password, "--remember"]) == 2
    assert "does not keep passwords" in capsys.readouterr().err

    assert main(["sync", "--db", db, "--server", central.url("amy"), "--remember"]) == 0
    out = capsys.readouterr().out
    assert "Sent 1 change(s): 1 accepted." in out
    assert out.strip().endswith("All changes synced")

    assert main(["sync", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("Nothing to send.")
    assert main(["sync", "--db", db, "--status"]) == 0
    assert capsys.readouterr().out.startswith("All changes synced · Synced ")


def test_sync_that_cannot_reach_the_server_exits_1_and_keeps_the_work(
    make_laptop: Callable[[str], Store], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = make_laptop("amy")
    store.repository.save_case(new_case("Leeds"), actor="amy")
    store.close()
    nowhere = "postgresql://amy@/court?host=/nonexistent/socket/dir"

    code = main(["sync", "--db", str(tmp_path / "amy.db"), "--server", nowhere])

    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith(
        "Cannot reach the central store (no server at that address). "
        "Your work is saved on this laptop."
    )
    assert "1 change not yet synced" in out


def test_a_conflict_can_be_seen_and_settled_from_the_command_line(
    pg_server: PostgresServer,
    make_laptop: Callable[[str], Store],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    central = new_central(pg_server)
    central.add("amy", "Leeds")
    central.add("ben", "Leeds")
    amy, ben = make_laptop("amy"), make_laptop("ben")
    saved = amy.repository.save_case(new_case("Leeds"), actor="amy")
    amy.close()
    ben.close()
    amy_db, ben_db = str(tmp_path / "amy.db"), str(tmp_path / "ben.db")
    assert main(["sync", "--db", amy_db, "--server", central.url("amy")]) == 0
    assert main(["sync", "--db", ben_db, "--server", central.url("ben")]) == 0
    for db, name in ((amy_db, "Amy's"), (ben_db, "Ben's")):
        store = make_laptop(Path(db).stem)
        edit(store, saved.id, name=name)
        store.close()
    assert main(["sync", "--db", amy_db, "--server", central.url("amy")]) == 0
    assert main(["sync", "--db", ben_db, "--server", central.url("ben")]) == 0
    capsys.readouterr()

    assert main(["sync", "--db", ben_db, "--status"]) == 0
    shown = capsys.readouterr().out
    assert "Ben's (A123456): changed on this laptop and elsewhere." in shown
    assert "    yours: Ben's" in shown and "    theirs: Amy's" in shown

    assert main(["sync", "--db", ben_db, "--resolve", saved.id]) == 2
    assert main(["sync", "--db", ben_db, "--resolve", saved.id, "--keep", "theirs"]) == 0
    assert "kept the central version" in capsys.readouterr().out
    assert main(["sync", "--db", ben_db, "--server", central.url("ben")]) == 0
    assert central.scalar("SELECT name FROM court_tui.cases") == "Amy's"
