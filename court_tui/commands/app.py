"""Opening the app: `court-tui` on the local store, `court-tui demo` on a throwaway one."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from court_tui.commands.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    add_command,
    add_db_option,
    fail,
    store_path,
)
from court_tui.domain.settings import COURT, DB_ENV, OFFICER, PASSPHRASE_ENV, TEAM, Config, Setting
from court_tui.resources import SHARED_OFFENCE_MAPPING, shared_offence_mapping

if TYPE_CHECKING:  # the app and the store load only when the app is opened
    from court_tui.domain.offences import OffenceCatalogue
    from court_tui.store import Store
    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend

# The officer of the demo cases.
DEMO_PROFILE: dict[Setting[str], str] = {
    OFFICER: "Sam Patel",
    TEAM: "Leeds court team",
    COURT: "Leeds Magistrates' Court",
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
    opener = add_command(
        subparsers,
        "open",
        run_app,
        summary="open the app on the local case store (the same as no command)",
        description=(
            f"Open court-tui on the case store at --db, else ${DB_ENV.name}, else the "
            f"default path. ${PASSPHRASE_ENV.name}, when set, unlocks it without asking."
        ),
    )
    add_db_option(opener)
    _add_lock_option(opener)
    demo = add_command(
        subparsers,
        "demo",
        run_demo,
        summary="try court-tui on a throwaway store filled with demo cases",
        description="Open court-tui on a throwaway store of demo cases heard today. "
        "Nothing is kept after you quit. The offence codes come from --offences FILE, else "
        f"from ../shared/data/{SHARED_OFFENCE_MAPPING} beside the project when it is there.",
    )
    _add_lock_option(demo)
    demo.add_argument(
        "--offences",
        metavar="FILE",
        help="a Manage Offences actuarial mapping for the demo's offence search "
        f"(default: ../shared/data/{SHARED_OFFENCE_MAPPING} beside the project, if there)",
    )


def _stored_offences(backend: Backend) -> OffenceCatalogue:
    """The codes `court-tui offences import` (or a sync) left in the backend's store."""
    from court_tui.domain.offence_reference import OFFENCE_CODES_KIND, stored_catalogue

    return stored_catalogue(backend.repository.get_reference_data(OFFENCE_CODES_KIND))


def _run(app: CourtApp) -> int:
    """Run APP until the officer quits, closing its store after; returns the exit code."""
    try:
        app.run()
    finally:
        app.backend.close()
    return EXIT_OK if app.return_code in (None, 0) else int(app.return_code or EXIT_PROBLEM)


def run_app(args: argparse.Namespace, config: Config) -> int:
    """Open the app on the local store; returns the exit code."""
    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend

    try:
        backend = Backend(
            store_path(args, config),
            config=config,
            offences=lambda: _stored_offences(backend),
        )
    except ValueError as error:  # an unknown $COURT_TUI_ALLOCATION_LABELS
        return fail("open", str(error))
    app = CourtApp(
        backend, passphrase=config.passphrase, lock_minutes=getattr(args, "lock_minutes", None)
    )
    return _run(app)


def _demo_offences(store: Store, given: str | None) -> str | None:
    """Load the demo's offence codes from GIVEN, else the shared mapping if it is there,
    saying on stderr what was loaded or how to import codes; returns a problem with GIVEN."""
    from court_tui.domain.offences import IMPORT_CODES_ADVICE, OffenceDataError
    from court_tui.store.demo import load_demo_offences

    mapping = Path(given).expanduser() if given else shared_offence_mapping()
    try:
        count = load_demo_offences(store, mapping)
    except (OSError, OffenceDataError) as error:
        return f"cannot use the offence mapping {mapping}: {error}"
    if count is None and given:
        return f"there is no offence mapping at {mapping}"
    if count is None:
        print(
            f"court-tui demo: {IMPORT_CODES_ADVICE} (or give the demo one with --offences "
            f"FILE; no mapping at {mapping})",
            file=sys.stderr,
        )
    else:
        print(f"court-tui demo: {count:,} offence codes loaded from {mapping}", file=sys.stderr)
    return None


def run_demo(args: argparse.Namespace, config: Config) -> int:
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
            return fail("demo", str(error), EXIT_PROBLEM)
        problem = _demo_offences(store, getattr(args, "offences", None))
        if problem is not None:
            store.close()
            return fail("demo", problem, EXIT_PROBLEM)
        repository = store.repository
        for setting, value in DEMO_PROFILE.items():
            if not repository.get_setting(setting.key):
                repository.put_setting(setting.key, value)
        try:
            backend = Backend(
                path,
                store=store,
                demo=True,
                config=config,
                offences=lambda: _stored_offences(backend),
            )
        except ValueError as error:
            store.close()
            return fail("demo", str(error))
        return _run(CourtApp(backend, lock_minutes=getattr(args, "lock_minutes", None)))
