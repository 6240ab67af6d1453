"""'Pending checks' for supervisors: four tabs of checks and follow-ups across their teams.

Every store call runs in a thread worker that posts a message; the handlers own the
widgets. The four tabs share one table: each tab's page is kept with the filters it was
read with, so going back to a tab draws it again without reading, unless it is stale.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from rich.color import Color as RichColor
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, Tabs
from textual.widgets import Tab as TabWidget
from textual.worker import Worker, WorkerState

from court_tui.domain.case import CaseRecord
from court_tui.domain.review import (
    PAGE_SIZE,
    TAB_TITLES,
    DeviceContact,
    FilterChoices,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    ReviewPage,
    ReviewSource,
    Tab,
    devices_summary,
    due_words,
    empty_words,
    is_overdue,
    item_context,
    item_title,
    short_date,
    short_what,
    status_word,
)
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.workers import post_from_worker

TAB_LABELS: dict[Tab, str] = {
    Tab.OVERDUE: "1 Overdue",
    Tab.DUE_SOON: "2 Due soon",
    Tab.PENDING: "3 All pending",
    Tab.RECEIVED: "4 Received",
}
TAB_KEYS = {"1": Tab.OVERDUE, "2": Tab.DUE_SOON, "3": Tab.PENDING, "4": Tab.RECEIVED}

# Columns at 80 wide: (label, width with a one-cell gap); what is left over goes to the
# case and the item. The table's own padding is off so that six columns fit in 80.
COLUMNS: list[tuple[str, int]] = [
    ("Case", 13),
    ("Check or\nfollow-up", 17),
    ("Owner", 11),
    ("Requested", 10),
    ("Due", 14),
    ("Status", 12),
]
CELL_PADDING = 0
GAP = 1
# The table's left margin and its scrollbar.
FRAME = 2

# Beside this file, wherever a subclass is defined.
HERE = Path(__file__).resolve().parent


def row_key(item: ReviewItem) -> str:
    """The table's key for ITEM's row."""
    return "|".join(item.key)


@lru_cache(maxsize=8192)
def wrap(text: str, width: int, lines: int) -> tuple[str, ...]:
    """TEXT in at most LINES lines of WIDTH, the last one cut with an ellipsis (cached: the
    same names, titles and dates fill most of a list)."""
    wrapped = textwrap.wrap(text, width=max(width, 1), break_long_words=True) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        last = wrapped[-1]
        wrapped[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return tuple(wrapped)


def column_widths(total_width: int) -> list[int]:
    """Each column's width for a table TOTAL_WIDTH cells wide (never less than at 80)."""
    widths = [width for _, width in COLUMNS]
    spare = max(0, total_width - sum(widths) - FRAME)
    # The item's words and the person's name are what get cut short: widen them first.
    widths[1] += spare * 6 // 10
    widths[0] += spare - spare * 6 // 10
    return widths


