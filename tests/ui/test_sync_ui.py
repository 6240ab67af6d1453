"""Sync in the officer's app, by keys at 80x24, against a real PostgreSQL central store:
the status line says what is not yet synced, 'Sync now' sends it, an unreachable store is
said in plain words with nothing lost, and a case changed on two laptops is settled on the
conflicts screen."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest
from support.waiting import palette_lists
from textual.pilot import Pilot
from textual.widgets import Button, DataTable
from ui_helpers import OFFICER, PASSPHRASE, answer, screen_text, settle, type_text

from court_tui.domain.case import CaseRecord
from court_tui.domain.settings import SERVER_ENV, SYNC_SERVER
from court_tui.store import Store, open_store
from court_tui.sync import RetryPolicy, sync_with_server
from court_tui.ui.app import NO_SERVER, CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.conflicts import NONE_LEFT, ConflictsScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.tasks import TaskListScreen
from court_tui.ui.widgets.status_line import StatusLine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))

from sync_helpers import Central, PostgresServer, open_laptop  # noqa: E402

# Stores made here derive their key in one round: these tests are about sync.
pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.postgres,
    pytest.mark.usefixtures("quick_key_derivation"),
]

QUICK = RetryPolicy(attempts=1, first_wait=0, max_wait=0)
LOGIN = "sam"
NAME = "Alex Morgan"
SIZE = (80, 24)


@pytest.fixture(autouse=True)
def no_server_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SERVER_ENV.name, raising=False)


@pytest.fixture
def central(central: Central) -> Central:
    """A fresh central store with the officer's login on their team."""
    central.add(LOGIN, OFFICER.team)
    central.add("amy", OFFICER.team)
    return central


def make_laptop(path: Path, server: str | None) -> CaseRecord:
    """The officer's store at PATH with one case heard today, using SERVER (if any)."""
    backend = Backend(path)
    backend.create(PASSPHRASE, OFFICER)
    if server is not None:
        backend.put_setting(SYNC_SERVER.key, server)
    record = CaseRecord(
        officer=OFFICER.officer,
        team=OFFICER.team,
        answers={"name": NAME, "crn": "A123456", "hearing_date": date.today().isoformat()},
    )
    saved = backend.repository.save_case(record, actor=OFFICER.officer)
    backend.close()
    return saved


def open_laptop_store(path: Path) -> Store:
    return open_store(path, PASSPHRASE)


def status(app: CourtApp) -> str:
    """The status line's words, on one line."""
    text = str(app.screen.query_one(StatusLine).content)
    return " ".join(text.split())


def app_on(path: Path) -> CourtApp:
    return CourtApp(Backend(path, sync_retry=QUICK), passphrase=PASSPHRASE, sync_minutes=0)


async def palette(pilot: Pilot[None], command: str) -> None:
    """Run COMMAND from the command palette, by keys."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, command)
    await palette_lists(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)


async def change_the_name(pilot: Pilot[None], suffix: str) -> None:
    """Open the case, go to its first task, add SUFFIX to the name, and leave (saving)."""
    await pilot.press("enter")  # the only case
    await settle(pilot)
    assert isinstance(pilot.app.screen, TaskListScreen)
    await pilot.press("enter")  # the first task
    await settle(pilot)
    assert isinstance(pilot.app.screen, SectionScreen)
    await answer(pilot, "name", "end", text=suffix)
    await pilot.press("escape")
    await settle(pilot)


async def test_a_save_shows_not_yet_synced_and_sync_now_sends_it(
    tmp_path: Path, central: Central
) -> None:
    path = tmp_path / "cases.db"
    saved = make_laptop(path, central.url(LOGIN))
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await change_the_name(pilot, " Jr")
        shown = status(app)
        assert re.search(
            r"Draft saved \d\d:\d\d · 2 changes not yet synced · Not synced yet", shown
        )

        await palette(pilot, "Sync now")

        shown = status(app)
        assert re.search(r"All changes synced · Synced \d\d:\d\d", shown), shown
        assert "Cannot reach" not in screen_text(app)
    name = central.scalar("SELECT name FROM court_tui.cases WHERE id = %s", saved.id)
    assert name == f"{NAME} Jr"


async def test_an_unreachable_central_store_is_said_in_words_and_nothing_is_lost(
    tmp_path: Path, pg_server: PostgresServer
) -> None:
    path = tmp_path / "cases.db"
    nowhere = f"postgresql+psycopg://{LOGIN}@/central?host={tmp_path / 'no-server'}&port=5432"
    saved = make_laptop(path, nowhere)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await change_the_name(pilot, " Jr")
        await palette(pilot, "Sync now")

        shown = status(app)
        assert re.search(
            r"Cannot reach the central store \(.+\)\. Your work is saved on this laptop\. "
            r"2 changes not yet synced · Not synced yet",
            shown,
        ), shown
        assert not app.query("Toast")
    store = open_laptop_store(path)
    try:
        assert store.repository.get_case(saved.id, actor="test").answers["name"] == f"{NAME} Jr"
        assert store.repository.outbox_depth() == 2
    finally:
        store.close()


async def test_with_no_central_store_sync_now_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    make_laptop(path, None)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Sync now")
        assert status(app) == NO_SERVER


async def test_a_case_changed_on_two_laptops_is_settled_on_the_conflicts_screen(
    tmp_path: Path, central: Central
) -> None:
    path = tmp_path / "cases.db"
    saved = make_laptop(path, central.url(LOGIN))
    mine = open_laptop_store(path)
    theirs = open_laptop(tmp_path / "amy.db", mine.repository.forms)
    try:
        sync_with_server(mine, central.url(LOGIN), retry=QUICK)
        sync_with_server(theirs, central.url("amy"), retry=QUICK)
        for store, name in ((theirs, "Alex Morgan-Smith"), (mine, "Alexander Morgan")):
            record = store.repository.get_case(saved.id, actor="test")
            record.answers["name"] = name
            store.repository.save_case(record, actor="test")
        assert sync_with_server(theirs, central.url("amy"), retry=QUICK).applied == 1
    finally:
        theirs.close()
        mine.close()

    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Sync now")

        # The sync found the conflict and put it in front of the officer.
        assert isinstance(app.screen, ConflictsScreen)
        assert "1 to choose a version" in status(app)
        shown = screen_text(app)
        assert "Case: Alexander Morgan" in shown
        table = app.screen.query_one("#differences", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)] == [
            "Full name",
            "Alexander Morgan",
            "Alex Morgan-Smith",
        ]
        await pilot.press("tab")
        assert isinstance(app.focused, Button)
        assert str(app.focused.label) == "Keep my version"
        await pilot.press("enter")
        await settle(pilot)

        shown = screen_text(app)
        assert NONE_LEFT in shown
        assert "Kept your version of Alexander Morgan (A123456)." in shown
        assert "1 to choose a version" not in status(app)

        await pilot.press("escape")
        await settle(pilot)
        await palette(pilot, "Sync now")
        assert re.search(r"All changes synced · Synced \d\d:\d\d", status(app)), status(app)
    name = central.scalar("SELECT name FROM court_tui.cases WHERE id = %s", saved.id)
    assert name == "Alexander Morgan"


async def test_resolve_sync_conflicts_from_the_palette_with_none_waiting(tmp_path: Path) -> None:
    path = tmp_path / "cases.db"
    make_laptop(path, None)
    app = app_on(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "Resolve sync conflicts")
        assert isinstance(app.screen, ConflictsScreen)
        assert NONE_LEFT in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictsScreen)
