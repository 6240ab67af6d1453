"""`court-tui`, `court-tui open` and `court-tui demo` on the command line."""

from __future__ import annotations

import pytest

from court_tui.cli import build_parser
from court_tui.commands.app import run_app, run_demo


def test_open_takes_a_store_and_a_lock_time() -> None:
    args = build_parser().parse_args(["open", "--db", "~/cases.db", "--lock-minutes", "5"])
    assert args.func is run_app
    assert args.db == "~/cases.db"
    assert args.lock_minutes == 5.0


def test_demo_needs_nothing() -> None:
    args = build_parser().parse_args(["demo"])
    assert args.func is run_demo
    assert args.lock_minutes is None


def test_a_negative_lock_time_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--lock-minutes", "-1"])
    assert "0 (never lock) or more" in capsys.readouterr().err
