"""Where a case goes, set once in Settings (command palette) and pre-filled, visibly and
changeably, in every case by its allocation: the first appointment's place on the CAS
screen and the office team on the handover; by keys at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from hosts import SIZE, Host, demo_case, wait_until
from support.waiting import app_until, palette_lists
from textual.pilot import Pilot
from textual.widgets import Input, Static
from ui_helpers import PASSPHRASE, answer, screen_text, settle, tab_to, type_text

from court_tui.domain.allocation import Provider
from court_tui.domain.fields import Cas
from court_tui.domain.handed_over import recipient
from court_tui.domain.prefill import AllocationOffices
from court_tui.domain.settings import FIRST_APPOINTMENT_PLACES, HANDOVER_TEAMS
from court_tui.store import open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.cas import CasSectionScreen
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.screens.confirmation import ConfirmationScreen
from court_tui.ui.screens.handover import HandoverScreen
from court_tui.ui.screens.rsr import section_screen
from court_tui.ui.screens.settings import SettingsScreen
from court_tui.ui.widgets.questions import TextField

pytestmark = pytest.mark.asyncio

PLACE = "first_appointment_place"
OFFICES = AllocationOffices(
    teams={Provider.NPS: "Leeds NPS", Provider.CRC: "Leeds CRC"},
    places={Provider.NPS: "Albion Street, Leeds", Provider.CRC: "Park Place, Leeds"},
)
# The CAS answers the screen fills in or pre-selects, taken away to start afresh.
FILLED_IN = (Cas.ALLOCATION_DECISION, Cas.ALLOCATION_DATE, Cas.DECISION_MAKER, PLACE)


def unallocated(name: str) -> OpenCase:
    """The demo case NAME with no allocation decision or place yet, and the offices set."""
    case = demo_case(name)
    kept = {k: v for k, v in case.record.answers.items() if k not in FILLED_IN}
    case.record = case.record.model_copy(update={"answers": kept})
    case.offices = OFFICES
    return case


def place_shown(host: Host) -> str:
    screen = host.screen
    assert isinstance(screen, CasSectionScreen)
    field = screen.field_widget(PLACE)
    assert isinstance(field, TextField)
    return field.text


async def test_the_place_set_for_the_allocation_is_pre_filled_and_follows_it() -> None:
    case = unallocated("complete-crc")
    host = Host(lambda: section_screen(case, "cas"))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, CasSectionScreen), "CAS")
        # The rules give CRC, pre-selected: the place set for CRC cases is in, shown.
        assert case.record.answers[PLACE] == "Park Place, Leeds"
        assert place_shown(host) == "Park Place, Leeds"
        note = str(host.screen.query_one("#prefilled", Static).content)
        assert (
            "From your settings for Community Rehabilitation Company (CRC) cases (change it "
            "if wrong): the place of the first appointment." in note
        )
        await answer(pilot, Cas.ALLOCATION_DECISION, "1")  # NPS, against the rules
        assert case.record.answers[PLACE] == "Albion Street, Leeds"
        assert place_shown(host) == "Albion Street, Leeds"
        assert "for National Probation Service (NPS) cases" in str(
            host.screen.query_one("#prefilled", Static).content
        )
        # The officer's own place is theirs: a change of allocation leaves it be.
        await tab_to(pilot, PLACE)
        await type_text(pilot, "Room 4")  # arriving selects the filled-in place: replaced
        await wait_until(pilot, lambda: case.record.answers[PLACE] == "Room 4", "typed")
        await answer(pilot, Cas.ALLOCATION_DECISION, "2")
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "crc"
        assert case.record.answers[PLACE] == "Room 4"
        assert place_shown(host) == "Room 4"


async def test_a_place_already_recorded_is_never_changed_by_opening_the_case() -> None:
    case = demo_case("complete-crc")  # its place: "Leeds probation office, Albion Street"
    case.offices = AllocationOffices(
        places={Provider.NPS: "Leeds probation office, Albion Street", Provider.CRC: "X"}
    )
    recorded = dict(case.record.answers)
    host = Host(lambda: section_screen(case, "cas"))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, CasSectionScreen), "CAS")
        await settle(pilot)
        assert case.record.answers == recorded


async def send_handover(*keys: str) -> tuple[OpenCase, str]:
    """The CRC demo case's handover, with the offices set, sent by KEYS; the case, and
    what the screen said before."""
    case = demo_case("complete-crc")
    case.offices = OFFICES
    host = Host(lambda: HandoverScreen(case))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, HandoverScreen), "handover")
        said = screen_text(host)
        assert host.screen.query_one("#send-to-team", Input).value == "Leeds CRC"
        await pilot.press(*keys)
        await wait_until(
            pilot, lambda: isinstance(host.screen, ConfirmationScreen), "handover sent"
        )
    return case, said


async def test_the_handover_goes_to_the_office_team_set_for_the_allocation() -> None:
    case, said = await send_handover("ctrl+s")
    assert "Press ctrl+s to send it to the Leeds CRC team" in said
    handover = case.record.handover
    assert (handover.sent_to, handover.sent_to_team) == (None, "Leeds CRC")
    assert recipient(case.record) == "the Leeds CRC team"


async def test_the_officer_can_send_it_elsewhere_instead() -> None:
    case, _ = await send_handover(*"amorgan", "tab", "ctrl+a", "ctrl+k", "ctrl+s")
    handover = case.record.handover
    assert (handover.sent_to, handover.sent_to_team) == ("amorgan", None)


async def open_settings(pilot: Pilot[None], app: CourtApp) -> SettingsScreen:
    await pilot.press("ctrl+p")
    await type_text(pilot, "settings")
    await palette_lists(pilot)
    await pilot.press("enter")
    await app_until(pilot, lambda: isinstance(app.screen, SettingsScreen), "Settings")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def test_settings_are_set_once_checked_and_used_by_new_cases(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=SIZE) as pilot:
        await app_until(pilot, lambda: isinstance(app.screen, CasesScreen), "the case list")
        screen = await open_settings(pilot, app)
        assert "The office team for National Probation Service (NPS) cases" in screen_text(app)
        await type_text(pilot, "x" * 201)
        for text in ("Leeds CRC", "Albion Street, Leeds", "Park Place, Leeds"):
            await pilot.press("tab")
            await type_text(pilot, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = (
            "The office team for National Probation Service (NPS) cases must be 200 "
            "characters or fewer"
        )
        assert isinstance(app.screen, SettingsScreen)
        assert f"Error: {message}" in str(
            screen.query_one(f"#{HANDOVER_TEAMS[Provider.NPS].key}-error", Static).content
        )
        await pilot.press("enter")  # from the summary to the field
        await pilot.press("ctrl+a", "ctrl+k", *"Leeds NPS", "ctrl+s")
        await app_until(pilot, lambda: isinstance(app.screen, CasesScreen), "saved")
        assert app.profile.offices == OFFICES
        await pilot.press("n")
        await app_until(pilot, lambda: app.open_case is not None, "the new case")
        assert app.open_case is not None and app.open_case.offices == OFFICES
    with open_store(filled_store, PASSPHRASE) as store:
        get = store.repository.get_setting
        assert get(HANDOVER_TEAMS[Provider.NPS].key) == "Leeds NPS"
        assert get(FIRST_APPOINTMENT_PLACES[Provider.CRC].key) == "Park Place, Leeds"


async def test_a_setting_that_cannot_be_used_is_said_when_settings_open(
    filled_store: Path,
) -> None:
    key = FIRST_APPOINTMENT_PLACES[Provider.CRC].key
    with open_store(filled_store, PASSPHRASE) as store:
        store.repository.put_setting(key, "Park Place\nLeeds")
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=SIZE) as pilot:
        await app_until(pilot, lambda: isinstance(app.screen, CasesScreen), "the case list")
        assert app.profile.offices.places[Provider.CRC] == ""  # never pre-filled
        screen = await open_settings(pilot, app)
        error = str(screen.query_one(f"#{key}-error", Static).content)
        assert error == (
            "Error: The first appointment place for Community Rehabilitation Company (CRC) "
            "cases could not be used (it must be one line of plain text): enter it again"
        )
        assert screen.query_one(f"#{key}", Input).value == "Park Place Leeds"
