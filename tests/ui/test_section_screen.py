"""The section screen: validation on continue, the error summary, 'not known', drafts."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static
from ui_helpers import (
    PASSPHRASE,
    answer,
    field_of,
    open_case_named,
    screen_text,
    settle,
    tab_to,
    type_text,
)

from court_tui.domain.answers import is_not_known
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.check_answers import CheckAnswersScreen
from court_tui.ui.screens.follow_up import FollowUpDialog
from court_tui.ui.screens.help import HelpScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.error_summary import ErrorSummary
from court_tui.ui.widgets.questions import QuestionField

pytestmark = pytest.mark.asyncio

RSR_TASK = 3


def app_on(store: Path) -> CourtApp:
    """The app on STORE, unlocked."""
    return CourtApp(Backend(store), passphrase=PASSPHRASE)


async def open_section(pilot: object, name: str, task_index: int) -> SectionScreen:
    """Open the case NAME and its task at TASK_INDEX."""
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await settle(pilot)
    await open_case_named(pilot, name)
    await pilot.press("home", *["down"] * task_index, "enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SectionScreen)
    return screen


async def test_continue_shows_errors_and_the_summary_takes_focus(filled_store: Path) -> None:
    app = app_on(filled_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        await answer(pilot, "date_of_birth", text="31/2/1990")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)
        summary = screen.query_one(ErrorSummary)
        assert summary.messages[0] == "Enter the person's full name"
        assert "Date of birth must be a real date" in summary.messages
        assert isinstance(app.focused, OptionList)
        assert app.focused.parent is summary
        name = screen.field_widget("name")
        assert isinstance(name, QuestionField)
        assert name.error_text == "Error: Enter the person's full name"
        text = screen_text(app)
        assert "There is a problem" in text
        # Enter on the second line goes to the date of birth, still as typed.
        await pilot.press("down", "enter")
        await pilot.pause()
        field = field_of(app.focused)
        assert field is not None and field.field_id == "date_of_birth"
        assert field.to_answer().draft == "31/2/1990"


async def test_not_known_without_a_follow_up_blocks_continue(filled_store: Path) -> None:
    app = app_on(filled_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_section(pilot, "Jamie Walsh", RSR_TASK)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)
        message = "Record who will find out the RSR score, what they will do and by when"
        assert screen.query_one(ErrorSummary).messages == [message]
        score = screen.field_widget("rsr_score")
        assert isinstance(score, QuestionField)
        assert score.error_text == f"Error: {message}"
        # Recording the follow-up lets the officer continue.
        await pilot.press("enter")
        await tab_to(pilot, "rsr_score")
        await pilot.press("tab")  # the 'Not known' box: untick, then tick again
        await pilot.press("space", "space")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpDialog)
        await pilot.press("tab", "tab")
        await type_text(pilot, "tomorrow")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CheckAnswersScreen)
        assert any("Not known - follow-up: Sam Patel" in line for line in app.screen.lines)


async def test_choosing_not_known_opens_the_follow_up_dialog(filled_store: Path) -> None:
    app = app_on(filled_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_section(pilot, "Alex Brown", 4)
        await tab_to(pilot, "rosh_level")
        await pilot.press("5")  # 'Not known', the last option
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FollowUpDialog)
        assert "Record a follow-up: RoSH level" in screen_text(app)
        # Nothing filled in for 'by when': the dialog says so and stays.
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "Error: Record by when for the follow-up" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        # Cancelled: the answer is as it was, never 'not known'.
        assert not is_not_known(app.open_case.record.answers.get("rosh_level"))  # type: ignore[union-attr]
        level = screen.field_widget("rosh_level")
        assert isinstance(level, QuestionField)
        assert level.to_answer().value == "LOW"


async def test_dates_echo_the_day_and_enter_moves_on(filled_store: Path) -> None:
    app = app_on(filled_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "Alex Brown", 0)
        await tab_to(pilot, "hearing_date")
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "14/3")
        assert "= Saturday 14 March 2026" in screen_text(app)
        await pilot.press("enter")
        # On to the next question still to answer, past the offence, its code and date.
        field = field_of(app.focused)
        assert field is not None and field.field_id == "other_offences"


async def test_f1_shows_the_questions_help(filled_store: Path) -> None:
    app = app_on(filled_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(pilot, "Alex Brown", RSR_TASK)
        await tab_to(pilot, "rsr_score")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        assert "Help: RSR score (%)" in screen_text(app)
        help_text = str(app.screen.query_one("#text", Static).content)
        assert "A score of 6.90 or more means automatic allocation" in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)
