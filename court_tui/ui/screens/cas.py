"""The CAS section: the allocation the rules give shown before the officer decides, that
decision pre-selected, and the answers the case already holds filled in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from court_tui.domain.allocation import CRITERIA, provider_of
from court_tui.domain.answers import AnswerValue
from court_tui.domain.cas_decision import RulesDecision, rules_decision
from court_tui.domain.fields import Cas
from court_tui.domain.forms import Form, Prefill
from court_tui.domain.prefill import after_allocation_change
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.widgets.questions import QuestionField, question_field

# The answers that change what the rules decide, and the officer's decision itself.
DECIDING = frozenset({criterion.question for criterion in CRITERIA} | {Cas.ALLOCATION_DECISION})


class AllocationPanel(Static):
    """The allocation the rules give, its reasons and what it is provisional on."""

    DEFAULT_CSS = """
    AllocationPanel {
        height: auto;
        border: round $primary;
        padding: 0 1;
        margin: 0 1 1 1;
    }
    """

    def show(self, decision: RulesDecision, officer_decision: object, preselected: bool) -> None:
        """Show DECISION, and how OFFICER_DECISION (the answer below, PRESELECTED by this
        screen or chosen by the officer) stands against it."""
        lines = decision.lines()
        if decision.decision is not None:
            if officer_decision == decision.decision.value:
                lines.append(
                    "Pre-selected below: choose the other only to override the rules."
                    if preselected
                    else "Your decision below agrees with the rules."
                )
            elif officer_decision in ("nps", "crc"):
                lines.append("Your decision below overrides the rules: give the reason.")
        self.update("\n".join(lines))


class CasSectionScreen(SectionScreen):
    """The CAS questions, with the rules' allocation beside the officer's decision."""

    # The decision this screen chose for the officer; it follows the rules until the
    # officer chooses for themselves.
    _preselected: str | None = None
    _preselecting = False

    def compose_form(self, form: Form) -> ComposeResult:
        for question in form.questions:
            if question.id == Cas.ALLOCATION_DECISION:
                yield AllocationPanel(id="allocation-rules", markup=False)
            yield question_field(question, question.id, today=self.today)

    # The questions court-tui filled in on this screen, in order.
    _filled: tuple[str, ...] = ()

    # The place fields the officer typed into here: never changed for them.
    _typed: frozenset[str] = frozenset()

    def prefill(self) -> tuple[str, ...]:
        filled = super().prefill()
        self._show_filled_caption(filled)
        return filled

    def _show_filled_caption(self, filled: tuple[str, ...]) -> None:
        """Say which answers court-tui filled in on this screen (FILLED just now)."""
        self._filled += tuple(q for q in filled if q not in self._filled)
        answers = self.case.record.answers
        shown = [q for q in self._filled if answers.get(q) is not None and q not in self._typed]
        if not shown:
            if self.query("#prefilled"):
                self.query_one("#prefilled", Static).update("")
            return
        text = self._filled_caption(shown)
        if self.query("#prefilled"):
            self.query_one("#prefilled", Static).update(text)
            return
        caption = Static(text, id="prefilled", classes="form-caption", markup=False)
        first = self.fields()[0]
        form = first.parent
        if isinstance(form, Widget):
            form.mount(caption, before=first)

    def _filled_caption(self, filled: list[str]) -> str:
        """What court-tui filled in, in words: from the case, and from Settings."""
        forms = self.case.forms
        placed = [q for q in filled if forms.question(q).prefill is Prefill.ALLOCATION_PLACE]
        from_case = [q for q in filled if q not in placed]
        parts = []
        if from_case:
            nouns = ", ".join(forms.question(q).noun for q in from_case)
            parts.append(f"Filled in from the case (change any that are wrong): {nouns}.")
        allocation = self.case.record.answers.get(Cas.ALLOCATION_DECISION)
        provider = provider_of(allocation)
        if placed and provider is not None:
            nouns = ", ".join(forms.question(q).noun for q in placed)
            label = self.case.labels.label(provider)
            parts.append(f"From your settings for {label} cases (change it if wrong): {nouns}.")
        return " ".join(parts)

    def affects_others(self, field: QuestionField) -> bool:
        return field.question.id in DECIDING or super().affects_others(field)

    def apply(self, field: QuestionField) -> None:
        if field.question.id == Cas.ALLOCATION_DECISION and not self._preselecting:
            self._preselected = None  # the officer chose: never change it for them
        if field.question.prefill is Prefill.ALLOCATION_PLACE:
            self._typed = self._typed | {field.question.id}  # the officer's own: kept
        before = self.case.record.answers.get(Cas.ALLOCATION_DECISION)
        super().apply(field)
        if field.question.id == Cas.ALLOCATION_DECISION:
            self._follow_allocation(before)

    def _follow_allocation(self, before: AnswerValue | None) -> None:
        """The place court-tui put in for the allocation BEFORE follows the new one."""
        record, changed = after_allocation_change(
            self.case.record,
            self.case.forms,
            before,
            offices=self.case.offices,
            typed=self._typed,
            officer=self.case.officer,
            today=self.today,
        )
        if changed:
            self.case.record = record
            self.show_filled(changed)
            self._show_filled_caption(changed)

    def refresh_fields(self) -> None:
        super().refresh_fields()
        decision = rules_decision(self.case.record, self.case.forms, self.case.labels)
        self._preselect(decision)
        officer_decision = self.case.record.answers.get(Cas.ALLOCATION_DECISION)
        preselected = officer_decision is not None and officer_decision == self._preselected
        self.query_one(AllocationPanel).show(decision, officer_decision, preselected)

    def _preselect(self, decision: RulesDecision) -> None:
        """Choose the rules' decision for the officer while they have not chosen one."""
        field = self.field_widget(Cas.ALLOCATION_DECISION)
        if decision.decision is None or not isinstance(field, QuestionField):
            return
        current = self.case.record.answers.get(Cas.ALLOCATION_DECISION)
        wanted = decision.decision.value
        if current == wanted or not (current is None or current == self._preselected):
            return
        self._preselected = wanted
        field.load(wanted)
        self._preselecting = True
        try:
            self.apply(field)
        finally:
            self._preselecting = False
