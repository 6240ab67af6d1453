"""Cases changed on this laptop and elsewhere: both versions side by side, and the choice.

Nothing is overwritten until the officer chooses: keep my version, or take the central
store's. The choice goes out with the next sync; the version not chosen stays on record.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static

from court_tui.domain.case import CaseRecord
from court_tui.store import StoreError
from court_tui.ui.backend import Backend
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine
from court_tui.ui.workers import post_from_worker

if TYPE_CHECKING:
    from court_tui.sync import ConflictView

LABEL_WIDTH = 22
VALUE_WIDTH = 24
MAX_LINES = 4
NONE_LEFT = "No case is waiting for you to choose a version."


def _cell(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width, max_lines=MAX_LINES, placeholder="...")
    return "\n".join(lines) or "-"


def describe(conflict: ConflictView) -> str:
    """Whose versions these are, in words."""
    return (
        f"Changed on this laptop and in the central store. Yours is revision "
        f"{conflict.mine_revision}; the central store's is revision "
        f"{conflict.theirs_revision}, by {conflict.theirs_changed_by}."
    )


class ConflictsScreen(Screen[None]):
    """One case at a time: what the two versions say differently, and the two choices."""

    CSS_PATH = "conflicts.tcss"
    BINDINGS = [Binding("escape", "back", "Back", id="conflicts.back")]

    @dataclass
    class Loaded(Message):
        """The open conflicts, read by a worker (a message about the last choice, if any)."""

        conflicts: list[ConflictView]
        note: str

    @dataclass
    class Resolved(Message):
        """A conflict was settled: the case as now saved, and the sync state in words."""

        record: CaseRecord
        sync_state: str

    @dataclass
    class Failed(Message):
        """Reading or settling a conflict failed; the message is for the officer."""

        message: str

    def __init__(self, backend: Backend, officer: str) -> None:
        super().__init__()
        self.backend = backend
        self.officer = officer
        self.conflicts: list[ConflictView] = []

    def compose(self) -> ComposeResult:
        yield Static("Resolve sync conflicts", id="heading", markup=False)
        yield Static("Reading the conflicts...", id="case-caption", markup=False)
        yield Static("", id="versions", markup=False)
        yield DataTable(id="differences", cursor_type="row", header_height=1)
        yield Static("", id="message", markup=False)
        with Horizontal(id="choices"):
            yield Button("Keep my version", id="keep-mine", variant="primary")
            yield Button("Take the central version", id="take-theirs")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one("#differences", DataTable)
        table.add_column("Question", width=LABEL_WIDTH)
        table.add_column("Your version", width=VALUE_WIDTH)
        table.add_column("Central store's version", width=VALUE_WIDTH)
        table.focus()
        self._show_choices(False)
        self._load("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts")
    def _load(self, note: str) -> None:
        try:
            conflicts = self.backend.conflicts(self.officer)
        except StoreError as error:
            post_from_worker(self, self.Failed(f"Error: the conflicts cannot be read. {error}"))
            return
        post_from_worker(self, self.Loaded(conflicts, note))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.conflicts = message.conflicts
        table: DataTable[str] = self.query_one("#differences", DataTable)
        table.clear()
        self.query_one("#message", Static).update(message.note)
        if not self.conflicts:
            self.query_one("#case-caption", Static).update(NONE_LEFT)
            self.query_one("#versions", Static).update("")
            self._show_choices(False)
            return
        conflict = self.conflicts[0]
        count = len(self.conflicts)
        self.query_one("#case-caption", Static).update(
            f"Case 1 of {count}: {conflict.title}" if count > 1 else f"Case: {conflict.title}"
        )
        self.query_one("#versions", Static).update(describe(conflict))
        for difference in conflict.differences:
            cells = (
                _cell(difference.label, LABEL_WIDTH),
                _cell(difference.mine, VALUE_WIDTH),
                _cell(difference.theirs, VALUE_WIDTH),
            )
            table.add_row(*cells, height=max(cell.count("\n") + 1 for cell in cells))
        if not conflict.differences:
            table.add_row("Nothing you would see", "(only when each", "was saved)")
        self._show_choices(True)

    def _show_choices(self, shown: bool) -> None:
        for button in self.query(Button):
            button.disabled = not shown
        self.query_one("#choices").display = shown

    @on(Button.Pressed, "#keep-mine")
    def _keep_mine(self, event: Button.Pressed) -> None:
        event.stop()
        self._choose("mine")

    @on(Button.Pressed, "#take-theirs")
    def _take_theirs(self, event: Button.Pressed) -> None:
        event.stop()
        self._choose("theirs")

    def _choose(self, keep: Literal["mine", "theirs"]) -> None:
        if not self.conflicts:
            return
        self._show_choices(False)
        self.query_one("#message", Static).update("Saving your choice...")
        self._resolve(self.conflicts[0], keep)

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts")
    def _resolve(self, conflict: ConflictView, keep: Literal["mine", "theirs"]) -> None:
        from court_tui.sync import SyncError

        try:
            record = self.backend.resolve_conflict(conflict.case_id, keep, self.officer)
            sync_state = self.backend.sync_state()
            conflicts = self.backend.conflicts(self.officer)
        except (StoreError, SyncError) as error:
            post_from_worker(self, self.Failed(f"Error: your choice was not saved. {error}"))
            return
        whose = "your version" if keep == "mine" else "the central store's version"
        note = (
            f"Kept {whose} of {conflict.title}. It goes to the central store with the next sync."
        )
        post_from_worker(self, self.Resolved(record, sync_state))
        post_from_worker(self, self.Loaded(conflicts, note))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#message", Static).update(message.message)
        self._show_choices(bool(self.conflicts))

    def action_back(self) -> None:
        """Back to where the officer was."""
        self.dismiss(None)
