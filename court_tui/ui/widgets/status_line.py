"""The status line: 'Draft saved 10:42' and the sync state, never a toast."""

from __future__ import annotations

from textual.widgets import Static

from court_tui.ui.case_app import CaseApp


class StatusLine(Static):
    """Shows the app's `save_status` text, in an app with a case to save (CaseApp)."""

    DEFAULT_CSS = """
    StatusLine { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def on_mount(self) -> None:
        if isinstance(self.app, CaseApp):
            self.watch(self.app, "save_status", self._show)

    def _show(self, text: str) -> None:
        self.update(text)
