"""`court-tui doctor`: what the store's file, schema, outbox and permissions look like,
and what needs attention, in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import ValidationError

from court_tui.domain.bounds import safe_text
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import describe_error
from court_tui.domain.retention import RETENTION_DAYS
from court_tui.domain.settings import PASSPHRASE_CHANGED_AT
from court_tui.store import migrate
from court_tui.store.engine import library_versions, store_errors
from court_tui.store.opening import UNREADABLE_STATUS, case_list_query, case_summaries
from court_tui.store.paths import NETWORK_FILESYSTEMS, companion_files, filesystem_type, mode_of
from court_tui.store.purge import retention_plan
from court_tui.store.tables import CASES, META

META_CREATED_AT = "created_at"

if TYPE_CHECKING:
    from court_tui.store.store import Store


# Why a case the case list shows as damaged is reported.
LIST_VALUES_UNREADABLE = (
    "its hearing date, pending checks or time of last change, as stored for the case list, "
    "cannot be read"
)


@dataclass(frozen=True)
class SetAside:
    """A case in the store that this court-tui cannot read, and why."""

    case_id: str
    label: str
    reason: str

    def describe(self) -> str:
        """The case and the reason, in words."""
        return (
            f"Case {self.label}, id {self.case_id}, cannot be read by this court-tui and is "
            f"set aside: {self.reason}. The rest of the store is unaffected; export nothing from "
            "it and ask for help."
        )


@dataclass(frozen=True)
class DoctorReport:
    """What `court-tui doctor` found."""

    path: Path
    sqlite_version: str
    cipher_version: str
    integrity: list[str]
    cipher_integrity: list[str]
    schema_revision: str | None
    head_revision: str
    outbox_depth: int
    outbox_gaps: list[int]
    cases: int
    device_id: str
    journal_mode: str
    size_bytes: int
    folder_mode: int | None
    file_modes: dict[str, int | None] = field(default_factory=dict)
    filesystem: str = ""
    set_aside: list[SetAside] = field(default_factory=list)
    # When the passphrase was last changed (None: never), and when the store was made.
    passphrase_changed_at: datetime | None = None
    created_at: datetime | None = None
    # How many cases the retention rule would remove today.
    removable_cases: int = 0
    today: date | None = None

    def passphrase_line(self) -> str:
        """The passphrase's age in words."""
        today = self.today or datetime.now(UTC).date()
        if self.passphrase_changed_at is not None:
            days = (today - self.passphrase_changed_at.date()).days
            return (
                f"Passphrase: last changed {self.passphrase_changed_at.date().isoformat()} "
                f"({days} day(s) ago)"
            )
        if self.created_at is not None:
            days = (today - self.created_at.date()).days
            return (
                "Passphrase: never changed; set when the store was made on "
                f"{self.created_at.date().isoformat()} ({days} day(s) ago)"
            )
        return "Passphrase: never changed"

    def retention_line(self) -> str:
        """What the retention rule would remove today, in words."""
        if not self.removable_cases:
            return f"Retention: no case is due to leave this laptop ({RETENTION_DAYS} days rule)"
        return (
            f"Retention: {self.removable_cases} case(s) may leave this laptop now; "
            "`court-tui purge --dry-run` lists them, `court-tui purge` removes them"
        )

    @property
    def problems(self) -> list[str]:
        """Everything that needs attention, in plain words (empty when all is well)."""
        problems = []
        if self.integrity != ["ok"]:
            problems.append("The integrity check failed: " + "; ".join(self.integrity[:5]))
        if self.cipher_integrity:
            problems.append("The encryption check failed: " + "; ".join(self.cipher_integrity[:5]))
        if self.schema_revision != self.head_revision:
            problems.append(
                f"The schema is at {self.schema_revision}, this court-tui expects "
                f"{self.head_revision}."
            )
        if self.outbox_gaps:
            problems.append(f"The outbox is missing sequence numbers {self.outbox_gaps[:10]}.")
        if self.filesystem in NETWORK_FILESYSTEMS:
            problems.append(
                f"The store is on a network share ({self.filesystem}); keep it on the "
                "laptop's own disk (the default place), where locking and syncing to disk "
                "can be trusted."
            )
        problems += [case.describe() for case in self.set_aside]
        if self.journal_mode.lower() != "wal":
            problems.append(f"The journal mode is {self.journal_mode}, not WAL.")
        if self.folder_mode is not None and self.folder_mode & 0o077:
            problems.append(
                f"The store's folder {self.path.parent} can be opened by other users "
                f"(mode {self.folder_mode:o}); run: chmod 700 '{self.path.parent}'"
            )
        for name, mode in self.file_modes.items():
            if mode is not None and mode & 0o077:
                problems.append(
                    f"{name} can be read by other users (mode {mode:o}); "
                    f"run: chmod 600 '{self.path.parent / name}'"
                )
        return problems

    @property
    def ok(self) -> bool:
        """Whether nothing needs attention."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report in plain words, one fact a line."""

        def mode(value: int | None) -> str:
            return "missing" if value is None else f"{value:o}"

        lines = [
            f"Store: {self.path}",
            f"Size: {self.size_bytes:,} bytes",
            f"Folder permissions: {mode(self.folder_mode)}",
            f"Filesystem: {self.filesystem or 'unknown'}",
        ]
        lines += [f"File permissions: {name} {mode(m)}" for name, m in self.file_modes.items()]
        lines += [
            f"SQLite: {self.sqlite_version}",
            f"SQLCipher: {self.cipher_version}",
            f"Journal mode: {self.journal_mode}",
            f"Schema version: {self.schema_revision} (this court-tui: {self.head_revision})",
            f"Integrity check: {'ok' if self.integrity == ['ok'] else 'FAILED'}",
            f"Encryption check: {'ok' if not self.cipher_integrity else 'FAILED'}",
            f"Device id: {self.device_id}",
            f"Cases: {self.cases}",
            f"Cases set aside (cannot be read): {len(self.set_aside)}",
            f"Changes not yet synced (outbox): {self.outbox_depth}",
            self.passphrase_line(),
            self.retention_line(),
        ]
        problems = self.problems
        if problems:
            lines.append(f"Problems ({len(problems)}):")
            lines += [f"  - {problem}" for problem in problems]
        else:
            lines.append("No problems found.")
        return lines


