"""Alembic environment for the sync's own tables in the laptop's store.

Run by `court_tui.sync.local_schema.ensure_sync_schema` on a connection it holds. These
tables have their own version table, so the store's schema revisions stay the store's.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from court_tui.sync.local_tables import VERSION_TABLE, metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("court-tui runs its migrations itself")

context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
