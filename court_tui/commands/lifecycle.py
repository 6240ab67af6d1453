"""`court-tui passphrase|purge`: the store over the laptop's life.

`passphrase` changes the store's passphrase (a checked backup first, then a re-keyed copy
renamed into place: see store/rekey.py); `purge` removes the cases the retention rule
(domain/retention.py) lets go, or with --dry-run only lists them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, date, datetime
from typing import Any

from court_tui.commands.common import (
    EXIT_OK,
    OptionError,
    PassphraseError,
    actor_of,
    add_command,
    add_db_option,
    add_today_option,
    fail,
    fixed_day,
    open_for,
    read_passphrase,
    store_path,
)
from court_tui.domain.passphrase import MIN_NEW_PASSPHRASE, new_passphrase_problem
from court_tui.domain.retention import RETENTION_DAYS, RETENTION_RULE_WORDS
from court_tui.domain.settings import NEW_PASSPHRASE_ENV, Config
from court_tui.export import export_folder_of
from court_tui.store import StoreError, StoreNotFound, store_exists
from court_tui.store.purge import purge, retention_plan
from court_tui.store.rekey import change_store_passphrase


def register(subparsers: Any) -> None:
    """Add `passphrase` and `purge` to the command line."""
    changing = add_command(
        subparsers,
        "passphrase",
        run_passphrase,
        summary="change the store's passphrase (a checked backup is made first)",
        description="Change the store's passphrase. The current one is checked, a backup "
        "is written beside the store and checked, then the store is re-keyed. The new "
        f"passphrase comes from ${NEW_PASSPHRASE_ENV.name} or is asked twice.",
    )
    add_db_option(changing)
    purging = add_command(
        subparsers,
        "purge",
        run_purge,
        summary=f"remove cases the retention rule lets go ({RETENTION_DAYS} days after "
        "acceptance)",
        description=f"Remove from this laptop every case that is {RETENTION_RULE_WORDS}, "
        "with its exported files. Nothing unsynced or unaccepted is ever removed.",
    )
    add_db_option(purging)
    purging.add_argument(
        "--dry-run", action="store_true", help="list what would go and why; change nothing"
    )
    add_today_option(purging, "apply the rule")


def _new_passphrase(config: Config) -> str:
    """The new passphrase from $COURT_TUI_NEW_PASSPHRASE, else asked for twice (the rule
    for it is checked where the change is made)."""
    if config.new_passphrase:
        chosen = config.new_passphrase
    elif sys.stdin is None or not sys.stdin.isatty():
        raise PassphraseError(
            f"Set ${NEW_PASSPHRASE_ENV.name}, or run this in a terminal to type the new "
            "passphrase."
        )
    else:
        print(
            f"Choose a new passphrase of at least {MIN_NEW_PASSPHRASE} characters, hard to "
            "guess (three or four unrelated words).",
            file=sys.stderr,
        )
        chosen = getpass.getpass("New passphrase: ")
        problem = new_passphrase_problem(chosen)
        if problem is not None:  # said before asking for it again
            raise PassphraseError(f"{problem}; nothing was changed.")
        if getpass.getpass("Type it again: ") != chosen:
            raise PassphraseError("The two passphrases are different; nothing was changed.")
    return chosen


def run_passphrase(args: argparse.Namespace, config: Config) -> int:
    """Change the passphrase of the store named in ARGS; returns the exit code."""
    path = store_path(args, config)
    try:
        if not store_exists(path):
            raise StoreNotFound(path)
        old = read_passphrase(config, creating=False)
        with open_for(args, config, create=False) as store:  # checks the old passphrase
            new = _new_passphrase(config)
            backup = change_store_passphrase(
                store, old, new, at=datetime.now(UTC), actor=actor_of(store)
            )
    except StoreError as exc:
        return fail("passphrase", exc.message)
    print(f"The passphrase of {path} is changed: open it with the new one from now on.")
    print(
        f"A checked backup made first is at {backup.path}. It still opens with the OLD "
        "passphrase: once court-tui opens with the new one, delete it."
    )
    return EXIT_OK


def run_purge(args: argparse.Namespace, config: Config) -> int:
    """Remove (or with --dry-run list) the cases retention lets go; returns the exit code."""
    try:
        today = fixed_day(args) or date.today()
    except OptionError as exc:
        return fail("purge", str(exc))
    try:
        with open_for(args, config, create=False) as store:
            repository = store.repository
            plan = retention_plan(repository, today)
            going = [planned for planned in plan if planned.decision.removable]
            if args.dry_run:
                print(f"Rule: a case leaves this laptop once {RETENTION_RULE_WORDS}.")
                for planned in going:
                    print(f"Would remove {planned.display_name}: {planned.decision.reasons[0]}.")
                for planned in plan:
                    if not planned.decision.removable:
                        why = "; ".join(planned.decision.reasons)
                        print(f"Keeps {planned.display_name}: {why}.")
                print(f"{len(going)} case(s) would be removed; nothing was changed (dry run).")
                return EXIT_OK
            result = purge(
                repository,
                today,
                at=datetime.now(UTC),
                actor=actor_of(store),
                export_folder=export_folder_of(repository.get_setting),
            )
    except StoreError as exc:
        return fail("purge", exc.message)
    for removed in result.removed:
        print(f"Removed {removed.display_name}: {removed.decision.reasons[0]}.")
    for path in result.files_removed:
        print(f"Removed its exported file {path}.")
    kept = len(plan) - len(result.removed)
    print(f"{len(result.removed)} case(s) removed, {kept} kept.")
    if result.vacuumed:
        print("The store was compacted, so removed data does not linger in free space.")
    return EXIT_OK
