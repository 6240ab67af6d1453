"""Alembic environment for the central store, run by `court_tui.sync.server.init_server`.

Before the migrations run, the roles they grant to are made (they belong to the cluster,
not the database), and the rest runs as the owner role so that no object, and no SECURITY
DEFINER function, belongs to the superuser who ran `court-tui server init`
(`court_tui.sync.server_schema.bootstrap_roles`, the central migrations' PREPARE).
"""

from __future__ import annotations

from court_tui.store.migrate import run_env

run_env()
