"""First run sets up the store; the palette reaches pending checks; the footer's keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.waiting import app_until, palette_lists
from textual.widgets import Static
from ui_helpers import PASSPHRASE, screen_text, settle, type_text

from court_tui.domain.settings import THEME
from court_tui.store import open_store, store_exists
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.screens.pending import PendingScreen
from court_tui.ui.screens.setup import SetupScreen
from court_tui.ui.screens.unlock import UnlockScreen
from court_tui.ui.themes import DEFAULT_THEME, HIGH_CONTRAST_THEME

pytestmark = pytest.mark.asyncio


async def test_first_run_sets_up_the_store(store_path: Path, frozen_clock: None) -> None:
    app = CourtApp(Backend(store_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await type_text(pilot, "Sam Patel")
        await pilot.press("enter")
        await type_text(pilot, "Leeds court team")
        await pilot.press("enter", "enter")  # no usual court
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await type_text(pilot, "not the same")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "The two passphrases must be the same" in screen_text(app)
        error = app.screen.query_one("#passphrase_again-error", Static)
        assert str(error.content) == "Error: The two passphrases must be the same"
        assert not store_exists(store_path)
        await pilot.press("enter")  # from the error summary to the field
        assert app.focused is not None and app.focused.id == "passphrase_again"
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, PASSPHRASE)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        assert "0 cases. Press n to start a new case." in screen_text(app)
    with open_store(store_path, PASSPHRASE) as store:
        assert store.repository.get_setting("officer") == "Sam Patel"


async def test_a_later_run_asks_for_the_passphrase(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        assert "Unlock court-tui" in screen_text(app)
        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        assert "Taylor Reid" in screen_text(app)


async def test_the_palette_opens_pending_checks(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "n New case" in footer and "a All cases" in footer
        assert "Today's cases" not in footer  # it is the list shown: no key for it
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "pending")
        await palette_lists(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PendingScreen)
        # The rows are drawn a moment after the count above them: wait for a drawing.
        await app_until(pilot, lambda: "Taylor Reid" in screen_text(app), "the rows drawn")
        text = screen_text(app)
        assert "Pending checks" in text
        assert "Taylor Reid" in text


async def test_no_color_and_the_high_contrast_theme(
    filled_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        assert app.theme == DEFAULT_THEME  # the terminal's own palette
        assert HIGH_CONTRAST_THEME in app.available_themes
        app.theme = HIGH_CONTRAST_THEME
        await settle(pilot)
    with open_store(filled_store, PASSPHRASE) as store:
        assert store.repository.get_setting(THEME.key) == HIGH_CONTRAST_THEME


async def test_a_wide_terminal_shows_the_whole_case_list(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "There is a problem" in text  # the status column, in full
        await pilot.press("enter")
        await settle(pilot)
        assert "Check answers and hand over" in screen_text(app)
