"""First run: who the officer is, and the passphrase that locks the case store."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from court_tui.domain.passphrase import MIN_NEW_PASSPHRASE, new_passphrase_problem
from court_tui.ui.backend import Profile
from court_tui.ui.widgets.error_summary import ErrorSummary, show_field_problems
from court_tui.ui.widgets.keys_footer import KeysFooter

FIELDS = (
    ("officer", "Your name", "As it should appear on records you make", False),
    ("team", "Your team", "For example, Leeds court team", False),
    ("court", "Your usual court", "New cases start with this court; you can change it", False),
    ("passphrase", "Passphrase", "At least {min} characters", True),
    ("passphrase_again", "Passphrase again", "", True),
)


class SetupScreen(Screen[None]):
    """Set up court-tui on this computer."""

    CSS_PATH = "setup.tcss"
    BINDINGS = [Binding("ctrl+s", "continue", "Continue", id="setup.continue")]

    class Done(Message):
        """The officer's profile and passphrase, for the app to create the store."""

        def __init__(self, profile: Profile, passphrase: str) -> None:
            super().__init__()
            self.profile = profile
            self.passphrase = passphrase

    def compose(self) -> ComposeResult:
        yield Static("Set up court-tui", id="heading", markup=False)
        with VerticalScroll(id="form"):
            yield ErrorSummary()
            yield Static(
                "Cases are kept encrypted on this computer. The passphrase unlocks them: "
                "nobody can recover it for you.",
                id="intro",
                markup=False,
            )
            for field_id, label, hint, secret in FIELDS:
                yield Static(label, classes="label", markup=False)
                if hint:
                    yield Static(hint.format(min=MIN_NEW_PASSPHRASE), classes="hint", markup=False)
                yield Static("", id=f"{field_id}-error", classes="error", markup=False)
                yield Input(id=field_id, password=secret, select_on_focus=False)
            yield Button("Continue", id="continue", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#officer", Input).focus()

    def value(self, field_id: str) -> str:
        """What is typed in FIELD_ID."""
        return self.query_one(f"#{field_id}", Input).value

    def problems(self) -> list[tuple[str, str]]:
        """What stops the set-up, field by field."""
        found = []
        if not self.value("officer").strip():
            found.append(("officer", "Enter your name"))
        if not self.value("team").strip():
            found.append(("team", "Enter your team"))
        passphrase = self.value("passphrase")
        if problem := new_passphrase_problem(passphrase):
            found.append(("passphrase", problem))
        elif self.value("passphrase_again") != passphrase:
            found.append(("passphrase_again", "The two passphrases must be the same"))
        return found

    def action_continue(self) -> None:
        """Check the answers and, when they are right, create the store."""
        problems = self.problems()
        show_field_problems(self, (field[0] for field in FIELDS), problems)
        if problems:
            return
        profile = Profile(
            officer=self.value("officer").strip(),
            team=self.value("team").strip(),
            court=self.value("court").strip(),
        )
        self.post_message(self.Done(profile, self.value("passphrase")))

    def show_failure(self, message: str) -> None:
        """Say why the store could not be created; what was typed stays."""
        self.query_one(ErrorSummary).show([("passphrase", message)])

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#continue")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_continue()

    @on(ErrorSummary.Selected)
    def _go_to(self, event: ErrorSummary.Selected) -> None:
        event.stop()
        self.query_one(f"#{event.field_id}", Input).focus()
