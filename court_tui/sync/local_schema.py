"""Making and upgrading the sync's tables in a laptop's store, on first use.

The sync's tables have their own numbered Alembic migrations and version table, run in
one write transaction the first time a store is synced (or its sync status read) by a
build that has newer ones.
"""

from __future__ import annotations

import weakref
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from court_tui.store.engine import WriteLock, store_errors
from court_tui.sync.errors import SyncError
from court_tui.sync.local_tables import VERSION_TABLE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "local_migrations"

_ready: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


@cache
def _revisions() -> tuple[str, frozenset[str]]:
    scripts = ScriptDirectory.from_config(_config())
    head = scripts.get_current_head()
    if head is None:
        raise RuntimeError("no sync migrations shipped")
    return head, frozenset(script.revision for script in scripts.walk_revisions())


def current_revision(conn: sa.Connection) -> str | None:
    """The sync tables' revision in this store, or None before the first sync."""
    context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def ensure_sync_schema(engine: sa.Engine, lock: WriteLock) -> None:
    """Make or upgrade the sync's tables in the store behind ENGINE, once per engine."""
    if engine in _ready:
        return
    head, known = _revisions()
    with store_errors(), engine.connect() as conn:
        revision = current_revision(conn)
    if revision is not None and revision not in known:
        raise SyncError(
            "This laptop's sync records were made by a newer court-tui: update court-tui "
            "before syncing."
        )
    if revision != head:
        config = _config()
        with lock, store_errors(), engine.execution_options(immediate=True).begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    _ready.add(engine)
