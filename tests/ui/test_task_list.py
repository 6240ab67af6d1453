"""The case task list alone at 80x24: where the cursor goes, the count, why a task cannot
start yet, and the supervisors' notes read in full."""

from __future__ import annotations

from datetime import date

import pytest
from hosts import OFFICER, SIZE, Host, demo_case, forms, wait_until
from textual.widgets import OptionList, Static
from ui_helpers import screen_text

from court_tui.domain.fields import Report
from court_tui.domain.new_case import new_case
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.tasks import NotesScreen, TaskListScreen

pytestmark = pytest.mark.asyncio


def _highlighted(host: Host) -> str | None:
    tasks = host.screen.query_one("#tasks", OptionList)
    assert tasks.highlighted is not None
    return tasks.get_option_at_index(tasks.highlighted).id


def _message(host: Host) -> str:
    return str(host.screen.query_one("#message", Static).render())


async def test_after_a_task_is_completed_the_cursor_is_on_the_next_one_to_do() -> None:
    case = demo_case("complete-crc")
    done = case.record
    answers = {k: v for k, v in done.answers.items() if k != Report.PROPOSAL}
    case.record = done.model_copy(update={"answers": answers})
    host = Host(lambda: TaskListScreen(case))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, TaskListScreen), "task list")
        await pilot.press("down")  # the report, the one task left before the handover
        assert _highlighted(host) == "report"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(host.screen, SectionScreen), "the report")
        case.record = done  # the officer completes it
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(host.screen, TaskListScreen), "back")
        await wait_until(pilot, lambda: _highlighted(host) == "handover", "cursor moved on")


async def test_a_new_case_reads_none_of_the_tasks_completed() -> None:
    record = new_case(OFFICER, "Leeds court team", "Leeds Magistrates' Court", date.today())
    case = OpenCase.of(record, forms(), OFFICER)
    host = Host(lambda: TaskListScreen(case))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: "tasks completed" in screen_text(host), "progress")
        assert "0 of 8 tasks completed" in screen_text(host)


async def test_cannot_start_yet_names_what_blocks_that_task() -> None:
    case = OpenCase.of(new_case(OFFICER, "Team", "", date.today()), forms(), OFFICER)
    host = Host(lambda: TaskListScreen(case))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, TaskListScreen), "task list")
        host.screen.query_one("#tasks", OptionList).highlighted = 5
        assert _highlighted(host) == "cas"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "RoSH level" in _message(host), "the CAS's reason")
        assert "'Screen for risk of serious harm'" in _message(host)
        await pilot.press("end", "enter")
        assert _highlighted(host) == "handover"
        await wait_until(pilot, lambda: "Check answers" in _message(host), "the handover's")
        assert "RoSH" not in _message(host)
        assert "'Enter the case and hearing details'" in _message(host)


async def test_a_supervisors_long_note_is_read_in_full() -> None:
    note = "Pat Lee, Monday 2 March 2026: Good analysis " + "and more " * 20 + "THE END"
    case = demo_case("complete-crc")
    case.oversight = ("Pat Lee, Monday 2 March 2026: Seen", note)
    host = Host(lambda: TaskListScreen(case))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, TaskListScreen), "task list")
        assert "THE END" not in screen_text(host)  # one line each on the list
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(host.screen, NotesScreen), "the notes")
        await wait_until(pilot, lambda: "THE END" in screen_text(host), "the whole note")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(host.screen, TaskListScreen), "back")


async def test_with_no_notes_n_reads_nothing() -> None:
    case = demo_case("complete-crc")
    host = Host(lambda: TaskListScreen(case))
    async with host.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(host.screen, TaskListScreen), "task list")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(host.screen, TaskListScreen)
