"""Back in a long-text box already written in, the cursor is at the end of the text, so the
officer goes on writing rather than typing over the start."""

from __future__ import annotations

import pytest
from hosts import SIZE, Host, demo_case, wait_until
from textual.widgets import TextArea
from ui_helpers import tab_to

from court_tui.ui.screens.section import SectionScreen

pytestmark = pytest.mark.asyncio


async def test_returning_to_a_long_answer_puts_the_cursor_at_its_end() -> None:
    case = demo_case("complete-crc")
    written = case.record.answers["offence_analysis"]
    assert isinstance(written, str) and written
    app = Host(lambda: SectionScreen(case, "report"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section shown")
        await tab_to(pilot, "offence_analysis")
        area = app.focused
        assert isinstance(area, TextArea)
        assert area.cursor_location == area.document.end
        await pilot.press("space", "x")
        await wait_until(
            pilot,
            lambda: case.record.answers["offence_analysis"] == written + " x",
            "typed at the end",
        )
