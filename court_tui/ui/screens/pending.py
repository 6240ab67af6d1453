"""Pending checks and follow-ups on the officer's own cases: a read-only list."""

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
    BINDINGS = [Binding("escape", "back", "Back", id="pending.back")]

    @dataclass
    class Loaded(Message):
        """The pending items, read by a worker."""

        items: list[PendingItem]

    def __init__(self, backend: Backend, officer: str) -> None:
        super().__init__()
        self.backend = backend
        self.officer = officer

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
            f"Showing {count} of {count}" if count else "Nothing is pending on your cases."
        )

    def action_back(self) -> None:
        """Back to where the officer was."""
        self.dismiss(None)
