"""Each of the officer's screens and dialogs mounted alone in a small host app, on a case
held in memory (no store), driven by keys at 80x24."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

import pytest
from hosts import OFFICER, SIZE, Host, demo_case, forms, wait_until
from textual import on
from textual.widgets import Input, OptionList, Static
from ui_helpers import tab_to, type_text

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord
from court_tui.domain.handover import send_handover
from court_tui.domain.new_case import new_case
from court_tui.sync.conflicts import ConflictView, Difference
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.check_answers import CheckAnswersScreen
from court_tui.ui.screens.confirmation import ConfirmationScreen
from court_tui.ui.screens.conflicts import NONE_LEFT, ConflictsScreen
from court_tui.ui.screens.follow_up import FollowUpDialog, FollowUpResult
from court_tui.ui.screens.handover import HandoverScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.error_summary import ErrorSummary

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("frozen_clock")]

TODAY = date(2026, 3, 2)


def empty_case() -> OpenCase:
    """A case just started: heard today, nothing else answered."""
    return OpenCase.of(new_case(OFFICER, "Leeds court team", "", TODAY), forms(), OFFICER)


# -- the section screen --------------------------------------------------------------


async def test_a_section_takes_answers_and_shows_what_stops_it() -> None:
    case = empty_case()
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section shown")
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        await type_text(pilot, "Jo Smith")
        await wait_until(pilot, lambda: case.record.answers.get("name") == "Jo Smith", "named")
        assert "CaseChanged" in app.posted_kinds()
        await pilot.press("ctrl+s")
        summary = screen.query_one(ErrorSummary)
        await wait_until(pilot, lambda: summary.messages, "the problems summed up")
        assert "Enter the person's full name" not in summary.messages
        assert isinstance(app.screen, SectionScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results == [None], "the section closed")
        assert app.posted_kinds()[-1] == "SaveCaseNow"


async def test_not_known_records_a_follow_up_that_a_real_answer_closes() -> None:
    case = empty_case()
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section shown")
        await tab_to(pilot, "crn")
        await pilot.press("tab", "space")  # 'Not known' beside the CRN
        await wait_until(pilot, lambda: isinstance(app.screen, FollowUpDialog), "dialog")
        await tab_to_input(pilot, "due")
        await type_text(pilot, "+3")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "dialog gone")
        assert case.record.answers["crn"] == NOT_KNOWN
        (follow_up,) = case.record.open_follow_ups("crn")
        assert follow_up.owner == OFFICER
        await tab_to(pilot, "crn")
        await type_text(pilot, "X123456")
        await wait_until(pilot, lambda: not case.record.open_follow_ups("crn"), "closed")
        assert case.record.answers["crn"] == "X123456"
        # Closed at the first key of the real answer, which the follow-up keeps.
        (closed,) = case.record.follow_ups
        assert closed.answer == "X" and closed.closed_by == OFFICER


async def tab_to_input(pilot: Any, input_id: str) -> None:
    """Press tab until the input INPUT_ID has the focus (bounded)."""
    for _ in range(10):
        focused = pilot.app.focused
        if isinstance(focused, Input) and focused.id == input_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{input_id}")


# -- the follow-up dialog ------------------------------------------------------------


def follow_up_dialog() -> FollowUpDialog:
    def check(result: FollowUpResult) -> str | None:
        return None if result.owner else "Record who for the follow-up"

    return FollowUpDialog(
        "CRN", owner="", action="Ask the police", due=None, today=TODAY, check=check
    )


async def test_the_follow_up_dialog_says_what_is_missing_then_returns_the_follow_up() -> None:
    app = Host(follow_up_dialog)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FollowUpDialog), "dialog")
        await pilot.press("ctrl+s")
        problem = app.screen.query_one("#problem", Static)
        await wait_until(pilot, lambda: "Record who" in str(problem.render()), "the problem")
        assert isinstance(app.focused, Input) and app.focused.id == "owner"
        await type_text(pilot, "Jo Bloggs")
        await tab_to_input(pilot, "due")
        await type_text(pilot, "14/3/2026")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results, "the dialog closed")
    assert app.results == [FollowUpResult("Jo Bloggs", "Ask the police", date(2026, 3, 14))]


async def test_the_follow_up_dialog_takes_only_a_date_as_the_due_date() -> None:
    app = Host(follow_up_dialog)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FollowUpDialog), "dialog")
        await type_text(pilot, "Jo")
        await tab_to_input(pilot, "due")
        await type_text(pilot, "someday")
        await pilot.press("ctrl+s")
        problem = app.screen.query_one("#problem", Static)
        await wait_until(pilot, lambda: "as a date" in str(problem.render()), "the problem")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.results, "the dialog closed")
    assert app.results == [None]


# -- the handover and its confirmation -----------------------------------------------


async def test_the_officer_sends_the_handover_and_cannot_accept_it() -> None:
    case = demo_case("complete-crc")
    app = Host(lambda: HandoverScreen(case))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HandoverScreen), "handover")
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert not screen.check_action("acknowledge", ())
        await pilot.press("ctrl+s")
        summary = screen.query_one(ErrorSummary)
        await wait_until(pilot, lambda: summary.messages, "the problem summed up")
        assert summary.messages[0].startswith("Enter the responsible officer")
        await pilot.press("enter")  # to the field the problem is in
        await pilot.press(*"amorgan", "ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ConfirmationScreen), "handover sent"
        )
        assert case.record.handover.sent_to == "amorgan"
        assert case.record.handover.accepted_by is None


async def test_the_ro_accepts_the_handover_once_every_item_is_read() -> None:
    sent = demo_case("complete-crc")
    record = send_handover(
        sent.record, sent.assess(), to="Alex Morgan", by=OFFICER, at=datetime.now(UTC)
    )
    case = OpenCase.of(record, sent.forms, "Alex Morgan")
    app = Host(lambda: HandoverScreen(case))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HandoverScreen), "handover")
        screen = app.screen
        assert isinstance(screen, HandoverScreen)
        assert not screen.check_action("accept", ())
        for _ in screen.items():
            await pilot.press("space")
        await wait_until(pilot, lambda: screen.check_action("accept", ()), "all read")
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: isinstance(app.screen, ConfirmationScreen), "handover accepted"
        )
        assert case.record.handover.accepted_by == "Alex Morgan"
        assert {"CaseChanged", "SaveCaseNow"} <= set(app.posted_kinds())
        await pilot.press("enter")
        await wait_until(pilot, lambda: "BackToCases" in app.posted_kinds(), "back to cases")


# -- check your answers ---------------------------------------------------------------


async def test_check_answers_lists_the_answers_and_changes_one() -> None:
    case = demo_case("complete-crc")
    app = Host(lambda: CheckAnswersScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CheckAnswersScreen), "shown")
        screen = app.screen
        assert isinstance(screen, CheckAnswersScreen)
        assert any("Jordan Ellis" in line for line in screen.lines)
        assert isinstance(app.focused, OptionList)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "changing one")
        section = app.screen
        assert isinstance(section, SectionScreen) and section.from_check_answers
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "back to the answers")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.results == [None], "done")
        assert app.posted_kinds()[-1] == "SaveCaseNow"


# -- conflicts ------------------------------------------------------------------------


class FakeConflicts:
    """The conflicts part of the backend, in memory."""

    def __init__(self, record: CaseRecord) -> None:
        theirs = record.model_copy(update={"answers": {**record.answers, "name": "J Ellis"}})
        self.open = [
            ConflictView(
                case_id=record.id,
                title="Jordan Ellis (X123456)",
                mine=record,
                theirs=theirs,
                mine_revision=3,
                theirs_revision=4,
                theirs_changed_by="Ali Khan",
                detected_at=datetime(2026, 3, 2, 10, 0),
                differences=(Difference("name", "Full name", "Jordan Ellis", "J Ellis"),),
            )
        ]
        self.kept: list[str] = []

    def conflicts(self, officer: str) -> list[ConflictView]:
        return list(self.open)

    def resolve_conflict(
        self, case_id: str, keep: Literal["mine", "theirs"], officer: str
    ) -> CaseRecord:
        conflict = self.open.pop()
        self.kept.append(keep)
        return conflict.mine if keep == "mine" else conflict.theirs

    def sync_state(self) -> str:
        return "1 change waiting to sync"


class ConflictsHost(Host):
    """The host, keeping the conflicts settled."""

    resolved: list[ConflictsScreen.Resolved]

    @on(ConflictsScreen.Resolved)
    def _resolved(self, message: ConflictsScreen.Resolved) -> None:
        self.resolved = [*getattr(self, "resolved", []), message]


async def test_a_conflict_shows_both_versions_and_takes_the_choice() -> None:
    record = demo_case("complete-crc").record
    backend = FakeConflicts(record)
    app = ConflictsHost(lambda: ConflictsScreen(backend, OFFICER))  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictsScreen), "shown")
        screen = app.screen
        caption = screen.query_one("#case-caption", Static)
        await wait_until(pilot, lambda: "Jordan Ellis" in str(caption.render()), "conflict")
        assert "Ali Khan" in str(screen.query_one("#versions", Static).render())
        await pilot.press("tab", "enter")  # 'Keep my version'
        await wait_until(pilot, lambda: NONE_LEFT in str(caption.render()), "settled")
        assert backend.kept == ["mine"]
        (resolved,) = app.resolved
        assert resolved.record.answers["name"] == "Jordan Ellis"
        assert resolved.sync_state == "1 change waiting to sync"
        message = str(screen.query_one("#message", Static).render())
        assert message.startswith("Kept your version of Jordan Ellis")
