"""Asking once, by keys at 80x24: what the section screens and the follow-up dialog show
already filled in, and that the officer can change it."""

from __future__ import annotations

from datetime import date

import pytest
from hosts import OFFICER, SIZE, Host, forms, wait_until
from textual.widgets import Button, Input
from ui_helpers import screen_text, tab_to, type_text

from court_tui.domain.answering import answer_check
from court_tui.domain.fields import check_field
from court_tui.domain.new_case import new_case
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.follow_up import FollowUpDialog
from court_tui.ui.screens.section import SectionScreen

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("frozen_clock")]

TODAY = date(2026, 3, 2)
TEAM = "Leeds court team"


def started() -> OpenCase:
    return OpenCase.of(new_case(OFFICER, TEAM, "", TODAY), forms(), OFFICER)


def shown(app: Host, field_id: str) -> str:
    screen = app.screen
    assert isinstance(screen, SectionScreen)
    widget = screen.field_widget(field_id)
    assert widget is not None
    return widget.query_one(Input).value


async def test_the_report_opens_with_the_author_and_office_filled_in() -> None:
    case = started()
    app = Host(lambda: SectionScreen(case, "report"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section")
        assert shown(app, "report_author") == OFFICER
        assert shown(app, "report_office") == TEAM
        assert case.record.answers["report_author"] == OFFICER
        assert "CaseChanged" in app.posted_kinds()
        # Changed by keys, the officer's answer is kept.
        await tab_to(pilot, "report_author")
        await pilot.press("end", *["backspace"] * len(OFFICER))
        await type_text(pilot, "Jo Bloggs")
        await wait_until(
            pilot, lambda: case.record.answers.get("report_author") == "Jo Bloggs", "changed"
        )
        assert "Jo Bloggs" in screen_text(app)


async def test_a_check_shows_its_usual_agency_once_requested() -> None:
    case = started()
    app = Host(lambda: SectionScreen(case, "checks"))
    agency = check_field("domestic_abuse", "agency")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section")
        assert case.record.check("domestic_abuse").agency is None
        await tab_to(pilot, check_field("domestic_abuse", "requested"))
        await pilot.press("1")
        await wait_until(pilot, lambda: case.record.check("domestic_abuse").agency, "pre-filled")
        assert case.record.check("domestic_abuse").agency == "Police"
        assert shown(app, agency) == "Police"
        assert case.record.check("safeguarding").agency is None


async def test_chasing_a_check_is_due_when_its_reply_is_expected() -> None:
    case = started()
    record, _ = answer_check(case.record, "domestic_abuse", "requested", "yes")
    record, _ = answer_check(record, "domestic_abuse", "agency", "Police")
    record, _ = answer_check(record, "domestic_abuse", "requested_on", "2026-03-02")
    record, _ = answer_check(record, "domestic_abuse", "expected_by", "2026-03-05")
    case.record = record
    app = Host(lambda: SectionScreen(case, "checks"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section")
        for _ in range(60):
            if isinstance(app.focused, Button) and app.focused.id == "record-follow-up":
                break
            await pilot.press("tab")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FollowUpDialog), "dialog")
        assert app.screen.query_one("#due", Input).value == "5/3/2026"
        assert "= Thursday 5 March 2026" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "dialog gone")
    (follow_up,) = case.record.open_follow_ups("domestic_abuse")
    assert follow_up.due == date(2026, 3, 5)
    assert follow_up.owner == OFFICER
