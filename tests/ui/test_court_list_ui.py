"""The court list in the app, at 80x24, keys only: imported from the palette, shown by room
and session with each match; enter starts a case filled in from the list, opens the
matched one, or asks the officer about a possible match."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hosts import SIZE, Host, forms, wait_until
from support.waiting import palette_lists
from test_offence_search import CODES, search_from_the_code
from textual.pilot import Pilot
from textual.widgets import DataTable
from ui_helpers import OFFICER, PASSPHRASE, screen_text, settle, type_text

from court_tui.domain.case import CaseRecord
from court_tui.domain.court_list_files import read_court_list
from court_tui.domain.fields import Case
from court_tui.domain.new_case import new_listed_case
from court_tui.store import open_store
from court_tui.store.court_lists import get_entry, list_entries
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.screens.import_list import ImportListScreen
from court_tui.ui.screens.listed_match import ListedMatchScreen
from court_tui.ui.screens.offence_search import OffenceSearchScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.tasks import TaskListScreen
from tests.support.court_lists import (
    libra_case,
    libra_document,
    libra_message,
    libra_session,
)

pytestmark = pytest.mark.asyncio

DAY = date(2026, 3, 2)


def list_file(tmp_path: Path) -> Path:
    path = tmp_path / "list.xml"
    path.write_bytes(
        libra_message(
            [
                libra_document(
                    [
                        libra_session(
                            [
                                libra_case(
                                    "1",
                                    "MR Abraham LINCOLN",
                                    offences=[
                                        ("TH68010", "Theft from a shop", "w"),
                                        ("CJ88116", "Fail to surrender to bail", "w"),
                                    ],
                                ),
                                libra_case("2", "MASTER Kid YOUNG", dob="01/01/2012", pnc=None),
                            ]
                        ),
                        libra_session(
                            [libra_case("3", "MS Taylor REID", dob="20/11/1990", pnc=None)],
                            room="02",
                            ou_code="B10JQ02",
                            sstart="14:00",
                        ),
                    ]
                )
            ]
        )
    )
    return path


def _list_table(app: CourtApp) -> DataTable[str]:
    return app.screen.query_one("#court-list", DataTable)


async def _enter_on(pilot: Pilot[object], app: CourtApp, key: str) -> None:
    """By keys: tab to the court list, move to the entry KEY, press enter."""
    table = _list_table(app)
    for _ in range(5):
        if app.focused is table:
            break
        await pilot.press("tab")
    assert app.focused is table
    keys = [row.value for row in table.rows]
    steps = keys.index(key) - table.cursor_row
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    assert keys[table.cursor_row] == key
    await pilot.press("enter")
    await settle(pilot)


async def _import_from_palette(pilot: Pilot[object], app: CourtApp, path: Path) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, "import a court")
    await palette_lists(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, ImportListScreen)
    await type_text(pilot, str(path))
    await pilot.press("enter")
    await settle(pilot)


async def test_import_from_the_palette_and_start_a_case_from_the_list(
    filled_store: Path, tmp_path: Path
) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _import_from_palette(pilot, app, list_file(tmp_path))
        assert isinstance(app.screen, CasesScreen)
        text = screen_text(app)
        assert "Imported 3 listed defendants from list.xml" in text
        assert "Court list: 3 listed" in text
        assert "Room 1, morning" in text
        assert "Abraham Lincoln" in text and "No record: enter starts" in text
        assert "Youth: not matched" in text

        keys = [row.value for row in _list_table(app).rows]
        assert keys[0] == "group:1:morning"
        # The youth: enter says why nothing starts.
        await _enter_on(pilot, app, "libra:H2:2")
        assert isinstance(app.screen, CasesScreen)
        assert "Kid Young is a youth defendant: not a probation case here." in screen_text(app)

        await _enter_on(pilot, app, "libra:H1:1")
        assert isinstance(app.screen, TaskListScreen)
        record = app.open_case.record if app.open_case else None
        assert record is not None
        answers = record.answers
        assert answers[Case.NAME] == "Abraham Lincoln"
        assert answers[Case.DATE_OF_BIRTH] == "1980-02-12"
        assert answers[Case.GENDER] == "male"
        assert answers[Case.PNC] == "2003/0011985X"
        assert answers[Case.COURT] == "Leeds Magistrates' Court"
        assert answers[Case.COURTROOM] == "1"
        assert answers[Case.HEARING_DATE] == "2026-03-02"
        assert answers[Case.MAIN_OFFENCE] == "Theft from a shop"
        assert answers[Case.OTHER_OFFENCES] == "Fail to surrender to bail (CJS CJ88116)"
        assert Case.MAIN_OFFENCE_CODE not in answers
        started = record.id

        app.show_cases()
        await settle(pilot)
        assert "Matched: enter opens" in screen_text(app)
        # Enter again opens the same case: never a second one.
        await _enter_on(pilot, app, "libra:H1:1")
        assert app.open_case is not None and app.open_case.record.id == started
    with open_store(filled_store, PASSPHRASE) as store:
        assert get_entry(store.repository, "libra:H1:1").case_id == started
        assert sum(c.name == "Abraham Lincoln" for c in store.repository.list_cases()) == 1


async def test_a_possible_match_is_confirmed_or_rejected_by_the_officer(
    filled_store: Path, tmp_path: Path
) -> None:
    # The demo's Taylor Reid was born on 20/11/1990; the list gives the same day of another
    # month: a lenient date, so only a possible match.
    path = list_file(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"20/11/1990", b"20/12/1990"))
    with open_store(filled_store, PASSPHRASE) as store:
        reid = [c for c in store.repository.list_cases() if c.name == "Taylor Reid"]
        record: CaseRecord = store.repository.get_case(reid[0].id, actor="test")
        born = record.answers.get(Case.DATE_OF_BIRTH)
    assert born == "1990-11-20", born
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _import_from_palette(pilot, app, path)
        assert "Possible: confirm" in screen_text(app)
        await _enter_on(pilot, app, "libra:H3:3")
        assert isinstance(app.screen, ListedMatchScreen)
        text = screen_text(app)
        assert "Possible match: is this the same person?" in text
        assert "Same person: Taylor Reid, born 20/11/1990" in text
        await pilot.press("escape")  # decide later: nothing linked, nothing rejected
        await settle(pilot)
        with open_store(filled_store, PASSPHRASE) as store:
            later = get_entry(store.repository, "libra:H3:3")
            assert (later.case_id, later.rejected) == (None, ())
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the first option: the same person
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert app.open_case is not None and app.open_case.record.id == record.id
    with open_store(filled_store, PASSPHRASE) as store:
        assert get_entry(store.repository, "libra:H3:3").case_id == record.id
        actions = [row.action for row in store.repository.audit_rows(record.id)]
        assert "list-link" in actions


async def test_rejecting_a_possible_match_starts_a_new_case(
    filled_store: Path, tmp_path: Path
) -> None:
    path = list_file(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"20/11/1990", b"21/11/1990"))
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _import_from_palette(pilot, app, path)
        await _enter_on(pilot, app, "libra:H3:3")
        assert isinstance(app.screen, ListedMatchScreen)
        await pilot.press("down", "enter")  # not the same person
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert app.open_case is not None
        started = app.open_case.record
        assert started.answers[Case.DATE_OF_BIRTH] == "1990-11-21"
        assert started.officer == OFFICER.officer
    with open_store(filled_store, PASSPHRASE) as store:
        (entry,) = [e for e in list_entries(store.repository, on=DAY) if e.case_id == started.id]
        assert len(entry.rejected) == 1


async def test_an_unusable_file_is_said_on_the_status_line(
    filled_store: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "cut.xml"
    data = list_file(tmp_path).read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _import_from_palette(pilot, app, bad)
        text = screen_text(app)
        assert "The list was not imported" in text and "cut short" in text
        assert "Court list:" not in text


async def test_the_list_offence_title_starts_the_offence_search(
    frozen_clock: None, tmp_path: Path
) -> None:
    lincoln = read_court_list(list_file(tmp_path).read_bytes()).unique()[0]
    assert lincoln.name == "Abraham Lincoln"
    case = OpenCase.of(
        new_listed_case(OFFICER.officer, OFFICER.team, lincoln),
        forms(),
        OFFICER.officer,
        catalogue=CODES,
    )
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await search_from_the_code(pilot, app)
        assert isinstance(app.screen, OffenceSearchScreen)
        await wait_until(pilot, lambda: "1 found." in screen_text(app), "the list's words")
        text = screen_text(app)
        assert "Theft from a shop" in text
        assert "04600 Stealing from shops and stalls (shoplifting)" in text
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "back")
        await wait_until(
            pilot, lambda: case.record.answers.get("main_offence_code") == "04600", "filled in"
        )
