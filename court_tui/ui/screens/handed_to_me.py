"""'Handed to me': the cases court officers sent to this responsible officer, to read and
accept. Enter opens one at its handover summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from court_tui.domain.dates import describe_recent
from court_tui.store import StoreError
from court_tui.ui.backend import Backend
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine
from court_tui.ui.workers import post_from_worker

if TYPE_CHECKING:  # the sync (and psycopg) load when the list is read, not at start-up
    from court_tui.sync.handover import HandedToMe


class HandedToMeScreen(Screen[None]):
    """The handovers sent to this laptop's login, not yet accepted first."""

    CSS_PATH = "handed_to_me.tcss"
    BINDINGS = [
        Binding("enter", "open_handover", "Read and accept", id="handed.open"),
        Binding("escape", "back", "Back", id="handed.back"),
    ]

    @dataclass
    class Loaded(Message):
        """The handovers, read by a worker (or why they could not be)."""

        handovers: list[HandedToMe]
        problem: str = ""

    @dataclass
    class Open(Message):
        """Open CASE_ID at its handover, to read and accept."""

        case_id: str

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.handovers: list[HandedToMe] = []

    def compose(self) -> ComposeResult:
        yield Static("Handed to me", id="heading", markup=False)
        yield Static("Loading...", id="count", markup=False)
        yield DataTable(id="handed", cursor_type="row")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one("#handed", DataTable)
        table.add_columns("Case", "Sent by", "Sent", "Status")
        table.focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="handed.load")
    def _load(self) -> None:
        try:
            handovers = self.backend.handed_to_me()
        except StoreError as error:
            post_from_worker(self, self.Loaded([], str(error)))
            return
        post_from_worker(self, self.Loaded(handovers))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        from datetime import date

        table: DataTable[str] = self.query_one("#handed", DataTable)
        table.clear()
        self.handovers = message.handovers
        today = date.today()
        for handover in message.handovers:
            table.add_row(
                handover.name,
                handover.sent_by,
                describe_recent(handover.sent_at, today) if handover.sent_at else "-",
                "Accepted" if handover.accepted else "Not yet accepted",
            )
        count = len(message.handovers)
        self.query_one("#count", Static).update(
            message.problem
            or (
                f"{count} case{'s' if count != 1 else ''} handed to you. Enter opens one "
                "to read and accept."
                if count
                else "No case has been handed to you (sync to receive new ones)."
            )
        )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_handover":
            return bool(self.handovers)
        return True

    @on(DataTable.RowSelected, "#handed")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_handover()

    def action_open_handover(self) -> None:
        """Open the highlighted case at its handover."""
        row = self.query_one("#handed", DataTable).cursor_row
        if 0 <= row < len(self.handovers):
            self.post_message(self.Open(self.handovers[row].case_id))

    def action_back(self) -> None:
        """Back to where the officer was."""
        self.dismiss(None)
