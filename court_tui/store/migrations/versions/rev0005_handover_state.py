"""Each case's handover stage in a column of its own, with partial indexes for the pending
view: the cases whose handover waits for someone, and the 'not known' answers.

The pending view found handovers by searching the case JSON for a sent and unaccepted
handover, which read every case and missed acceptances that are reopened or not counted.
Existing rows are filled in from the domain's rule, in batches; a case whose record cannot
be read is kept among those waiting (so the pending list still asks about it) and named in
this migration's log.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from alembic import op
from pydantic import ValidationError

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import load_forms
from court_tui.store.tables import ANSWER_IS_NOT_KNOWN, HANDOVER_IS_WAITING, HANDOVER_UNKNOWN
from court_tui.store.writes import handover_column

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Cases read and written back at a time: the JSON of a batch is all that is held.
BATCH = 500

log = logging.getLogger("court_tui.store.migrations")


def upgrade() -> None:
    op.add_column(
        "cases",
        sa.Column("handover_state", sa.String(), nullable=False, server_default=HANDOVER_UNKNOWN),
    )
    _fill_handover_states(op.get_bind())
    op.create_index(
        "ix_cases_handover_waiting",
        "cases",
        ["handover_state", "id"],
        sqlite_where=sa.text(HANDOVER_IS_WAITING),
    )
    op.create_index(
        "ix_answers_not_known",
        "answers",
        ["case_id", "question"],
        sqlite_where=sa.text(ANSWER_IS_NOT_KNOWN),
    )


def _fill_handover_states(conn: sa.Connection) -> None:
    """Every case's handover stage by the domain's rule, as the store's writer writes it."""
    forms = load_forms()
    today = date.today()
    read = sa.text("SELECT id, case_json FROM cases WHERE id > :after ORDER BY id LIMIT :n")
    write = sa.text("UPDATE cases SET handover_state = :state WHERE id = :id")
    after = ""
    while rows := conn.execute(read, {"after": after, "n": BATCH}).all():
        states = []
        for case_id, case_json in rows:
            try:
                record = CaseRecord.model_validate_json(case_json)
                state = handover_column(record, forms, today)
            except (ValidationError, ValueError, TypeError, ArithmeticError) as problem:
                # The values in the record stay out of the log: only the case and why.
                log.warning(
                    "case %s: its record cannot be read (%s); its handover is kept among "
                    "those the pending list asks about",
                    case_id,
                    type(problem).__name__,
                )
                state = HANDOVER_UNKNOWN
            states.append({"id": case_id, "state": state})
        conn.execute(write, states)
        after = rows[-1][0]


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
