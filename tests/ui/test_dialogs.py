"""The follow-up dialog and the help, each alone in a small host app."""

from __future__ import annotations

from datetime import date

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static
from ui_helpers import screen_text, type_text

from court_tui.domain.forms import load_forms
from court_tui.ui.screens.follow_up import FollowUpDialog, FollowUpResult
from court_tui.ui.screens.help import HelpScreen

pytestmark = pytest.mark.asyncio

TODAY = date(2026, 3, 2)


class Host(App[None]):
    """Shows one modal and keeps what it returns."""

    def __init__(self, modal: FollowUpDialog | HelpScreen) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[object] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


def must_be_in_the_future(result: FollowUpResult) -> str | None:
    if result.due is not None and result.due < TODAY:
        return "Date the follow-up is due must be today or in the future"
    return None


def dialog() -> FollowUpDialog:
    return FollowUpDialog(
        "RSR score (%)",
        owner="Sam Patel",
        action="Complete the RSR in OASys and record the score",
        due=None,
        today=TODAY,
        check=must_be_in_the_future,
    )


async def test_the_dialog_is_pre_filled_and_returns_the_follow_up() -> None:
    host = Host(dialog())
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(host)
        assert "Record a follow-up: RSR score (%)" in text
        assert "Sam Patel" in text
        await pilot.press("tab", "tab")
        await type_text(pilot, "+3")
        assert "= Thursday 5 March 2026, 3 working days" in screen_text(host)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert host.results == [
        FollowUpResult(
            "Sam Patel", "Complete the RSR in OASys and record the score", date(2026, 3, 5)
        )
    ]


async def test_a_date_in_the_past_is_refused_and_focused() -> None:
    host = Host(dialog())
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "tab")
        await type_text(pilot, "yesterday")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(host.screen, FollowUpDialog)
        assert "Error: Date the follow-up is due must be today or in the future" in screen_text(
            host
        )
        assert host.focused is not None and host.focused.id == "due"
        await pilot.press("escape")
        await pilot.pause()
    assert host.results == [None]


async def test_help_shows_the_form_files_words() -> None:
    question = load_forms().question("crn")
    host = Host(HelpScreen(question))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(host)
        assert "Help: Case reference number (CRN)" in text
        assert "One letter and six digits" in text
        await pilot.press("escape")
        await pilot.pause()
    assert host.results == [None]
