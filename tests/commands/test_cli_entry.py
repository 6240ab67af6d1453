"""`court-tui` with no command opens the app, taking the app's own options."""

from __future__ import annotations

import pytest

from court_tui.cli import build_parser, main, with_default_command


@pytest.mark.parametrize(
    ("argv", "db", "lock"),
    [
        ([], None, None),
        (["--db", "/tmp/c.db"], "/tmp/c.db", None),
        (["--lock-minutes", "5"], None, 5.0),
    ],
)
def test_no_command_opens_the_app_with_its_options(
    argv: list[str], db: str | None, lock: float | None
) -> None:
    args = build_parser().parse_args(with_default_command(argv))
    assert args.command == "open"
    assert args.func.__name__ == "run_app"
    assert (args.db, args.lock_minutes) == (db, lock)


def test_a_named_command_is_left_alone() -> None:
    args = build_parser().parse_args(with_default_command(["check", "case.json"]))
    assert args.command == "check"


def test_version_and_help_are_not_taken_for_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("court-tui ")
