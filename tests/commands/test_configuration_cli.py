"""What the environment configures reaches the commands through the one Config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from court_tui.cli import main
from court_tui.resources import data_dir

PASSPHRASE = "configuration passphrase"
CASE_FILE = data_dir() / "demo" / "nps-by-mappa.json"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("COURT_TUI_ALLOCATION_LABELS", raising=False)
    path = tmp_path / "court-tui.db"
    assert main(["import", "--db", str(path), str(CASE_FILE)]) == 0
    return path


def _export(db: Path, out: Path) -> str:
    case_id = json.loads(CASE_FILE.read_text())["case"]["id"]
    assert main(["export", case_id, "--format", "txt", "--out", str(out), "--db", str(db)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_configured_labels_word_an_export(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standard = _export(db, tmp_path / "standard.txt")
    assert "Retained (enhanced)" not in standard
    monkeypatch.setenv("COURT_TUI_ALLOCATION_LABELS", "unification")
    unified = _export(db, tmp_path / "unified.txt")
    assert "Retained (enhanced)" in unified


def test_the_app_refuses_unknown_labels_before_it_starts(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COURT_TUI_ALLOCATION_LABELS", "no-such-labels")
    assert main(["--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith(
        "court-tui open: Unknown allocation labels 'no-such-labels'"
    )


def test_the_store_comes_from_the_environment_for_every_store_command(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COURT_TUI_DB", str(db))
    assert main(["doctor"]) == 0
    assert f"Store: {db}" in capsys.readouterr().out
    assert main(["offences", "search", "--json", "burglary"]) in (0, 1)
