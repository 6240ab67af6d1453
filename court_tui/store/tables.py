"""The store's tables. Column names are the domain's field ids: one name for one thing.

The authoritative copy of a case is its full JSON in `cases.case_json`; the answers,
checks and follow-ups rows are normalised copies written in the same transaction so that
lists and the pending-checks view are indexed SQL rather than JSON scans. Nothing here is
handed to callers: the repository converts rows to plain dataclasses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from court_tui.domain.checks import CHECK_OUTSTANDING as CHECK_OUTSTANDING
from court_tui.domain.checks import CHECK_RECEIVED


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An aware UTC datetime; SQLite keeps it as naive UTC text, which sorts correctly."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Constraint names fixed so that Alembic batch migrations can find them on SQLite.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A case's columns that pending items show, after its id: held by a covering index so
# that listing items never reads a case's row (with its JSON).
CASE_LOOKUP_COLUMNS = ("id", "name", "crn", "court", "team", "officer")


# The partial indexes' conditions on a check's status, spelled from the domain's words;
# a query must repeat them as literals (a bound parameter would not match the index).
CHECK_IS_OUTSTANDING = f"status = '{CHECK_OUTSTANDING}'"
CHECK_IS_RECEIVED = f"status = '{CHECK_RECEIVED}'"


def _partial_index(name: str, *columns: str, where: str) -> sa.Index:
    """An index of the rows WHERE holds for, on SQLite here and PostgreSQL centrally."""
    return sa.Index(name, *columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Meta(SQLModel, table=True):
    """Facts about this store: its device id, the next outbox sequence, when it was made."""

    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str


class Case(SQLModel, table=True):
    """One case: summary columns for lists and search, then the authoritative JSON."""

    __tablename__ = "cases"
    __table_args__ = (
        sa.Index("ix_cases_hearing_date_name", "hearing_date", "name"),
        # Covering index: search scans these narrow columns, never the rows with their JSON.
        sa.Index("ix_cases_search", "name", "crn", "pnc", "id"),
        sa.Index("ix_cases_crn", "crn"),
        sa.Index("ix_cases_team", "team"),
        # Covering index for the pending view's join: a case's row holds its JSON, so
        # reading the row would read a page per case.
        sa.Index("ix_cases_pending_lookup", *CASE_LOOKUP_COLUMNS),
    )

    id: str = Field(primary_key=True)
    revision: int
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    officer: str
    team: str
    name: str
    crn: str
    pnc: str
    court: str
    courtroom: str
    hearing_date: date | None = None
    status: str
    pending_checks: int
    # Last, so that reading the summary columns does not read the JSON's overflow pages.
    case_json: str


class Answer(SQLModel, table=True):
    """One answer of a case, as JSON text (dates ISO, numbers as typed, 'not known')."""

    __tablename__ = "answers"
    __table_args__ = (sa.Index("ix_answers_question", "question"),)

    case_id: str = Field(foreign_key="cases.id", primary_key=True)
    question: str = Field(primary_key=True)
    value: str
    not_known: bool


class Check(SQLModel, table=True):
    """One tracked check of a case; `status` is the domain's word for where it stands."""

    __tablename__ = "checks"
    __table_args__ = (
        # Partial and covering: the pending view reads outstanding checks from it alone.
        _partial_index(
            "ix_checks_outstanding_expected_by",
            "expected_by",
            "case_id",
            "kind",
            "agency",
            "requested_on",
            where=CHECK_IS_OUTSTANDING,
        ),
        # Partial and covering: the review's "Received in the last seven days" tab.
        _partial_index(
            "ix_checks_received_on",
            "received_on",
            "case_id",
            "kind",
            "requested_on",
            "expected_by",
            where=CHECK_IS_RECEIVED,
        ),
    )

    case_id: str = Field(foreign_key="cases.id", primary_key=True)
    kind: str = Field(primary_key=True)
    requested: str | None = None
    not_requested_reason: str | None = None
    agency: str | None = None
    requested_on: date | None = None
    reference: str | None = None
    expected_by: date | None = None
    received_on: date | None = None
    result: str | None = None
    how_checked: str | None = None
    summary: str | None = None
    reported_to_court: str | None = None
    status: str


