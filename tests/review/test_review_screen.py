"""The supervisor's review at 80x24, by keys alone: the tabs, the filters and search, and
each action (open the case, mark reviewed with a note, change a follow-up's owner)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from review_data import (
    BRADFORD_COURT,
    LEEDS_TEAM,
    SUPERVISOR,
    TODAY,
    case,
    check,
    fill,
    new_store,
)
from review_pilot import (
    footer_keys,
    line,
    names,
    press,
    review_screen,
    rows,
    settle,
    showing,
    type_text,
)
from textual.widgets import Static

from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewError, ReviewFilters, ReviewPage, Tab
from court_tui.store import Store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.ui.review.app import ReviewApp
from court_tui.ui.review.case_view import CaseSummaryScreen
from court_tui.ui.review.dialogs import FilterDialog, NoteDialog, ReassignDialog
from court_tui.ui.review.list_screen import LOADING, ReviewList

pytestmark = pytest.mark.asyncio

SIZE = (80, 24)
AppMaker = Callable[..., ReviewApp]


@pytest.fixture
def make_app(review_store: Store, review_forms: FormSet, review_clock: None) -> AppMaker:
    def make(**kwargs: object) -> ReviewApp:
        source = kwargs.pop("source", None) or LocalReviewSource(review_store)
        return ReviewApp(source, forms=review_forms, **kwargs)  # type: ignore[arg-type]

    return make


# -- tabs ----------------------------------------------------------------------------------


async def test_opens_on_overdue_oldest_first_in_words(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert names(pilot) == ["Morgan Price", "Taylor Reid", "Jamie Walsh"]
        assert showing(pilot) == "Overdue: Showing 3 of 3. Filters: none."
        first = rows(pilot)[0]
        assert first == [
            "Morgan Price\nB123456",
            "Domestic abuse\ncheck",
            "Jo Lee",
            "16 Feb",
            "Fri 20 Feb\nOverdue by 6\nworking days",
            "Overdue",
        ]
        assert line(pilot, "detail").startswith(
            "Check: Domestic abuse check (police). Bradford Magistrates' Court"
        )
        assert line(pilot, "devices") == (
            "This laptop has never synced: only what was recorded on it is shown."
        )
        assert line(pilot, "heading") == f"Pending checks: {SUPERVISOR}, this laptop's store"


async def test_number_keys_show_each_tab(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        assert review_screen(pilot).active_tab is Tab.DUE_SOON
        assert names(pilot) == ["Jamie Walsh", "Morgan Price", "Casey Morgan"]
        assert showing(pilot).startswith("Due in the next two working days: Showing 3 of 3")
        assert [row[4] for row in rows(pilot)] == [
            "Mon 2 Mar\nDue today",
            "Tue 3 Mar\nDue in 1\nworking day",
            "Wed 4 Mar\nDue in 2\nworking days",
        ]
        await press(pilot, "3")
        assert names(pilot)[-3:] == ["Alex Brown", "Casey Morgan", "Robin Hughes"]
        assert rows(pilot)[-1][4] == "No due date"
        assert showing(pilot).startswith("All pending: Showing 9 of 9")
        await press(pilot, "4")
        assert names(pilot) == ["Taylor Reid", "Robin Hughes", "Sasha Green"]
        assert [row[5] for row in rows(pilot)] == [
            "Received\nThu 26 Feb",
            "Closed\nMon 2 Mar",
            "Received\nFri 27 Feb",
        ]
        await press(pilot, "1")
        assert review_screen(pilot).active_tab is Tab.OVERDUE


async def test_the_tab_strip_moves_with_arrows(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "shift+tab", "right", "right")
        assert review_screen(pilot).active_tab is Tab.PENDING
        assert showing(pilot).startswith("All pending: Showing 9 of 9")


async def test_opens_on_the_tab_and_filters_asked_for(make_app: AppMaker) -> None:
    app = make_app(tab=Tab.PENDING, filters=ReviewFilters(officer="Alex Khan"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert names(pilot) == ["Casey Morgan", "Casey Morgan", "Robin Hughes"]
        assert "Filters: officer Alex Khan." in showing(pilot)


async def test_going_past_the_last_row_reads_more(
    make_app: AppMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ReviewList, "page_size", 4)
    async with make_app(tab=Tab.PENDING).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(rows(pilot)) == 4
        assert showing(pilot).startswith("All pending: Showing the first 4 of 9 matching")
        await press(pilot, "down", "down", "down")
        assert len(rows(pilot)) == 8
        assert review_screen(pilot).table(Tab.PENDING).cursor_row == 3
        await press(pilot, "end")  # the last row
        assert len(rows(pilot)) == 9
        assert showing(pilot).startswith("All pending: Showing 9 of 9")


class SlowSource(LocalReviewSource):
    """The store, holding back the all-pending tab's rows until let go."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.let_go = threading.Event()

    def page(self, tab: Tab, filters: ReviewFilters, today: date, limit: int = 100) -> ReviewPage:
        if tab is Tab.PENDING:
            self.let_go.wait(timeout=60)
        return super().page(tab, filters, today, limit)


