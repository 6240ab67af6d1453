"""The sync's tables in the laptop's store: made on first use, with their own revisions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sync_helpers import PASSPHRASE, new_case

from court_tui.store import Store, migrate, verify_backup
from court_tui.sync.client import sync_status
from court_tui.sync.errors import SyncError
from court_tui.sync.local import LocalSync
from court_tui.sync.local_schema import SYNC_TABLES, _ready, current_revision, ensure_sync_schema


def test_a_store_gets_the_sync_tables_on_first_use_and_keeps_its_own_revision(
    make_laptop: Callable[[str], Store],
) -> None:
    store = make_laptop("amy")
    store.repository.save_case(new_case("Leeds"), actor="amy")

    status = sync_status(store)

    assert (status.pending, status.last_synced_at, status.last_error) == (1, None, None)
    with store._engine.connect() as conn:
        tables = set(
            conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'").scalars()
        )
        assert current_revision(conn) == "sync_0003"
    assert {"sync_changes", "sync_conflicts", "sync_state", "sync_alembic_version"} <= tables
    assert store.schema_revision() == migrate.head_revision()


def test_sync_records_from_a_newer_court_tui_are_refused(
    make_laptop: Callable[[str], Store],
) -> None:
    store = make_laptop("amy")
    LocalSync(store)
    with store._engine.begin() as conn:
        conn.exec_driver_sql("UPDATE sync_alembic_version SET version_num = 'sync_9999'")
    _ready.discard(store._engine)

    with pytest.raises(SyncError, match="newer court-tui"):
        ensure_sync_schema(store._engine, store.repository._lock)  # type: ignore[attr-defined]


def test_notes_pulled_before_the_laptop_sent_any_are_not_sent_after_the_upgrade(
    make_laptop: Callable[[str], Store],
) -> None:
    store = make_laptop("amy")
    saved = store.repository.save_case(new_case("Leeds"), actor="amy")
    engine = store.repository.engine
    with engine.begin() as conn:  # the laptop as the previous court-tui left it, synced
        SYNC_TABLES.upgrade(conn, "sync_0001")
        conn.exec_driver_sql("INSERT INTO sync_state (key, value) VALUES ('pull_cursor', '7')")
    store.repository.add_supervisor_note(saved.id, actor="Sue Grant", note="From before")
    _ready.discard(engine)

    local = LocalSync(store)

    kept_copy = store.path.with_name(f"{store.path.name}.before-upgrade-from-sync_0001")
    assert verify_backup(kept_copy, PASSPHRASE).cases == 1
    assert local.unsent_notes(10) == []
    assert sync_status(store).pending == 1  # the case's own change, not the note
