"""The confirmation after the handover is accepted (GOV.UK 'confirmation page')."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from court_tui.domain.dates import describe_date, describe_time, to_local
from court_tui.domain.handed_over import recipient
from court_tui.ui.case_session import BackToCases, OpenCase
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine


def accepted_words(accepted_by: str | None, accepted_at: datetime | None) -> str:
    """Who accepted the handover and when, in words."""
    if accepted_at is None:
        return "The handover has not been accepted."
    local = to_local(accepted_at)
    return (
        f"Accepted by {accepted_by or 'no name'} at {describe_time(local)} on "
        f"{describe_date(local.date())}."
    )


class ConfirmationScreen(Screen[None]):
    """'Handover accepted', with who and when, and what happens next."""

    CSS_PATH = "confirmation.tcss"
    BINDINGS = [
        Binding("enter", "done", "Back to cases", id="confirmation.done"),
        Binding("escape", "done", "Back to cases", show=False, id="confirmation.back"),
    ]

    def __init__(self, case: OpenCase) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        handover = self.case.record.handover
        accepted = handover.accepted_at is not None
        with VerticalScroll(id="panel"):
            yield Static(
                "Handover accepted" if accepted else "Handover sent", id="heading", markup=False
            )
            yield Static(self.case.caption, id="case-caption", markup=False)
            yield Static(
                accepted_words(handover.accepted_by, handover.accepted_at)
                if accepted
                else f"Sent to {recipient(self.case.record)}. It is handed over once they "
                "have read every must-read item and accepted it in their own login.",
                id="accepted",
                markup=False,
            )
            yield Static(
                "What happens next: the follow-ups on this case stay open until they are "
                "closed with the real answer, and appear in pending checks.",
                id="next",
                markup=False,
            )
            yield Button("Back to cases", id="done", variant="primary")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#done", Button).focus()

    def on_button_pressed(self) -> None:
        self.action_done()

    def action_done(self) -> None:
        """Back to the list of cases."""
        self.dismiss(None)
        # Posted to the app: this screen is gone by the time the message would bubble.
        self.app.post_message(BackToCases())
