"""Removing cases from the laptop by the retention rule (court_tui/domain/retention.py).

Each case is removed in its own write transaction that asks the rule again under the
write lock, so a change saved meanwhile keeps the case. `secure_delete` is on while its
rows go, so their bytes are overwritten with zeros rather than left in free space; when a
quarter or more of the file is free afterwards it is vacuumed, and the WAL is truncated.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from court_tui.domain.case import CaseRecord
from court_tui.domain.retention import (
    RETENTION_RULE,
    CaseOnLaptop,
    RetentionDecision,
    retention_decision,
)
from court_tui.store import writes
from court_tui.store.repository import Repository
from court_tui.store.tables import AUDIT, CASES, OUTBOX

# Vacuum when at least this share of the file's pages is free after a purge.
VACUUM_FREE_SHARE = 0.25
# Removed rows' bytes are overwritten with zeros, in their pages and in freed pages.
SECURE_DELETE = "PRAGMA secure_delete = ON"
_CONFLICTS = sa.table("sync_conflicts", sa.column("case_id"), sa.column("resolved_at"))
_EXPORT_DETAIL = "export "
_EXPORT_TO = " to "


@dataclass(frozen=True)
class PlannedCase:
    """One case with the rule's decision and the name the officer knows it by."""

    decision: RetentionDecision
    display_name: str


@dataclass
class PurgeResult:
    """What a purge removed."""

    removed: list[PlannedCase] = field(default_factory=list)
    files_removed: list[Path] = field(default_factory=list)
    vacuumed: bool = False


def _counts(conn: sa.Connection, query: Any) -> Counter[str]:
    return Counter({str(row[0]): int(row[1]) for row in conn.execute(query)})


def _cases_on_laptop(
    conn: sa.Connection, case_id: str | None = None, unreadable: list[str] | None = None
) -> list[CaseOnLaptop]:
    """The cases (or CASE_ID alone) with their unsynced changes and open conflicts; the ids
    of cases whose stored record cannot be read go to UNREADABLE (they are kept)."""
    cases = sa.select(CASES.c.id, CASES.c.case_json)
    pending = (
        sa.select(OUTBOX.c.case_id, sa.func.count())
        .where(OUTBOX.c.acknowledged_at.is_(None))
        .group_by(OUTBOX.c.case_id)
    )
    conflicts = (
        sa.select(_CONFLICTS.c.case_id, sa.func.count())
        .where(_CONFLICTS.c.resolved_at.is_(None))
        .group_by(_CONFLICTS.c.case_id)
    )
    if case_id is not None:
        cases = cases.where(CASES.c.id == case_id)
        pending = pending.where(OUTBOX.c.case_id == case_id)
        conflicts = conflicts.where(_CONFLICTS.c.case_id == case_id)
    unsynced = _counts(conn, pending)
    has_sync_tables = _CONFLICTS.name in sa.inspect(conn).get_table_names()
    open_conflicts = _counts(conn, conflicts) if has_sync_tables else Counter[str]()
    found = []
    for stored_id, case_json in conn.execute(cases):
        try:
            record = CaseRecord.model_validate_json(case_json)
        except ValidationError:
            if unreadable is not None:
                unreadable.append(str(stored_id))
            continue
        found.append(CaseOnLaptop(record, unsynced[record.id], open_conflicts[record.id]))
    return found


def retention_plan(repository: Repository, today: date) -> list[PlannedCase]:
    """Every case on the laptop with the retention rule's decision for TODAY."""
    unreadable: list[str] = []
    with repository.connection() as conn:
        cases = _cases_on_laptop(conn, unreadable=unreadable)
    kept = [
        PlannedCase(
            RetentionDecision(case_id, False, ("its stored record cannot be read",)),
            f"Case {case_id}",
        )
        for case_id in unreadable
    ]
    return [
        PlannedCase(retention_decision(case, today, repository.forms), case.record.display_name)
        for case in cases
    ] + kept


def _exported_files(conn: sa.Connection, case_id: str) -> list[Path]:
    """The files the audit says CASE_ID was exported to."""
    details = conn.execute(
        sa.select(AUDIT.c.detail).where(AUDIT.c.case_id == case_id, AUDIT.c.action == "disclose")
    ).scalars()
    paths = []
    for detail in details:
        text = str(detail)
        if text.startswith(_EXPORT_DETAIL) and _EXPORT_TO in text:
            paths.append(Path(text.split(_EXPORT_TO, 1)[1]))
    return paths


def _remove_one(
    repository: Repository, case_id: str, today: date, at: datetime, actor: str
) -> tuple[RetentionDecision, list[Path]] | None:
    with repository.transaction() as conn:
        cases = _cases_on_laptop(conn, case_id)
        if not cases:
            return None
        decision = retention_decision(cases[0], today, repository.forms)
        if not decision.removable:
            return None
        exported = _exported_files(conn, case_id)
        conn.exec_driver_sql(SECURE_DELETE)
        try:
            writes.remove_case(conn, case_id)
        finally:
            conn.exec_driver_sql("PRAGMA secure_delete = OFF")
        writes.append_audit(
            conn,
            at=at,
            device_id=repository.device_id,
            actor=actor,
            action="retention-purge",
            case_id=case_id,
            detail=json.dumps({"rule": RETENTION_RULE, "why": decision.reasons[0]}),
        )
    return decision, exported


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().parent.is_relative_to(folder.resolve())
    except OSError:
        return False


def _compact(repository: Repository) -> bool:
    """Vacuum when enough of the file is free; truncate the WAL either way."""
    with repository.write_lock, repository.connection() as conn:
        raw: Any = conn.connection.driver_connection
        pages = int(raw.execute("PRAGMA page_count").fetchone()[0])
        free = int(raw.execute("PRAGMA freelist_count").fetchone()[0])
        vacuum = pages > 0 and free / pages >= VACUUM_FREE_SHARE
        if vacuum:
            raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return vacuum


def purge(
    repository: Repository,
    today: date,
    *,
    at: datetime,
    actor: str,
    export_folder: Path | None,
) -> PurgeResult:
    """Remove every case the retention rule lets go on TODAY, with its files in
    EXPORT_FOLDER; each removal is audited AT by ACTOR."""
    result = PurgeResult()
    for planned in retention_plan(repository, today):
        if not planned.decision.removable:
            continue
        done = _remove_one(repository, planned.decision.case_id, today, at, actor)
        if done is None:
            continue
        decision, exported = done
        result.removed.append(PlannedCase(decision, planned.display_name))
        for path in exported:
            if export_folder is not None and _inside(path, export_folder) and path.is_file():
                path.unlink()
                result.files_removed.append(path)
    if result.removed:
        result.vacuumed = _compact(repository)
    return result
