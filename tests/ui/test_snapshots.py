"""Snapshots of the canonical states at 80x24: fixed demo data, a stopped clock, no blink."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from support.waiting import palette_lists
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from ui_helpers import (
    PASSPHRASE,
    fill_store,
    open_case_named,
    settle,
    tab_to,
    tables_laid_out,
    type_text,
)

from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend

Steps = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def snapshot_app(store_path: Path, stopped_clock: None) -> CourtApp:
    """The app on a store of the demo cases, on Monday 2 March 2026 at 10:42."""
    fill_store(store_path)
    return CourtApp(Backend(store_path), passphrase=PASSPHRASE)


def steps_then_still(steps: Steps) -> Steps:
    """STEPS, then everything settled and no cursor blinking, for a stable picture."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await steps(pilot)
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, CourtApp)
        await app.flush()  # whether the autosave ran yet must not change the picture
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        await tables_laid_out(pilot)
        await pilot.pause()

    return run


async def new_case_section(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await settle(pilot)
    await pilot.press("enter")


async def errors_shown(pilot: Pilot[Any]) -> None:
    await new_case_section(pilot)
    await settle(pilot)
    await type_text(pilot, "Morgan Lee")
    await pilot.press("enter")
    await type_text(pilot, "31/2/1994")
    await pilot.press("ctrl+s")


async def follow_up_dialog(pilot: Pilot[Any]) -> None:
    await new_case_section(pilot)
    await settle(pilot)
    await tab_to(pilot, "pnc")
    await pilot.press("tab", "space")


async def check_answers(pilot: Pilot[Any]) -> None:
    await open_case_named(pilot, "Jordan Ellis")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("ctrl+s")


async def handover(pilot: Pilot[Any]) -> None:
    await open_case_named(pilot, "Jordan Ellis")
    await pilot.press("end", "enter")
    await settle(pilot)
    # The officer who wrote the case sends it: the responsible officer's login typed.
    await type_text(pilot, "amorgan")


async def settings(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, "settings")
    await palette_lists(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def handover_to_office_team(pilot: Pilot[Any]) -> None:
    # Where the officer's cases go, set once in Settings; the handover is ready to send.
    await settings(pilot)
    for place, text in enumerate(("Leeds NPS", "Leeds CRC", "Albion Street", "Park Place")):
        await pilot.press(*["tab"] * bool(place))
        await type_text(pilot, text)
    await pilot.press("ctrl+s")
    await settle(pilot)
    pilot.app.clear_notifications()  # "Saved" would stay on a stopped clock
    await open_case_named(pilot, "Jordan Ellis")
    await pilot.press("end", "enter")


async def pending_checks(pilot: Pilot[Any]) -> None:
    await pilot.press("ctrl+p")
    await type_text(pilot, "pending checks")
    await palette_lists(pilot)
    await pilot.press("enter")


async def case_list(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def task_list(pilot: Pilot[Any]) -> None:
    await open_case_named(pilot, "Jamie Walsh")


CAS_TASK = 5


def cas_decision_of(name: str, state: str) -> Steps:
    """The CAS screen of the case NAME, at the allocation decision with the rules' beside it."""

    async def steps(pilot: Pilot[Any]) -> None:
        await open_case_named(pilot, name)
        await pilot.press("home", *["down"] * CAS_TASK, "enter")
        await settle(pilot)
        await tab_to(pilot, "allocation_decision")

    steps.__name__ = f"cas_{state}"
    return steps


cas_nps_with_reasons = cas_decision_of("Casey Morgan", "nps_with_reasons")  # RSR 6.90
cas_crc = cas_decision_of("Jordan Ellis", "crc")
cas_provisional = cas_decision_of("Jamie Walsh", "provisional")  # RSR score not known


@pytest.mark.parametrize(
    "steps",
    [
        case_list,
        task_list,
        new_case_section,
        errors_shown,
        follow_up_dialog,
        check_answers,
        handover,
        settings,
        handover_to_office_team,
        pending_checks,
        cas_nps_with_reasons,
        cas_crc,
        cas_provisional,
    ],
    ids=lambda steps: steps.__name__,
)
def test_canonical_state(
    snap_compare: Callable[..., bool], snapshot_app: CourtApp, steps: Steps
) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=steps_then_still(steps))
