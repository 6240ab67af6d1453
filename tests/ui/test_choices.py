"""Every option of a choice can be reached by typing, at 80x24: two-digit numbers in a
list of more than nine, type-to-find by the options' words, and digits that change only
the choice the officer is on."""

from __future__ import annotations

from typing import Any

import pytest
from hosts import SIZE, Host, demo_case
from support.typist import Typist
from textual.pilot import Pilot
from textual.widgets import RadioButton, TextArea

from court_tui.ui.screens.rsr import section_screen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.controls import ChoiceSet, TickList
from court_tui.ui.widgets.questions import ChoiceField

CATEGORY = "offence_category"


def calculator_host() -> Host:
    """The RSR section of a case scored here, with the offence category focused and empty."""
    case = demo_case("complete-crc")
    answers = {**case.record.answers, "rsr_source": "calculated"}
    answers.pop(CATEGORY, None)
    case.record = case.record.model_copy(update={"answers": answers})
    return Host(lambda: section_screen(case, "rsr", focus_field=CATEGORY))


def category(app: Host) -> Any:
    screen = app.screen
    assert isinstance(screen, SectionScreen)
    field = screen.field_widget(CATEGORY)
    assert isinstance(field, ChoiceField)
    return field.to_answer().value


async def typed(keys: list[str]) -> Any:
    app = calculator_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert category(app) is None
        await Typist(app).send(keys)
        return category(app)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("keys", "chosen"),
    [
        (["1", "9"], "violence_against_the_person"),  # 19, not 9
        (["2", "0"], "welfare_fraud"),  # 20
        (["1", "3"], "other_offences"),  # 13
        (["1", "tab"], "absconding_or_bail"),  # 1, then on to the next question
        (["9"], "drunkenness"),  # 9 cannot start a number of this list: chosen at once
    ],
)
async def test_a_long_list_takes_two_digit_numbers_typed_with_no_pause(
    keys: list[str], chosen: str
) -> None:
    assert await typed(keys) == chosen


@pytest.mark.asyncio
async def test_letters_find_an_option_by_its_words_and_space_chooses_it() -> None:
    app = calculator_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typist = Typist(app)
        await typist.send(["v", "i", "o"])
        assert category(app) is None  # letters only move the highlight
        choices = app.screen.query_one(f"#{_dom(CATEGORY)} ChoiceSet", ChoiceSet)
        buttons = list(choices.query(RadioButton))
        await typist.send(["space"])
        assert category(app) == "violence_against_the_person"
        assert buttons[18].value


@pytest.mark.asyncio
async def test_digits_after_a_tab_never_change_the_choice_being_left() -> None:
    app = calculator_host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await Typist(app).send(["1", "9", "tab", "2"])
        assert category(app) == "violence_against_the_person"
        # The 2 went to the question that the answer 19 shows, after the category.
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        subtype = screen.field_widget("violence_subtype")
        assert isinstance(subtype, ChoiceField)
        assert subtype.to_answer().value == "firearms_other"


@pytest.mark.asyncio
async def test_a_long_tick_list_finds_an_option_by_its_words() -> None:
    case = demo_case("complete-crc")
    case.record = case.record.model_copy(update={"answers": {}})
    app = Host(lambda: SectionScreen(case, "report", focus_field="sources_of_information"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typist = Typist(app)
        await typist.send(["s", "e", "n"])  # 'Sentencing guidelines', not 'Service records'
        await typist.send(["space"])
        ticks = app.screen.query_one(f"#{_dom('sources_of_information')} TickList", TickList)
        assert ticks.selected == ["sentencing_guidelines"]
        await typist.send(["w", "space"])  # a word's start: 'Witness statement'
        assert set(ticks.selected) == {"sentencing_guidelines", "witness_statement"}


def _dom(field_id: str) -> str:
    from court_tui.ui.widgets.questions import dom_id

    return dom_id(field_id)


async def _nineteen(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await Typist(pilot.app).send(["1", "9"])
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False


def test_snapshot_a_long_list_reads_with_two_digit_numbers(snap_compare: Any) -> None:
    assert snap_compare(calculator_host(), run_before=_nineteen)
