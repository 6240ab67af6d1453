"""What the commands share: how one is added, the options several take, the passphrase, the
store they open and how they say what went wrong.

Every command is run as `func(args, config)`, with the `Config` the entry point read from
the environment once; nothing here reads the environment itself.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from court_tui.domain.forms import FormSet
from court_tui.domain.passphrase import MIN_NEW_PASSPHRASE, new_passphrase_problem
from court_tui.domain.settings import DB_ENV, OFFICER, PASSPHRASE_ENV, SERVER_ENV, Config
from court_tui.domain.values import parse_iso_date
from court_tui.store import (
    Store,
    StoreError,
    StoreNotFound,
    default_db_path,
    open_store,
    store_exists,
)

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_UNUSABLE = 2

Run = Callable[[argparse.Namespace, Config], int]

DB_HELP = f"the store to use (default: ${DB_ENV.name}, else court-tui.db in your user data folder)"
SERVER_HELP = f"the central store, postgresql://NAME@HOST/DATABASE (default: ${SERVER_ENV.name})"


def add_command(
    subparsers: Any, name: str, run: Run | None, *, summary: str, description: str, **more: Any
) -> argparse.ArgumentParser:
    """Add the command NAME (SUMMARY in the list of commands) that RUN carries out."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=description, **more
    )
    if run is not None:
        parser.set_defaults(func=run)
    return parser


def add_db_option(parser: argparse.ArgumentParser, help_text: str = DB_HELP) -> None:
    """--db PATH: the store to use."""
    parser.add_argument("--db", metavar="PATH", help=help_text)


def add_server_option(parser: argparse.ArgumentParser, help_text: str = SERVER_HELP) -> None:
    """--server URL: the central store."""
    parser.add_argument("--server", metavar="URL", help=help_text)


def add_json_option(parser: argparse.ArgumentParser, what: str) -> None:
    """--json: print WHAT as JSON."""
    parser.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def add_today_option(parser: argparse.ArgumentParser, doing: str) -> None:
    """--today YYYY-MM-DD: do DOING as on another day."""
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help=f"{doing} as on this day (default: today)"
    )


class OptionError(ValueError):
    """An option's value cannot be used; the message says which and why."""


def fixed_day(args: argparse.Namespace) -> date | None:
    """The day --today names, None when it is not given; raises OptionError when it is not
    a date."""
    if not args.today:
        return None
    parsed = parse_iso_date(args.today)
    if parsed is None:
        raise OptionError(f"--today must be a date like 2026-03-02, not {args.today!r}")
    return parsed


def read_input(name: str) -> bytes:
    """The bytes of the file NAME, or of standard input when NAME is -."""
    if name == "-":
        return sys.stdin.buffer.read()
    return Path(name).read_bytes()


def fail(command: str, message: str, code: int = EXIT_UNUSABLE) -> int:
    """Say MESSAGE on standard error as `court-tui COMMAND: ...`; returns CODE."""
    print(f"court-tui {command}: {message}", file=sys.stderr)
    return code


class PassphraseError(StoreError):
    """No usable passphrase could be had."""


def read_passphrase(config: Config, *, creating: bool) -> str:
    """The passphrase from $COURT_TUI_PASSPHRASE, else asked for (twice when CREATING)."""
    if config.passphrase:
        problem = new_passphrase_problem(config.passphrase) if creating else None
        if problem is not None:
            raise PassphraseError(
                f"${PASSPHRASE_ENV.name} cannot lock a new store: {problem}; nothing was created."
            )
        return config.passphrase
    if sys.stdin is None or not sys.stdin.isatty():
        raise PassphraseError(
            "The store needs its passphrase: run this in a terminal, or set "
            f"${PASSPHRASE_ENV.name}."
        )
    if not creating:
        return getpass.getpass("Passphrase for the court-tui store: ")
    print(
        "Creating a new court-tui store. Choose a passphrase of at least "
        f"{MIN_NEW_PASSPHRASE} characters: without it nobody, including you, can read the "
        "cases.",
        file=sys.stderr,
    )
    first = getpass.getpass("New passphrase: ")
    problem = new_passphrase_problem(first)
    if problem is not None:
        raise PassphraseError(f"{problem}; nothing was created.")
    if getpass.getpass("Type the passphrase again: ") != first:
        raise PassphraseError("The two passphrases are different; nothing was created.")
    return first


def store_path(args: argparse.Namespace, config: Config) -> Path:
    """The store named by --db, else by $COURT_TUI_DB, else the default place."""
    given = getattr(args, "db", None)
    return Path(given).expanduser() if given else default_db_path(config.db)


def open_for(
    args: argparse.Namespace, config: Config, *, create: bool, forms: FormSet | None = None
) -> Store:
    """Open the store for a command (creating it when CREATE and it is missing); with no
    store and no CREATE, raises StoreNotFound before any passphrase is asked for."""
    path = store_path(args, config)
    exists = store_exists(path)
    if not exists and not create:
        raise StoreNotFound(path)
    passphrase = read_passphrase(config, creating=create and not exists)
    return open_store(path, passphrase, create=create, forms=forms)


def actor_of(store: Store) -> str:
    """Who is acting, for the audit log: the officer's name when set, else the login."""
    name = OFFICER.read(store.repository.get_setting).strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
