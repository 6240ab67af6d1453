"""The review's tabs over one table: each tab's page read by a worker and shown.

Every store call runs in a thread worker that posts a message; the handlers own the
widgets. The four tabs share one table: each tab's page is kept with the filters it was
read with, so going back to a tab draws it again without reading, unless it is stale.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from datetime import date, datetime
from typing import TypeVar

from rich.color import Color as RichColor
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.color import Color
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, Tabs
from textual.widgets import Tab as TabWidget
from textual.worker import Worker, WorkerState

from court_tui.domain.review import (
    PAGE_SIZE,
    TAB_TITLES,
    DeviceContact,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    ReviewPage,
    ReviewSource,
    Tab,
    devices_summary,
    empty_words,
    item_context,
)
from court_tui.ui.review.messages import DevicesLoaded, Failed, PageLoaded
from court_tui.ui.review.table import (
    CELL_PADDING,
    COLUMNS,
    ReviewTable,
    column_widths,
    item_cells,
    row_key,
)
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.workers import post_outcome

T = TypeVar("T")

TAB_LABELS: dict[Tab, str] = {
    Tab.OVERDUE: "1 Overdue",
    Tab.DUE_SOON: "2 Due soon",
    Tab.PENDING: "3 All pending",
    Tab.RECEIVED: "4 Received",
}
TAB_KEYS = {"1": Tab.OVERDUE, "2": Tab.DUE_SOON, "3": Tab.PENDING, "4": Tab.RECEIVED}
LOADING = "Loading..."
# How long a tab's rows may take before the tab is drawn without them ("Loading..."):
# rows read sooner are drawn in the same paint as the tab, with no empty table between.
LOADING_DELAY = 0.1


class ReviewList(Screen[None]):
    """The review's tabs over one table: reading each tab's page, showing it, and moving
    about it (the supervisor's actions are ReviewScreen's)."""

    # How many more rows a tab asks for each time the cursor goes past its last row.
    page_size = PAGE_SIZE

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
        self.limits: dict[Tab, int] = dict.fromkeys(Tab, self.page_size)
        self.items: dict[str, ReviewItem] = {}
        self.devices: list[DeviceContact] = []
        self._busy = False
        # The tab whose rows are being read, and with which filters: a tab shown again
        # while they are read is not asked twice.
        self._in_flight: tuple[Tab, ReviewFilters] | None = None
        self._active = tab
        self._shown_tab: Tab | None = None
        # Where the cursor was on each tab, to put it back there.
        self._cursor_keys: dict[Tab, str] = {}
        # The columns' widths the table was made with (made again only when they change).
        self._widths: list[int] = []
        # Held while a tab waits for its rows: nothing is drawn until they come.
        self._held: ExitStack | None = None

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
        yield Static(LOADING, id="showing", markup=False)
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
            self._show_loading()
        self._in_flight = (tab, self.filters)
        self._load(tab, self.filters, self.today, self.limits[tab])

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.load")
    def _load(self, tab: Tab, filters: ReviewFilters, today: date, limit: int) -> None:
        self.ask(lambda: self.source.page(tab, filters, today, limit), PageLoaded)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review.devices")
    def _load_devices(self) -> None:
        self.ask(self.source.devices, DevicesLoaded)

    def ask(self, call: Callable[[], T], answer: Callable[[T], Message]) -> None:
        """From a thread worker: make CALL to the source, and post ANSWER to what it
        returns, or Failed with the source's words."""
        post_outcome(self, call, answer, Failed, (ReviewError,))

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
        if widths == self._widths:
            table.clear()
        else:  # the first page, or the window's width changed
            table.clear(columns=True)
            for (label, _), width in zip(COLUMNS, widths, strict=True):
                table.add_column(Text(label, style="bold"), width=width, key=label)
            self._widths = widths
        alert = Style(bold=True, color=self._alert_colour())
        for item in page.items:
            self.items[row_key(item)] = item
            cells, height = item_cells(item, widths, self.today, alert)
            table.add_row(*cells, height=height, key=row_key(item))
        if kept is not None and kept in {row_key(item) for item in page.items}:
            table.move_cursor(row=table.get_row_index(kept), animate=False)
        showing = f"{TAB_TITLES[page.tab]}: {page.showing}."
        if not page.items:
            showing += " " + empty_words(page.tab, page.filters)
        showing += f" Filters: {page.filters.describe()}."
        self.query_one("#showing", Static).update(showing)
        self._show_detail()
        self._draw_now()
        # The footer is redrawn after the rows: it is the slower of the two to draw.
        self.call_after_refresh(self._refresh_keys)

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
        self._draw_now()
        self.say(f"Error: {message.message}", error=True)
        shown = self.query_one("#showing", Static)
        if str(shown.render()) == LOADING:
            shown.update("Not loaded: see the error below. Press r to try again.")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self._set_busy(False)
            self._draw_now()
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
            self._show_loading()
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
            self.limits[tab] += self.page_size
            self.load(tab)

    def _show_loading(self) -> None:
        showing = self.query_one("#showing", Static)
        if str(showing.content) != LOADING:  # said once: each update costs a new layout
            showing.update(LOADING)
        self._hold_paint()

    def _hold_paint(self) -> None:
        """Draw nothing until the rows come or LOADING_DELAY has passed, whichever is
        first, so that a tab read quickly is drawn once, with its rows (each paint waits
        for the screen's next frame, and a frame of an empty table costs a full layout).

        Keys are still handled meanwhile, on what the screen holds, drawn or not: a tab
        being opened has an empty table, so a key for a row finds none and does nothing."""
        if self._held is not None or not self.is_current:
            return
        held = ExitStack()
        held.enter_context(self.app.batch_update())
        held.callback(self.set_timer(LOADING_DELAY, self._draw_now).stop)
        self._held = held

    def _draw_now(self) -> None:
        """Draw the screen as it is now, if it was held for a tab's rows."""
        held, self._held = self._held, None
        if held is not None:
            held.close()
            self.check_idle()

    def on_screen_suspend(self) -> None:
        self._draw_now()  # a dialog, or a case opened, is drawn at once

    def on_unmount(self) -> None:
        self._draw_now()

    def _show_detail(self) -> None:
        item = self.current_item
        # Its height is fixed (review.tcss): new words need no new layout of the screen.
        self.query_one("#detail", Static).update(
            item_context(item) if item is not None else "", layout=False
        )

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
