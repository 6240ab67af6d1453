"""Today's cases (MoJ 'case list'): the home screen; enter opens a case, n starts one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from court_tui.domain.case_list import pending_words
from court_tui.domain.dates import weekday_and_day
from court_tui.store.entries import CaseSummary
from court_tui.ui.backend import Backend
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine
from court_tui.ui.workers import post_from_worker

# The day's court list is read with the full store, built once the case list is drawn:
# its panel (and the court list's model) is added then.
if TYPE_CHECKING:
    from court_tui.ui.widgets.court_list import CourtListPanel


class CasesScreen(Screen[None]):
    """The cases heard today (or every case), newest work last."""

    CSS_PATH = "cases.tcss"
    BINDINGS = [
        Binding("n", "new_case", "New case", id="cases.new"),
        Binding("a", "show_all(True)", "All cases", id="cases.all"),
        Binding("t", "show_all(False)", "Today's cases", id="cases.today"),
    ]

    @dataclass
    class Loaded(Message):
        """The case list, read by a worker."""

        cases: list[CaseSummary]
        last_case: str | None

    class Drawn(Message):
        """The case list is on the screen for the first time."""

    class CourtListReady(Message):
        """The day's court list panel can be added (its module is loaded)."""

    @dataclass
    class Open(Message):
        """The officer asked to open a case (None: start a new one); the app does it."""

        case_id: str | None

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self.show_all = False
        self.cases: list[CaseSummary] = []
        self._resumed = False
        self._drawn = False  # the case list has been drawn and the court list added
        self._drawing = False

    def compose(self) -> ComposeResult:
        yield Static("Today's cases", id="heading", markup=False)
        yield Static("", id="count", markup=False)
        table: DataTable[str] = DataTable(id="cases", cursor_type="row", zebra_stripes=False)
        yield table
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#cases", DataTable)
        table.add_columns("Name and CRN", "Court and room", "Hearing", "Pending", "Status")
        table.focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_all":
            # Offer only the other list: the footer shows only keys that do something.
            return parameters[0] != self.show_all
        return True

    def load(self) -> None:
        """Read the case list in a worker (and the day's court list, once the case list has
        been drawn: it needs the full store, which is built after that)."""
        self._load(None if self.show_all else date.today())
        if self._drawn:
            self._court_list().load(date.today())

    def _court_list(self) -> CourtListPanel:
        from court_tui.ui.widgets.court_list import CourtListPanel

        return self.query_one(CourtListPanel)

    def _first_drawn(self) -> None:
        self.post_message(self.Drawn())
        self._import_court_list()

    @work(thread=True, exit_on_error=False, group="cases.court_list")
    def _import_court_list(self) -> None:
        # Imported here, off the screen's thread: the list is drawn and keys work meanwhile.
        import court_tui.ui.widgets.court_list  # noqa: F401

        post_from_worker(self, self.CourtListReady())

    @on(CourtListReady)
    async def _add_court_list(self) -> None:
        from court_tui.ui.widgets.court_list import CourtListPanel

        panel = CourtListPanel(self.backend)
        await self.mount(panel, before=self.query_one(StatusLine))
        self._drawn = True
        panel.load(date.today())

    @work(thread=True, exclusive=True, exit_on_error=False, group="cases.load")
    def _load(self, on: date | None) -> None:
        cases = self.backend.list_cases(on)
        last_case = self.backend.last_case()
        post_from_worker(self, self.Loaded(cases, last_case))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.cases = message.cases
        table = self.query_one("#cases", DataTable)
        cursor = table.cursor_row
        table.clear()
        for case in message.cases:
            name = f"{case.name or 'Unnamed case'}\n{case.crn or 'no CRN'}"
            room = f"{case.court}\n{('room ' + case.courtroom) if case.courtroom else ''}"
            hearing = weekday_and_day(case.hearing_date) if case.hearing_date else "not set"
            pending = pending_words(case.pending_checks, case.next_check_due, date.today())
            table.add_row(name, room, hearing, pending, case.status, key=case.id, height=2)
        ids = [case.id for case in message.cases]
        if not self._resumed and message.last_case in ids:
            # Resume where the officer left off: on the case they had open last.
            cursor = ids.index(message.last_case)
        self._resumed = True
        if message.cases:
            table.move_cursor(row=min(cursor, len(message.cases) - 1))
        heading = "All cases" if self.show_all else "Today's cases"
        self.query_one("#heading", Static).update(heading)
        what = "case" if len(message.cases) == 1 else "cases"
        empty = " Press n to start a new case." if not message.cases else ""
        self.query_one("#count", Static).update(f"{len(message.cases)} {what}.{empty}")
        self.refresh_bindings()
        if not self._drawn and not self._drawing:
            self._drawing = True
            self.call_after_refresh(self._first_drawn)

    @on(DataTable.RowSelected, "#cases")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Open(event.row_key.value))

    def on_court_list_panel_open(self, message: CourtListPanel.Open) -> None:
        message.stop()
        self.post_message(self.Open(message.case_id))

    def import_court_list(self) -> None:
        """Ask for a court list file and import it."""
        if self._drawn:
            self._court_list().ask_for_file(date.today())

    def action_new_case(self) -> None:
        """Start a new case."""
        self.post_message(self.Open(None))

    def action_show_all(self, show_all: bool) -> None:
        """Show every case, or only today's."""
        self.show_all = show_all
        self.load()
