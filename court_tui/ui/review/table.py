"""The review's table: its columns at 80 wide, each item's cells, and the keys on a row."""

from __future__ import annotations

import textwrap
from datetime import date
from functools import lru_cache

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from court_tui.domain.dates import day_and_month
from court_tui.domain.review import (
    STATUS_REVIEWED,
    ReviewItem,
    due_words,
    is_overdue,
    item_title,
    short_date,
    short_what,
    status_word,
)

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


def item_cells(
    item: ReviewItem, column_width: list[int], today: date, overdue_style: Style
) -> tuple[list[Text], int]:
    """ITEM's cells in columns COLUMN_WIDTH wide on TODAY (the due date and status in
    OVERDUE_STYLE when it is overdue), and the height of its row."""
    widths = [width - GAP for width in column_width]
    alert = overdue_style if is_overdue(item, today) else None
    what = short_what(item.what) if item.kind == "check" else item_title(item)
    status = [status_word(item, today)]
    if not item.pending and item.done_on:
        status.append(short_date(item.done_on, today))
    if item.reviewed:
        status.append(STATUS_REVIEWED)
    columns = [
        [*wrap(item.case_name, widths[0], 2), item.crn],
        list(wrap(what, widths[1], 3)),
        list(wrap(item.owner or "No owner", widths[2], 2)),
        [day_and_month(item.requested) if item.requested else "-"],
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
