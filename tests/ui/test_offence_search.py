"""F1 on the offence code, by keys at 80x24: find the offence by words and fill in its code."""

from __future__ import annotations

from datetime import date

import pytest
from hosts import OFFICER, SIZE, Host, forms, wait_until
from textual.pilot import Pilot
from textual.widgets import Input
from ui_helpers import field_of, screen_text, tab_to, type_text

from court_tui.domain.new_case import new_case
from court_tui.domain.offences import OffenceCatalogue, empty_catalogue, parse_offence_mapping
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.help import HelpScreen
from court_tui.ui.screens.offence_search import OffenceSearchScreen
from court_tui.ui.screens.section import SectionScreen

pytestmark = [pytest.mark.asyncio, pytest.mark.usefixtures("frozen_clock")]

TODAY = date(2026, 3, 2)


def offence(description: str, offence_type: str, actuarial: str) -> dict[str, object]:
    return {
        "parentGroupDescription": "Theft offences",
        "categoryDescription": offence_type,
        "subCategoryDescription": description,
        "actuarialCategory": actuarial,
        "flags": {"isViolentSanction": False},
    }


CODES = parse_offence_mapping(
    {
        "04600": offence(
            "Stealing from shops and stalls (shoplifting)", "Shoplifting", "THEFT_NON_MOTOR"
        ),
        "04900": offence("Other theft", "Theft", "THEFT_NON_MOTOR"),
        "03000": offence("Burglary in a dwelling", "Burglary", "BURGLARY_DOMESTIC"),
    }
)


def case_with(catalogue: OffenceCatalogue) -> OpenCase:
    record = new_case(OFFICER, "Leeds court team", "", TODAY)
    return OpenCase.of(record, forms(), OFFICER, catalogue=catalogue)


async def search_from_the_code(pilot: Pilot[object], app: Host, typed: str = "") -> None:
    """On the case section, type TYPED into the offence code and press F1 there."""
    await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "section")
    await tab_to(pilot, "main_offence_code")
    await type_text(pilot, typed)
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, OffenceSearchScreen), "search")


async def back_to_the_question(pilot: Pilot[object], app: Host) -> None:
    """Escape from the search to the section."""
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "back")


async def test_f1_on_the_offence_code_finds_it_by_words_and_fills_it_in() -> None:
    case = case_with(CODES)
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await search_from_the_code(pilot, app)
        assert "3 offence codes loaded." in screen_text(app)
        await back_to_the_question(pilot, app)
        assert "Press F1 to search by description" in screen_text(app)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, OffenceSearchScreen), "again")
        await type_text(pilot, "shop")
        await wait_until(pilot, lambda: "1 found." in screen_text(app), "the match")
        assert "04600 Stealing from shops and stalls (shoplifting)" in screen_text(app)
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SectionScreen), "back")
        await wait_until(
            pilot, lambda: case.record.answers.get("main_offence_code") == "04600", "filled in"
        )
        focused = field_of(app.focused)
        assert focused is not None and focused.field_id == "main_offence_code"
        assert focused.query_one(Input).value == "04600"


async def test_escape_leaves_the_code_as_it_was() -> None:
    case = case_with(CODES)
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await search_from_the_code(pilot, app, "03000")
        await type_text(pilot, "theft")
        await wait_until(pilot, lambda: "3 found." in screen_text(app), "the matches")
        await back_to_the_question(pilot, app)
        assert case.record.answers["main_offence_code"] == "03000"


async def test_with_no_codes_loaded_the_search_says_how_to_import_them() -> None:
    case = case_with(empty_catalogue())
    app = Host(lambda: SectionScreen(case, "case"))
    async with app.run_test(size=SIZE) as pilot:
        await search_from_the_code(pilot, app)
        assert "court-tui offences import FILE" in screen_text(app)
        await back_to_the_question(pilot, app)
        # Elsewhere F1 is still the question's help.
        await tab_to(pilot, "main_offence_date")
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
