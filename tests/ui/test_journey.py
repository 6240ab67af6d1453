"""A case from new to accepted handover, by keys alone, at 80x24, on a real store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from ui_helpers import PASSPHRASE, answer, settle

from court_tui.domain.answers import is_not_known
from court_tui.domain.assessment import TaskStatus
from court_tui.store import open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.check_answers import CheckAnswersScreen
from court_tui.ui.screens.confirmation import ConfirmationScreen
from court_tui.ui.screens.follow_up import FollowUpDialog
from court_tui.ui.screens.handover import HandoverScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.tasks import TaskListScreen

pytestmark = pytest.mark.asyncio


async def continue_section(pilot: Pilot[object]) -> None:
    """Continue from a section, check its answers, and go back to the task list."""
    await pilot.press("ctrl+s")
    await settle(pilot)
    app = pilot.app
    assert isinstance(app.screen, CheckAnswersScreen), getattr(app.screen, "problems", None)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, TaskListScreen)


async def open_task(pilot: Pilot[object], index: int) -> None:
    """Move to the task at INDEX on the task list and open it."""
    await pilot.press("home", *["down"] * index, "enter")
    await settle(pilot)


async def test_new_case_to_accepted_handover_by_keys(filled_store: Path) -> None:
    backend = Backend(filled_store)
    app = CourtApp(backend, passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)

        await open_task(pilot, 0)
        assert isinstance(app.screen, SectionScreen)
        await answer(pilot, "name", text="Mo Lee")
        await answer(pilot, "date_of_birth", text="4/7/1994")
        await answer(pilot, "gender", "2")
        await answer(pilot, "crn", text="X765432")
        # The PNC number is not known yet: tick 'Not known' and record the follow-up.
        await answer(pilot, "pnc", "tab", "space")
        assert isinstance(app.screen, FollowUpDialog)
        await pilot.press("tab", "tab")
        await pilot.press("+", "3", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SectionScreen)
        await answer(pilot, "main_offence", text="Theft")
        await answer(pilot, "main_offence_date", text="1/2/2026")
        await answer(pilot, "conviction_date", text="16/2/2026")
        await answer(pilot, "sentence_type", "1")
        await answer(pilot, "sentence_date", text="today")
        await continue_section(pilot)

        await open_task(pilot, 1)
        await answer(pilot, "psr_type", "2")
        await answer(pilot, "proposal", text="Fine")
        await answer(pilot, "rar_proposed", "2")
        await answer(pilot, "sources_of_information", "space")
        # The author and office are the officer's, already filled in: not typed again.
        await answer(pilot, "report_date", text="today")
        await continue_section(pilot)

        await open_task(pilot, 2)
        for kind in ("domestic_abuse", "safeguarding"):
            await answer(pilot, f"checks.{kind}.requested", "1")
            await answer(pilot, f"checks.{kind}.requested_on", text="-1")
            await answer(pilot, f"checks.{kind}.expected_by", text="today")
            await answer(pilot, f"checks.{kind}.received_on", text="today")
            await answer(pilot, f"checks.{kind}.result", "1")
        await continue_section(pilot)

        await open_task(pilot, 3)
        await answer(pilot, "rsr_source", "1")
        await answer(pilot, "rsr_score", text="2.51")
        await answer(pilot, "rsr_date", text="today")
        await continue_section(pilot)

        await open_task(pilot, 4)
        await answer(pilot, "rosh_screening_date", text="today")
        await answer(pilot, "rosh_level", "1")
        await answer(pilot, "rosh_full_analysis_needed", "2")
        await continue_section(pilot)

        await open_task(pilot, 5)
        await answer(pilot, "mappa_eligible", "2")
        await answer(pilot, "deportation_eligible", "2")
        await answer(pilot, "public_interest", "2")
        # Filled in from the case, pre-selected by the rules: not typed again.
        await answer(pilot, "assessment_likelihood_of_reoffending", text="Medium")
        await answer(pilot, "assessment_needs_and_vulnerabilities", text="Debt")
        await answer(pilot, "assessment_barriers_to_engagement", text="None")
        await answer(pilot, "risk_review_required", "2")
        await answer(pilot, "first_appointment_date", text="+2")
        await answer(pilot, "first_appointment_time", text="14:30")
        await answer(pilot, "first_appointment_place", text="Leeds")
        await continue_section(pilot)

        assert isinstance(app.screen, TaskListScreen)
        case = app.open_case
        assert case is not None
        statuses = {task.id: task.status for task in case.assess().tasks}
        assert statuses["handover"] is TaskStatus.NOT_STARTED, statuses

        await open_task(pilot, 7)
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("ctrl+s")  # nobody to send it to yet: not possible
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press(*"amorgan")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmationScreen)
        await pilot.press("ctrl+q")

    with open_store(filled_store, PASSPHRASE) as store:
        summaries = store.repository.list_cases()
        saved_id = next(s.id for s in summaries if s.name == "Mo Lee")
        saved = store.repository.get_case(saved_id, actor="test")
    # Sent to the RO; the officer who wrote it never accepts it.
    assert saved.handover.sent_to == "amorgan"
    assert saved.handover.sent_by == "Sam Patel"
    assert saved.handover.accepted_by is None
    assert is_not_known(saved.answers["pnc"])
    assert saved.answers["allocation_decision"] == "crc"
    assert saved.answers["decision_maker"] == "Sam Patel"
    assert saved.answers["allocation_date"] == date.today().isoformat()
    assert saved.answers["assessment_risk_of_harm"] == "RoSH level low."
    assert saved.open_follow_ups("pnc")[0].owner == "Sam Patel"
    # Asked once: the officer, the team and each check's agency were filled in for them.
    assert saved.answers["report_author"] == "Sam Patel"
    assert saved.answers["report_office"] == saved.team
    assert saved.answers["rsr_assessor"] == f"Sam Patel, {saved.team}"
    assert saved.check("domestic_abuse").agency == "Police"
    assert saved.check("safeguarding").agency == "Children's services"
