"""Change the store's passphrase: the current one, then the new one twice."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from court_tui.domain.passphrase import MIN_NEW_PASSPHRASE, new_passphrase_problem
from court_tui.ui.widgets.error_summary import ErrorSummary, show_field_problems

FIELDS = (
    ("current", "Current passphrase", ""),
    ("new", "New passphrase", "At least {min} characters, hard to guess: three or four "
     "unrelated words"),
    ("new_again", "New passphrase again", ""),
)  # fmt: skip


class ChangePassphraseScreen(ModalScreen[None]):
    """Ask for the current and the new passphrase; the app makes the change."""

    CSS_PATH = "passphrase.tcss"
    BINDINGS = [
        Binding("ctrl+s", "change", "Change passphrase", id="passphrase.change"),
        Binding("escape", "cancel", "Cancel", id="passphrase.cancel"),
    ]

    class Submitted(Message):
        """The passphrases typed, for the app to change the store's."""

        def __init__(self, current: str, new: str) -> None:
            super().__init__()
            self.current = current
            self.new = new

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Static("Change passphrase", id="heading", markup=False)
            yield ErrorSummary()
            yield Static(
                "A checked backup is written beside the store first; it still opens with "
                "the current passphrase, so delete it once the new one works.",
                id="intro",
                markup=False,
            )
            for field_id, label, hint in FIELDS:
                yield Static(label, classes="label", markup=False)
                if hint:
                    yield Static(hint.format(min=MIN_NEW_PASSPHRASE), classes="hint", markup=False)
                yield Static("", id=f"{field_id}-error", classes="error", markup=False)
                yield Input(id=field_id, password=True, select_on_focus=False)
            yield Button("Change passphrase", id="change", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#current", Input).focus()

    def value(self, field_id: str) -> str:
        """What is typed in FIELD_ID."""
        return self.query_one(f"#{field_id}", Input).value

    def problems(self) -> list[tuple[str, str]]:
        """What stops the change, field by field."""
        found = []
        if not self.value("current"):
            found.append(("current", "Enter your current passphrase"))
        new = self.value("new")
        if problem := new_passphrase_problem(new):
            found.append(("new", problem))
        elif self.value("new_again") != new:
            found.append(("new_again", "The two new passphrases must be the same"))
        return found

    def show_failure(self, message: str) -> None:
        """Say why the change was not made; what was typed stays."""
        self.query_one(ErrorSummary).show([("current", message)])
        self.query_one("#change", Button).disabled = False
        # The summary was hidden until now: bring the dialog's top into view once it is laid out.
        dialog = self.query_one("#dialog", VerticalScroll)
        self.call_after_refresh(dialog.scroll_home, animate=False)

    def action_change(self) -> None:
        """Check what was typed and, when it is right, ask the app to make the change."""
        problems = self.problems()
        show_field_problems(self, (field[0] for field in FIELDS), problems)
        if problems:
            return
        self.query_one("#change", Button).disabled = True
        self.post_message(self.Submitted(self.value("current"), self.value("new")))

    def action_cancel(self) -> None:
        """Leave without changing anything."""
        self.dismiss(None)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#change")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_change()

    @on(ErrorSummary.Selected)
    def _go_to(self, event: ErrorSummary.Selected) -> None:
        event.stop()
        self.query_one(f"#{event.field_id}", Input).focus()
