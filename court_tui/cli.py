"""`court-tui` and its subcommands: one parser, each command in court_tui/commands/.

This is the one place that reads the environment: `main` reads it once into a `Config`
and hands that to the command it runs.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from court_tui import __version__
from court_tui.domain.settings import Config

# Each module has `register(subparsers)`, which adds its parser and sets `func`, called as
# `func(args, config)`.
COMMAND_MODULES = [
    "court_tui.commands.check",
    "court_tui.commands.rsr",
    "court_tui.commands.offences",
    "court_tui.commands.store_commands",
    "court_tui.commands.app",
    "court_tui.commands.review",
    "court_tui.commands.sync_commands",
    "court_tui.commands.court_lists",
    "court_tui.commands.lifecycle",
]


TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


def with_default_command(argv: Sequence[str]) -> list[str]:
    """ARGV, with `open` put first when no command is named: plain `court-tui` opens the app."""
    words = list(argv)
    if not words or (words[0].startswith("-") and words[0] not in TOP_LEVEL_OPTIONS):
        return ["open", *words]
    return words


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="court-tui",
        description="court-tui: the court duty officer's case record.",
    )
    parser.add_argument("--version", action="version", version=f"court-tui {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run court-tui with ARGV; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    config = Config.from_environ(os.environ)
    try:
        return int(func(args, config))
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
