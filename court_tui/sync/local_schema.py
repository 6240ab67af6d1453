"""Making and upgrading the sync's tables in a laptop's store, on first use.

The sync's tables have their own numbered Alembic migrations and version table, run by
the store's migration runner in one write transaction the first time a store is synced
(or its sync status read) by a build that has newer ones, after a checked copy of the
store is kept.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from court_tui.store.engine import WriteLock, store_errors
from court_tui.store.migrate import Migrations, upgrade_file
from court_tui.sync.errors import SyncError
from court_tui.sync.local_tables import VERSION_TABLE, metadata

SYNC_TABLES = Migrations(
    Path(__file__).resolve().parent / "local_migrations",
    metadata,
    version_table=VERSION_TABLE,
)

_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def current_revision(conn: sa.Connection) -> str | None:
    """The sync tables' revision in this store, or None before the first sync."""
    return SYNC_TABLES.current(conn)


def ensure_sync_schema(
    engine: sa.Engine, lock: WriteLock, keep_copy: Callable[[str], object] | None = None
) -> None:
    """Make or upgrade the sync's tables in the store behind ENGINE, once per engine,
    after KEEP_COPY has kept a checked copy of the store."""
    if engine in _ready:
        return
    with store_errors(), engine.connect() as conn:
        revision = current_revision(conn)
    if revision is not None and revision not in SYNC_TABLES.known():
        raise SyncError(
            "This laptop's sync records were made by a newer court-tui: update court-tui "
            "before syncing."
        )
    if revision != SYNC_TABLES.head():
        upgrade_file(SYNC_TABLES, engine, keep_copy=keep_copy, lock=lock)
    _ready.add(engine)
