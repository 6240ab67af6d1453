"""The central schema keeps the local store's tables: same names, same columns."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel
from sync_helpers import Central

import court_tui.store.tables  # noqa: F401  (registers the store's tables)
from court_tui.sync.server import head_revision, init_server

pytestmark = pytest.mark.postgres

SHARED_TABLES = (
    "cases",
    "answers",
    "checks",
    "follow_ups",
    "supervisor_notes",
    "reference_data",
    "audit_log",
)


@pytest.mark.parametrize("table", SHARED_TABLES)
def test_every_local_column_is_on_the_central_store(central: Central, table: str) -> None:
    local = SQLModel.metadata.tables[table]
    with central.connect() as conn:
        rows = conn.execute(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'court_tui' AND table_name = %s",
            [table],
        ).fetchall()
    central_columns = dict(rows)
    for column in local.columns:
        assert column.name in central_columns, f"{table}.{column.name} is missing centrally"
        if not column.nullable and table != "audit_log":
            assert central_columns[column.name] == "NO", f"{table}.{column.name} nullable"


def test_init_on_a_set_up_store_changes_nothing(central: Central) -> None:
    before = central.scalar("SELECT count(*) FROM court_tui.audit_log")
    result = init_server(central.admin_url)
    assert (result.before, result.after) == (head_revision(), head_revision())
    assert central.scalar("SELECT count(*) FROM court_tui.audit_log") == before


def test_security_definer_functions_belong_to_the_owner_role_not_a_superuser(
    central: Central,
) -> None:
    with central.connect() as conn:
        owners = conn.execute(
            "SELECT DISTINCT r.rolname, r.rolsuper FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles r ON r.oid = p.proowner "
            "WHERE n.nspname = 'court_tui'"
        ).fetchall()
        public_execute = conn.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = 'court_tui' AND has_function_privilege('public', p.oid, 'EXECUTE')"
        ).fetchall()
    assert owners == [("court_tui_owner", False)]
    assert public_execute == []
