"""`court-tui review`: the supervisor's pending checks, on screen or as CSV."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from court_tui.commands.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    OptionError,
    add_command,
    add_db_option,
    add_server_option,
    add_today_option,
    fail,
    fixed_day,
    open_for,
)
from court_tui.domain.review import (
    ITEM_KINDS,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    ReviewSource,
    Tab,
    due_words,
    status_words,
)
from court_tui.domain.settings import Config
from court_tui.store.paths import write_private_file

CSV_COLUMNS = (
    "case_id",
    "case_name",
    "crn",
    "court",
    "team",
    "officer",
    "kind",
    "item_id",
    "what",
    "owner",
    "requested",
    "due",
    "due_words",
    "status",
    "done_on",
    "reviewed_by",
    "review_note",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def register(subparsers: Any) -> None:
    """Add `review` to the command line."""
    parser = add_command(
        subparsers,
        "review",
        run,
        summary="supervisors: pending checks and follow-ups across your teams",
        description=(
            "Open the supervisor's view of pending checks and follow-ups: on this laptop's "
            "store, or with --server on the central store as your supervisor login. With "
            "--csv, write the view (the tab and filters given) as CSV instead."
        ),
    )
    add_server_option(
        parser, "the central store, as postgresql://LOGIN@HOST/DATABASE (your supervisor login)"
    )
    add_db_option(parser)
    parser.add_argument(
        "--csv",
        nargs="?",
        const="-",
        metavar="PATH",
        help="write the view as CSV to PATH (standard output when no PATH) and stop",
    )
    parser.add_argument(
        "--tab",
        choices=[tab.value for tab in Tab],
        default=Tab.OVERDUE.value,
        help="which tab (default: overdue)",
    )
    parser.add_argument("--court", metavar="COURT", help="only this court's cases")
    parser.add_argument("--team", metavar="TEAM", help="only this team's cases")
    parser.add_argument(
        "--officer", metavar="NAME", help="only this officer's cases and what they own"
    )
    parser.add_argument("--kind", choices=ITEM_KINDS, help="only checks, or only follow-ups")
    parser.add_argument(
        "--search", metavar="TEXT", default="", help="name, CRN, item, owner or officer"
    )
    add_today_option(parser, "work the tabs out")


def _fail(message: str) -> int:
    return fail("review", message, EXIT_PROBLEM)


def open_source(args: argparse.Namespace, config: Config) -> ReviewSource:
    """The store ARGS name, open; raises ReviewError with words for the supervisor."""
    if args.server:
        from court_tui.sync.errors import SyncError
        from court_tui.sync.review_server import CentralReviewSource

        try:
            return CentralReviewSource(args.server)
        except SyncError as error:
            raise ReviewError(error.message) from None
    from court_tui.store import StoreError
    from court_tui.store.review_queries import LocalReviewSource

    try:
        store = open_for(args, config, create=False)
    except StoreError as error:
        raise ReviewError(str(error)) from None

    def last_synced() -> datetime | None:
        from court_tui.sync import SyncError, sync_status

        try:
            return sync_status(store).last_synced_at
        except SyncError as error:
            raise ReviewError(error.message) from None

    return LocalReviewSource(store, last_synced=last_synced)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # Typed text is data, never a formula: a leading quote keeps a spreadsheet from running it.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(items: Iterable[ReviewItem], today: date) -> Iterable[list[str]]:
    """The header, then one row an item, as the CSV holds them."""
    yield list(CSV_COLUMNS)
    for item in items:
        values = {
            **{column: getattr(item, column, None) for column in CSV_COLUMNS},
            "due_words": due_words(item, today),
            "status": status_words(item, today),
        }
        yield [_cell(values[column]) for column in CSV_COLUMNS]


def write_csv(items: list[ReviewItem], today: date, out: TextIO) -> None:
    """ITEMS as CSV to OUT."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(csv_rows(items, today))


def _export(
    source: ReviewSource, args: argparse.Namespace, tab: Tab, filters: ReviewFilters, today: date
) -> int:
    items = source.all_items(tab, filters, today)
    target = "standard output" if args.csv == "-" else args.csv
    detail = f"review CSV: {tab.value}, filters {filters.describe()}, to {target}"
    buffer = io.StringIO()
    write_csv(items, today, buffer)
    # Recorded before the data leaves: a disclosure not in the log must not happen.
    source.record_export(items, detail)
    if args.csv == "-":
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
    else:
        try:
            write_private_file(Path(args.csv).expanduser(), buffer.getvalue().encode("utf-8"))
        except OSError as error:
            return _fail(f"could not write {args.csv}: {error.strerror}.")
        print(f"Wrote {len(items)} item(s) to {args.csv}.", file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace, config: Config) -> int:
    """Open the review, or write it as CSV; returns the exit code."""
    try:
        day = fixed_day(args)
    except OptionError as error:
        return _fail(f"{error}.")
    today = day or date.today()
    tab = Tab(args.tab)
    filters = ReviewFilters(
        court=args.court or None,
        team=args.team or None,
        officer=args.officer or None,
        kind=args.kind,
        search=args.search or "",
    )
    try:
        source = open_source(args, config)
    except ReviewError as error:
        return _fail(str(error))
    try:
        if args.csv is not None:
            return _export(source, args, tab, filters, today)
        from court_tui.ui.review.app import ReviewApp

        try:
            labels = config.labels()
        except ValueError as error:  # an unknown $COURT_TUI_ALLOCATION_LABELS
            return _fail(str(error))
        app = ReviewApp(
            source,
            tab=tab,
            filters=filters,
            today=(lambda: today) if day else date.today,
            labels=labels,
        )
        app.run()
        return EXIT_OK if app.return_code in (None, 0) else int(app.return_code or EXIT_PROBLEM)
    except ReviewError as error:
        return _fail(str(error))
    finally:
        source.close()
