"""The RSR section: an OASys score, or the calculator pre-filled from the case."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult

from court_tui.domain.fields import Forms, Rsr, RsrCalculator, Sections
from court_tui.domain.forms import Form
from court_tui.ui.case_session import OpenCase
from court_tui.ui.screens.cas import CasSectionScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.questions import QuestionField
from court_tui.ui.widgets.rsr_calculator import RsrCalculatorPanel

CALCULATOR_FORM = Forms.RSR_CALCULATOR
CALCULATED = "calculated"


class RsrSectionScreen(SectionScreen):
    """The RSR questions, with the calculator's score shown when it is worked out here."""

    def compose_form(self, form: Form) -> ComposeResult:
        yield from super().compose_form(form)
        if form.id == CALCULATOR_FORM:
            yield RsrCalculatorPanel(self.case.forms, self.case.catalogue, self.today)

    def affects_others(self, field: QuestionField) -> bool:
        # The calculated score reads most answers on this screen.
        return True

    def refresh_fields(self) -> None:
        super().refresh_fields()
        panel = self.query_one(RsrCalculatorPanel)
        answers = self.case.record.answers
        calculated = answers.get(Rsr.RSR_SOURCE) == CALCULATED
        if panel.display != calculated:
            panel.display = calculated
        if calculated:
            panel.update_from(answers)

    def _answer_with(self, question_id: str, value: str | None) -> None:
        field = self.field_widget(question_id)
        if isinstance(field, QuestionField):
            field.load(value)
            self.apply(field)

    @on(RsrCalculatorPanel.UseScore)
    def _use_score(self, message: RsrCalculatorPanel.UseScore) -> None:
        message.stop()
        self._answer_with(Rsr.RSR_SCORE, str(message.score))
        field = self.field_widget(Rsr.RSR_SCORE)
        if field is not None:
            field.focus_control()

    @on(RsrCalculatorPanel.OffenceChosen)
    def _offence(self, message: RsrCalculatorPanel.OffenceChosen) -> None:
        message.stop()
        if message.category is None:
            return
        self._answer_with(RsrCalculator.OFFENCE_CATEGORY, message.category)
        self._answer_with(RsrCalculator.VIOLENCE_SUBTYPE, message.subtype)
        field = self.field_widget(RsrCalculator.OFFENCE_CATEGORY)
        if field is not None:
            field.focus_control()


# The sections with more than their questions on the screen.
SECTION_SCREENS: dict[str, type[SectionScreen]] = {
    Sections.RSR: RsrSectionScreen,
    Sections.CAS: CasSectionScreen,
}


def section_screen(
    case: OpenCase,
    section_id: str,
    *,
    focus_field: str | None = None,
    from_check_answers: bool = False,
) -> SectionScreen:
    """The screen for SECTION_ID: the RSR section has the calculator beside it, the CAS
    section the allocation the rules give."""
    screen = SECTION_SCREENS.get(section_id, SectionScreen)
    return screen(case, section_id, focus_field=focus_field, from_check_answers=from_check_answers)
