"""Core tables: meta, cases with answers, checks and follow-ups, reference data, audit, outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_meta"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("officer", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("crn", sa.String(), nullable=False),
        sa.Column("pnc", sa.String(), nullable=False),
        sa.Column("court", sa.String(), nullable=False),
        sa.Column("courtroom", sa.String(), nullable=False),
        sa.Column("hearing_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("pending_checks", sa.Integer(), nullable=False),
        sa.Column("case_json", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_hearing_date_name", "cases", ["hearing_date", "name"])
    op.create_index("ix_cases_search", "cases", ["name", "crn", "pnc", "id"])
    op.create_index("ix_cases_crn", "cases", ["crn"])
    op.create_index("ix_cases_team", "cases", ["team"])
    op.create_index(
        "ix_cases_pending_lookup", "cases", ["id", "name", "crn", "court", "team", "officer"]
    )
    op.create_table(
        "answers",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("question", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("not_known", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_answers_case_id_cases"),
        sa.PrimaryKeyConstraint("case_id", "question", name="pk_answers"),
    )
    op.create_index("ix_answers_question", "answers", ["question"])
    op.create_table(
        "checks",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("requested", sa.String(), nullable=True),
        sa.Column("not_requested_reason", sa.String(), nullable=True),
        sa.Column("agency", sa.String(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(), nullable=True),
        sa.Column("expected_by", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(), nullable=True),
        sa.Column("how_checked", sa.String(), nullable=True),
        sa.Column("summary", sa.String(), nullable=True),
        sa.Column("reported_to_court", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_checks_case_id_cases"),
        sa.PrimaryKeyConstraint("case_id", "kind", name="pk_checks"),
    )
    op.create_index(
        "ix_checks_outstanding_expected_by",
        "checks",
        ["expected_by", "case_id", "kind", "agency", "requested_on"],
        sqlite_where=sa.text("status = 'Outstanding'"),
        postgresql_where=sa.text("status = 'Outstanding'"),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("question", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.Column("answer", sa.String(), nullable=True),
        sa.Column("reviewed_by", sa.String(), nullable=True),
        sa.Column("review_note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_follow_ups_case_id_cases"),
        sa.PrimaryKeyConstraint("id", name="pk_follow_ups"),
    )
    op.create_index("ix_follow_ups_case_id", "follow_ups", ["case_id"])
    op.create_index(
        "ix_follow_ups_open_due",
        "follow_ups",
        ["due", "case_id", "id", "question", "owner", "action", "recorded_on", "closed_on"],
        sqlite_where=sa.text("closed_on IS NULL"),
        postgresql_where=sa.text("closed_on IS NULL"),
    )
    op.create_table(
        "reference_data",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("payload", sa.String(), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("kind", name="pk_reference_data"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_log_case_id", "audit_log", ["case_id"])
    op.create_table(
        "outbox",
        sa.Column("device_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("case_json", sa.String(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("acknowledged_at", UTC_DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_outbox"),
    )
    op.create_index("ix_outbox_case_id", "outbox", ["case_id"])
    op.create_index(
        "ix_outbox_pending_seq",
        "outbox",
        ["device_id", "seq"],
        sqlite_where=sa.text("acknowledged_at IS NULL"),
        postgresql_where=sa.text("acknowledged_at IS NULL"),
    )
    if op.get_bind().dialect.name == "sqlite":
        # The audit log is insert-only, and an unacknowledged change is never dropped.
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is insert-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is insert-only'); END"
        )
        op.execute(
            "CREATE TRIGGER outbox_keep_pending BEFORE DELETE ON outbox "
            "WHEN OLD.acknowledged_at IS NULL "
            "BEGIN SELECT RAISE(ABORT, 'an unsent change cannot be deleted'); END"
        )


def downgrade() -> None:
    raise NotImplementedError("court-tui stores are never downgraded; restore a backup")
