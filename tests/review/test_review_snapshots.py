"""The review's canonical states at 80x24: each tab, a filtered list, each dialog, a case
opened read-only, and an empty store. Fixed cases, Monday 2 March 2026.

Update a snapshot only after looking at it (`pytest --snapshot-update`, then open the SVG).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from review_data import new_store
from review_pilot import settle
from textual.pilot import Pilot

from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewFilters, Tab
from court_tui.store import Store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.ui.review.app import ReviewApp

SIZE = (80, 24)
Snap = Callable[..., bool]


@pytest.fixture
def app(review_store: Store, review_forms: FormSet, review_clock: None) -> Iterator[Any]:
    def make(**kwargs: Any) -> ReviewApp:
        return ReviewApp(LocalReviewSource(review_store), forms=review_forms, **kwargs)

    yield make


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def _after(*keys: str) -> Callable[[Pilot[Any]], Any]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


def test_overdue(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_settled)


def test_due_soon(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after("2"))


def test_all_pending(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after("3"))


def test_received(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after("4"))


def test_filtered_by_court(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    keys = ("3", "f", "enter", "down", "enter", "ctrl+s")
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after(*keys))


def test_filter_dialog(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    keys = ("f", "tab", "enter", "down", "down", "enter")  # team: Leeds court team
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after(*keys))


def test_note_dialog_with_its_error(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after("down", "m", "ctrl+s"))


def test_reviewed_with_a_note(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    keys = ("down", "m", *"Chased", "space", *"police", "ctrl+s")
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after(*keys))


def test_reassign_dialog(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    keys = ("down", "down", "o", "A", "l")  # the suggestion shows the rest of the name
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after(*keys))


def test_case_opened_read_only(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after("down", "enter"))


def test_laptops_dialog(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    assert snap_compare(app(), terminal_size=SIZE, run_before=_after("d"))


def test_search_finding_nothing(snap_compare: Snap, app: Callable[..., ReviewApp]) -> None:
    made = app(tab=Tab.PENDING, filters=ReviewFilters(search="nobody"))
    assert snap_compare(made, terminal_size=SIZE, run_before=_settled)


def test_empty_store(
    snap_compare: Snap, tmp_path: Path, review_forms: FormSet, review_clock: None
) -> None:
    store = new_store(tmp_path / "empty.db", review_forms)
    try:
        made = ReviewApp(LocalReviewSource(store), forms=review_forms)
        assert snap_compare(made, terminal_size=SIZE, run_before=_settled)
    finally:
        store.close()
