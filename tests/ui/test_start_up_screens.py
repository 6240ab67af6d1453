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


def test_the_case_list_and_session_messages_handled_by_name_have_their_handlers() -> None:
    # The case list is drawn before the case session (and the case model) is imported, and
    # before the court list panel is added, so these too are handled by name.
    from court_tui.ui.case_session import BackToCases, CaseChanged, SaveCaseNow
    from court_tui.ui.screens.cases import CasesScreen
    from court_tui.ui.widgets.court_list import CourtListPanel

    heard_by = [
        (CourtApp, CasesScreen.Open),
        (CourtApp, CasesScreen.Drawn),
        (CourtApp, BackToCases),
        (CourtApp, CaseChanged),
        (CourtApp, SaveCaseNow),
        (CasesScreen, CourtListPanel.Open),
    ]
    unheard = [
        f"{host.__name__}: {m.__qualname__}"
        for host, m in heard_by
        if not callable(getattr(host, m.handler_name, None))
    ]
    assert unheard == []