async def test_keys_pressed_while_a_tab_is_read_do_nothing(
    make_app: AppMaker, review_store: Store
) -> None:
    source = SlowSource(review_store)
    async with make_app(source=source).run_test(size=SIZE) as pilot:
        await settle(pilot)
        try:
            # At once, and again once the tab says it is loading: no row to act on.
            await pilot.press("3", "enter", "m", "o", "down")
            for _ in range(200):
                if showing(pilot) == LOADING:
                    break
                await pilot.pause(0.05)
            assert showing(pilot) == LOADING
            await pilot.press("enter", "m", "o", "end", "down", "enter")
            assert review_screen(pilot).active_tab is Tab.PENDING
            assert names(pilot) == []
            assert "Open" not in footer_keys(pilot) and "Review" not in footer_keys(pilot)
        finally:
            source.let_go.set()
        await settle(pilot)
        assert review_screen(pilot).active_tab is Tab.PENDING
        assert len(names(pilot)) == 9
        assert showing(pilot).startswith("All pending: Showing 9 of 9")
        assert review_screen(pilot).table().cursor_row == 0
        assert line(pilot, "message") == ""
    # No case was opened, and no item marked reviewed.
    assert [row for row in review_store.repository.audit_rows() if row.action == "view"] == []
    case_ids = {item.case_id for item in source.page(Tab.PENDING, ReviewFilters(), TODAY).items}
    assert all(review_store.repository.supervisor_notes(case) == [] for case in case_ids)


# -- filters and search --------------------------------------------------------------------


async def test_filter_by_court_then_clear(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Clear" not in footer_keys(pilot)
        await press(pilot, "f")
        assert isinstance(pilot.app.screen, FilterDialog)
        await press(pilot, "enter", "down", "enter", "ctrl+s")
        assert names(pilot) == ["Morgan Price"]
        assert showing(pilot) == (f"Overdue: Showing 1 of 3. Filters: court {BRADFORD_COURT}.")
        assert "Clear" in footer_keys(pilot)
        # Every tab shows under the filters.
        await press(pilot, "3")
        assert names(pilot) == ["Morgan Price", "Morgan Price", "Alex Brown"]
        await press(pilot, "x")
        assert len(names(pilot)) == 9
        assert "Clear" not in footer_keys(pilot)
        assert line(pilot, "message") == "Filters cleared."


async def test_filter_by_team_officer_and_kind(make_app: AppMaker) -> None:
    async with make_app(tab=Tab.PENDING).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f", "tab")  # to the team
        await press(pilot, "enter", "down", "down", "enter")  # Leeds court team
        await press(pilot, "tab", "enter", "down", "enter")  # officer: Alex Khan
        await press(pilot, "tab", "enter", "down", "down", "enter")  # follow-ups only
        await press(pilot, "ctrl+s")
        assert names(pilot) == ["Casey Morgan"]
        assert showing(pilot) == (
            f"All pending: Showing 1 of 9. Filters: team {LEEDS_TEAM}; officer Alex Khan; "
            "follow-ups only."
        )


async def test_escape_leaves_the_filters_as_they_were(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "f", "enter", "down", "enter", "escape")
        assert len(names(pilot)) == 3
        assert showing(pilot).endswith("Filters: none.")


async def test_slash_searches_by_name_crn_or_item(make_app: AppMaker) -> None:
    async with make_app(tab=Tab.PENDING).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "WALSH")
        await press(pilot, "enter")
        assert names(pilot) == ["Jamie Walsh", "Jamie Walsh"]
        assert showing(pilot).endswith('Filters: search "WALSH".')
        await press(pilot, "slash", "ctrl+u")
        await type_text(pilot, "b3456")
        await press(pilot, "enter")
        assert names(pilot) == ["Alex Brown"]
        await press(pilot, "slash", "ctrl+u")
        await type_text(pilot, "nobody")
        await press(pilot, "enter")
        assert names(pilot) == []
        assert showing(pilot) == (
            "All pending: Showing 0 of 9. Nothing is pending with these filters (search "
            '"nobody"). Filters: search "nobody".'
        )


