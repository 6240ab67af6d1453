"""The imported court list on today's cases: grouped by room and session, each listed
defendant with their match; enter starts their case or opens the one that is theirs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from court_tui.domain.court_list import ListedDefendant, ListedEntry, Match, MatchCandidate
from court_tui.store import StoreError
from court_tui.ui.backend import Backend
from court_tui.ui.case_app import CaseApp
from court_tui.ui.screens.import_list import ImportListScreen
from court_tui.ui.screens.listed_match import NONE_OF_THESE, ListedMatchScreen
from court_tui.ui.workers import post_from_worker

if TYPE_CHECKING:  # the list is read through the backend, once the case list is drawn
    from court_tui.store.court_lists import ListImport

GROUP_KEY = "group:"


def match_words(entry: ListedDefendant, match: Match) -> str:
    """What the officer reads in the match column."""
    if entry.kind == "organisation":
        return "Organisation: not matched"
    if entry.youth:
        return "Youth: not matched"
    if match.kind == "exact":
        return "Matched: enter opens"
    if match.kind == "possible":
        return "Possible: confirm"
    return "No record: enter starts"


class CourtListPanel(Vertical):
    """The day's imported list under today's cases (hidden when none is imported)."""

    @dataclass
    class Loaded(Message):
        """The day's list, read by a worker."""

        rows: list[tuple[ListedEntry, Match]]

    @dataclass
    class Open(Message):
        """Open the case CASE_ID (matched, confirmed or just started from the list)."""

        case_id: str

    @dataclass
    class Said(Message):
        """Something for the officer to read: an import done, or why nothing happened."""

        text: str

    @dataclass
    class Imported(Message):
        """A list was imported: show the day ON again."""

        on: date

    @dataclass
    class Possible(Message):
        """A possible match to put to the officer."""

        entry: ListedDefendant
        candidates: list[MatchCandidate]

    def __init__(self, backend: Backend) -> None:
        super().__init__(id="court-list-panel")
        self.backend = backend
        self.rows: dict[str, tuple[ListedEntry, Match]] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="list-heading", markup=False)
        yield DataTable(id="court-list", cursor_type="row", zebra_stripes=False)

    def on_mount(self) -> None:
        table = self.query_one("#court-list", DataTable)
        table.add_columns("Time", "Listed", "Offence", "Match")

    def load(self, on: date) -> None:
        """Read the list for ON in a worker."""
        self._load(on)

    @work(thread=True, exclusive=True, exit_on_error=False, group="court_list.load")
    def _load(self, on: date) -> None:
        try:
            rows = self.backend.court_list(on)
        except StoreError as error:
            post_from_worker(self, self.Said(f"The court list cannot be read: {error}"))
            return
        post_from_worker(self, self.Loaded(rows))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        message.stop()
        self.rows = {entry.defendant.key: (entry, match) for entry, match in message.rows}
        table = self.query_one("#court-list", DataTable)
        cursor = table.cursor_row
        table.clear()
        group: tuple[str, str] | None = None
        for entry, match in message.rows:
            listed = entry.defendant
            here = (listed.room, listed.session)
            if here != group:
                group = here
                table.add_row(
                    "", f"Room {listed.room or '?'}, {listed.session}", "", "",
                    key=f"{GROUP_KEY}{listed.room}:{listed.session}",
                )  # fmt: skip
            offence = listed.offences[0].title if listed.offences else ""
            table.add_row(
                f"{listed.start_time:%H:%M}",
                listed.name,
                offence,
                match_words(listed, match),
                key=listed.key,
            )
        if message.rows:
            table.move_cursor(row=min(max(cursor, 1), table.row_count - 1))
        count = len(message.rows)
        self.query_one("#list-heading", Static).update(
            f"Court list: {count} listed. Tab to it; enter starts or opens their case."
        )
        self.display = bool(message.rows)

    @on(DataTable.RowSelected, "#court-list")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key is None or key not in self.rows:
            return  # a room's heading
        entry, match = self.rows[key]
        listed = entry.defendant
        if not listed.probation_case:
            who = "an organisation" if listed.kind == "organisation" else "a youth defendant"
            self.post_message(self.Said(f"{listed.name} is {who}: not a probation case here."))
        elif match.kind == "exact" and match.case_id is not None:
            self._link(key, match.case_id)
        elif match.kind == "possible":
            self._possible(listed, match.case_ids)
        else:
            self._start(key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="court_list.act")
    def _possible(self, listed: ListedDefendant, case_ids: tuple[str, ...]) -> None:
        try:
            candidates = self.backend.possible_cases(case_ids)
        except StoreError as error:
            post_from_worker(self, self.Said(str(error)))
            return
        post_from_worker(self, self.Possible(listed, candidates))

    @on(Possible)
    def _ask(self, message: Possible) -> None:
        message.stop()
        entry = message.entry
        case_ids = tuple(candidate.case_id for candidate in message.candidates)

        def decided(chosen: str | None) -> None:
            if chosen is None:
                return  # decided later: nothing linked, nothing rejected
            if chosen == NONE_OF_THESE:
                self._reject_and_start(entry.key, case_ids)
            else:
                self._link(entry.key, chosen)

        self.app.push_screen(ListedMatchScreen(entry, message.candidates), decided)

    def _officer(self) -> tuple[str, str]:
        profile = getattr(self.app, "profile", None)
        return getattr(profile, "officer", ""), getattr(profile, "team", "")

    @work(thread=True, exclusive=True, exit_on_error=False, group="court_list.act")
    def _link(self, key: str, case_id: str) -> None:
        try:
            self.backend.link_listed(key, case_id, self._officer()[0])
        except StoreError as error:
            post_from_worker(self, self.Said(str(error)))
            return
        post_from_worker(self, self.Open(case_id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="court_list.act")
    def _reject_and_start(self, key: str, case_ids: tuple[str, ...]) -> None:
        officer, team = self._officer()
        try:
            self.backend.reject_listed(key, case_ids, officer)
            record = self.backend.start_listed_case(key, officer, team)
        except StoreError as error:
            post_from_worker(self, self.Said(str(error)))
            return
        post_from_worker(self, self.Open(record.id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="court_list.act")
    def _start(self, key: str) -> None:
        officer, team = self._officer()
        try:
            record = self.backend.start_listed_case(key, officer, team)
        except StoreError as error:
            post_from_worker(self, self.Said(str(error)))
            return
        post_from_worker(self, self.Open(record.id))

    # Importing

    def ask_for_file(self, on: date) -> None:
        """Ask for a list file and import it, then show the day's list again."""

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._import(path, on)

        self.app.push_screen(ImportListScreen(), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="court_list.import")
    def _import(self, path: Path, on: date) -> None:
        try:
            done: ListImport = self.backend.import_court_lists([path], self._officer()[0])
        except StoreError as error:
            post_from_worker(self, self.Said(f"The list was not imported: {error}"))
            return
        if done.unusable:
            words = "The list was not imported: " + " ".join(done.unusable)
        else:
            words = done.summary()
            if done.set_aside:
                words += " Set aside: " + "; ".join(done.set_aside[:3])
        post_from_worker(self, self.Said(words), self.Imported(on))

    @on(Imported)
    def _imported(self, message: Imported) -> None:
        message.stop()
        self.load(message.on)

    @on(Said)
    def _said(self, message: Said) -> None:
        message.stop()
        if isinstance(self.app, CaseApp):
            self.app.save_status = message.text  # the status line: never a toast
