"""The app starts without importing the screens the case list does not show (each is
imported when first opened: tests/store/test_start_up_imports.py checks what start-up
loads), so it handles their messages by Textual's naming rule rather than by class."""

from __future__ import annotations

from textual.message import Message

from court_tui.ui.app import CourtApp
from court_tui.ui.screens.conflicts import ConflictsScreen
from court_tui.ui.screens.handed_to_me import HandedToMeScreen
from court_tui.ui.screens.passphrase import ChangePassphraseScreen
from court_tui.ui.screens.pending import PendingScreen
from court_tui.ui.screens.setup import SetupScreen
from court_tui.ui.screens.unlock import UnlockScreen


def test_each_screen_message_the_app_handles_by_name_has_its_handler() -> None:
    # A renamed screen or message must not go unheard.
    messages: list[type[Message]] = [
        SetupScreen.Done,
        UnlockScreen.Submitted,
        HandedToMeScreen.Open,
        PendingScreen.OpenItem,
        ChangePassphraseScreen.Submitted,
        ConflictsScreen.Resolved,
    ]
    unheard = [
        m.__qualname__ for m in messages if not callable(getattr(CourtApp, m.handler_name, None))
    ]
    assert unheard == []
