"""Importing a court list from the app: the officer names the file."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from court_tui.ui.widgets.keys_footer import KeysFooter


class ImportListScreen(ModalScreen[Path | None]):
    """Ask for a court list file (Libra XML or Common Platform JSON); returns its path."""

    CSS_PATH = "import_list.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import_list.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("Import a court list", markup=False)
            yield Static(
                "The file HMCTS sent: a Libra daily list (XML) or a Common Platform hearing "
                "(JSON). Importing it again updates it.",
                markup=False,
            )
            yield Input(id="path", placeholder="Path to the file, for example ~/list.xml")
            yield Static("", id="problem", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    @on(Input.Submitted, "#path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.query_one("#problem", Static).update("Type the path to the list file.")
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self.query_one("#problem", Static).update(f"There is no file at {path}.")
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        """Close without importing."""
        self.dismiss(None)