class ReviewTable(DataTable[Text]):
    """The items of one tab; enter opens the case at the highlighted item."""

    BINDINGS = [
        Binding(
            "enter",
            "select_cursor",
            "Open",
            tooltip="Open the case at this item",
            id="review.open",
        ),
        # A list of rows: home and end go to the first and last row.
        Binding("home", "scroll_top", "First", show=False, id="review.first"),
        Binding("end", "scroll_bottom", "Last", show=False, id="review.last"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return self.row_count > 0
        return True


@dataclass
class PageLoaded(Message):
    """A tab's page, read by a worker."""

    page: ReviewPage


@dataclass
class DevicesLoaded(Message):
    """Each laptop's last contact, read by a worker."""

    devices: list[DeviceContact]


@dataclass
class ChoicesLoaded(Message):
    """The filter choices, read by a worker, and which field the dialog should focus."""

    choices: FilterChoices
    focus: str


@dataclass
class CaseOpened(Message):
    """A case read by a worker, to show at ITEM."""

    record: CaseRecord
    item: ReviewItem


@dataclass
class ItemChanged(Message):
    """An action finished: the item as it now reads, and what to tell the supervisor."""

    item: ReviewItem
    said: str


@dataclass
class Failed(Message):
    """A store call failed; the words are for the supervisor."""

    message: str


class ReviewScreen(Screen[None]):
    """Everything pending across the supervisor's teams, overdue first."""

    @dataclass
    class CaseChosen(Message):
        """The supervisor opened the case RECORD at ITEM: the app shows it."""

        record: CaseRecord
        item: ReviewItem

    CSS_PATH = HERE / "review.tcss"
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

    def __init__(
        self,
        source: ReviewSource,
        *,
        tab: Tab = Tab.OVERDUE,
        filters: ReviewFilters | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.initial_tab = tab
        self.filters = filters or ReviewFilters()
        self._today = today
        self._now = now
        self.pages: dict[Tab, ReviewPage] = {}
        # How many rows each tab asks for: a page more each time the cursor goes past the
        # last row, so that a long list costs nothing until it is read.
        self.limits: dict[Tab, int] = dict.fromkeys(Tab, PAGE_SIZE)
        self.items: dict[str, ReviewItem] = {}
        self.devices: list[DeviceContact] = []
        self.choices: FilterChoices | None = None
        self._busy = False
        self._reload_on_resume = False
        # The tab whose rows are being read, and with which filters: a tab shown again
        # while they are read is not asked twice.
        self._in_flight: tuple[Tab, ReviewFilters] | None = None
        self._active = tab
        self._shown_tab: Tab | None = None
        # Where the cursor was on each tab, to put it back there.
        self._cursor_keys: dict[Tab, str] = {}

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._heading(), id="heading", markup=False)
        # A tab strip over one table: four tables in a TabbedContent cost a screen that
        # takes longer to build and a relayout on every change of tab.
        yield Tabs(
            *(TabWidget(TAB_LABELS[tab], id=tab.value) for tab in Tab),
            active=self.initial_tab.value,
            id="tabs",
        )
        yield Static("Loading...", id="showing", markup=False)
        yield ReviewTable(
            id="table",
            cursor_type="row",
            zebra_stripes=True,
            cell_padding=CELL_PADDING,
            header_height=2,
        )
        yield Static("", id="detail", markup=False)
        yield Static("", id="devices", markup=False)
        yield Static("", id="message", markup=False)
        # Short words, so that every key that can work here fits in 80 columns.
        yield KeysFooter()

    def _heading(self) -> str:
        return f"Pending checks: {self.source.reviewer}, {self.source.where}"

    def on_mount(self) -> None:
        self.table(self.initial_tab).focus()
        # The frame is drawn first ("Loading..."), then the rows are read: reading them
        # while the screen is still being built would only slow both down.
        self._in_flight = (self.initial_tab, self.filters)
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        self.load(self.initial_tab)
        self._load_devices()

    @property
    def today(self) -> date:
        """The day the tabs are worked out for."""
        return self._today()

    @property
    def now(self) -> datetime:
        """The time the laptops' last contact is measured from."""
        if self._now is not None:
            return self._now()
        return datetime.now().astimezone()

    @property
    def active_tab(self) -> Tab:
        """The tab on show."""
        return self._active

    def table(self, tab: Tab | None = None) -> ReviewTable:
        """The table (every tab is shown in the one table)."""
        return self.query_one("#table", ReviewTable)

    @property
    def current_item(self) -> ReviewItem | None:
        """The item under the cursor on the tab on show."""
        try:
            table = self.table(self.active_tab)
        except NoMatches:
            return None  # the footer asks while the screen is still being composed
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.items.get(key or "")

    # -- loading -----------------------------------------------------------------------

    def load(self, tab: Tab | None = None) -> None:
        """Read TAB (the one on show) again with the current filters."""
        tab = tab or self.active_tab
        if tab is self.active_tab and tab not in self.pages:
            # A tab already showing rows keeps them until the new ones arrive.
            self.query_one("#showing", Static).update("Loading...")
        self._in_flight = (tab, self.filters)
        self._load(tab, self.filters, self.today, self.limits[tab])

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.load")
    def _load(self, tab: Tab, filters: ReviewFilters, today: date, limit: int) -> None:
        try:
            page = self.source.page(tab, filters, today, limit)
        except ReviewError as error:
            post_from_worker(self, Failed(str(error)))
            return
        post_from_worker(self, PageLoaded(page))

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.devices")
    def _load_devices(self) -> None:
        try:
            devices = self.source.devices()
        except ReviewError as error:
            post_from_worker(self, Failed(str(error)))
            return
        post_from_worker(self, DevicesLoaded(devices))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        page = message.page
        if page.filters != self.filters:
            return  # the filters changed while it was read: a newer load is coming
        if self._in_flight == (page.tab, page.filters):
            self._in_flight = None
        self.pages[page.tab] = page
        if page.tab is self.active_tab:
            self.show_page(page)

    def show_page(self, page: ReviewPage) -> None:
        """Fill the table with PAGE's items, keeping the cursor on the same item."""
        table = self.table()
        kept = self._cursor_keys.get(page.tab)
        if table.row_count and self._shown_tab is page.tab:
            kept = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self._shown_tab = page.tab
        widths = column_widths(self.size.width or 80)
        table.clear(columns=True)
        for (label, _), width in zip(COLUMNS, widths, strict=True):
            table.add_column(Text(label, style="bold"), width=width, key=label)
        alert = Style(bold=True, color=self._alert_colour())
        for item in page.items:
            self.items[row_key(item)] = item
            cells, height = self._cells(item, widths, alert)
            table.add_row(*cells, height=height, key=row_key(item))
        if kept is not None and kept in {row_key(item) for item in page.items}:
            table.move_cursor(row=table.get_row_index(kept), animate=False)
        showing = f"{TAB_TITLES[page.tab]}: {page.showing}."
        if not page.items:
            showing += " " + empty_words(page.tab, page.filters)
        showing += f" Filters: {page.filters.describe()}."
        self.query_one("#showing", Static).update(showing)
        self._show_detail()
        # The footer is redrawn after the rows: it is the slower of the two to draw.
        self.call_after_refresh(self._refresh_keys)

    def _cells(
        self, item: ReviewItem, column_width: list[int], overdue_style: Style
    ) -> tuple[list[Text], int]:
        today = self.today
        widths = [width - GAP for width in column_width]
        alert = overdue_style if is_overdue(item, today) else None
        what = short_what(item.what) if item.kind == "check" else f"Follow-up: {item.what}"
        status = [status_word(item, today)]
        if not item.pending and item.done_on:
            status.append(short_date(item.done_on, today))
        if item.reviewed:
            status.append("Reviewed")
        columns = [
            [*wrap(item.case_name, widths[0], 2), item.crn],
            list(wrap(what, widths[1], 3)),
            list(wrap(item.owner or "No owner", widths[2], 2)),
            [f"{item.requested.day} {item.requested:%b}" if item.requested else "-"],
            (
                [short_date(item.due, today), *wrap(due_words(item, today), widths[4], 2)]
                if item.due
                else ["No due date"]
            ),
            status,
        ]
        height = max(2, max(len(lines) for lines in columns))
        cells = []
        for index, lines in enumerate(columns):
            text = Text("\n".join(line for line in lines if line is not None))
            if alert is not None and index in (4, 5):
                text.stylize(alert)
            cells.append(text)
        return cells, height

    def _alert_colour(self) -> RichColor:
        # Red only for overdue (ux.md): the theme's error colour, as the terminal knows it.
        return Color.parse(self.app.current_theme.error or "red").rich_color

    @on(DevicesLoaded)
    def _devices_loaded(self, message: DevicesLoaded) -> None:
        self.devices = message.devices
        summary = devices_summary(message.devices, self.now, central=self.source.central)
        self.query_one("#devices", Static).update(summary + ".")

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._set_busy(False)
        self._in_flight = None
        self.say(f"Error: {message.message}", error=True)
        shown = self.query_one("#showing", Static)
        if str(shown.render()) == "Loading...":
            shown.update("Not loaded: see the error below. Press r to try again.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._set_busy(False)
            self.say(f"Error: {event.worker.error}", error=True)

    def say(self, text: str, *, error: bool = False) -> None:
        """Put TEXT on the message line (an error in the error colour, with 'Error:')."""
        line = self.query_one("#message", Static)
        line.update(text)
        line.set_class(error, "-error")

    # -- moving about ------------------------------------------------------------------

    @on(Tabs.TabActivated, "#tabs")
    def _tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab.id is None:
            return
        tab = Tab(event.tab.id)
        if tab is self._active and self._shown_tab is tab:
            return
        self._remember_cursor()
        self._active = tab
        page = self.pages.get(tab)
        if page is not None and page.filters == self.filters:
            self.show_page(page)
        elif self._in_flight != (tab, self.filters):
            # The footer is left as it is until the rows come (show_page redraws it): a
            # key pressed meanwhile finds no row and does nothing.
            self.table().clear()
            self.query_one("#showing", Static).update("Loading...")
            self.load(tab)

    def _remember_cursor(self) -> None:
        table = self.table()
        if table.row_count and self._shown_tab is not None:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key is not None:
                self._cursor_keys[self._shown_tab] = key

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()
        self._refresh_keys()
        tab = self.active_tab
        page = self.pages.get(tab)
        last = event.cursor_row == event.data_table.row_count - 1
        if (
            last
            and page is not None
            and len(page.items) < page.matching
            and self._in_flight is None
        ):
            self.limits[tab] += PAGE_SIZE
            self.load(tab)

    def _show_detail(self) -> None:
        item = self.current_item
        self.query_one("#detail", Static).update(item_context(item) if item is not None else "")

    def action_show_tab(self, tab: str) -> None:
        """Show TAB and put the cursor in its list."""
        self.query_one("#tabs", Tabs).active = tab
        self.table().focus()

    def action_reload(self) -> None:
        """Read the tab on show and the laptops' last contact again (the other tabs when
        they are shown)."""
        self.say("")
        self.pages.clear()
        self.load()
        self._load_devices()

    def _set_busy(self, busy: bool) -> None:
        # While an action is being saved, no second one starts on the same item.
        self._busy = busy
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Have the footer show the keys that work now (it is redrawn only when they
        change: KeysFooter)."""
        self.refresh_bindings()

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
        self.limits = dict.fromkeys(Tab, PAGE_SIZE)
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
        try:
            choices = self.source.filter_choices(self.today)
        except ReviewError as error:
            post_from_worker(self, Failed(str(error)))
            return
        post_from_worker(self, ChoicesLoaded(choices, focus))

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

        def noted(note: str | None) -> None:
            if note is not None:
                self._set_busy(True)
                self.say("Saving...")
                self._mark_reviewed(item, note)

        self.app.push_screen(NoteDialog(item, self.today), noted)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.action")
    def _mark_reviewed(self, item: ReviewItem, note: str) -> None:
        try:
            changed = self.source.mark_reviewed(item, note)
        except ReviewError as error:
            post_from_worker(self, Failed(str(error)))
            return
        post_from_worker(
            self, ItemChanged(changed, f"Marked reviewed: {item.case_name}, {item_title(item)}.")
        )

    def action_reassign(self) -> None:
        """Give the follow-up to someone else."""
        self._with_choices("reassign")

    def _push_reassign(self, choices: FilterChoices) -> None:
        item = self.current_item
        if item is None or item.kind != "follow_up":
            return
        from court_tui.ui.review.dialogs import ReassignDialog

        def chosen(owner: str | None) -> None:
            if owner is not None:
                self._set_busy(True)
                self.say("Saving...")
                self._reassign(item, owner)

        self.app.push_screen(ReassignDialog(item, choices.officers, self.today), chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.action")
    def _reassign(self, item: ReviewItem, owner: str) -> None:
        try:
            changed = self.source.reassign(item, owner)
        except ReviewError as error:
            post_from_worker(self, Failed(str(error)))
            return
        said = f"{item.case_name}: the follow-up now belongs to {changed.owner}."
        post_from_worker(self, ItemChanged(changed, said))

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
        try:
            record = self.source.open_case(item.case_id)
        except ReviewError as error:
            post_from_worker(self, Failed(str(error)))
            return
        post_from_worker(self, CaseOpened(record, item))

    @on(CaseOpened)
    def _case_opened(self, message: CaseOpened) -> None:
        self.say("")
        self._reload_on_resume = True
        self.post_message(self.CaseChosen(message.record, message.item))

    def action_devices(self) -> None:
        """Each laptop's last contact with the central store."""
        from court_tui.ui.review.dialogs import DevicesDialog

        self.app.push_screen(DevicesDialog(self.devices, self.now, central=self.source.central))

    def on_screen_resume(self) -> None:
        if self._reload_on_resume:
            # Back from a case: anything in it may have changed.
            self._reload_on_resume = False
            self.pages.clear()
            self.load()
        self.table(self.active_tab).focus()
