"""Names shared by the central store's migrations and the code that talks to it."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from court_tui.store.migrate import Migrations

SCHEMA = "court_tui"
# Owns every object, so that no SECURITY DEFINER function runs as a superuser.
OWNER_ROLE = "court_tui_owner"
OFFICER_ROLE = "court_tui_officer"
SUPERVISOR_ROLE = "court_tui_supervisor"
GROUP_ROLES = {"officer": OFFICER_ROLE, "supervisor": SUPERVISOR_ROLE}
# Every court-tui login's own settings (a group role's are not inherited): a transaction
# left open is ended and a statement or lock wait that runs on is stopped, so no one
# login holds up the others. The client asks for the same on each connection.
LOGIN_SETTINGS = {
    "statement_timeout": "60s",
    "lock_timeout": "5s",
    "idle_in_transaction_session_timeout": "30s",
}

_CREATE_ROLES = f"""
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
        CREATE ROLE {OWNER_ROLE} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OFFICER_ROLE}') THEN
        CREATE ROLE {OFFICER_ROLE} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SUPERVISOR_ROLE}') THEN
        CREATE ROLE {SUPERVISOR_ROLE} NOLOGIN;
    END IF;
END
$roles$
"""


def bootstrap_roles(conn: sa.Connection) -> str:
    """Make the owner and group roles and the schema, then act as the owner; returns the
    schema name. Runs inside the migration's transaction."""
    conn.exec_driver_sql(_CREATE_ROLES)
    is_superuser = conn.exec_driver_sql(
        "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    ).scalar_one()
    if not is_superuser:
        # A CREATEROLE administrator must be a member to create objects owned by the role.
        conn.exec_driver_sql(f"GRANT {OWNER_ROLE} TO CURRENT_USER")
    conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA} AUTHORIZATION {OWNER_ROLE}")
    conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
    return SCHEMA


# The central store's migrations: made and upgraded by `court-tui server init`, with the
# roles made first and everything else owned by the owner role.
CENTRAL = Migrations(
    Path(__file__).resolve().parent / "server_migrations",
    version_table_schema=SCHEMA,
    prepare=bootstrap_roles,
)
