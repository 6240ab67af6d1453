"""Enter moves on to the next question still to answer, at 80x24 with no pause between
keys: past a question's own 'Not known' box and past answers court-tui filled in, while
tab still stops at each; enter on a choice chooses and moves on, after the questions the
choice reveals are shown. A CRN's letter is a capital as it is typed."""

from __future__ import annotations

from datetime import date

import pytest
from hosts import SIZE, Host, demo_case
from support.typist import Typist

from court_tui.domain.fields import Case
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.questions import QuestionField

pytestmark = pytest.mark.asyncio


def host(section: str, answers: dict[str, object]) -> Host:
    case = demo_case("complete-crc")
    case.record = case.record.model_copy(update={"answers": answers})
    return Host(lambda: SectionScreen(case, section))


def focused_question(app: Host) -> str:
    """The field id of the question holding the focus."""
    focused = app.focused
    assert focused is not None
    owner = next(w for w in focused.ancestors_with_self if isinstance(w, QuestionField))
    return owner.field_id


def shown_text(app: Host, field_id: str) -> str:
    screen = app.screen
    assert isinstance(screen, SectionScreen)
    field = screen.field_widget(field_id)
    assert isinstance(field, QuestionField)
    return str(getattr(field, "text", ""))


async def test_enter_goes_to_each_question_still_to_answer_and_skips_filled_in_ones() -> None:
    # Court and hearing date are filled in when a case starts; the PNC and courtroom are
    # empty (optional, but still to answer), so enter stops there.
    today = date.today().isoformat()
    app = host("case", {Case.COURT: "Leeds", Case.HEARING_DATE: today})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typist = Typist(app)
        await typist.send([*"Mo", "enter"])
        assert focused_question(app) == Case.DATE_OF_BIRTH
        await typist.send([*"4/7/94", "enter"])
        assert focused_question(app) == Case.GENDER
        await typist.send(["2", "enter"])
        assert focused_question(app) == Case.CRN
        await typist.send([*"x123456", "enter"])
        assert focused_question(app) == Case.PNC  # not the CRN's own 'Not known' box
        assert shown_text(app, Case.CRN) == "X123456"
        await typist.send(["enter"])
        assert focused_question(app) == Case.COURTROOM  # past the court, filled in
        await typist.send(["enter", *"Theft"])
        # Past the hearing date, filled in: the offence is typed where it belongs.
        assert shown_text(app, "main_offence") == "Theft"
        assert shown_text(app, Case.COURT) == "Leeds"
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        assert screen.case.record.answers[Case.CRN] == "X123456"
        assert screen.case.record.answers[Case.GENDER] == "female"


async def test_tab_still_stops_at_an_answer_filled_in() -> None:
    app = host("case", {Case.COURT: "Leeds"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        typist = Typist(app)
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        screen.field_widget(Case.PNC).focus_control()  # type: ignore[union-attr]
        await pilot.pause()
        # From the PNC: its 'Not known' box, then the court, filled in.
        await typist.send(["tab", "tab"])
        assert focused_question(app) == Case.COURT


async def test_enter_on_a_choice_chooses_and_moves_to_the_question_it_reveals() -> None:
    app = host("report", {})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert focused_question(app) == "psr_type"
        # Enter chooses the highlighted first option (oral), which reveals the offence
        # analysis: the keys straight after land there.
        await Typist(app).send(["enter", *"Took food"])
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        assert screen.case.record.answers["psr_type"] == "oral"
        assert screen.case.record.answers["offence_analysis"] == "Took food"


async def test_enter_on_the_option_already_chosen_only_moves_on() -> None:
    app = host("report", {})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await Typist(app).send(["2", "enter", *"Fine"])
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        assert screen.case.record.answers["psr_type"] == "fast_delivery"
        assert screen.case.record.answers["proposal"] == "Fine"
