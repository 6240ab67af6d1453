"""Alembic environment for the sync's own tables in the laptop's store.

Run by `court_tui.sync.local_schema.ensure_sync_schema` through `court_tui.store.migrate`.
These tables have their own version table, so the store's schema revisions stay the
store's.
"""

from __future__ import annotations

from court_tui.store.migrate import run_env

run_env()
