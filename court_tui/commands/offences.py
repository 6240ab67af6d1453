"""`court-tui offences import|search`: the offence-code lookup and what counts as violent."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from court_tui.domain.offences import (
    MatchKind,
    NotJsonError,
    OffenceCatalogue,
    OffenceDataError,
    OffenceMatch,
    empty_catalogue,
    parse_offence_mapping,
    read_offence_mapping,
)

EXIT_OK = 0
EXIT_NOTHING_FOUND = 1
EXIT_CANNOT_SAVE = 1
EXIT_UNUSABLE = 2
REFERENCE_ENV = "COURT_TUI_REFERENCE"
PAYLOAD_KIND = "offence-codes"
DEFAULT_LIMIT = 50


def register(subparsers: Any) -> None:
    """Add `offences import` and `offences search` to the command line."""
    parser = subparsers.add_parser(
        "offences",
        help="import offence codes; look up an offence and whether it counts as violent",
        description=(
            "Look up Home Office offence codes, their RSR category and whether they count as "
            "violent. The 20 categories and 5 violence subtypes are always there; the codes "
            "come from a Manage Offences actuarial mapping you import."
        ),
    )
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--reference",
        metavar="PATH",
        help=f"the local offence reference file (default: ${REFERENCE_ENV}, or offences.json "
        "in the court-tui data folder)",
    )
    actions = parser.add_subparsers(dest="offences_action", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        parents=[where],
        help="load a Manage Offences actuarial mapping (JSON keyed by offence code)",
        description=(
            "Load a Manage Offences actuarial mapping into the local reference data, "
            "replacing any earlier import. Exit 2 when the file is not such a mapping."
        ),
    )
    importer.add_argument("file", metavar="FILE", help="the mapping file (JSON)")
    importer.set_defaults(func=run_import)
    search = actions.add_parser(
        "search",
        parents=[where],
        help="find offences by code or words",
        description=(
            "Show the offences, categories and violence subtypes matching a code (or its "
            "first digits) or words, with whether each counts as violent. Without TEXT, list "
            "the categories and subtypes. Exit 1 when nothing matches."
        ),
    )
    search.add_argument("text", metavar="TEXT-OR-CODE", nargs="*", help="a code or words")
    search.add_argument("--json", action="store_true", help="print the matches as JSON")
    search.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"show at most N matches, 0 for all (default: {DEFAULT_LIMIT})",
    )
    search.set_defaults(func=run_search)


def _write(text: str) -> None:
    """Print TEXT; a reader that stops early (such as `head`) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at nothing so Python's own flush at exit does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def reference_path(args: argparse.Namespace) -> Path:
    """Where the imported offence codes are kept on this machine."""
    chosen = getattr(args, "reference", None) or os.environ.get(REFERENCE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("court-tui")) / "offences.json"


def save_catalogue(
    args: argparse.Namespace, catalogue: OffenceCatalogue, source: str = ""
) -> Path:
    """Keep CATALOGUE's codes as the local reference data; returns where."""
    path = reference_path(args)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    payload = {
        "kind": PAYLOAD_KIND,
        "source": source,
        "imported_on": date.today().isoformat(),
        "codes": catalogue.to_mapping(),
    }
    # Written beside the target and renamed, so a failed import leaves the last one intact.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".offences-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, indent=1)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_catalogue(args: argparse.Namespace) -> OffenceCatalogue:
    """The local reference data: imported codes if any, and always the categories."""
    path = reference_path(args)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty_catalogue()
    except (OSError, UnicodeDecodeError) as exc:
        raise OffenceDataError(f"cannot read {path}: {exc}") from None
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise OffenceDataError(f"{path} is damaged (not JSON: {exc}); import again") from None
    if not isinstance(payload, dict) or payload.get("kind") != PAYLOAD_KIND:
        raise OffenceDataError(f"{path} is not a court-tui offence reference file")
    try:
        return parse_offence_mapping(payload.get("codes"))
    except OffenceDataError as exc:
        raise OffenceDataError(f"{path} is damaged ({exc}); import again") from None


def run_import(args: argparse.Namespace) -> int:
    """Import the mapping file named in ARGS; returns the exit code."""
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(
            f"court-tui offences: cannot read {args.file}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    try:
        catalogue = read_offence_mapping(data)
    except NotJsonError as exc:
        print(f"court-tui offences: {args.file} is {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OffenceDataError as exc:
        print(
            f"court-tui offences: {args.file} is not a Manage Offences actuarial mapping: {exc}",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    try:
        path = save_catalogue(args, catalogue, Path(args.file).name)
    except OSError as exc:
        print(f"court-tui offences: cannot save the offence codes: {exc}", file=sys.stderr)
        return EXIT_CANNOT_SAVE
    total = len(catalogue.codes)
    uncategorised = sum(1 for offence in catalogue.codes.values() if offence.category is None)
    print(
        f"Imported {total:,} offence codes from {Path(args.file).name}: "
        f"{catalogue.violent_code_count:,} count as violent, "
        f"{uncategorised:,} have no RSR category."
    )
    print(f"Saved in {path}.")
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


def run_search(args: argparse.Namespace) -> int:
    """Search the offences for the text in ARGS; returns the exit code."""
    text = " ".join(args.text)
    try:
        catalogue = load_catalogue(args)
    except OffenceDataError as exc:
        print(f"court-tui offences: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    matches = catalogue.search(text)
    shown = matches if args.limit <= 0 else matches[: args.limit]
    if args.json:
        _write(
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
        _write("\n".join(lines) + "\n")
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
