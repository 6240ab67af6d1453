"""The error summary at 80x24: small enough to leave the questions in sight, and typing
while it has the focus lands in the field in error, never lost."""

from __future__ import annotations

from datetime import date

import pytest
from hosts import OFFICER, SIZE, Host, forms, wait_until
from support.typist import Typist
from textual.widgets import OptionList
from ui_helpers import field_of

from court_tui.domain.new_case import new_case
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.error_summary import SHOWN, ErrorSummary

pytestmark = pytest.mark.asyncio


def empty_case() -> OpenCase:
    return OpenCase.of(
        new_case(OFFICER, "Leeds court team", "", date(2026, 3, 2)), forms(), OFFICER
    )


async def _errors_shown(pilot, app: Host) -> ErrorSummary:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section shown")
    await pilot.press("ctrl+s")
    summary = app.screen.query_one(ErrorSummary)
    await wait_until(pilot, lambda: summary.messages, "the problems summed up")
    await wait_until(pilot, lambda: isinstance(app.focused, OptionList), "the summary focused")
    return summary


async def test_the_summary_takes_at_most_five_rows_at_80x24() -> None:
    app = Host(lambda: SectionScreen(empty_case(), "case"))
    async with app.run_test(size=SIZE) as pilot:
        summary = await _errors_shown(pilot, app)
        assert len(summary.messages) > SHOWN  # every problem is still in it
        assert summary.outer_size.height <= 5
        assert f"and {len(summary.messages) - SHOWN} more" in str(
            summary.query_one(".summary-more").render()
        )


async def test_typing_on_the_summary_lands_in_the_first_field_in_error() -> None:
    case = empty_case()
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await _errors_shown(pilot, app)
        await pilot.press(*"Jo Smith")
        await wait_until(pilot, lambda: case.record.answers.get("name") == "Jo Smith", "typed")
        field = field_of(app.focused)
        assert field is not None and field.field_id == "name"


async def test_typing_after_moving_down_goes_to_that_lines_field() -> None:
    app = Host(lambda: SectionScreen(empty_case(), "case"))
    async with app.run_test(size=SIZE) as pilot:
        summary = await _errors_shown(pilot, app)
        second = summary._fields[1]
        await pilot.press("down", "x")
        await wait_until(pilot, lambda: field_of(app.focused) is not None, "on a field")
        field = field_of(app.focused)
        assert field is not None and field.field_id == second
        await wait_until(pilot, lambda: field.to_answer().draft == "x", "the key kept")


async def test_keys_typed_on_the_summary_with_no_pause_land_in_order() -> None:
    case = empty_case()
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await _errors_shown(pilot, app)
        await Typist(app).send(list("Jo Smith"))
        await wait_until(pilot, lambda: case.record.answers.get("name") == "Jo Smith", "typed")
