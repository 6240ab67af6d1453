"""`court-tui offences import|search`: the offence-code lookup and what counts as violent."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from court_tui.commands.common import (
    DB_HELP,
    EXIT_OK,
    add_command,
    add_db_option,
    add_json_option,
    fail,
    open_for,
    store_path,
)
from court_tui.commands.output import write_stdout
from court_tui.domain.offence_reference import (
    OFFENCE_CODES_KIND,
    offence_codes_payload,
    stored_catalogue,
)
from court_tui.domain.offences import (
    MatchKind,
    NotJsonError,
    OffenceCatalogue,
    OffenceDataError,
    OffenceMatch,
    empty_catalogue,
    read_offence_mapping,
)
from court_tui.domain.settings import Config
from court_tui.store import StoreError, store_exists

EXIT_NOTHING_FOUND = 1
DEFAULT_LIMIT = 50


def register(subparsers: Any) -> None:
    """Add `offences import` and `offences search` to the command line."""
    parser = add_command(
        subparsers,
        "offences",
        None,
        summary="import offence codes; look up an offence and whether it counts as violent",
        description=(
            "Look up Home Office offence codes, their RSR category and whether they count as "
            "violent. The 20 categories and 5 violence subtypes are always there; the codes "
            "come from a Manage Offences actuarial mapping you import."
        ),
    )
    where = argparse.ArgumentParser(add_help=False)
    add_db_option(where, f"the local store that keeps the offence codes ({DB_HELP})")
    actions = parser.add_subparsers(dest="offences_action", metavar="ACTION", required=True)
    importer = add_command(
        actions,
        "import",
        run_import,
        parents=[where],
        summary="load a Manage Offences actuarial mapping (JSON keyed by offence code)",
        description=(
            "Load a Manage Offences actuarial mapping into the local reference data, "
            "replacing any earlier import. Exit 2 when the file is not such a mapping."
        ),
    )
    importer.add_argument("file", metavar="FILE", help="the mapping file (JSON)")
    search = add_command(
        actions,
        "search",
        run_search,
        parents=[where],
        summary="find offences by code or words",
        description=(
            "Show the offences, categories and violence subtypes matching a code (or its "
            "first digits) or words, with whether each counts as violent. Without TEXT, list "
            "the categories and subtypes. Exit 1 when nothing matches."
        ),
    )
    search.add_argument("text", metavar="TEXT-OR-CODE", nargs="*", help="a code or words")
    add_json_option(search, "the matches")
    search.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"show at most N matches, 0 for all (default: {DEFAULT_LIMIT})",
    )


def save_catalogue(
    args: argparse.Namespace, config: Config, catalogue: OffenceCatalogue, source: str = ""
) -> Path:
    """Keep CATALOGUE's codes as the reference data in the local store; returns its path."""
    payload = offence_codes_payload(catalogue, source=source, imported_on=date.today().isoformat())
    with open_for(args, config, create=True) as store:
        # One transaction: a failed import leaves the last one in place.
        store.repository.put_reference_data(OFFENCE_CODES_KIND, payload)
        return store.path


def load_catalogue(args: argparse.Namespace, config: Config) -> OffenceCatalogue:
    """The local reference data: imported codes if any, and always the categories."""
    if not store_exists(store_path(args, config)):
        return empty_catalogue()
    with open_for(args, config, create=False) as store:
        return stored_catalogue(store.repository.get_reference_data(OFFENCE_CODES_KIND))


def run_import(args: argparse.Namespace, config: Config) -> int:
    """Import the mapping file named in ARGS; returns the exit code."""
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        return fail("offences", f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        catalogue = read_offence_mapping(data)
    except NotJsonError as exc:
        return fail("offences", f"{args.file} is {exc}")
    except OffenceDataError as exc:
        return fail("offences", f"{args.file} is not a Manage Offences actuarial mapping: {exc}")
    try:
        path = save_catalogue(args, config, catalogue, Path(args.file).name)
    except StoreError as exc:
        return fail("offences", f"cannot save the offence codes: {exc}")
    total = len(catalogue.codes)
    uncategorised = sum(1 for offence in catalogue.codes.values() if offence.category is None)
    print(
        f"Imported {total:,} offence codes from {Path(args.file).name}: "
        f"{catalogue.violent_code_count:,} count as violent, "
        f"{uncategorised:,} have no RSR category."
    )
    print(f"Saved in the local store {path}.")
    return EXIT_OK


def _where(match: OffenceMatch) -> str:
    if match.subtype:
        return f"{match.category} / {match.subtype}"
    return match.category or "no RSR category"


BROADLY_VIOLENT_NOTE = (
    "A category or subtype is violent broadly; for a particular offence, its code decides."
)


def render_matches(matches: list[OffenceMatch], width: int = 80) -> list[str]:
    """MATCHES in plain lines: what it is, its category and subtype, whether violent."""
    lines: list[str] = []
    broadly = False
    for match in matches:
        label = match.code if match.kind is MatchKind.CODE else match.kind.value
        head = f"{label:<9} "
        indent = " " * len(head)
        wrapped = textwrap.wrap(match.description, width - len(head)) or [""]
        lines.append(head + wrapped[0])
        lines += [indent + rest for rest in wrapped[1:]]
        violent = "yes" if match.violent else "no"
        if match.kind is not MatchKind.CODE and match.violent:
            violent, broadly = "yes, broadly", True
        together = f"{indent}{_where(match)}; counts as violent: {violent}"
        if len(together) <= width:
            lines.append(together)
        else:
            lines += [f"{indent}{_where(match)}", f"{indent}counts as violent: {violent}"]
    if broadly:
        lines.append(BROADLY_VIOLENT_NOTE)
    return lines


def run_search(args: argparse.Namespace, config: Config) -> int:
    """Search the offences for the text in ARGS; returns the exit code."""
    text = " ".join(args.text)
    try:
        catalogue = load_catalogue(args, config)
    except (OffenceDataError, StoreError) as exc:
        return fail("offences", str(exc))
    matches = catalogue.search(text)
    shown = matches if args.limit <= 0 else matches[: args.limit]
    if args.json:
        write_stdout(
            json.dumps(
                [
                    {
                        "kind": match.kind.value,
                        "code": match.code,
                        "description": match.description,
                        "category": match.category,
                        "subtype": match.subtype,
                        "violent": match.violent,
                    }
                    for match in shown
                ],
                indent=1,
                ensure_ascii=False,
            )
            + "\n"
        )
    elif shown:
        lines = render_matches(shown)
        if len(shown) < len(matches):
            lines.append(
                f"... and {len(matches) - len(shown)} more: narrow the search, or use "
                "--limit 0 to see all"
            )
        write_stdout("\n".join(lines) + "\n")
    if not catalogue.codes and text.strip():
        print(
            "No offence codes have been imported, so only categories are searched: "
            "run court-tui offences import FILE.",
            file=sys.stderr,
        )
    if not matches:
        if not args.json:
            print(f"Nothing matches {text!r}.", file=sys.stderr)
        return EXIT_NOTHING_FOUND
    return EXIT_OK
