"""Keys-only helpers for the review's pilot and snapshot tests, and reading what it shows."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Footer, Static

from court_tui.domain.review import Tab
from court_tui.ui.review.screen import ReviewScreen
from court_tui.ui.review.table import ReviewTable


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the workers to finish and their messages to be handled (a message may
    start another worker: a saved note reads the tab again)."""
    await pilot.pause()
    for _ in range(10):
        if all(worker.is_finished for worker in pilot.app.workers):
            break
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause()


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press KEYS, then settle."""
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type TEXT key by key."""
    keys = {" ": "space", "/": "slash", "'": "apostrophe", ",": "comma", ".": "full_stop"}
    await pilot.press(*[keys.get(c, c) for c in text])


def review_screen(pilot: Pilot[Any]) -> ReviewScreen:
    """The review screen (it must be on show)."""
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen), f"{screen!r} is on show"
    return screen


def rows(pilot: Pilot[Any], tab: Tab | None = None) -> list[list[str]]:
    """The rows of TAB (the one on show) as plain text, one string a cell."""
    screen = review_screen(pilot)
    assert tab is None or tab is screen.active_tab, f"{tab} is not on show"
    table: ReviewTable = screen.table()
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def names(pilot: Pilot[Any], tab: Tab | None = None) -> list[str]:
    """The case names in TAB's rows, in order."""
    return [row[0].splitlines()[0] for row in rows(pilot, tab)]


def showing(pilot: Pilot[Any]) -> str:
    """The count line of the tab on show."""
    return str(review_screen(pilot).query_one("#showing", Static).render())


def line(pilot: Pilot[Any], widget_id: str) -> str:
    """The text of the Static WIDGET_ID on the screen on show."""
    return str(pilot.app.screen.query_one(f"#{widget_id}", Static).render())


def footer_keys(pilot: Pilot[Any]) -> list[str]:
    """The keys the footer shows, by description."""
    screen = pilot.app.screen
    footer = screen.query_one(Footer)
    assert footer is not None
    return [
        binding.description
        for (_, binding, enabled, _) in screen.active_bindings.values()
        if binding.show and enabled
    ]
