"""The supervisor's review screen mounted alone in a small host app, on items kept in
memory (no store), driven by keys at 80x24."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hosts import SIZE, FakeReviewSource, Host, item, wait_until
from textual import on
from textual.widgets import Static
from ui_helpers import type_text

from court_tui.domain.review import Tab
from court_tui.ui.review.dialogs import NoteDialog
from court_tui.ui.review.screen import ReviewScreen

pytestmark = pytest.mark.asyncio

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 42)


def source() -> FakeReviewSource:
    return FakeReviewSource(
        [
            item("Taylor Reid", due=date(2026, 2, 25)),
            item("Jordan Ellis", due=date(2026, 3, 3)),
            item("Casey Morgan", kind="check", due=date(2026, 2, 20), done_on=date(2026, 2, 28)),
        ]
    )


class ReviewHost(Host):
    """The host, keeping the cases the supervisor chose to open."""

    chosen: list[ReviewScreen.CaseChosen]

    @on(ReviewScreen.CaseChosen)
    def _chosen(self, message: ReviewScreen.CaseChosen) -> None:
        self.chosen = [*getattr(self, "chosen", []), message]


def host(made: FakeReviewSource) -> ReviewHost:
    return ReviewHost(lambda: ReviewScreen(made, today=lambda: TODAY, now=lambda: NOW))


def names(screen: ReviewScreen) -> list[str]:
    table = screen.table()
    return [str(table.get_row_at(i)[0]).splitlines()[0] for i in range(table.row_count)]


def showing(screen: ReviewScreen) -> str:
    return str(screen.query_one("#showing", Static).render())


async def overdue_shown(pilot: Any) -> ReviewScreen:
    """The review screen, once its first tab is read."""
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "shown")
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_until(pilot, lambda: names(screen) == ["Taylor Reid"], "overdue read")
    return screen


async def test_each_tab_shows_its_items() -> None:
    app = host(source())
    async with app.run_test(size=SIZE) as pilot:
        screen = await overdue_shown(pilot)
        await pilot.press("2")
        await wait_until(pilot, lambda: names(screen) == ["Jordan Ellis"], "due soon read")
        assert screen.active_tab is Tab.DUE_SOON
        await pilot.press("4")
        await wait_until(pilot, lambda: names(screen) == ["Casey Morgan"], "received read")
        devices = str(screen.query_one("#devices", Static).render())
        assert devices.endswith(".")


async def test_a_note_marks_the_item_reviewed() -> None:
    made = source()
    app = host(made)
    async with app.run_test(size=SIZE) as pilot:
        screen = await overdue_shown(pilot)
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), "note dialog")
        await type_text(pilot, "Chased today")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: made.notes, "the note saved")
        message = screen.query_one("#message", Static)
        await wait_until(pilot, lambda: "Marked reviewed" in str(message.render()), "said")
        ((noted, note),) = made.notes
        assert (noted.case_name, note) == ("Taylor Reid", "Chased today")


async def test_enter_asks_the_app_to_open_the_case() -> None:
    made = source()
    app = host(made)
    async with app.run_test(size=SIZE) as pilot:
        await overdue_shown(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app, "chosen", None), "case chosen")
        (chosen,) = app.chosen
        assert chosen.record.id == "case-Taylor Reid"
        assert chosen.item.case_name == "Taylor Reid"
        assert made.opened == ["case-Taylor Reid"]


async def test_a_source_that_fails_says_so() -> None:
    made = source()
    made.failing = "The central store cannot be reached."
    app = host(made)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "shown")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        message = screen.query_one("#message", Static)
        await wait_until(pilot, lambda: "Error:" in str(message.render()), "the error said")
        assert "cannot be reached" in str(message.render())
        assert showing(screen).startswith("Not loaded")
