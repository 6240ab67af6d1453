"""The RSR section: the calculator pre-fills from the case, works out the score, and the
officer can record it as the RSR score; offence search fills in the category."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from ui_helpers import PASSPHRASE, answer, open_case_named, screen_text, settle, tab_to, type_text

from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.rsr import RsrSectionScreen
from court_tui.ui.widgets.rsr_calculator import RsrCalculatorPanel

pytestmark = pytest.mark.asyncio

RSR_TASK = 3


async def test_the_calculator_scores_from_the_case_and_the_score_is_used(
    filled_store: Path,
) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case_named(pilot, "Jordan Ellis")
        await pilot.press("home", *["down"] * RSR_TASK, "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RsrSectionScreen)
        panel = screen.query_one(RsrCalculatorPanel)
        assert not panel.display
        await answer(pilot, "rsr_source", "2")  # calculated here
        assert panel.display
        needs = str(panel.query_one("#rsr-needs", Static).content)
        assert needs.startswith("Still needed: Category of the current offence")
        # The offence search finds the category in plain words.
        await tab_to(pilot, "offence_category")
        await pilot.press("tab")
        while app.focused is None or app.focused.id != "offence-search":
            await pilot.press("tab")
        await type_text(pilot, "shop")
        await pilot.pause()
        assert "not violent" in screen_text(app)
        await pilot.press("enter", "down", "enter")  # the second match
        await pilot.pause()
        assert app.open_case is not None
        assert app.open_case.record.answers["offence_category"] == "theft_non_motor"
        await answer(pilot, "total_sanctions", text="4")
        await answer(pilot, "age_at_first_sanction", text="19")
        await answer(pilot, "violent_sanctions", text="0")
        await answer(pilot, "sexual_history", "2")
        result = str(panel.query_one("#rsr-result", Static).content)
        assert result.startswith("Calculated RSR: ")
        calculated = panel.result
        assert calculated is not None and calculated.score is not None
        while app.focused is None or app.focused.id != "use-score":
            await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert app.open_case.record.answers["rsr_score"] == str(calculated.score.rsr_percent)
