"""`court-tui import|export|backup|restore|doctor`: the store from the command line.

The passphrase comes from $COURT_TUI_PASSPHRASE (automation) or a prompt that never echoes;
it is asked twice when the store is being created (see `commands.common`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from court_tui.commands.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    Run,
    actor_of,
    add_command,
    add_db_option,
    fail,
    open_for,
    read_input,
    read_passphrase,
    store_path,
)
from court_tui.domain.allocation import AllocationLabels
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import CaseFileError, dumps, loads
from court_tui.domain.forms import FormError, FormSet, load_forms
from court_tui.domain.handed_over import handover_not_counted
from court_tui.domain.settings import Config
from court_tui.export import ALL, DOCUMENTS, export_case
from court_tui.store import (
    FollowUpIdTaken,
    ImportConflict,
    NoRevisionLeft,
    StoreError,
    open_store,
    restore_backup,
    store_exists,
)
from court_tui.store.engine import library_versions
from court_tui.store.paths import write_private_file
from court_tui.sync.doctor import revoked_device, sync_doctor_lines
from court_tui.sync.errors import SyncError
from court_tui.sync.identity import take_new_device_identity

Exporter = Callable[[CaseRecord, FormSet, str, AllocationLabels], bytes]


def _export_json(
    record: CaseRecord, forms: FormSet, document: str, labels: AllocationLabels
) -> bytes:
    return dumps(record).encode("utf-8")


def _export_document(fmt: str) -> Exporter:
    def export(
        record: CaseRecord, forms: FormSet, document: str, labels: AllocationLabels
    ) -> bytes:
        return export_case(record, forms, document, fmt, date.today(), labels)

    return export


# Export formats by name; each turns a case (and the document asked for: report, cas,
# handover or all, worded with the configured labels) into the bytes of a file. json is
# always the whole case file.
EXPORT_FORMATS: dict[str, Exporter] = {
    "json": _export_json,
    **{fmt: _export_document(fmt) for fmt in ("pdf", "txt", "md")},
}


def _store_command(
    subparsers: Any, name: str, run: Run, summary: str, description: str
) -> argparse.ArgumentParser:
    """Add the command NAME, which works on the store --db names."""
    parser = add_command(subparsers, name, run, summary=summary, description=description)
    add_db_option(parser)
    return parser


def register(subparsers: Any) -> None:
    """Add `import`, `export`, `backup`, `restore` and `doctor` to the command line."""
    commands = {
        name: _store_command(subparsers, name, run, summary, description)
        for name, run, summary, description in (
            (
                "import",
                run_import,
                "add case files to the store",
                "Add case files to the store (created on first use). Exit 0 when every file "
                "was imported or already there, 2 when any could not be used.",
            ),
            (
                "export",
                run_export,
                "write one case out of the store (recorded as a disclosure)",
                "Write one case out of the store. Every export is recorded in the audit log "
                "as a disclosure.",
            ),
            (
                "backup",
                run_backup,
                "copy the store to DEST, encrypted, and check the copy",
                "Copy the store to DEST (a new file, or a folder for a dated name) with "
                "SQLite's online backup, encrypted with the same passphrase, and check the "
                "copy.",
            ),
            (
                "restore",
                run_restore,
                "put a backup in place of the store (the old file is kept)",
                "Check BACKUP with the passphrase, then put it in place of the store. The file "
                "it replaces is renamed, never deleted.",
            ),
            (
                "doctor",
                run_doctor,
                "check the store: versions, integrity, schema, outbox, place, permissions",
                "Check the store. Exit 0 when all is well, 1 when something needs attention, "
                "2 when the store cannot be opened.",
            ),
        )
    }
    commands["import"].add_argument(
        "files", metavar="FILE", nargs="+", help="court-tui case files (JSON)"
    )
    export = commands["export"]
    export.add_argument("case", metavar="CASE", help="the case id or its CRN")
    export.add_argument(
        "--format", choices=sorted(EXPORT_FORMATS), default="json", help="default: json"
    )
    export.add_argument(
        "--document",
        choices=DOCUMENTS,
        default=ALL,
        help="for pdf, txt and md: the oral report record, the CAS, the handover, or all "
        "three (default: all)",
    )
    export.add_argument("--out", metavar="PATH", help="write here (default: standard output)")
    commands["backup"].add_argument(
        "dest", metavar="DEST", help="a new file, or an existing folder"
    )
    commands["restore"].add_argument(
        "backup", metavar="BACKUP", help="a backup made by court-tui backup"
    )


def run_import(args: argparse.Namespace, config: Config) -> int:
    """Import the case files in ARGS; returns the exit code."""
    try:
        forms = load_forms()
    except FormError as exc:
        return fail("import", str(exc))
    status = EXIT_OK
    records: list[tuple[str, CaseRecord]] = []
    for name in args.files:
        try:
            text = read_input(name)
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
        with open_for(args, config, create=True, forms=forms) as store:
            actor = actor_of(store)
            for name, record in records:
                try:
                    result = store.repository.import_case(
                        record, actor=actor, source=f"import {name}"
                    )
                except (ImportConflict, FollowUpIdTaken, NoRevisionLeft) as exc:
                    status = fail("import", f"{name}: {exc.message}")
                    continue
                if result.outcome == "imported":
                    print(f"Imported {record.display_name} from {name}.")
                    refused = handover_not_counted(record, forms, date.today())
                    if refused:
                        print(f"{name}: {refused}")
                else:
                    print(f"Already in the store, unchanged: {record.display_name} ({name}).")
    except StoreError as exc:
        return fail("import", exc.message)
    return status


def run_export(args: argparse.Namespace, config: Config) -> int:
    """Export the case named in ARGS; returns the exit code."""
    try:
        forms = load_forms()
        labels = config.labels()  # an unknown $COURT_TUI_ALLOCATION_LABELS is a message
    except (FormError, ValueError) as exc:
        return fail("export", str(exc))
    out = Path(args.out).expanduser() if args.out else None
    if out is None and args.format == "pdf" and sys.stdout.isatty():
        # A PDF on the screen is noise, and asking the passphrase first would waste it.
        return fail("export", "A PDF cannot be shown in the terminal: add --out FILE.pdf")
    if out is not None and not out.parent.is_dir():
        return fail("export", f"The folder {out.parent} does not exist.")
    try:
        with open_for(args, config, create=False, forms=forms) as store:
            repository = store.repository
            actor = actor_of(store)
            case_id = repository.find_case_id(args.case)
            record = repository.get_case(case_id, actor=actor)
            data = EXPORT_FORMATS[args.format](record, forms, args.document, labels)
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
        write_private_file(out, data)
    except OSError as exc:
        return fail("export", f"Cannot write {out}: {exc.strerror or exc}")
    print(f"Exported {record.display_name} to {out} ({args.format}).", file=sys.stderr)
    return EXIT_OK


def run_backup(args: argparse.Namespace, config: Config) -> int:
    """Back up the store to the DEST in ARGS; returns the exit code."""
    try:
        with open_for(args, config, create=False) as store:
            result = store.backup(Path(args.dest))
    except StoreError as exc:
        return fail("backup", exc.message)
    print("\n".join(result.lines()))
    return EXIT_OK


def run_restore(args: argparse.Namespace, config: Config) -> int:
    """Put the backup in ARGS in place of the store; returns the exit code."""
    path = store_path(args, config)
    try:
        passphrase = read_passphrase(config, creating=False)
        checked, moved = restore_backup(Path(args.backup), path, passphrase)
    except StoreError as exc:
        return fail("restore", exc.message)
    try:
        with open_store(path, passphrase, create=False) as store:
            take_new_device_identity(store, actor=actor_of(store))
    except (StoreError, SyncError) as exc:
        return fail("restore", exc.message)
    print(f"Restored the store at {path} from {args.backup}.")
    print(f"It holds {checked.cases} case(s); {checked.outbox_depth} change(s) not yet synced.")
    print("It syncs as a new device from now on, so the central store takes its new work.")
    if moved is not None:
        print(f"The store that was there is kept, unchanged, at {moved}.")
    return EXIT_OK


def _print_place_and_versions(path: Path) -> None:
    """Where the store is and the SQLite and SQLCipher in use: what doctor can always say."""
    versions = library_versions()
    print(f"Store: {path}")
    print(f"SQLite: {versions.sqlite}")
    print(f"SQLCipher: {versions.cipher}")


def run_doctor(args: argparse.Namespace, config: Config) -> int:
    """Check the store named in ARGS; returns the exit code."""
    path = store_path(args, config)
    if not store_exists(path):
        _print_place_and_versions(path)
        print("There is no store here yet: court-tui creates it on first use.")
        return EXIT_PROBLEM
    try:
        with open_for(args, config, create=False) as store:
            report = store.doctor()
            sync_lines = sync_doctor_lines(store) if report.ok else []
            cut_off = report.ok and revoked_device(store) is not None
    except (StoreError, SyncError) as exc:
        _print_place_and_versions(path)
        return fail("doctor", exc.message)
    print("\n".join(report.lines() + sync_lines))
    # A laptop the central store has cut off needs attention like an unhealthy store.
    return EXIT_OK if report.ok and not cut_off else EXIT_PROBLEM