class FollowUpRow(SQLModel, table=True):
    """One follow-up of a case: who will find something out, what they will do, by when."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        sa.Index("ix_follow_ups_case_id", "case_id"),
        _partial_index(
            "ix_follow_ups_open_due",
            "due",
            "case_id",
            "id",
            "question",
            "owner",
            "action",
            "recorded_on",
            "closed_on",
            where="closed_on IS NULL",
        ),
        # Partial and covering: the review's "Received in the last seven days" tab.
        _partial_index(
            "ix_follow_ups_closed_on",
            "closed_on",
            "case_id",
            "id",
            "question",
            "owner",
            "action",
            "recorded_on",
            "due",
            where="closed_on IS NOT NULL",
        ),
    )

    id: str = Field(primary_key=True)
    case_id: str = Field(foreign_key="cases.id")
    question: str
    owner: str
    action: str
    due: date | None = None
    recorded_on: date
    recorded_by: str
    closed_on: date | None = None
    closed_by: str | None = None
    answer: str | None = None
    # A review recorded in the follow-up itself, as court-tui did before oversight notes
    # were synced: still read, no longer written.
    reviewed_by: str | None = None
    review_note: str | None = None


class ReferenceData(SQLModel, table=True):
    """Reference data kept for offline use (courts, teams, offence lists), as JSON."""

    __tablename__ = "reference_data"

    kind: str = Field(primary_key=True)
    payload: str
    updated_at: datetime = _utc()


class AuditLog(SQLModel, table=True):
    """Who did what to which case, when, on which device. Insert-only (triggers)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_case_id", "case_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    actor: str
    device_id: str
    action: str
    case_id: str | None = None
    detail: str


class Outbox(SQLModel, table=True):
    """One change waiting to go to the central store, in per-device sequence order."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.Index("ix_outbox_case_id", "case_id"),
        _partial_index(
            "ix_outbox_pending_seq",
            "device_id",
            "seq",
            where="acknowledged_at IS NULL",
        ),
    )

    device_id: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    case_id: str
    base_revision: int
    revision: int
    case_json: str
    created_at: datetime = _utc()
    acknowledged_at: datetime | None = _utc(default=None)


class SupervisorNote(SQLModel, table=True):
    """A supervisor's oversight note on a case, or on one check or follow-up in it."""

    __tablename__ = "supervisor_notes"
    __table_args__ = (sa.Index("ix_supervisor_notes_case_id", "case_id"),)

    id: str = Field(primary_key=True)
    case_id: str = Field(foreign_key="cases.id")
    item_id: str | None = None
    note: str
    written_by: str
    written_at: datetime = _utc()


class Setting(SQLModel, table=True):
    """One setting of this laptop's court-tui: officer name, team, court, lock minutes."""

    __tablename__ = "settings"

    key: str = Field(primary_key=True)
    value: str


class CourtListEntry(SQLModel, table=True):
    """One defendant of an imported court list, keyed by the source's own ids, with the
    case the officer linked (matched, confirmed or started) and the cases they rejected."""

    __tablename__ = "court_list_entries"
    __table_args__ = (sa.Index("ix_court_list_entries_day", "hearing_date", "court_code"),)

    key: str = Field(primary_key=True)
    source: str
    hearing_date: date
    court_code: str
    room: str
    surname: str
    case_id: str | None = None
    rejected_json: str
    imported_at: datetime = _utc()
    updated_at: datetime = _utc()
    entry_json: str


# The tables as SQLAlchemy Core sees them, for the store's queries and writes.
TABLES = SQLModel.metadata.tables
CASES = TABLES["cases"]
ANSWERS = TABLES["answers"]
CHECKS = TABLES["checks"]
FOLLOW_UPS = TABLES["follow_ups"]
AUDIT = TABLES["audit_log"]
OUTBOX = TABLES["outbox"]
META = TABLES["meta"]
REFERENCE = TABLES["reference_data"]
SETTINGS = TABLES["settings"]
NOTES = TABLES["supervisor_notes"]
COURT_LIST = TABLES["court_list_entries"]

META_DEVICE_ID = "device_id"
META_NEXT_SEQ = "outbox_next_seq"
