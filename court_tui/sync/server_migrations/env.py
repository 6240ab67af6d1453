"""Alembic environment for the central store, run by `court_tui.sync.server.init_server`.

Before the migrations run, the roles they grant to are made (they belong to the cluster,
not the database), and the rest runs as the owner role so that no object, and no SECURITY
DEFINER function, belongs to the superuser who ran `court-tui server init`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from court_tui.sync.server_schema import bootstrap_roles

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("court-tui runs its migrations itself; use `court-tui server init`")

schema = bootstrap_roles(connection)
context.configure(
    connection=connection,
    target_metadata=None,
    version_table_schema=schema,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
