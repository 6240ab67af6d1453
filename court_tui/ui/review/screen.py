"""'Pending checks' for supervisors: four tabs of checks and follow-ups across their teams,
and what the supervisor does with an item (a note, a new owner, filters, opening its case).

Every store call runs in a thread worker that posts a message; the handlers own the
widgets. Showing the tabs is ReviewList's (list_screen.py); the table is table.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from court_tui.domain.case import CaseRecord
from court_tui.domain.review import (
    FilterChoices,
    ReviewFilters,
    ReviewItem,
    Tab,
    item_title,
)
from court_tui.ui.review.list_screen import ReviewList
from court_tui.ui.review.messages import CaseOpened, ChoicesLoaded, ItemChanged
from court_tui.ui.review.table import row_key

# Beside this file, wherever a subclass is defined.
HERE = Path(__file__).resolve().parent


class ReviewScreen(ReviewList):
    """Everything pending across the supervisor's teams, overdue first."""

    @dataclass
    class CaseChosen(Message):
        """The supervisor opened the case RECORD at ITEM: the app shows it."""

        record: CaseRecord
        item: ReviewItem

    CSS_PATH = HERE / "review.tcss"
    # The filter choices, read once when a dialog first needs them.
    choices: FilterChoices | None = None
    # Back from a case opened here: anything in it may have changed.
    _reload_on_resume = False
    BINDINGS = [
        Binding(
            "m",
            "mark_reviewed",
            "Review",
            tooltip="Mark reviewed with an oversight note",
            id="review.mark_reviewed",
        ),
        Binding(
            "o", "reassign", "Owner", tooltip="Change who owns the follow-up", id="review.reassign"
        ),
        Binding("f", "filter", "Filter", id="review.filter"),
        Binding("slash", "search", "Search", id="review.search"),
        Binding(
            "x", "clear_filters", "Clear", tooltip="Clear the filters", id="review.clear_filters"
        ),
        Binding("d", "devices", "Laptops", id="review.devices"),
        Binding("r", "reload", "Reload", id="review.reload", show=False),
        Binding("1", "show_tab('overdue')", "Overdue", show=False, id="review.tab1"),
        Binding("2", "show_tab('due-soon')", "Due soon", show=False, id="review.tab2"),
        Binding("3", "show_tab('pending')", "All pending", show=False, id="review.tab3"),
        Binding("4", "show_tab('received')", "Received", show=False, id="review.tab4"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self.current_item
        if action in ("mark_reviewed", "reassign") and (item is None or self._busy):
            return False
        if action == "reassign":
            assert item is not None
            return item.kind == "follow_up" and item.pending and self.source.can_reassign
        if action == "clear_filters":
            return self.filters.active
        return True

    # -- filters -----------------------------------------------------------------------

    def set_filters(self, filters: ReviewFilters) -> None:
        """Show every tab under FILTERS (the one on show is read now, the rest when shown)."""
        if filters == self.filters:
            return
        self.filters = filters
        self.limits = dict.fromkeys(Tab, self.page_size)
        self.load()

    def action_filter(self) -> None:
        """Choose a court, team, officer or kind of item."""
        self._open_filters("court")

    def action_search(self) -> None:
        """Search by name, CRN, item, owner or officer."""
        self._open_filters("search")

    def action_clear_filters(self) -> None:
        """Show everything again."""
        self.set_filters(ReviewFilters())
        self.say("Filters cleared.")

    def _open_filters(self, focus: str) -> None:
        self._with_choices(focus)

    def _with_choices(self, purpose: str) -> None:
        """Open the dialog PURPOSE names ('reassign', or the filter field to focus) once
        the filter choices (which name the people in the teams) are read."""
        if self.choices is not None:
            self._choices_ready(self.choices, purpose)
        else:
            self._load_choices(purpose)

    def _choices_ready(self, choices: FilterChoices, purpose: str) -> None:
        if purpose == "reassign":
            self._push_reassign(choices)
        else:
            self._push_filters(choices, purpose)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.choices")
    def _load_choices(self, focus: str) -> None:
        self.ask(
            lambda: self.source.filter_choices(self.today),
            lambda choices: ChoicesLoaded(choices, focus),
        )

    @on(ChoicesLoaded)
    def _choices_loaded(self, message: ChoicesLoaded) -> None:
        self.choices = message.choices
        self._choices_ready(message.choices, message.focus)

    def _push_filters(self, choices: FilterChoices, focus: str) -> None:
        from court_tui.ui.review.dialogs import FilterDialog

        def chosen(filters: ReviewFilters | None) -> None:
            if filters is not None:
                self.set_filters(filters)
            self.table(self.active_tab).focus()

        self.app.push_screen(FilterDialog(choices, self.filters, focus=focus), chosen)

    # -- actions -----------------------------------------------------------------------

    def action_mark_reviewed(self) -> None:
        """Record oversight of the item with a note."""
        item = self.current_item
        if item is None:
            return
        from court_tui.ui.review.dialogs import NoteDialog

        saving = self._then_save(lambda note: self._mark_reviewed(item, note))
        self.app.push_screen(NoteDialog(item, self.today), saving)

    def _then_save(self, save: Callable[[str], object]) -> Callable[[str | None], None]:
        """A dialog's callback: unless it was cancelled, SAVE what it returned (one action
        at a time, 'Saving...' meanwhile)."""

        def returned(value: str | None) -> None:
            if value is not None:
                self._set_busy(True)
                self.say("Saving...")
                save(value)

        return returned

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.action")
    def _mark_reviewed(self, item: ReviewItem, note: str) -> None:
        said = f"Marked reviewed: {item.case_name}, {item_title(item)}."
        self.ask(
            lambda: self.source.mark_reviewed(item, note),
            lambda changed: ItemChanged(changed, said),
        )

    def action_reassign(self) -> None:
        """Give the follow-up to someone else."""
        self._with_choices("reassign")

    def _push_reassign(self, choices: FilterChoices) -> None:
        item = self.current_item
        if item is None or item.kind != "follow_up":
            return
        from court_tui.ui.review.dialogs import ReassignDialog

        saving = self._then_save(lambda owner: self._reassign(item, owner))
        self.app.push_screen(ReassignDialog(item, choices.officers, self.today), saving)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.action")
    def _reassign(self, item: ReviewItem, owner: str) -> None:
        def said(changed: ReviewItem) -> ItemChanged:
            words = f"{item.case_name}: the follow-up now belongs to {changed.owner}."
            return ItemChanged(changed, words)

        self.ask(lambda: self.source.reassign(item, owner), said)

    @on(ItemChanged)
    def _item_changed(self, message: ItemChanged) -> None:
        self._set_busy(False)
        self.items[row_key(message.item)] = message.item
        self.say(message.said)
        # Every tab may show the item: read them again as they are shown.
        self.pages.clear()
        self.choices = None
        self.load()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.items.get(event.row_key.value or "")
        if item is not None:
            self.say(f"Opening {item.case_name}...")
            self._open_case(item)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.open")
    def _open_case(self, item: ReviewItem) -> None:
        self.ask(
            lambda: self.source.open_case(item.case_id), lambda record: CaseOpened(record, item)
        )

    @on(CaseOpened)
    def _case_opened(self, message: CaseOpened) -> None:
        self.say("")
        self._reload_on_resume = True
        self.post_message(self.CaseChosen(message.record, message.item))

    def action_devices(self) -> None:
        """Each laptop's last contact with the central store, where a lost one is cut off
        (only on the central store, whose source can)."""
        from court_tui.ui.review.dialogs import DevicesDialog, Revoke

        revoke: Revoke | None = getattr(self.source, "revoke_device", None)

        def closed(_: None) -> None:
            if revoke is not None:
                self._load_devices()  # a laptop cut off there now says so here too

        dialog = DevicesDialog(self.devices, self.now, central=self.source.central, revoke=revoke)
        self.app.push_screen(dialog, closed)

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:
            # Back from a case: anything in it may have changed.
            self._reload_on_resume = False
            self.pages.clear()
            self.load()
        self.table(self.active_tab).focus()
