"""`court-tui` with no command opens the app, taking the app's own options."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import pytest

from court_tui.cli import COMMAND_MODULE, COMMAND_MODULES, build_parser, main, with_default_command


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


def test_each_command_is_found_in_the_module_that_registers_it() -> None:
    registered: dict[str, str] = {}
    for name in COMMAND_MODULES:
        parser = build_parser([name])
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        registered.update(dict.fromkeys(subparsers.choices, name))
    assert registered == COMMAND_MODULE


def test_opening_the_app_loads_no_other_command_nor_the_sync_the_exports_or_the_meter() -> None:
    # In a fresh interpreter, as `court-tui` starts: the command line read as far as the
    # point where the app would be opened.
    script = (
        "import json, sys\n"
        "from court_tui.cli import parser_for, with_default_command\n"
        "words = with_default_command([])\n"
        "assert parser_for(words).parse_args(words).command == 'open'\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stdout)
    loaded = [
        m
        for m in modules
        if m.startswith(
            ("court_tui.commands.", "court_tui.sync", "court_tui.export", "psycopg", "zxcvbn")
        )
    ]
    assert loaded == ["court_tui.commands.app", "court_tui.commands.common"]
