"""The laptop's store commands when something is wrong around them: a weak passphrase in
the environment, a read-only or missing backup folder, a restore while another process is
saving, a case at the last revision, a stored case this version cannot read. Each gives
one clear message and a non-zero exit, never a traceback, and loses nothing."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlalchemy as sa

from court_tui.cli import main
from court_tui.domain.bounds import MAX_REVISION
from court_tui.resources import data_dir
from court_tui.store import open_store
from court_tui.store.tables import CASES

PASSPHRASE = "store safety passphrase"
DEMO = sorted((data_dir() / "demo").glob("*.json"))
ROOT = Path(__file__).resolve().parents[2]
# Another process opens the stores made here with the same one-round key derivation.
QUICK = (
    "import sqlcipher3; _kdf = sqlcipher3.connect(':memory:'); "
    "_kdf.execute('PRAGMA cipher_default_kdf_iter = 1')\n"
)
COURT_TUI = QUICK + "import sys; from court_tui.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_key_derivation: None) -> Path:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    return tmp_path / "store" / "court-tui.db"


def _filled(db: Path) -> Path:
    assert main(["import", "--db", str(db), *map(str, DEMO)]) == 0
    return db


# A passphrase from the environment


def test_a_weak_passphrase_in_the_environment_does_not_create_a_store(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", "a")
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 2
    err = capsys.readouterr().err
    assert "$COURT_TUI_PASSPHRASE cannot lock a new store" in err
    assert "Passphrase must be 10 characters or more; nothing was created." in err
    assert not db.exists()


def test_an_existing_store_still_opens_with_its_short_passphrase(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Made before the rule held at the command line: opening it is unaffected.
    open_store(db, "short", create=True).close()
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", "short")
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 0
    assert "Imported " in capsys.readouterr().out


# Backup


def _read_only_backup(db: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """`court-tui backup` into FOLDER mounted read-only (in a mount namespace of its own),
    which even root cannot write."""
    if shutil.which("unshare") is None:
        pytest.skip("unshare is not installed")
    script = 'mount --bind -o ro "$1" "$1" && shift && exec "$@"'
    command = [sys.executable, "-c", COURT_TUI, "backup", "--db", str(db), str(folder)]
    result = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", script, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )
    if "mount:" in result.stderr or "unshare:" in result.stderr:
        pytest.skip(f"cannot make a read-only mount here: {result.stderr.strip()}")
    return result


def test_backup_into_a_read_only_folder_says_so(db: Path, tmp_path: Path) -> None:
    _filled(db)
    folder = tmp_path / "read-only"
    folder.mkdir()
    result = _read_only_backup(db, folder)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("court-tui backup: The backup could not be written to ")
    assert "Read-only file system" in result.stderr
    assert list(folder.iterdir()) == []


def test_backup_into_a_missing_folder_says_so(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    capsys.readouterr()
    assert main(["backup", "--db", str(db), str(tmp_path / "missing" / "copy.db")]) == 2
    assert capsys.readouterr().err == (
        f"court-tui backup: The folder {tmp_path / 'missing'} does not exist.\n"
    )


# Restore while another process has the store open

_SAVER = QUICK + textwrap.dedent(
    """
    import sys
    from court_tui.store import open_store
    from court_tui.domain.case import CaseRecord
    with open_store(sys.argv[1], sys.argv[2]) as store:
        saved = store.repository.save_case(
            CaseRecord(answers={"name": "Saved while open"}), actor="app"
        )
        print(saved.id, flush=True)
        for _ in range(3):  # keeps saving, as the app does, until told to stop
            saved = store.repository.save_case(saved, actor="app")
        print("saved", flush=True)
        sys.stdin.readline()
    """
)


def test_restore_refuses_while_another_process_has_the_store_open(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    backup = tmp_path / "backup.db"
    assert main(["backup", "--db", str(db), str(backup)]) == 0
    app = subprocess.Popen(
        [sys.executable, "-c", _SAVER, str(db), PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert app.stdout is not None and app.stdin is not None
        case_id = app.stdout.readline().strip()
        assert app.stdout.readline().strip() == "saved"
        capsys.readouterr()
        assert main(["restore", "--db", str(db), str(backup)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"court-tui restore: The store at {db} is open in another ")
        assert "Nothing was changed." in err
        assert not list(db.parent.glob("*.replaced-*"))
    finally:
        if app.stdin is not None:
            app.stdin.close()
        app.wait(timeout=60)
    # The other process's saves are in the store, not in a file set aside.
    with open_store(db, PASSPHRASE) as store:
        assert store.repository.revisions()[case_id] == 4
    # Once it has closed the store, the restore goes ahead and keeps the old file.
    assert main(["restore", "--db", str(db), str(backup)]) == 0
    assert len(list(db.parent.glob("*.replaced-*"))) == 1


# A case at the last revision, a follow-up id already taken


def test_import_sets_aside_a_case_at_the_last_revision_and_goes_on(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(DEMO[0].read_text(encoding="utf-8"))
    document["case"]["revision"] = MAX_REVISION
    last = tmp_path / "last.json"
    last.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", "--db", str(db), str(last), str(DEMO[1])]) == 2
    captured = capsys.readouterr()
    assert f"court-tui import: {last}: This case is at revision 2,147,483,647" in captured.err
    assert f" from {DEMO[1]}." in captured.out
    with open_store(db, PASSPHRASE) as store:
        assert store.repository.count_cases() == 1


def test_import_sets_aside_a_case_whose_follow_up_id_another_case_has(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_follow_up = next(p for p in DEMO if json.loads(p.read_text())["case"]["follow_ups"])
    _filled(db)
    capsys.readouterr()
    document = json.loads(with_follow_up.read_text(encoding="utf-8"))
    document["case"]["id"] = "01960000-0000-7000-8000-00000000abcd"
    copy = tmp_path / "copy.json"
    copy.write_text(json.dumps(document), encoding="utf-8")
    assert main(["import", "--db", str(db), str(copy)]) == 2
    assert "has the id of another case's follow-up in the store" in capsys.readouterr().err


# A stored case this version cannot read


def test_doctor_names_a_stored_case_it_cannot_read_and_export_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    case = json.loads(DEMO[0].read_text())["case"]
    case_id, name, crn = case["id"], case["answers"]["name"], case["answers"]["crn"]
    with open_store(db, PASSPHRASE) as store, store.repository.engine.begin() as conn:
        # As an older court-tui, before the bounds, could have kept it.
        case_json = json.loads(
            conn.execute(sa.select(CASES.c.case_json).where(CASES.c.id == case_id)).scalar_one()
        )
        case_json["checks"]["domestic_abuse"]["expected_by"] = "9999-12-31"
        conn.execute(
            CASES.update().where(CASES.c.id == case_id).values(case_json=json.dumps(case_json))
        )
    capsys.readouterr()
    assert main(["doctor", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "Cases set aside (cannot be read): 1" in out
    assert f"Case {name} ({crn}), id {case_id}, cannot be read by this court-tui" in out
    assert "checks.domestic_abuse.expected_by: 9999-12-31 is out of range" in out
    assert main(["export", case_id, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"Case {case_id} cannot be read by this court-tui" in err
    assert "`court-tui doctor` lists it" in err


def test_doctor_names_a_case_the_case_list_shows_as_damaged(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    case = json.loads(DEMO[0].read_text())["case"]
    case_id, name, crn = case["id"], case["answers"]["name"], case["answers"]["crn"]
    with open_store(db, PASSPHRASE) as store, store.repository.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE cases SET hearing_date = 'the 2nd' WHERE id = ?", (case_id,))
    capsys.readouterr()
    assert main(["doctor", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "Cases set aside (cannot be read): 1" in out
    assert f"Case {name} ({crn}), id {case_id}, cannot be read by this court-tui" in out
    assert "as stored for the case list, cannot be read" in out


def test_doctor_says_no_case_is_set_aside_when_all_read(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _filled(db)
    capsys.readouterr()
    main(["doctor", "--db", str(db)])
    assert "Cases set aside (cannot be read): 0" in capsys.readouterr().out


def test_the_lock_file_beside_the_store_is_private(db: Path) -> None:
    _filled(db)
    lock = db.with_name(db.name + ".lock")
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
