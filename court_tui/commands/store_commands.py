"""`court-tui import|export|backup|restore|doctor`: the store from the command line.

The passphrase comes from COURT_TUI_PASSPHRASE (automation) or a prompt that never echoes;
it is asked twice when the store is being created.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from court_tui.domain.allocation import labels_from
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import CaseFileError, dumps, loads
from court_tui.domain.forms import FormError, FormSet, load_forms
from court_tui.export import ALL, DOCUMENTS, export_case
from court_tui.store import (
    ImportConflict,
    Store,
    StoreError,
    default_db_path,
    open_store,
    restore_backup,
    store_exists,
)
from court_tui.store.engine import library_versions

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_UNUSABLE = 2

PASSPHRASE_ENV = "COURT_TUI_PASSPHRASE"
MIN_NEW_PASSPHRASE = 10
OFFICER_SETTING = "officer"  # the key the app's setup writes


def _export_json(record: CaseRecord, forms: FormSet, document: str) -> bytes:
    return dumps(record).encode("utf-8")


def _export_document(fmt: str) -> Callable[[CaseRecord, FormSet, str], bytes]:
    def export(record: CaseRecord, forms: FormSet, document: str) -> bytes:
        return export_case(record, forms, document, fmt, date.today())

    return export


# Export formats by name; each turns a case (and the document asked for: report, cas,
# handover or all) into the bytes of a file. json is always the whole case file.
EXPORT_FORMATS: dict[str, Callable[[CaseRecord, FormSet, str], bytes]] = {
    "json": _export_json,
    **{fmt: _export_document(fmt) for fmt in ("pdf", "txt", "md")},
}


class PassphraseError(StoreError):
    """No usable passphrase could be had."""


def read_passphrase(*, creating: bool) -> str:
    """The passphrase from COURT_TUI_PASSPHRASE, else asked for (twice when CREATING)."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if sys.stdin is None or not sys.stdin.isatty():
        raise PassphraseError(
            f"The store needs its passphrase: run this in a terminal, or set ${PASSPHRASE_ENV}."
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
    if len(first) < MIN_NEW_PASSPHRASE:
        raise PassphraseError(
            f"The passphrase must be at least {MIN_NEW_PASSPHRASE} characters; nothing was "
            "created."
        )
    if getpass.getpass("Type the passphrase again: ") != first:
        raise PassphraseError("The two passphrases are different; nothing was created.")
    return first


def store_path(args: argparse.Namespace) -> Path:
    """The store named by --db, else the default place."""
    given = getattr(args, "db", None)
    return Path(given).expanduser() if given else default_db_path()


def open_for(args: argparse.Namespace, *, create: bool, forms: FormSet | None = None) -> Store:
    """Open the store for a command (creating it when CREATE and it is missing)."""
    path = store_path(args)
    passphrase = read_passphrase(creating=create and not store_exists(path))
    return open_store(path, passphrase, create=create, forms=forms)


def actor_of(store: Store) -> str:
    """Who is acting, for the audit log: the officer's name when set, else the login."""
    name = store.repository.get_setting(OFFICER_SETTING)
    if name and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def fail(command: str, message: str, code: int = EXIT_UNUSABLE) -> int:
    """Say MESSAGE on standard error as `court-tui COMMAND: ...`; returns CODE."""
    print(f"court-tui {command}: {message}", file=sys.stderr)
    return code


def _add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the store to use (default: $COURT_TUI_DB, else court-tui.db in your user "
        "data folder)",
    )


def register(subparsers: Any) -> None:
    """Add `import`, `export`, `backup`, `restore` and `doctor` to the command line."""
    parser = subparsers.add_parser(
        "import",
        help="add case files to the store",
        description="Add case files to the store (created on first use). Exit 0 when every "
        "file was imported or already there, 2 when any could not be used.",
    )
    parser.add_argument("files", metavar="FILE", nargs="+", help="court-tui case files (JSON)")
    _add_db(parser)
    parser.set_defaults(func=run_import)

    parser = subparsers.add_parser(
        "export",
        help="write one case out of the store (recorded as a disclosure)",
        description="Write one case out of the store. Every export is recorded in the audit "
        "log as a disclosure.",
    )
    parser.add_argument("case", metavar="CASE", help="the case id or its CRN")
    parser.add_argument(
        "--format", choices=sorted(EXPORT_FORMATS), default="json", help="default: json"
    )
    parser.add_argument(
        "--document",
        choices=DOCUMENTS,
        default=ALL,
        help="for pdf, txt and md: the oral report record, the CAS, the handover, or all "
        "three (default: all)",
    )
    parser.add_argument("--out", metavar="PATH", help="write here (default: standard output)")
    _add_db(parser)
    parser.set_defaults(func=run_export)

    parser = subparsers.add_parser(
        "backup",
        help="copy the store to DEST, encrypted, and check the copy",
        description="Copy the store to DEST (a new file, or a folder for a dated name) with "
        "SQLite's online backup, encrypted with the same passphrase, and check the copy.",
    )
    parser.add_argument("dest", metavar="DEST", help="a new file, or an existing folder")
    _add_db(parser)
    parser.set_defaults(func=run_backup)

    parser = subparsers.add_parser(
        "restore",
        help="put a backup in place of the store (the old file is kept)",
        description="Check BACKUP with the passphrase, then put it in place of the store. "
        "The file it replaces is renamed, never deleted.",
    )
    parser.add_argument("backup", metavar="BACKUP", help="a backup made by court-tui backup")
    _add_db(parser)
    parser.set_defaults(func=run_restore)

    parser = subparsers.add_parser(
        "doctor",
        help="check the store: versions, integrity, schema, outbox, place, permissions",
        description="Check the store. Exit 0 when all is well, 1 when something needs "
        "attention, 2 when the store cannot be opened.",
    )
    _add_db(parser)
    parser.set_defaults(func=run_doctor)


def run_import(args: argparse.Namespace) -> int:
    """Import the case files in ARGS; returns the exit code."""
    try:
        forms = load_forms()
    except FormError as exc:
        return fail("import", str(exc))
    status = EXIT_OK
    records: list[tuple[str, CaseRecord]] = []
    for name in args.files:
        try:
            text = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as exc:
            status = fail("import", f"{name}: Cannot read it: {exc.strerror or exc}")
            continue
        try:
            records.append((name, loads(text, forms)))
        except CaseFileError as exc:
            status = fail("import", f"{name}: {exc.message}")
    if not records:
        return status
    try:
        with open_for(args, create=True, forms=forms) as store:
            actor = actor_of(store)
            for name, record in records:
                try:
                    result = store.repository.import_case(
                        record, actor=actor, source=f"import {name}"
                    )
                except ImportConflict as exc:
                    status = fail("import", f"{name}: {exc.message}")
                    continue
                if result.outcome == "imported":
                    print(f"Imported {record.display_name} from {name}.")
                else:
                    print(f"Already in the store, unchanged: {record.display_name} ({name}).")
    except StoreError as exc:
        return fail("import", exc.message)
    return status


def _write_private(path: Path, data: bytes) -> None:
    """Write DATA to PATH (mode 0600) through a temporary file, so a failed write leaves
    any earlier file as it was."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def run_export(args: argparse.Namespace) -> int:
    """Export the case named in ARGS; returns the exit code."""
    try:
        forms = load_forms()
        labels_from()  # an unknown COURT_TUI_ALLOCATION_LABELS is a message, not a traceback
    except (FormError, ValueError) as exc:
        return fail("export", str(exc))
    out = Path(args.out).expanduser() if args.out else None
    if out is None and args.format == "pdf" and sys.stdout.isatty():
        # A PDF on the screen is noise, and asking the passphrase first would waste it.
        return fail("export", "A PDF cannot be shown in the terminal: add --out FILE.pdf")
    if out is not None and not out.parent.is_dir():
        return fail("export", f"The folder {out.parent} does not exist.")
    try:
        with open_for(args, create=False, forms=forms) as store:
            repository = store.repository
            actor = actor_of(store)
            case_id = repository.find_case_id(args.case)
            record = repository.get_case(case_id, actor=actor)
            data = EXPORT_FORMATS[args.format](record, forms, args.document)
            where = str(out) if out is not None else "standard output"
            what = args.format if args.format == "json" else f"{args.document} {args.format}"
            # Recorded before the bytes leave: an export never goes unrecorded.
            repository.record_disclosure(case_id, actor=actor, detail=f"export {what} to {where}")
    except StoreError as exc:
        return fail("export", exc.message)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        _write_private(out, data)
    except OSError as exc:
        return fail("export", f"Cannot write {out}: {exc.strerror or exc}")
    print(f"Exported {record.display_name} to {out} ({args.format}).", file=sys.stderr)
    return EXIT_OK


def run_backup(args: argparse.Namespace) -> int:
    """Back up the store to the DEST in ARGS; returns the exit code."""
    try:
        with open_for(args, create=False) as store:
            result = store.backup(Path(args.dest))
    except StoreError as exc:
        return fail("backup", exc.message)
    print("\n".join(result.lines()))
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    """Put the backup in ARGS in place of the store; returns the exit code."""
    path = store_path(args)
    try:
        passphrase = read_passphrase(creating=False)
        checked, moved = restore_backup(Path(args.backup), path, passphrase)
    except StoreError as exc:
        return fail("restore", exc.message)
    print(f"Restored the store at {path} from {args.backup}.")
    print(f"It holds {checked.cases} case(s); {checked.outbox_depth} change(s) not yet synced.")
    if moved is not None:
        print(f"The store that was there is kept, unchanged, at {moved}.")
    return EXIT_OK


def run_doctor(args: argparse.Namespace) -> int:
    """Check the store named in ARGS; returns the exit code."""
    path = store_path(args)
    if not store_exists(path):
        versions = library_versions()
        print(f"Store: {path}")
        print(f"SQLite: {versions.sqlite}")
        print(f"SQLCipher: {versions.cipher}")
        print("There is no store here yet: court-tui creates it on first use.")
        return EXIT_PROBLEM
    try:
        with open_for(args, create=False) as store:
            report = store.doctor()
    except StoreError as exc:
        versions = library_versions()
        print(f"Store: {path}")
        print(f"SQLite: {versions.sqlite}")
        print(f"SQLCipher: {versions.cipher}")
        return fail("doctor", exc.message)
    print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_PROBLEM
