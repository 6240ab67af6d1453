"""With no store, the commands that read one say so at once and never ask for a passphrase:
not without a terminal, and not in one (where the question would wait for nothing)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from court_tui.cli import main

COMMANDS = [
    ["export", "X123456", "--format", "txt"],
    ["review", "--csv"],
    ["backup", "backup.db"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_store_is_said_first_without_a_terminal(
    command: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("COURT_TUI_PASSPHRASE", raising=False)
    missing = tmp_path / "none.db"
    assert main([*command, "--db", str(missing)]) != 0
    err = capsys.readouterr().err
    assert f"There is no court-tui store at {missing}" in err
    assert "passphrase" not in err.lower()
    assert not missing.exists()


@pytest.mark.parametrize("command", COMMANDS[:2], ids=lambda c: c[0])
def test_no_store_is_said_first_in_a_terminal(command: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COURT_TUI_PASSPHRASE"}
    missing = tmp_path / "none.db"
    leader, follower = pty.openpty()
    try:
        # Standard input and output a terminal: a prompt would wait here until the timeout.
        result = subprocess.run(
            [sys.executable, "-m", "court_tui", *command, "--db", str(missing)],
            stdin=follower,
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=20,
            check=False,
            start_new_session=True,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode != 0
    assert f"There is no court-tui store at {missing}" in result.stderr
    assert "Passphrase" not in result.stderr
