"""Start-up loads what the case list needs and no more: the store is opened and the list
read with sqlcipher3 alone; SQLAlchemy, the full store, the migration runner and the case
model load after the list is drawn, and Alembic and the migration scripts only when the
store is behind, found by reading its revision with one query.

Each start runs court-tui in a fresh interpreter, as an officer starts it, and reports
which modules were loaded at the moment the case list was first drawn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import TEST_PASSPHRASE, make_case

from court_tui.domain.forms import FormSet
from court_tui.store import CorruptStore, migrate, open_store
from court_tui.store.engine import make_engine
from court_tui.store.migrate import scripts
from court_tui.sync.local_schema import SYNC_TABLES
from court_tui.sync.server_schema import CENTRAL

# Loaded only to change a schema (Alembic and its templates), or to map rows to objects.
MIGRATION_ONLY = ("alembic", "mako", "court_tui.store.migrations", "sqlmodel", "sqlalchemy.orm")
# Loaded once the case list is drawn (or at once, for a store that must be upgraded): the
# full store on SQLAlchemy, the migration runner, the case model and the forms.
AFTER_THE_LIST = (
    "sqlalchemy",
    "court_tui.store.store",
    "court_tui.store.engine",
    "court_tui.store.tables",
    "court_tui.store.repository",
    "court_tui.store.migrate",
    "court_tui.store.backup",
    "court_tui.store.doctor",
    "court_tui.store.court_lists",
    "pydantic",
    "court_tui.domain.case",
    "court_tui.domain.forms",
    "court_tui.ui.case_session",
    "court_tui.ui.widgets.court_list",
)
# Screens the case list does not show, each loaded when first opened, and libraries only
# they or other work need: the passphrase meter (setup, a change of passphrase), the bank
# holidays (counting working days), the sync's PostgreSQL driver.
OTHER_SCREENS = (
    "court_tui.ui.screens.tasks",
    "court_tui.ui.screens.section",
    "court_tui.ui.screens.rsr",
    "court_tui.ui.screens.setup",
    "court_tui.ui.screens.unlock",
    "court_tui.ui.screens.passphrase",
    "court_tui.ui.screens.pending",
    "court_tui.ui.screens.handover",
    "court_tui.ui.screens.handed_to_me",
    "court_tui.ui.screens.conflicts",
    "court_tui.ui.screens.follow_up",
    "court_tui.ui.review",
    "zxcvbn",
    "holidays",
    "psycopg",
)

_START = """
import asyncio, json, os, sys
from pathlib import Path
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.cases import CasesScreen

# The modules loaded when the case list has been drawn, before what comes after it starts.
drawn = {}
first_drawn = CasesScreen._first_drawn

def record(screen):
    drawn.setdefault("modules", sorted(sys.modules))
    first_drawn(screen)

CasesScreen._first_drawn = record

async def main():
    app = CourtApp(Backend(Path(sys.argv[1])), passphrase=sys.argv[2])
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(6_000):
            if "modules" in drawn:
                break
            await pilot.pause(0.005)
        else:
            raise SystemExit("the case list was not drawn")
        print(json.dumps({"modules": drawn["modules"], "cases": len(app.screen.cases)}))
    sys.stdout.flush()
    os._exit(0)

asyncio.run(main())
"""


def _start(path: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", _START, str(path), TEST_PASSPHRASE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _loaded(result: dict[str, object], prefixes: tuple[str, ...]) -> list[str]:
    modules = result["modules"]
    assert isinstance(modules, list)
    return [m for m in modules if any(m == p or m.startswith(p + ".") for p in prefixes)]


@contextmanager
def _changed(path: Path) -> Iterator[sa.Connection]:
    """A write transaction on the store at PATH, below court-tui's own checks."""
    engine = make_engine(path, TEST_PASSPHRASE)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def _store_with_a_case(path: Path, forms: FormSet) -> None:
    with open_store(path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        # Heard today: the case list opens on today's cases.
        record = make_case("Start Person", hearing=date.today())
        store.repository.save_case(record, actor="test")


def test_an_up_to_date_store_opens_to_the_case_list_without_alembic_or_sqlalchemy(
    store_path: Path, forms: FormSet
) -> None:
    _store_with_a_case(store_path, forms)
    result = _start(store_path)
    assert result["cases"] == 1
    assert _loaded(result, MIGRATION_ONLY) == []
    # Nor the full store, the migration runner or the case model: read with sqlcipher3.
    assert _loaded(result, AFTER_THE_LIST) == []
    assert _loaded(result, ("court_tui.store.opening",)) == ["court_tui.store.opening"]


def test_the_case_list_is_drawn_without_the_other_screens_or_their_libraries(
    store_path: Path, forms: FormSet
) -> None:
    _store_with_a_case(store_path, forms)
    result = _start(store_path)
    assert result["cases"] == 1
    assert _loaded(result, ("court_tui.ui.screens.cases",)) == ["court_tui.ui.screens.cases"]
    assert _loaded(result, OTHER_SCREENS) == []


def test_a_store_behind_is_upgraded_at_start_up_with_alembic(
    store_path: Path, forms: FormSet
) -> None:
    _store_with_a_case(store_path, forms)
    # The store as revision 0002 left it: without the indexes 0003 adds, without the
    # court list table 0004 adds, and without the handover stage and indexes 0005 adds.
    with _changed(store_path) as conn:
        conn.execute(sa.text("DROP INDEX ix_cases_handover_waiting"))
        conn.execute(sa.text("DROP INDEX ix_answers_not_known"))
        conn.execute(sa.text("ALTER TABLE cases DROP COLUMN handover_state"))
        conn.execute(sa.text("DROP INDEX ix_checks_received_on"))
        conn.execute(sa.text("DROP INDEX ix_follow_ups_closed_on"))
        conn.execute(sa.text("DROP TABLE court_list_entries"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0002'"))
    result = _start(store_path)
    assert result["cases"] == 1
    assert "alembic" in _loaded(result, ("alembic",))
    with open_store(store_path, TEST_PASSPHRASE, forms=forms) as store:
        assert store.schema_revision() == migrate.head_revision()
        assert store.doctor().ok


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    for migrations in (migrate.STORE, SYNC_TABLES, CENTRAL):
        walked = scripts(migrations.folder).walk_revisions()
        assert migrations.known() == tuple(script.revision for script in reversed(list(walked)))
        assert migrations.head() == scripts(migrations.folder).get_current_head()


def test_a_store_without_a_revision_is_refused_as_not_court_tuis(
    store_path: Path, forms: FormSet
) -> None:
    _store_with_a_case(store_path, forms)
    with _changed(store_path) as conn:
        conn.execute(sa.text("DROP TABLE alembic_version"))
        assert migrate.current_revision(conn) is None
    with pytest.raises(CorruptStore, match="no court-tui schema"):
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
