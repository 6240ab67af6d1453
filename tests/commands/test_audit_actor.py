"""The command line audits under the officer's name that the app's setup stored."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from court_tui.cli import main
from court_tui.resources import data_dir
from court_tui.store import open_store
from court_tui.ui.backend import Backend, Profile

PASSPHRASE = "audit actor passphrase"
DEMO = sorted((data_dir() / "demo").glob("*.json"))
OFFICER = "Officer Set Up In The App"


def test_a_store_set_up_in_the_app_audits_cli_work_under_the_officer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert getpass.getuser() != OFFICER
    db = tmp_path / "court-tui.db"
    backend = Backend(db)
    backend.create(PASSPHRASE, Profile(officer=OFFICER, team="Leeds", court="Leeds MC"))
    backend.close()
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)

    assert main(["import", "--db", str(db), str(DEMO[0])]) == 0

    with open_store(db, PASSPHRASE) as store:
        actors = {row.actor for row in store.repository.audit_rows() if row.action == "import"}
    assert actors == {OFFICER}
