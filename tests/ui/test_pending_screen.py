"""The officer's pending checks at 80x24: every row opens its case at the item, and a
'not known' nobody is finding out is listed as blocked, with a follow-up recorded from
right there."""

from __future__ import annotations

from pathlib import Path

import pytest
from hosts import wait_until
from ui_helpers import PASSPHRASE, screen_text, settle, type_text

from court_tui.store import open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.follow_up import FollowUpDialog
from court_tui.ui.screens.pending import PendingScreen
from court_tui.ui.screens.section import SectionScreen

pytestmark = pytest.mark.asyncio

SIZE = (80, 24)


async def _pending(app: CourtApp, pilot: object) -> PendingScreen:
    app.show_pending()
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, PendingScreen)
    return screen


async def _to_row(pilot: object, screen: PendingScreen, kind: str) -> int:
    row = next(index for index, item in enumerate(screen.items) if item.kind == kind)
    for _ in range(row):
        await pilot.press("down")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    return row


async def test_enter_on_a_check_opens_the_case_at_the_check(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _pending(app, pilot)
        row = await _to_row(pilot, screen, "check")
        item = screen.items[row]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SectionScreen)
        assert app.open_case is not None and app.open_case.record.id == item.case_id
        assert app.screen.section.id == app.forms.check_form().section


async def test_a_blocked_not_known_gets_its_follow_up_from_the_pending_list(
    filled_store: Path,
) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await _pending(app, pilot)
        await wait_until(pilot, lambda: "Blocked" in screen_text(app), "the blocked row shown")
        row = await _to_row(pilot, screen, "not_known")
        item = screen.items[row]
        assert item.status == "Blocked" and item.item_id == "rsr_score"
        assert screen.check_action("record_follow_up", ()) is True
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FollowUpDialog)
        assert "Record a follow-up: the RSR score" in screen_text(app)
        await pilot.press("enter", "enter")  # who and what are filled in; to 'by when'
        await type_text(pilot, "+3")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FollowUpDialog)
        await pilot.press("ctrl+q")
    with open_store(filled_store, PASSPHRASE) as store:
        saved = store.repository.get_case(item.case_id, actor="test")
    follow_up = saved.open_follow_ups("rsr_score")[0]
    assert follow_up.owner == "Sam Patel" and follow_up.due is not None
    with open_store(filled_store, PASSPHRASE) as store:
        left = store.repository.pending_items(today=follow_up.recorded_on)
    assert not [i for i in left if i.case_id == item.case_id and i.kind == "not_known"]
