"""Cutting a lost laptop off from the review's laptops view, by keys at 80x24: on the
central store a supervisor confirms with a reason and the real server refuses the laptop
from then on (audited in the supervisor's login); on a laptop's own store, and for a
laptop outside the supervisor's teams, the supervisor is told why not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from review_data import PASSPHRASE, TODAY
from review_pilot import footer_keys, line, press, settle, type_text
from support.central import Central

from court_tui.domain.device_contact import DeviceContact
from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewError
from court_tui.store import Store, open_store
from court_tui.store.review_queries import LocalReviewSource
from court_tui.sync import sync_with_server
from court_tui.sync.review_server import CentralReviewSource
from court_tui.sync.server import add_user
from court_tui.ui.review.app import ReviewApp
from court_tui.ui.review.dialogs import NOT_HERE, DevicesDialog, RevokeDialog

pytestmark = [pytest.mark.asyncio, pytest.mark.postgres]

SIZE = (80, 24)
TEAM = "Leeds court team"


@pytest.fixture
def laptop(
    central: Central, tmp_path: Path, review_forms: FormSet
) -> Iterator[Callable[[], Store]]:
    """Sam's laptop, synced once, and the supervisors Pat (Sam's team) and Lee (another)."""
    add_user(central.admin_url, "sam", teams=[TEAM], role="officer", display_name="Sam Patel")
    add_user(central.admin_url, "pat", teams=[TEAM], role="supervisor", display_name="Pat Senior")
    add_user(central.admin_url, "lee", teams=["Bradford"], role="supervisor")
    store = open_store(tmp_path / "sam.db", PASSPHRASE, create=True, forms=review_forms)
    assert sync_with_server(store, central.url("sam")).ok
    yield lambda: store
    store.close()


async def test_a_supervisor_cuts_a_lost_laptop_off_from_the_laptops_view(
    central: Central, laptop: Callable[[], Store], review_forms: FormSet
) -> None:
    sam = laptop()
    source = CentralReviewSource(central.url("pat"))
    app = ReviewApp(source, forms=review_forms, today=lambda: TODAY)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "d")
            dialog = app.screen
            assert isinstance(dialog, DevicesDialog)
            assert "Revoke laptop" in footer_keys(pilot)
            assert dialog.lines()[0].startswith(
                f"Up to date: Sam Patel's laptop ({sam.device_id[:8]})"
            )

            await press(pilot, "r")
            assert isinstance(app.screen, RevokeDialog)
            assert line(pilot, "heading") == f"Cut off Sam Patel's laptop ({sam.device_id[:8]})?"
            await press(pilot, "ctrl+s")  # no reason yet: asked for, nothing done
            assert line(pilot, "inline-error").startswith("Error: Say why the laptop is cut off")
            await type_text(pilot, "left on the train")
            await press(pilot, "ctrl+s")

            assert app.screen is dialog
            assert dialog.lines()[0].startswith("Revoked: Sam Patel's laptop")
            assert dialog.lines()[0].endswith("by Pat Senior")
            assert line(pilot, "said").startswith("Cut off Sam Patel's laptop")
            await press(pilot, "r")  # again: said, not done twice
            assert (
                line(pilot, "said")
                == f"Sam Patel's laptop ({sam.device_id[:8]}) is already cut off."
            )
            await press(pilot, "escape")
            assert "revoked" in line(pilot, "devices")
    finally:
        source.close()

    # The real server refuses the laptop now, and the audit log has who and why.
    assert (
        central.scalar(
            "SELECT actor || ': ' || detail FROM court_tui.audit_log "
            "WHERE action = 'device-revoke'"
        )
        == "pat: laptop of sam cut off: left on the train"
    )
    report = sync_with_server(sam, central.url("sam"))
    assert report.revoked is not None
    assert " by Pat Senior (pat): left on the train." in (report.error or "")


async def test_a_supervisor_of_another_team_cannot_cut_the_laptop_off(
    central: Central, laptop: Callable[[], Store]
) -> None:
    sam = laptop()
    source = CentralReviewSource(central.url("lee"))
    try:
        assert source.devices() == []  # not in Lee's teams: not shown
        stranger = DeviceContact(sam.device_id, "Sam Patel", None)
        with pytest.raises(ReviewError, match="among your teams' laptops"):
            source.revoke_device(stranger, "not mine")
    finally:
        source.close()
    assert central.scalar("SELECT revoked_at FROM court_tui.devices") is None


async def test_on_a_laptops_own_store_the_supervisor_is_told_where_it_is_done(
    review_store: Store, review_forms: FormSet, review_clock: None
) -> None:
    app = ReviewApp(LocalReviewSource(review_store), forms=review_forms)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        await press(pilot, "r")
        assert isinstance(app.screen, DevicesDialog)
        assert line(pilot, "said") == NOT_HERE
