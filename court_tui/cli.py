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

# The module that registers each command. A command line that names one imports only that
# module: `court-tui` opens the app without loading the sync, the exports and the other
# commands' libraries first (tests/commands/test_cli_entry.py checks this against what
# each module registers). Anything else (help, a mistyped command) builds the whole parser.
COMMAND_MODULE = {
    "check": "court_tui.commands.check",
    "rsr": "court_tui.commands.rsr",
    "offences": "court_tui.commands.offences",
    "backup": "court_tui.commands.store_commands",
    "doctor": "court_tui.commands.store_commands",
    "export": "court_tui.commands.store_commands",
    "import": "court_tui.commands.store_commands",
    "restore": "court_tui.commands.store_commands",
    "demo": "court_tui.commands.app",
    "open": "court_tui.commands.app",
    "review": "court_tui.commands.review",
    "server": "court_tui.commands.sync_commands",
    "sync": "court_tui.commands.sync_commands",
    "list": "court_tui.commands.court_lists",
    "passphrase": "court_tui.commands.lifecycle",
    "purge": "court_tui.commands.lifecycle",
}


TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


def with_default_command(argv: Sequence[str]) -> list[str]:
    """ARGV, with `open` put first when no command is named: plain `court-tui` opens the app."""
    words = list(argv)
    if not words or (words[0].startswith("-") and words[0] not in TOP_LEVEL_OPTIONS):
        return ["open", *words]
    return words


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The argument parser, with the subcommands of MODULES (all of them unless told)."""
    parser = argparse.ArgumentParser(
        prog="court-tui",
        description="court-tui: the court duty officer's case record.",
    )
    parser.add_argument("--version", action="version", version=f"court-tui {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(subparsers)
    return parser


def parser_for(words: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for the command line WORDS: only the named command's module, when the
    first word names one and help is not asked for; else every command."""
    module = COMMAND_MODULE.get(words[0]) if words else None
    if module is None or any(word in TOP_LEVEL_OPTIONS for word in words):
        return build_parser()
    return build_parser([module])


def main(argv: Sequence[str] | None = None) -> int:
    """Run court-tui with ARGV; returns the exit code."""
    words = with_default_command(sys.argv[1:] if argv is None else argv)
    parser = parser_for(words)
    args = parser.parse_args(words)
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
