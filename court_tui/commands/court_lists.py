"""`court-tui list import|show`: the day's court list, from Libra or the Common Platform."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from court_tui.commands.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    actor_of,
    add_command,
    add_db_option,
    add_json_option,
    fail,
    open_for,
)
from court_tui.commands.output import write_stdout
from court_tui.domain.court_list import Candidates, ListedEntry, sort_key
from court_tui.domain.dates import describe_date
from court_tui.domain.settings import Config
from court_tui.domain.values import parse_iso_date
from court_tui.store import StoreError, StoreNotFound
from court_tui.store.court_lists import ListImport, import_files, list_entries, match_candidates


def register(subparsers: Any) -> None:
    """Add `list import` and `list show` to the command line."""
    parser = add_command(
        subparsers,
        "list",
        None,
        summary="import the day's court list; show it with each defendant's match",
        description=(
            "Import a court list (a Libra daily list in XML, or a Common Platform hearing in "
            "JSON, told apart by content) and show it, each listed defendant with the case "
            "that is theirs."
        ),
    )
    where = argparse.ArgumentParser(add_help=False)
    add_db_option(where)
    actions = parser.add_subparsers(dest="list_action", metavar="ACTION", required=True)
    importer = add_command(
        actions,
        "import",
        run_import,
        parents=[where],
        summary="read court list files into the store",
        description=(
            "Read court list files into the store (created on first use). Importing the same "
            "or a re-printed list again updates its entries, never duplicates them. Exit 0 "
            "imported, 1 imported with entries set aside (each said), 2 when a file cannot be "
            "used (then nothing is imported)."
        ),
    )
    importer.add_argument("files", metavar="FILE", nargs="+", help="Libra XML or CP JSON")
    add_json_option(importer, "what was imported")
    show = add_command(
        actions,
        "show",
        run_show,
        parents=[where],
        summary="the day's list, by room, session time and surname",
        description=(
            "Show the imported list for a day (default: today), sorted by room, session time "
            "and surname, each listed defendant with their match: exact, possible (for you "
            "to confirm in the app) or none."
        ),
    )
    show.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default: today)")
    show.add_argument("--court", metavar="CODE", help="only the court with this code")
    add_json_option(show, "one object a listed defendant")


def _import_json(done: ListImport) -> dict[str, Any]:
    saved = done.saved
    return {
        "files": list(done.files),
        "imported": len(done.entries) if saved else 0,
        "new": saved.new if saved else 0,
        "updated": saved.updated if saved else 0,
        "unchanged": saved.unchanged if saved else 0,
        "matches": done.matches,
        "youth_or_organisation": done.not_probation,
        "dummy_rooms_left_out": done.dummy_left_out,
        "set_aside": list(done.set_aside),
        "unusable": list(done.unusable),
    }


def run_import(args: argparse.Namespace, config: Config) -> int:
    """Import the court list files in ARGS; returns the exit code."""
    paths = [Path(name) for name in args.files]
    try:
        with open_for(args, config, create=True) as store:
            done = import_files(store.repository, paths, actor=actor_of(store))
    except StoreError as error:
        return fail("list", f"cannot import the list: {error}")
    if args.json:
        write_stdout(json.dumps(_import_json(done), indent=1, ensure_ascii=False) + "\n")
    for problem in done.unusable:
        print(f"court-tui list: {problem}", file=sys.stderr)
    if done.unusable:
        return fail("list", "nothing was imported: leave out or fix the file above")
    for reason in done.set_aside:
        print(f"Set aside: {reason}", file=sys.stderr)
    if not args.json:
        print(done.summary())
    return EXIT_PROBLEM if done.set_aside else EXIT_OK


def _day(args: argparse.Namespace) -> date:
    if not args.date:
        return date.today()
    day = parse_iso_date(args.date)
    if day is None:
        raise ValueError(f"--date must be a date like 2026-03-02, not {args.date!r}")
    return day


def render_list(entries: list[ListedEntry], candidates: Candidates) -> list[str]:
    """ENTRIES as plain lines, grouped by court, room and session."""
    lines: list[str] = []
    group: tuple[str, str, str] | None = None
    for entry in entries:
        listed = entry.defendant
        here = (f"{listed.court or listed.court_code} ({listed.court_code}), "
                f"{describe_date(listed.hearing_date)}", listed.room, listed.session)  # fmt: skip
        if group is None or here[0] != group[0]:
            lines.append(here[0])
        if group is None or here != group:
            lines.append(f"  Room {listed.room or '?'}, {listed.session}")
        group = here
        found = entry.match(candidates)
        if not listed.probation_case:
            status = "organisation" if listed.kind == "organisation" else "youth"
            status += ": not matched"
        elif found.kind == "exact":
            status = f"exact match: case {found.case_id}"
        elif found.kind == "possible":
            status = f"possible match ({len(found.case_ids)}): confirm in the app"
        else:
            status = "no match"
        born = f"{listed.date_of_birth:%d/%m/%Y}" if listed.date_of_birth else "no date of birth"
        lines.append(
            f"    {listed.start_time:%H:%M}  {listed.name}, {born}, "
            f"PNC {listed.pnc or 'none'}, {listed.listing or 'listing not given'}; {status}"
        )
        for offence in listed.offences:
            lines.append(f"           {offence.title} ({offence.code})")
    return lines


def run_show(args: argparse.Namespace, config: Config) -> int:
    """Show the day's list; returns the exit code."""
    try:
        day = _day(args)
    except ValueError as error:
        return fail("list", str(error))
    try:
        with open_for(args, config, create=False) as store:
            entries = list_entries(store.repository, on=day, court=args.court)
            candidates = match_candidates(store.repository)
    except StoreNotFound:
        entries, candidates = [], Candidates([])
    except StoreError as error:
        return fail("list", str(error))
    entries.sort(key=lambda entry: sort_key(entry.defendant))
    if args.json:
        shown = [entry.shown(candidates) for entry in entries]
        write_stdout(json.dumps(shown, indent=1, ensure_ascii=False) + "\n")
    elif entries:
        write_stdout("\n".join(render_list(entries, candidates)) + "\n")
    else:
        court = f" at {args.court.upper()}" if args.court else ""
        print(
            f"No court list is imported for {describe_date(day)}{court}: "
            "run court-tui list import FILE.",
            file=sys.stderr,
        )
    return EXIT_OK
