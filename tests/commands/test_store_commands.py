"""`court-tui import|export|backup|restore|doctor` through the real parser and store."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from court_tui.cli import main
from court_tui.commands import common, store_commands
from court_tui.resources import data_dir
from court_tui.store import open_store

PASSPHRASE = "command test passphrase"
DEMO = sorted((data_dir() / "demo").glob("*.json"))


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    return tmp_path / "store" / "court-tui.db"


def _case_id(path: Path) -> str:
    return str(json.loads(path.read_text())["case"]["id"])


def test_import_creates_the_store_and_adds_every_case(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db), *map(str, DEMO)]) == 0
    out = capsys.readouterr().out
    assert out.count("Imported ") == len(DEMO)
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 0
    assert "Already in the store, unchanged" in capsys.readouterr().out
    with open_store(db, PASSPHRASE) as store:
        assert store.repository.count_cases() == len(DEMO)
        assert {row.action for row in store.repository.audit_rows()} == {"import"}


def test_import_reports_a_bad_file_and_imports_the_others(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}')
    missing = tmp_path / "missing.json"
    code = main(["import", "--db", str(db), str(bad), str(DEMO[0]), str(missing)])
    assert code == 2
    captured = capsys.readouterr()
    assert f"court-tui import: {bad}: Not a court-tui case file" in captured.err
    assert f"court-tui import: {missing}: Cannot read it" in captured.err
    assert "Imported " in captured.out
    with open_store(db, PASSPHRASE) as store:
        assert store.repository.count_cases() == 1


def test_import_refuses_a_different_version_of_a_stored_case(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 0
    changed = json.loads(DEMO[0].read_text())
    changed["case"]["answers"]["name"] = "Someone Else"
    other = tmp_path / "changed.json"
    other.write_text(json.dumps(changed))
    assert main(["import", "--db", str(db), str(other)]) == 2
    assert "Nothing was overwritten" in capsys.readouterr().err


def test_export_json_by_crn_to_stdout_is_a_recorded_disclosure(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "--db", str(db), *map(str, DEMO)])
    capsys.readouterr()
    case_id = _case_id(DEMO[0])
    crn = json.loads(DEMO[0].read_text())["case"]["answers"]["crn"]
    assert main(["export", crn.lower(), "--format", "json", "--db", str(db)]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["format"] == "court-tui-case"
    assert exported["case"]["id"] == case_id
    with open_store(db, PASSPHRASE) as store:
        actions = [row.action for row in store.repository.audit_rows(case_id)]
        detail = store.repository.audit_rows(case_id)[-1].detail
    assert actions == ["import", "view", "disclose"]
    assert detail == "export json to standard output"


def test_export_to_a_file_is_private(db: Path, tmp_path: Path) -> None:
    main(["import", "--db", str(db), str(DEMO[0])])
    out = tmp_path / "case.json"
    assert main(["export", _case_id(DEMO[0]), "--out", str(out), "--db", str(db)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["case"]["id"] == _case_id(DEMO[0])


def test_export_of_an_unknown_case(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["import", "--db", str(db), str(DEMO[0])])
    assert main(["export", "Z999999", "--db", str(db)]) == 2
    assert "There is no case Z999999" in capsys.readouterr().err


def test_export_formats_come_from_the_table() -> None:
    assert set(store_commands.EXPORT_FORMATS) >= {"json"}
    with pytest.raises(SystemExit):
        main(["export", "x", "--format", "no-such-format"])


def test_backup_doctor_and_restore(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "--db", str(db), *map(str, DEMO)])
    backup = tmp_path / "backup.db"
    assert main(["backup", str(backup), "--db", str(db)]) == 0
    assert f"Backup written to {backup}" in capsys.readouterr().out
    assert main(["doctor", "--db", str(db)]) == 0
    report = capsys.readouterr().out
    assert "Integrity check: ok" in report and "No problems found." in report
    assert f"Changes not yet synced (outbox): {len(DEMO)}" in report
    shutil.copyfile(db, tmp_path / "original.db")
    data = bytearray(db.read_bytes())
    data[4096 * 3 : 4096 * 3 + 64] = bytes(64)
    db.write_bytes(bytes(data))
    db.with_name(db.name + "-wal").unlink(missing_ok=True)
    db.with_name(db.name + "-shm").unlink(missing_ok=True)
    assert main(["doctor", "--db", str(db)]) == 2
    assert "court-tui restore" in capsys.readouterr().err
    assert main(["restore", str(backup), "--db", str(db)]) == 0
    assert "kept, unchanged" in capsys.readouterr().out
    assert main(["doctor", "--db", str(db)]) == 0


def test_doctor_without_a_store(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "There is no store here yet" in out and "SQLCipher: 4." in out


def test_wrong_passphrase_is_a_message_not_a_traceback(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["import", "--db", str(db), str(DEMO[0])])
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", "wrong passphrase")
    assert main(["export", _case_id(DEMO[0]), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "passphrase does not open" in err and "Traceback" not in err
    assert "wrong passphrase" not in err


def test_no_passphrase_and_no_terminal(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COURT_TUI_PASSPHRASE")
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 2
    assert "COURT_TUI_PASSPHRASE" in capsys.readouterr().err
    assert not db.exists()


def test_new_passphrase_is_asked_twice(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COURT_TUI_PASSPHRASE")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter(["too short"])
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt="": next(answers))
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 2
    assert "Passphrase must be 10 characters or more; nothing was created" in (
        capsys.readouterr().err
    )
    answers = iter(["a long passphrase", "a different one!"])
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 2
    assert "different; nothing was created" in capsys.readouterr().err
    assert not db.exists()
    answers = iter(["a long passphrase", "a long passphrase"])
    assert main(["import", "--db", str(db), str(DEMO[0])]) == 0
    answers = iter(["a long passphrase"])
    assert main(["doctor", "--db", str(db)]) == 0


def test_db_comes_from_the_environment(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COURT_TUI_DB", str(db))
    assert main(["import", str(DEMO[0])]) == 0
    assert db.exists()


def test_import_does_not_count_a_claimed_acceptance_and_says_why(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    complete = next(path for path in DEMO if path.stem == "complete-crc")
    data = json.loads(complete.read_text())
    # The file says its author accepted the handover, with nothing read.
    data["case"]["handover"].update(
        {"accepted_by": "Sam Patel", "accepted_at": "2026-03-03T09:30:00Z"}
    )
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(data))
    assert main(["import", "--db", str(db), str(crafted)]) == 0
    out = capsys.readouterr().out
    assert "Imported Jordan Ellis (X123456)" in out
    assert (
        "crafted.json: the handover says it was accepted by Sam Patel, but it does not count "
        "as handed over (acceptance not counted): it was never sent to a responsible officer"
    ) in out
    with open_store(db, PASSPHRASE) as store:
        (summary,) = store.repository.list_cases()
    assert summary.status != "Completed"
