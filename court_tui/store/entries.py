"""What the store hands out: plain frozen dataclasses (and named tuples where a list
holds thousands), never table rows, so nothing outside the store holds a database
session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

from court_tui.store.errors import StoreError

if TYPE_CHECKING:  # the case list is drawn before the case model is imported
    from court_tui.domain.case import CaseRecord


@dataclass(frozen=True)
class CaseSummary:
    """One line of a case list."""

    id: str
    name: str
    crn: str
    pnc: str
    court: str
    courtroom: str
    hearing_date: date | None
    pending_checks: int
    status: str
    updated_at: datetime
    next_check_due: date | None = None


class PendingItem(NamedTuple):
    """An outstanding check or an open follow-up, for the pending-checks view.

    A named tuple, read-only like the dataclasses here: the pending list holds thousands,
    and a tuple is made several times faster than a frozen dataclass."""

    case_id: str
    case_name: str
    crn: str
    kind: Literal["check", "follow_up", "not_known", "handover"]
    item_id: str
    what: str
    owner: str
    requested: date | None
    due: date | None
    court: str
    team: str
    officer: str
    status: str


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log."""

    id: int
    at: datetime
    actor: str
    device_id: str
    action: str
    case_id: str | None
    detail: str


@dataclass(frozen=True)
class SupervisorNoteEntry:
    """A supervisor's oversight note."""

    id: str
    case_id: str
    item_id: str | None
    note: str
    written_by: str
    written_at: datetime


@dataclass(frozen=True)
class ImportResult:
    """What importing one case did: 'imported', or 'unchanged' when already there."""

    record: CaseRecord
    outcome: Literal["imported", "unchanged"]


class ImportConflict(StoreError):
    """A different version of an imported case is already in the store."""

    def __init__(self, record: CaseRecord, stored_revision: int) -> None:
        super().__init__(
            f"{record.display_name} is already in the store at revision {stored_revision} "
            f"with different answers from this file (revision {record.revision}). Nothing "
            "was overwritten; open the case in court-tui to see the stored version."
        )