def unreadable_cases(conn: sa.Connection) -> list[SetAside]:
    """Every stored case the domain model refuses (written by an older court-tui, or
    before a bound was enforced), with the reason."""
    found = []
    rows = conn.execute(sa.select(CASES.c.id, CASES.c.name, CASES.c.crn, CASES.c.case_json))
    for row in rows:
        try:
            CaseRecord.model_validate_json(row.case_json)
        except ValidationError as error:
            label = str(row.name or "Unnamed case") + (f" ({row.crn})" if row.crn else "")
            found.append(SetAside(str(row.id), safe_text(label), describe_error(error)))
    # The case list lists a case whose own columns cannot be read as damaged: say which.
    refused = {case.case_id for case in found}
    sql, params = case_list_query(None)
    for summary in case_summaries(conn.exec_driver_sql(sql, params)):
        if summary.status == UNREADABLE_STATUS and summary.id not in refused:
            label = (summary.name or "Unnamed case") + (f" ({summary.crn})" if summary.crn else "")
            found.append(SetAside(summary.id, safe_text(label), LIST_VALUES_UNREADABLE))
    return found


def _created_at(store: Store) -> datetime | None:
    with store_errors(), store.repository.connection() as conn:
        text = conn.execute(
            sa.select(META.c.value).where(META.c.key == META_CREATED_AT)
        ).scalar_one_or_none()
    try:
        return datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def examine(store: Store, today: date | None = None) -> DoctorReport:
    """Versions, integrity, schema, outbox, the file's place and permissions, the
    passphrase's age and what retention would remove on TODAY."""
    today = today or date.today()
    versions = library_versions()
    with store_errors(), store.repository.engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        integrity = [str(row[0]) for row in raw.execute("PRAGMA integrity_check")]
        cipher_integrity = [str(row[0]) for row in raw.execute("PRAGMA cipher_integrity_check")]
        journal_mode = str(raw.execute("PRAGMA journal_mode").fetchone()[0])
        set_aside = unreadable_cases(conn)
    sequences = store.repository.outbox_sequences()
    expected = range(1, (sequences[-1] if sequences else 0) + 1)
    gaps = sorted(set(expected) - set(sequences))
    file_modes = {store.path.name: mode_of(store.path)}
    for companion in companion_files(store.path):
        if companion.exists():
            file_modes[companion.name] = mode_of(companion)
    return DoctorReport(
        path=store.path,
        sqlite_version=versions.sqlite,
        cipher_version=versions.cipher,
        integrity=integrity,
        cipher_integrity=cipher_integrity,
        schema_revision=store.schema_revision(),
        head_revision=migrate.head_revision(),
        outbox_depth=store.repository.outbox_depth(),
        outbox_gaps=gaps,
        cases=store.repository.count_cases(),
        device_id=store.device_id,
        journal_mode=journal_mode,
        size_bytes=store.path.stat().st_size,
        folder_mode=mode_of(store.path.parent),
        file_modes=file_modes,
        filesystem=filesystem_type(store.path),
        set_aside=set_aside,
        passphrase_changed_at=PASSPHRASE_CHANGED_AT.read(store.repository.get_setting),
        created_at=_created_at(store),
        removable_cases=sum(
            planned.decision.removable for planned in retention_plan(store.repository, today)
        ),
        today=today,
    )
