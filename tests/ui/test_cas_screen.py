"""The CAS screen alone, by keys at 80x24: the rules' allocation shown and pre-selected, a
reason asked only for an override, and what the case already holds filled in."""

from __future__ import annotations

from datetime import date

import pytest
from hosts import OFFICER, SIZE, Host, demo_case, wait_until
from textual.pilot import Pilot
from textual.widgets import Static
from ui_helpers import answer

from court_tui.domain.allocation import labels_from
from court_tui.domain.fields import Cas
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.cas import AllocationPanel, CasSectionScreen
from court_tui.ui.screens.rsr import section_screen

pytestmark = pytest.mark.asyncio

# The CAS answers the screen can fill in or pre-select, taken away to start afresh.
FILLED_IN = (
    Cas.ALLOCATION_DECISION,
    Cas.ALLOCATION_DATE,
    Cas.DECISION_MAKER,
    Cas.ASSESSMENT_RISK_OF_HARM,
    Cas.ASSESSMENT_LIKELIHOOD_OF_REOFFENDING,
    Cas.ASSESSMENT_NEEDS_AND_VULNERABILITIES,
    Cas.ASSESSMENT_BARRIERS_TO_ENGAGEMENT,
)


def undecided(name: str, **answers: str) -> OpenCase:
    """The demo case NAME without the CAS answers the screen fills in, plus ANSWERS."""
    case = demo_case(name)
    kept = {k: v for k, v in case.record.answers.items() if k not in FILLED_IN}
    case.record = case.record.model_copy(update={"answers": {**kept, **answers}})
    return case


def cas_host(case: OpenCase) -> Host:
    return Host(lambda: section_screen(case, "cas"))


async def until_open(pilot: Pilot[None], host: Host) -> None:
    await wait_until(pilot, lambda: isinstance(host.screen, CasSectionScreen), "CAS open")


def panel_text(host: Host) -> str:
    return str(host.screen.query_one(AllocationPanel).content)


def shown(host: Host, field_id: str) -> bool:
    screen = host.screen
    assert isinstance(screen, CasSectionScreen)
    field = screen.field_widget(field_id)
    return field is not None and bool(field.display)


async def test_the_rules_decision_is_shown_with_its_reasons_and_pre_selected() -> None:
    case = undecided("nps-by-rsr-6.90")
    host = cas_host(case)
    async with host.run_test(size=SIZE) as pilot:
        await until_open(pilot, host)
        text = panel_text(host)
        assert "The allocation rules give: National Probation Service (NPS)" in text
        assert "Because: RSR is 6.90 or higher (6.90)" in text
        assert "Provisional: no" in text
        assert "Pre-selected below: choose the other only to override the rules." in text
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "nps"
        assert not shown(host, Cas.ALLOCATION_OVERRIDE_REASON)
        # Ask once: the officer, today and the report's assessments, in place and visible.
        answers = case.record.answers
        assert answers[Cas.DECISION_MAKER] == OFFICER
        assert answers[Cas.ALLOCATION_DATE] == date.today().isoformat()
        assert str(answers[Cas.ASSESSMENT_RISK_OF_HARM]).startswith("RoSH level low.")
        assert "CaseChanged" in host.posted_kinds()
        note = str(host.screen.query_one("#prefilled", Static).content)
        assert note.startswith("Filled in from the case (change any that are wrong): ")
        assert "the decision maker" in note


async def test_choosing_otherwise_asks_the_reason_and_keeping_the_rules_does_not() -> None:
    case = undecided("nps-by-rsr-6.90")
    host = cas_host(case)
    async with host.run_test(size=SIZE) as pilot:
        await until_open(pilot, host)
        await answer(pilot, Cas.ALLOCATION_DECISION, "2")  # CRC, against the rules
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "crc"
        assert shown(host, Cas.ALLOCATION_OVERRIDE_REASON)
        assert "overrides the rules: give the reason" in panel_text(host)
        await pilot.press("1")  # back to the rules' NPS
        await pilot.pause()
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "nps"
        assert not shown(host, Cas.ALLOCATION_OVERRIDE_REASON)
        assert "Your decision below agrees with the rules." in panel_text(host)


async def test_a_change_to_mappa_updates_the_panel_and_the_pre_selected_decision() -> None:
    case = undecided("complete-crc")
    host = cas_host(case)
    async with host.run_test(size=SIZE) as pilot:
        await until_open(pilot, host)
        assert "Community Rehabilitation Company (CRC)" in panel_text(host)
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "crc"
        await answer(pilot, Cas.MAPPA_ELIGIBLE, "1")  # yes
        text = panel_text(host)
        assert "The allocation rules give: National Probation Service (NPS)" in text
        assert "Because: MAPPA eligible" in text
        # The screen chose CRC, not the officer: it follows the rules.
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "nps"
        assert not shown(host, Cas.ALLOCATION_OVERRIDE_REASON)
        # Once the officer chooses, a change to the rules never changes their decision.
        await answer(pilot, Cas.ALLOCATION_DECISION, "2")
        await answer(pilot, Cas.MAPPA_ELIGIBLE, "2")  # no
        await answer(pilot, Cas.MAPPA_ELIGIBLE, "1")  # yes again
        assert case.record.answers[Cas.ALLOCATION_DECISION] == "crc"
        assert shown(host, Cas.ALLOCATION_OVERRIDE_REASON)


async def test_a_not_known_criterion_makes_the_decision_provisional() -> None:
    case = undecided("blocked-not-known-without-follow-up")
    host = cas_host(case)
    async with host.run_test(size=SIZE) as pilot:
        await until_open(pilot, host)
        text = panel_text(host)
        assert "Community Rehabilitation Company (CRC)" in text
        assert "Provisional until known: the RSR score (no follow-up recorded yet)" in text


async def test_the_officers_answers_are_never_replaced_and_labels_are_configured() -> None:
    case = demo_case("nps-by-mappa")
    case.labels = labels_from("unification")
    answers = dict(case.record.answers)
    answers[Cas.DECISION_MAKER] = "Alex Brown"
    case.record = case.record.model_copy(update={"answers": answers})
    host = cas_host(case)
    async with host.run_test(size=SIZE) as pilot:
        await until_open(pilot, host)
        assert case.record.answers == answers
        assert "The allocation rules give: Retained (enhanced)" in panel_text(host)
        assert not host.screen.query("#prefilled")
