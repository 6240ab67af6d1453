"""Alembic environment: run by `court_tui.store.migrate` on a connection it already holds."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import court_tui.store.tables  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("court-tui runs its migrations itself; use `court-tui doctor`")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    # SQLite DDL is transactional: the whole upgrade commits or none of it does.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
