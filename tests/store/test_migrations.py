"""Schema migrations: a store made at the previous revision upgrades in place, keeping
its data, and the migrated schema is exactly what the tables declare."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from store_helpers import TEST_PASSPHRASE, make_case, store_at

from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewFilters, Tab
from court_tui.store import migrate, open_store, verify_backup
from court_tui.store.review_queries import LocalReviewSource
from court_tui.store.tables import METADATA


def test_there_are_numbered_migrations() -> None:
    assert migrate.known_revisions() == ["0001", "0002", "0003", "0004", "0005"]
    assert migrate.head_revision() == "0005"


def test_store_at_the_previous_migration_upgrades_and_keeps_its_data(
    store_path: Path, forms: FormSet
) -> None:
    record = make_case("Kept Person", note="kept through the upgrade")
    case_json = record.model_copy(update={"revision": 1}).model_dump_json()
    engine = store_at(store_path, "0001")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO meta (key, value) VALUES ('device_id', 'old-laptop'), "
                "('outbox_next_seq', '2')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO cases (id, revision, created_at, updated_at, officer, team, name, "
                "crn, pnc, court, courtroom, hearing_date, status, pending_checks, case_json) "
                "VALUES (:id, 1, '2026-03-02 10:00:00', '2026-03-02 10:00:00', 'Sam Patel', "
                "'Leeds court team', 'Kept Person', 'A123456', '', 'Leeds', '', '2026-03-02', "
                "'In progress', 0, :json)"
            ),
            {"id": record.id, "json": case_json},
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (at, actor, device_id, action, case_id, detail) "
                "VALUES ('2026-03-02 10:00:00', 'Sam Patel', 'old-laptop', 'create', :id, '')"
            ),
            {"id": record.id},
        )
        conn.execute(
            sa.text(
                "INSERT INTO outbox (device_id, seq, case_id, base_revision, revision, "
                "case_json, created_at) VALUES ('old-laptop', 1, :id, 0, 1, :json, "
                "'2026-03-02 10:00:00')"
            ),
            {"id": record.id, "json": case_json},
        )
        assert "supervisor_notes" not in sa.inspect(conn).get_table_names()
    engine.dispose()

    with open_store(store_path, TEST_PASSPHRASE, forms=forms) as store:
        assert store.schema_revision() == migrate.head_revision()
        kept_copy = store_path.with_name("court-tui.db.before-upgrade-from-0001")
        assert verify_backup(kept_copy, TEST_PASSPHRASE).cases == 1
        repository = store.repository
        assert store.device_id == "old-laptop"
        kept = repository.get_case(record.id, actor="test")
        assert kept.answers["offence_analysis"] == "kept through the upgrade"
        assert [s.name for s in repository.search_cases("kept")] == ["Kept Person"]
        saved = repository.save_case(kept, actor="test")
        assert saved.revision == 2
        assert repository.outbox_sequences() == [1, 2]
        assert [e.action for e in repository.audit_rows(record.id)] == ["create", "view", "save"]
        repository.add_supervisor_note(record.id, actor="Pat Lee", note="Seen")
        repository.put_setting("officer_name", "Sam Patel")
        assert repository.get_setting("officer_name") == "Sam Patel"
        assert store.doctor().ok


def test_migrated_schema_matches_the_tables(store_path: Path, forms: FormSet) -> None:
    with (
        open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store,
        store._engine.connect() as conn,
    ):
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, METADATA)
    assert differences == []


def test_new_store_is_at_the_head_revision(store_path: Path, forms: FormSet) -> None:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        assert store.schema_revision() == migrate.head_revision()
        store.repository.save_case(make_case(), actor="test")


def test_a_store_at_0002_keeps_its_checks_and_gains_the_received_tabs_indexes(
    store_path: Path, forms: FormSet
) -> None:
    record = make_case("Kept Check", expected_by=date(2026, 2, 27))
    case_json = record.model_copy(update={"revision": 1}).model_dump_json()
    engine = store_at(store_path, "0002")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO meta (key, value) VALUES ('device_id', 'old-laptop'), "
                "('outbox_next_seq', '1')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO cases (id, revision, created_at, updated_at, officer, team, name, "
                "crn, pnc, court, courtroom, hearing_date, status, pending_checks, case_json) "
                "VALUES (:id, 1, '2026-03-02 10:00:00', '2026-03-02 10:00:00', 'Sam Patel', "
                "'Leeds court team', 'Kept Check', 'A123456', '', 'Leeds', '', '2026-03-02', "
                "'In progress', 0, :json)"
            ),
            {"id": record.id, "json": case_json},
        )
        conn.execute(
            sa.text(
                "INSERT INTO checks (case_id, kind, requested, agency, requested_on, "
                "expected_by, received_on, status) VALUES (:id, 'safeguarding', 'yes', "
                "'Children''s services', '2026-02-23', '2026-02-27', '2026-02-26', 'Received')"
            ),
            {"id": record.id},
        )
    engine.dispose()

    with open_store(store_path, TEST_PASSPHRASE, forms=forms) as store:
        assert store.schema_revision() == migrate.head_revision()
        with store.repository.connection() as conn:
            indexes = set(
                conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'index'"))
                .scalars()
                .all()
            )
        assert {"ix_checks_received_on", "ix_follow_ups_closed_on"} <= indexes
        source = LocalReviewSource(store, reviewer="Pat Lee", forms=forms)
        (item,) = source.page(Tab.RECEIVED, ReviewFilters(), date(2026, 3, 2)).items
        assert (item.case_name, item.item_id, item.done_on) == (
            "Kept Check",
            "safeguarding",
            date(2026, 2, 26),
        )
