"""The palette's "Change passphrase": the dialog checks what is typed, the store is
re-keyed, and court-tui carries on with the store open under the new passphrase."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.waiting import palette_lists
from textual.pilot import Pilot
from textual.widgets import Input
from ui_helpers import PASSPHRASE, screen_text, settle, type_text

from court_tui.store import WrongPassphrase, open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.screens.passphrase import ChangePassphraseScreen

pytestmark = pytest.mark.asyncio

NEW = "copper lantern wild thyme"


async def _fill(pilot: Pilot[object], current: str, new: str, again: str) -> None:
    for text in (current, new, again):
        await type_text(pilot, text)
        await pilot.press("enter")


async def test_the_palette_changes_the_passphrase(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "change passphrase")
        await palette_lists(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ChangePassphraseScreen)
        # A weak new passphrase is refused in the dialog, before anything is touched.
        await _fill(pilot, PASSPHRASE, "password1234", "password1234")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "too easy to guess" in screen_text(app)
        # The wrong current passphrase is refused by the store.
        for field in ("current", "new", "new_again"):
            app.screen.query_one(f"#{field}", Input).value = ""
        app.screen.query_one("#current").focus()
        await _fill(pilot, "not my passphrase", NEW, NEW)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ChangePassphraseScreen)
        assert "does not open the store" in screen_text(app)
        app.screen.query_one("#current", Input).value = PASSPHRASE
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen)
        assert "Taylor Reid" in screen_text(app)  # the store is open again, under NEW
    with pytest.raises(WrongPassphrase):
        open_store(filled_store, PASSPHRASE)
    with open_store(filled_store, NEW) as store:
        assert store.doctor().ok
    assert len(list(filled_store.parent.glob("*-before-passphrase-change-*.db"))) == 1