# -- actions -------------------------------------------------------------------------------


async def test_mark_a_check_reviewed_with_a_note(make_app: AppMaker, review_store: Store) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down")  # Taylor Reid's domestic abuse check
        await press(pilot, "m")
        dialog = pilot.app.screen
        assert isinstance(dialog, NoteDialog)
        assert line(pilot, "heading") == "Mark reviewed: Check: Domestic abuse check (police)"
        await type_text(pilot, "Rang the police. Sam to chase Friday")
        await press(pilot, "ctrl+s")
        assert line(pilot, "message") == (
            "Marked reviewed: Taylor Reid, Check: Domestic abuse check (police)."
        )
        assert rows(pilot)[1][5] == "Overdue\nReviewed"
        assert review_screen(pilot).table(Tab.OVERDUE).cursor_row == 1
        assert line(pilot, "detail").endswith(
            f"Reviewed by {SUPERVISOR}: Rang the police. Sam to chase Friday"
        )
    (note,) = review_store.repository.supervisor_notes("0190f000-0000-7000-8000-000000000001")
    assert (note.item_id, note.note) == ("domestic_abuse", "Rang the police. Sam to chase Friday")


async def test_mark_a_follow_up_reviewed_keeps_a_note_on_it(
    make_app: AppMaker, review_store: Store
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "down", "m")
        await type_text(pilot, "OASys down: agreed a new date")
        await press(pilot, "ctrl+s")
        assert rows(pilot)[2][5] == "Overdue\nReviewed"
    record = review_store.repository.get_case("0190f000-0000-7000-8000-000000000002", actor="t")
    (note,) = review_store.repository.supervisor_notes(record.id)
    assert (note.item_id, note.note) == (record.follow_ups[0].id, "OASys down: agreed a new date")


async def test_a_note_is_needed_to_mark_reviewed(make_app: AppMaker, review_store: Store) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m", "ctrl+s")
        dialog = pilot.app.screen
        assert isinstance(dialog, NoteDialog)
        heading = dialog.query_one(".summary-heading", Static)
        assert str(heading.render()) == "There is a problem"
        assert line(pilot, "inline-error") == "Error: Enter an oversight note"
        # Enter on the summary's line goes to the note.
        await press(pilot, "enter")
        assert pilot.app.focused is not None and pilot.app.focused.id == "note"
        await press(pilot, "escape")
        assert rows(pilot)[0][5] == "Overdue"
    assert review_store.repository.supervisor_notes("0190f000-0000-7000-8000-000000000006") == []


async def test_change_a_follow_ups_owner(make_app: AppMaker, review_store: Store) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "down")
        assert "Owner" in footer_keys(pilot)
        await press(pilot, "o")
        assert isinstance(pilot.app.screen, ReassignDialog)
        await type_text(pilot, "Sam Patel")
        await press(pilot, "ctrl+s")
        assert line(pilot, "inline-error") == (
            "Error: The follow-up is already owned by Sam Patel: enter someone else"
        )
        await press(pilot, "enter")  # the error summary's line: back to the field
        await press(pilot, "ctrl+u")
        await type_text(pilot, "Alex")
        await press(pilot, "right")  # takes the suggested name from the teams
        await press(pilot, "enter")  # never submits
        assert isinstance(pilot.app.screen, ReassignDialog)
        await press(pilot, "ctrl+s")
        assert line(pilot, "message") == "Jamie Walsh: the follow-up now belongs to Alex Khan."
        assert rows(pilot)[2][2] == "Alex Khan"
    record = review_store.repository.get_case("0190f000-0000-7000-8000-000000000002", actor="t")
    assert [f.owner for f in record.follow_ups] == ["Alex Khan"]


