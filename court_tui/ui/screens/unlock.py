"""The unlock screen: at start, and when the app locks itself. Nothing of a case shows."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from court_tui.ui.widgets.keys_footer import KeysFooter


class UnlockScreen(Screen[None]):
    """Asks for the passphrase; the app checks it in a worker and says if it is wrong."""

    CSS_PATH = "unlock.tcss"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit", id="unlock.quit")]

    @dataclass
    class Submitted(Message):
        """The passphrase as typed."""

        passphrase: str

    def __init__(self, *, locked: bool = False, demo: bool = False) -> None:
        super().__init__()
        self.locked = locked
        self.demo = demo

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            heading = "court-tui is locked" if self.locked else "Unlock court-tui"
            yield Static(heading, id="heading", markup=False)
            why = (
                "It locked after a period without input. Enter your passphrase to go on "
                "where you left off."
                if self.locked
                else "Enter your passphrase to open the cases on this computer."
            )
            if self.demo:
                why += " (Demo: there is no passphrase; press enter.)"
            yield Static(why, id="why", markup=False)
            yield Static("Passphrase", classes="label", markup=False)
            yield Static("", id="error", markup=False)
            yield Input(id="passphrase", password=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value and not self.demo:
            self.show_error("Enter your passphrase")
            return
        self.post_message(self.Submitted(event.value))

    def show_error(self, message: str) -> None:
        """Say what went wrong; what was typed stays so it can be corrected."""
        error = self.query_one("#error", Static)
        error.update(f"Error: {message}")
        error.add_class("-shown")
        self.query_one("#passphrase", Input).focus()
