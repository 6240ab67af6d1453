"""Nothing typed is lost across a restart, and the lock shows nothing of the case."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.waiting import palette_lists
from textual.widgets import DataTable, Input
from ui_helpers import (
    PASSPHRASE,
    answer,
    open_case_named,
    screen_text,
    settle,
    tab_to,
    type_text,
)

from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.unlock import UnlockScreen
from court_tui.ui.widgets.questions import QuestionField

pytestmark = pytest.mark.asyncio

TYPED = {
    "name": "Ngozi O'Brien-Smith",
    "date_of_birth": "31/2/1990",  # not a real date: kept as typed
    "crn": "X12",  # not a CRN yet: kept as typed (its letter shown in capitals as typed)
    "main_offence": "Criminal damage (to a bus shelter)",
    "other_offences": "Theft, 2019\nAffray, 2021",
}


async def test_every_typed_character_is_there_after_a_restart(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for field_id, text in TYPED.items():
            await tab_to(pilot, field_id)
            for line_number, line in enumerate(text.split("\n")):
                if line_number:
                    await pilot.press("enter")
                await type_text(pilot, line)
        await answer(pilot, "sentence_type", "1")
        await answer(pilot, "sentence_date", text="yesterday")
        await pilot.press("ctrl+q")  # quits after saving, without leaving the screen
    assert app.return_code in (None, 0)

    again = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t", "a")  # every case
        await settle(pilot)
        screen = again.screen
        table_cases = screen.cases  # type: ignore[attr-defined]
        index = next(i for i, case in enumerate(table_cases) if case.name == TYPED["name"])
        await pilot.press("home", *["down"] * index, "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        section = again.screen
        assert isinstance(section, SectionScreen)
        for field_id, text in TYPED.items():
            field = section.field_widget(field_id)
            assert isinstance(field, QuestionField)
            entry = field.to_answer()
            shown = entry.draft if entry.draft is not None else entry.value
            assert shown == text, field_id
        sentence = section.field_widget("sentence_date")
        assert isinstance(sentence, QuestionField)
        assert sentence.to_answer().value == "2026-03-01"


async def test_the_lock_hides_the_case_and_the_passphrase_opens_it(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE, lock_minutes=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await answer(pilot, "name", text="Secret Person")
        assert "Secret Person" in screen_text(app)
        app.last_input -= 11 * 60  # eleven minutes without input
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        shown = screen_text(app)
        assert "court-tui is locked" in shown
        assert "Secret Person" not in shown
        assert "Case and hearing" not in shown
        await type_text(pilot, "wrong passphrase")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "Error: That passphrase does not open the cases" in screen_text(app)
        passphrase = app.screen.query_one("#passphrase", Input)
        assert passphrase.value == "wrong passphrase"  # kept, to correct
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert "Secret Person" in screen_text(app)


async def test_no_lock_while_the_officer_is_typing(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE, lock_minutes=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.last_input -= 11 * 60
        await pilot.press("a")  # a key press is input
        app.lock_if_idle()
        await settle(pilot)
        assert not isinstance(app.screen, UnlockScreen)


async def test_a_restart_resumes_at_the_case_last_opened(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case_named(pilot, "Robin Hughes")
        await pilot.press("ctrl+q")
    again = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, CasesScreen)
        table = screen.query_one(DataTable)
        assert screen.cases[table.cursor_row].name == "Robin Hughes"
        await pilot.press("enter")
        await settle(pilot)
        assert "Robin Hughes" in screen_text(again)


async def test_the_palette_locks_at_once(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "lock court-tui")
        await palette_lists(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "Taylor Reid" not in screen_text(app)
