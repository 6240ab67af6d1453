"""Keys typed ahead with no pause land where the officer meant them, at 80x24: after a
choice that reveals questions, across a tab, and through a whole case to the handover."""

from __future__ import annotations

from pathlib import Path

import pytest
from hosts import SIZE, Host, demo_case
from support.typist import MINIMAL_CASE, Pick, Tick, Typist, type_case
from ui_helpers import PASSPHRASE, settle

from court_tui.store import open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.section import SectionScreen

pytestmark = pytest.mark.asyncio


def report_host() -> Host:
    case = demo_case("complete-crc")
    case.record = case.record.model_copy(update={"answers": {}})
    return Host(lambda: SectionScreen(case, "report"))


# What the report screen fills in from the officer before any key: never typed over.
PREFILLED = {"report_author": "Sam Patel", "report_office": "Leeds court team"}


def answers(app: Host) -> dict[str, object]:
    screen = app.screen
    assert isinstance(screen, SectionScreen)
    return {f.field_id: f.to_answer().value for f in screen.fields() if f.to_answer().value}


async def test_a_tab_straight_after_a_revealing_choice_goes_to_the_revealed_question() -> None:
    app = report_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await Typist(app).send(["1", "tab", "a", "b", "c"])
        assert answers(app) == {**PREFILLED, "psr_type": "oral", "offence_analysis": "abc"}


async def test_keys_after_a_tab_with_no_pause_go_to_the_next_field() -> None:
    app = report_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await Typist(app).send(["2", "tab", "a", "b", "c"])
        assert answers(app) == {**PREFILLED, "psr_type": "fast_delivery", "proposal": "abc"}


async def test_a_digit_typed_after_a_tab_chooses_in_the_next_choice_only() -> None:
    app = report_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # psr_type, then to proposal, past it to rar_proposed, and a digit there.
        await Typist(app).send(["2", "tab", "x", "tab", "1"])
        assert answers(app) == {
            **PREFILLED,
            "psr_type": "fast_delivery",
            "proposal": "x",
            "rar_proposed": "yes",
        }


async def test_text_typed_on_into_an_answer_stays_there_and_a_tab_after_it_goes_on() -> None:
    app = report_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typist = Typist(app)
        await typist.send(["1", "tab", "a"])  # oral shows the offence analysis: into it
        # Typed on into the same answer, then a tab and more text, with no pause.
        await typist.send(["b", "c", "tab", "d", "e"])
        assert answers(app) == {
            **PREFILLED,
            "psr_type": "oral",
            "offence_analysis": "abc",
            "pattern_of_offending": "de",
        }


async def test_text_typed_on_into_a_one_line_answer_then_enter_goes_to_the_next() -> None:
    case = demo_case("complete-crc")
    case.record = case.record.model_copy(update={"answers": {}})
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typist = Typist(app)
        await typist.send(["M"])
        await typist.send(["o", " ", "L", "enter", *"4/7/94", "enter", "2"])
        assert answers(app) == {"name": "Mo L", "date_of_birth": "1994-07-04", "gender": "female"}


async def test_a_whole_case_typed_with_no_pause_keeps_every_answer_in_its_field(
    filled_store: Path,
) -> None:
    oral = {
        **dict(MINIMAL_CASE)["report"],
        "psr_type": Pick(1),
        "offence_analysis": "Took food",
        "pattern_of_offending": "First",
        "escalation_in_seriousness": Pick(2),
        "factors_linked_to_offending": Tick(),
        "evidence_for_assessment": "Interview",
        "ogrs_level": Pick(1),
        "officer_assessment": "Low risk",
        "rosh_evidence": "None known",
        "previous_supervision_response": Pick(1),
        "proposal": "Fine",
    }
    # The CAS's four assessments are filled in from this report, not typed.
    cas = {
        **dict(MINIMAL_CASE)["cas"],
        "assessment_risk_of_harm": "RoSH level low. None known.",
        "assessment_likelihood_of_reoffending": "OGRS high. Low risk.",
        "assessment_needs_and_vulnerabilities": "Factors linked to offending: Accommodation.",
        "assessment_barriers_to_engagement": "Response to previous supervision: good.",
    }
    plans = {"report": oral, "cas": cas}
    case = [(task, plans.get(task, plan)) for task, plan in MINIMAL_CASE]
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_case(Typist(app), case)
        await pilot.press("ctrl+q")

    with open_store(filled_store, PASSPHRASE) as store:
        saved_id = next(s.id for s in store.repository.list_cases() if s.name == "Mo Lee")
        saved = store.repository.get_case(saved_id, actor="test")
    got = saved.answers
    assert got["name"] == "Mo Lee"
    assert got["date_of_birth"] == "1994-07-04"
    assert got["crn"] == "X765432"
    assert got["main_offence"] == "Theft"
    assert got["psr_type"] == "oral"
    assert got["offence_analysis"] == "Took food"
    assert got["pattern_of_offending"] == "First"
    assert got["evidence_for_assessment"] == "Interview"
    assert got["officer_assessment"] == "Low risk"
    assert got["rosh_evidence"] == "None known"
    assert got["proposal"] == "Fine"
    assert got["report_author"] == "Sam Patel"  # filled in, not typed
    assert got["report_office"] == "Leeds court team"
    assert got["rsr_score"] == "2.51"
    assert got["assessment_risk_of_harm"] == "RoSH level low. None known."
    assert got["assessment_likelihood_of_reoffending"] == "OGRS high. Low risk."
    assert got["assessment_needs_and_vulnerabilities"] == (
        "Factors linked to offending: Accommodation."
    )
    assert got["assessment_barriers_to_engagement"] == ("Response to previous supervision: good.")
    assert got["rsr_assessor"] == "Sam Patel, Leeds court team"
    assert got["decision_maker"] == "Sam Patel"
    assert got["first_appointment_time"] == "14:30"
    assert got["first_appointment_place"] == "Leeds"
    check = saved.check("domestic_abuse").as_answers()
    assert check["agency"] == "Police"
    assert saved.handover.sent_to == "amorgan"
    assert saved.handover.sent_at is not None
    assert saved.handover.accepted_at is None  # the RO accepts, in their own login


async def test_text_typed_ahead_into_an_answer_filled_in_as_it_appears_replaces_it() -> None:
    case = demo_case("complete-crc")
    case.record = case.record.model_copy(update={"checks": {}})
    app = Host(lambda: SectionScreen(case, "checks"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # 'Requested: yes' shows the agency, filled in as Police; the officer, typing
        # ahead, meant their own words for it.
        await Typist(app).send(["1", "tab", "C", "I", "D"])
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        agency = screen.field_widget("checks.domestic_abuse.agency")
        assert agency is not None and agency.to_answer().value == "CID"


async def test_an_answer_filled_in_is_kept_when_the_officer_tabs_past_it() -> None:
    case = demo_case("complete-crc")
    case.record = case.record.model_copy(update={"checks": {}})
    app = Host(lambda: SectionScreen(case, "checks"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await Typist(app).send(["1", "tab", "tab"])
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        agency = screen.field_widget("checks.domestic_abuse.agency")
        assert agency is not None and agency.to_answer().value == "Police"
