"""The store's tables. Column names are the domain's field ids: one name for one thing.

The authoritative copy of a case is its full JSON in `cases.case_json`; the answers,
checks and follow-ups rows are normalised copies written in the same transaction so that
lists and the pending-checks view are indexed SQL rather than JSON scans. Nothing here is
handed to callers: the repository converts rows to plain dataclasses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from court_tui.domain.checks import CHECK_OUTSTANDING as CHECK_OUTSTANDING
from court_tui.domain.checks import CHECK_RECEIVED
from court_tui.domain.handed_over import HandoverStage
from court_tui.store.opening import CHECK_IS_OUTSTANDING as CHECK_IS_OUTSTANDING
from court_tui.store.opening import META_DEVICE_ID as META_DEVICE_ID
from court_tui.store.opening import META_NEXT_SEQ as META_NEXT_SEQ


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


# Plain SQLAlchemy Core tables: nothing maps rows to classes, so neither an ORM nor
# SQLModel is imported to start the app. Constraint names fixed so that Alembic batch
# migrations can find them on SQLite.
METADATA = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# A case's columns that pending items show, after its id: held by a covering index so
# that listing items never reads a case's row (with its JSON).
CASE_LOOKUP_COLUMNS = ("id", "name", "crn", "court", "team", "officer")


# The partial indexes' conditions on a check's status, spelled from the domain's words;
# a query must repeat them as literals (a bound parameter would not match the index).
CHECK_IS_RECEIVED = f"status = '{CHECK_RECEIVED}'"

# A case's handover stage as the store keeps it (`cases.handover_state`): the domain's
# stage by name, written by the store's writer from the domain's rule on every save.
# HANDOVER_UNKNOWN is a case whose record could not be read to ask the rule: it is kept
# among those waiting, so that the pending list asks the domain about it again.
HANDOVER_UNKNOWN = "unknown"


def handover_token(stage: HandoverStage) -> str:
    """STAGE as `cases.handover_state` holds it."""
    return stage.name.lower()


# The stages that are not waiting for anyone: never sent, or accepted as it now reads.
# Every other value (sent, reopened, not counted, unknown) keeps a case among those the
# pending list asks the domain about.
_HANDOVER_SETTLED = ", ".join(
    f"'{handover_token(stage)}'" for stage in (HandoverStage.NOT_SENT, HandoverStage.ACCEPTED)
)
HANDOVER_IS_WAITING = f"handover_state NOT IN ({_HANDOVER_SETTLED})"
# A 'not known' answer, as the partial index of them is written (Booleans are 0 and 1).
ANSWER_IS_NOT_KNOWN = "not_known = 1"


def _partial_index(name: str, *columns: str, where: str) -> sa.Index:
    """An index of the rows WHERE holds for. SQLite's only: the central store's indexes
    are in its own migrations, and naming PostgreSQL here would load its dialect (a fifth
    of a second) every time the app starts."""
    return sa.Index(name, *columns, sqlite_where=sa.text(where))


_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "text": sa.String(),
    "int": sa.Integer(),
    "bool": sa.Boolean(),
    "date": sa.Date(),
    "utc": UTCDateTime(),
}


def _column(spec: str) -> sa.Column[Any]:
    """A column from "name type [key] [null] [-> table.column]": text, int, bool, date or
    utc (an aware UTC datetime); NOT NULL unless null."""
    name, kind, *flags = spec.split()
    refers = flags[flags.index("->") + 1] if "->" in flags else None
    return sa.Column(
        name,
        _TYPES[kind],
        *([sa.ForeignKey(refers)] if refers else []),
        primary_key="key" in flags,
        nullable="null" in flags,
    )


def _table(name: str, columns: str, *extra: Any, **kwargs: Any) -> sa.Table:
    return sa.Table(
        name,
        METADATA,
        *(_column(line) for line in columns.strip().splitlines()),
        *extra,
        **kwargs,
    )


# Facts about this store: its device id, the next outbox sequence, when it was made.
META = _table(
    "meta",
    """
    key text key
    value text
    """,
)

# One case: summary columns for lists and search, then the authoritative JSON (last, so
# that reading the summary columns does not read the JSON's overflow pages).
CASES = _table(
    "cases",
    """
    id text key
    revision int
    created_at utc
    updated_at utc
    officer text
    team text
    name text
    crn text
    pnc text
    court text
    courtroom text
    hearing_date date null
    status text
    pending_checks int
    case_json text
    """,
    # Added by migration 0005, so after the JSON in every file; read through its partial
    # index, never from the row. A row written without it counts as waiting.
    sa.Column("handover_state", sa.String(), nullable=False, server_default=HANDOVER_UNKNOWN),
    sa.Index("ix_cases_hearing_date_name", "hearing_date", "name"),
    # Covering index: search scans these narrow columns, never the rows with their JSON.
    sa.Index("ix_cases_search", "name", "crn", "pnc", "id"),
    sa.Index("ix_cases_crn", "crn"),
    sa.Index("ix_cases_team", "team"),
    # Covering index for the pending view's join: a case's row holds its JSON, so
    # reading the row would read a page per case.
    sa.Index("ix_cases_pending_lookup", *CASE_LOOKUP_COLUMNS),
    # Partial and covering: the few cases whose handover waits for someone.
    _partial_index("ix_cases_handover_waiting", "handover_state", "id", where=HANDOVER_IS_WAITING),
)

# One answer of a case, as JSON text (dates ISO, numbers as typed, 'not known').
ANSWERS = _table(
    "answers",
    """
    case_id text key -> cases.id
    question text key
    value text
    not_known bool
    """,
    sa.Index("ix_answers_question", "question"),
    # Partial: the 'not known' answers, for the pending view's blocked items.
    _partial_index("ix_answers_not_known", "case_id", "question", where=ANSWER_IS_NOT_KNOWN),
)

# One tracked check of a case; `status` is the domain's word for where it stands.
CHECKS = _table(
    "checks",
    """
    case_id text key -> cases.id
    kind text key
    requested text null
    not_requested_reason text null
    agency text null
    requested_on date null
    reference text null
    expected_by date null
    received_on date null
    result text null
    how_checked text null
    summary text null
    reported_to_court text null
    status text
    """,
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

# One follow-up of a case: who will find something out, what they will do, by when. A
# review recorded in the follow-up itself (reviewed_by, review_note), as court-tui did
# before oversight notes were synced, is still read and no longer written.
FOLLOW_UPS = _table(
    "follow_ups",
    """
    id text key
    case_id text -> cases.id
    question text
    owner text
    action text
    due date null
    recorded_on date
    recorded_by text
    closed_on date null
    closed_by text null
    answer text null
    reviewed_by text null
    review_note text null
    """,
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

# Reference data kept for offline use (courts, teams, offence lists), as JSON.
REFERENCE = _table(
    "reference_data",
    """
    kind text key
    payload text
    updated_at utc
    """,
)

# Who did what to which case, when, on which device. Insert-only (triggers).
AUDIT = _table(
    "audit_log",
    """
    id int key
    at utc
    actor text
    device_id text
    action text
    case_id text null
    detail text
    """,
    sa.Index("ix_audit_log_case_id", "case_id"),
    sqlite_autoincrement=True,
)

# One change waiting to go to the central store, in per-device sequence order.
OUTBOX = _table(
    "outbox",
    """
    device_id text key
    seq int key
    case_id text
    base_revision int
    revision int
    case_json text
    created_at utc
    acknowledged_at utc null
    """,
    sa.Index("ix_outbox_case_id", "case_id"),
    _partial_index(
        "ix_outbox_pending_seq",
        "device_id",
        "seq",
        where="acknowledged_at IS NULL",
    ),
)

# A supervisor's oversight note on a case, or on one check or follow-up in it.
NOTES = _table(
    "supervisor_notes",
    """
    id text key
    case_id text -> cases.id
    item_id text null
    note text
    written_by text
    written_at utc
    """,
    sa.Index("ix_supervisor_notes_case_id", "case_id"),
)

# One setting of this laptop's court-tui: officer name, team, court, lock minutes.
SETTINGS = _table(
    "settings",
    """
    key text key
    value text
    """,
)

# One defendant of an imported court list, keyed by the source's own ids, with the case
# the officer linked (matched, confirmed or started) and the cases they rejected.
COURT_LIST = _table(
    "court_list_entries",
    """
    key text key
    source text
    hearing_date date
    court_code text
    room text
    surname text
    case_id text null
    rejected_json text
    imported_at utc
    updated_at utc
    entry_json text
    """,
    sa.Index("ix_court_list_entries_day", "hearing_date", "court_code"),
)

# Every table by name, for the migrations and the checks of the schema.
TABLES = METADATA.tables

# Columns the laptop's store keeps and the central store does not: the handover stage is
# the laptop's index for its pending list (the central review searches the JSON).
LOCAL_ONLY_COLUMNS: dict[str, frozenset[str]] = {"cases": frozenset({"handover_state"})}
