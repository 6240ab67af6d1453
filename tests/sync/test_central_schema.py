"""The central schema keeps the local store's tables: same names, same columns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sync_helpers import Central, PostgresServer, new_case, open_laptop

from court_tui.domain.case import CheckRequest
from court_tui.domain.forms import FormSet
from court_tui.store.tables import LOCAL_ONLY_COLUMNS, TABLES
from court_tui.sync.client import RetryPolicy, sync_once
from court_tui.sync.server import head_revision, init_server

pytestmark = pytest.mark.postgres

NO_WAIT = RetryPolicy(attempts=1)

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
    local = TABLES[table]
    with central.connect() as conn:
        rows = conn.execute(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'court_tui' AND table_name = %s",
            [table],
        ).fetchall()
    central_columns = dict(rows)
    for column in (c for c in local.columns if c.name not in LOCAL_ONLY_COLUMNS.get(table, ())):
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


def test_a_central_store_at_0001_upgrades_in_place_keeping_its_cases(
    pg_server: PostgresServer, tmp_path: Path, forms: FormSet
) -> None:
    url = pg_server.create_database("central_at_0001")
    assert init_server(url, target="0001").after == "0001"
    central = Central(pg_server, "central_at_0001")
    central.add("amy", "Team A")
    central.add("sue", "Team A", role="supervisor")
    record = new_case("Team A", name="Kept Through")
    record.checks["safeguarding"] = CheckRequest(
        requested="yes", requested_on=date(2026, 3, 1), expected_by=date(2026, 3, 9)
    )
    with open_laptop(tmp_path / "amy.db", forms) as laptop:
        saved = laptop.repository.save_case(record, actor="amy")
        assert sync_once(laptop, central.transport("amy"), retry=NO_WAIT).applied == 1

    result = init_server(url)

    assert (result.before, result.after) == ("0001", head_revision())
    assert central.scalar("SELECT name FROM court_tui.cases WHERE id = %s", saved.id) == (
        "Kept Through"
    )
    assert central.scalar("SELECT status FROM court_tui.checks WHERE case_id = %s", saved.id) == (
        "Outstanding"
    )
    # The supervisor's laptop, which 0001 refused, now sends its changes and notes.
    with open_laptop(tmp_path / "sue.db", forms) as laptop:
        assert sync_once(laptop, central.transport("sue"), retry=NO_WAIT).error is None
        kept = laptop.repository.get_case(saved.id, actor="Pat Lee")
        kept.answers["offence_analysis"] = "Read by the supervisor"
        laptop.repository.save_case(kept, actor="Pat Lee")
        laptop.repository.add_supervisor_note(
            saved.id, actor="Pat Lee", note="Chased", item_id="safeguarding"
        )
        report = sync_once(laptop, central.transport("sue"), retry=NO_WAIT)
        assert (report.applied, report.notes_sent, report.error) == (1, 1, None)
    assert central.scalar(
        "SELECT note FROM court_tui.supervisor_notes WHERE case_id = %s", saved.id
    ) == ("Chased")
