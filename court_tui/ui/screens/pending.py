"""Pending checks and follow-ups on the officer's own cases, with 'not known's nobody is
finding out and handovers not yet accepted: enter opens the case at the item, and a
'not known' without a follow-up can have one recorded from here."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from court_tui.domain.dates import weekday_and_day
from court_tui.store import PendingItem
from court_tui.ui.backend import Backend
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine
from court_tui.ui.workers import post_from_worker

WHAT_WIDTH = 26
OWNER_WIDTH = 12


def _day(day: date | None) -> str:
    return weekday_and_day(day) if day else "not set"


def _lines(text: str, width: int, lines: int = 3) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder="...")) or "-"


class PendingScreen(Screen[None]):
    """Every outstanding check and open follow-up on the officer's cases, overdue first."""

    CSS_PATH = "pending.tcss"
    BINDINGS = [
        Binding("enter", "open_item", "Open the case at this item", id="pending.open"),
        Binding("f", "record_follow_up", "Record a follow-up", id="pending.follow_up"),
        Binding("escape", "back", "Back", id="pending.back"),
    ]

    @dataclass
    class Loaded(Message):
        """The pending items, read by a worker."""

        items: list[PendingItem]

    @dataclass
    class OpenItem(Message):
        """Open ITEM's case at the item (and ask for its follow-up when FOLLOW_UP)."""

        item: PendingItem
        follow_up: bool = False

    def __init__(self, backend: Backend, officer: str) -> None:
        super().__init__()
        self.backend = backend
        self.officer = officer
        self.items: list[PendingItem] = []

    def compose(self) -> ComposeResult:
        yield Static("Pending checks", id="heading", markup=False)
        yield Static("Loading...", id="count", markup=False)
        yield DataTable(id="pending", cursor_type="row", header_height=2)
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        table: DataTable[str] = self.query_one("#pending", DataTable)
        table.add_columns("Case", "Check or follow-up", "Owner", "Requested\nand due", "Status")
        table.focus()
        self._load(date.today())

    @work(thread=True, exclusive=True, exit_on_error=False, group="pending.load")
    def _load(self, today: date) -> None:
        items = self.backend.pending_items(today, self.officer)
        post_from_worker(self, self.Loaded(items))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        table: DataTable[str] = self.query_one("#pending", DataTable)
        table.clear()
        self.items = message.items
        for item in message.items:
            table.add_row(
                f"{item.case_name}\n{item.crn}",
                _lines(item.what, WHAT_WIDTH),
                _lines(item.owner or "no owner", OWNER_WIDTH),
                f"{_day(item.requested)}\n{_day(item.due)}",
                _lines(item.status, 12),
                height=3,
            )
        count = len(message.items)
        self.query_one("#count", Static).update(
            f"Showing {count} of {count}. Enter opens the case at the item."
            if count
            else "Nothing is pending on your cases."
        )

    def highlighted(self) -> PendingItem | None:
        """The item under the cursor, if any."""
        table: DataTable[str] = self.query_one("#pending", DataTable)
        row = table.cursor_row
        return self.items[row] if self.items and 0 <= row < len(self.items) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "record_follow_up":
            item = self.highlighted()
            return item is not None and item.kind == "not_known"
        if action == "open_item":
            return self.highlighted() is not None
        return True

    @on(DataTable.RowHighlighted, "#pending")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#pending")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_open_item(self) -> None:
        """Open the case at the highlighted item."""
        item = self.highlighted()
        if item is not None:
            self.post_message(self.OpenItem(item))

    def action_record_follow_up(self) -> None:
        """Open the case and ask who will find out the 'not known' answer, what, by when."""
        item = self.highlighted()
        if item is not None and item.kind == "not_known":
            self.post_message(self.OpenItem(item, follow_up=True))

    def action_back(self) -> None:
        """Back to where the officer was."""
        self.dismiss(None)