async def test_a_check_has_no_owner_to_change(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert footer_keys(pilot) == [
            "Open",
            "Review",
            "Filter",
            "Search",
            "Laptops",
            "Quit",
        ]
        await press(pilot, "o")
        assert not isinstance(pilot.app.screen, ReassignDialog)


async def test_enter_opens_another_officers_case_read_only_at_the_item(
    make_app: AppMaker, review_store: Store
) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "enter")
        screen = pilot.app.screen
        assert isinstance(screen, CaseSummaryScreen)
        assert line(pilot, "heading") == "Morgan Price (B123456)"
        assert line(pilot, "caption") == "Read only: this is Jo Lee's case."
        text = screen.text().plain
        assert text.startswith("This item\nCheck: Domestic abuse check (police) - Morgan Price")
        assert "Domestic abuse check (police): Outstanding, requested Monday 16 February" in text
        # The item's own section comes before the rest of the case.
        assert text.index("Check domestic abuse and safeguarding") < text.index(
            "Enter the case and hearing details"
        )
        await press(pilot, "escape")
        assert names(pilot) == ["Morgan Price", "Taylor Reid", "Jamie Walsh"]
    actions = [(r.action, r.actor) for r in review_store.repository.audit_rows()]
    assert actions[-1] == ("view", SUPERVISOR)


async def test_enter_opens_the_supervisors_own_case_to_work_on(
    tmp_path: Path, review_forms: FormSet, review_clock: None
) -> None:
    from court_tui.ui.screens.tasks import TaskListScreen

    store = new_store(tmp_path / "own.db", review_forms)
    try:
        fill(
            store,
            [
                case(
                    11,
                    "Own Case",
                    "Z123456",
                    officer=SUPERVISOR,
                    checks={"safeguarding": check(date(2026, 2, 16), date(2026, 2, 20))},
                )
            ],
        )
        app = ReviewApp(LocalReviewSource(store), forms=review_forms)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "enter")
            stack = [type(screen).__name__ for screen in app.screen_stack]
            assert "TaskListScreen" in stack
            assert stack[-1] != "CaseSummaryScreen"
            while not isinstance(app.screen, TaskListScreen):
                await press(pilot, "escape")
            await press(pilot, "escape")
            assert names(pilot) == ["Own Case"]
    finally:
        store.close()


async def test_laptops_dialog_lists_each_ones_last_sync(make_app: AppMaker) -> None:
    async with make_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        assert line(pilot, "heading") == "Laptops' last contact with the central store"
        assert pilot.app.screen.lines() == ["Behind: This laptop has never synced"]  # type: ignore[attr-defined]
        await press(pilot, "escape")
        assert names(pilot)


class FailingSource(LocalReviewSource):
    """The store, failing to read the list."""

    def page(self, tab: Tab, filters: ReviewFilters, today: date, limit: int = 100) -> ReviewPage:
        raise ReviewError("The store could not be read (disk I/O error).")


async def test_a_store_error_is_shown_in_words_not_swallowed(
    make_app: AppMaker, review_store: Store
) -> None:
    async with make_app(source=FailingSource(review_store)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert line(pilot, "message") == ("Error: The store could not be read (disk I/O error).")
        assert showing(pilot) == "Not loaded: see the error below. Press r to try again."
        assert names(pilot) == []
        assert "Review" not in footer_keys(pilot)


async def test_nothing_pending_still_says_how_current_the_view_is(
    tmp_path: Path, review_forms: FormSet, review_clock: None
) -> None:
    store = new_store(tmp_path / "empty.db", review_forms)
    try:
        app = ReviewApp(LocalReviewSource(store), forms=review_forms)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert showing(pilot) == (
                "Overdue: Showing 0 of 0. Nothing is overdue in what has reached this view. "
                "Filters: none."
            )
            assert line(pilot, "devices") == (
                "This laptop has never synced: only what was recorded on it is shown."
            )
            assert footer_keys(pilot) == ["Filter", "Search", "Laptops", "Quit"]
    finally:
        store.close()
