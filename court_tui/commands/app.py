"""Opening the app: `court-tui` on the local store, `court-tui demo` on a throwaway one."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the app and the store load only when the app is opened
    from court_tui.domain.offences import OffenceCatalogue
    from court_tui.ui.backend import Backend

# The officer of the demo cases.
DEMO_PROFILE = {
    "officer": "Sam Patel",
    "team": "Leeds court team",
    "court": "Leeds Magistrates' Court",
}


def _lock_minutes(text: str) -> float:
    try:
        minutes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of minutes, not {text!r}") from None
    if minutes < 0:
        raise argparse.ArgumentTypeError("must be 0 (never lock) or more")
    return minutes


def _add_lock_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lock-minutes",
        type=_lock_minutes,
        metavar="N",
        help="lock after N minutes without input (default: the stored setting, else 10; "
        "0 never locks)",
    )


def register(subparsers: Any) -> None:
    """Add `open` and `demo` to the command line."""
    opener = subparsers.add_parser(
        "open",
        help="open the app on the local case store (the same as no command)",
        description=(
            "Open court-tui on the case store at --db, else $COURT_TUI_DB, else the "
            "default path. $COURT_TUI_PASSPHRASE, when set, unlocks it without asking."
        ),
    )
    opener.add_argument("--db", metavar="PATH", help="the case store to open")
    _add_lock_option(opener)
    opener.set_defaults(func=run_app)
    demo = subparsers.add_parser(
        "demo",
        help="try court-tui on a throwaway store filled with demo cases",
        description="Open court-tui on a throwaway store of demo cases heard today. "
        "Nothing is kept after you quit.",
    )
    _add_lock_option(demo)
    demo.set_defaults(func=run_demo)


def _stored_offences(backend: Backend) -> OffenceCatalogue:
    """The codes `court-tui offences import` (or a sync) left in the backend's store."""
    from court_tui.commands.offences import PAYLOAD_KIND, stored_catalogue

    return stored_catalogue(backend.repository.get_reference_data(PAYLOAD_KIND))


def run_app(args: argparse.Namespace) -> int:
    """Open the app on the local store; returns the exit code."""
    from court_tui.commands.store_commands import PASSPHRASE_ENV, store_path
    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend

    backend = Backend(store_path(args), offences=lambda: _stored_offences(backend))
    app = CourtApp(
        backend,
        passphrase=os.environ.get(PASSPHRASE_ENV) or None,
        lock_minutes=getattr(args, "lock_minutes", None),
    )
    try:
        app.run()
    finally:
        backend.close()
    return 0 if app.return_code in (None, 0) else int(app.return_code or 1)


def run_demo(args: argparse.Namespace) -> int:
    """Open the app on a throwaway store of demo cases; returns the exit code."""
    from court_tui.store import StoreError
    from court_tui.store.demo import make_demo_store
    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend

    with tempfile.TemporaryDirectory(prefix="court-tui-demo-") as folder:
        path = Path(folder) / "demo.db"
        try:
            store = make_demo_store(path)
        except StoreError as error:
            print(f"court-tui demo: {error}", file=sys.stderr)
            return 1
        repository = store.repository
        for key, value in DEMO_PROFILE.items():
            if not repository.get_setting(key):
                repository.put_setting(key, value)
        backend = Backend(path, store=store, demo=True, offences=lambda: _stored_offences(backend))
        app = CourtApp(backend, lock_minutes=getattr(args, "lock_minutes", None))
        try:
            app.run()
        finally:
            backend.close()
    return 0 if app.return_code in (None, 0) else int(app.return_code or 1)
