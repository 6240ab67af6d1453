"""F1: the focused question's help, hint and label, from its form file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from court_tui.domain.forms import Question
from court_tui.ui.widgets.keys_footer import KeysFooter

NO_HELP = "There is no more help for this question."


class HelpScreen(ModalScreen[None]):
    """The help for one question."""

    CSS_PATH = "help.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close help", id="help.close"),
        Binding("f1", "close", "Close help", show=False, id="help.close_f1"),
    ]

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(f"Help: {self.question.label}", id="heading", markup=False)
            if self.question.hint:
                yield Static(self.question.hint, id="hint", markup=False)
            yield Static(self.question.help or NO_HELP, id="text", markup=False)
            if self.question.not_known:
                yield Static(
                    "If you do not know, choose 'Not known' and record who will find out, "
                    "what they will do and by when.",
                    id="not-known",
                    markup=False,
                )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        """Back to the question."""
        self.dismiss(None)
