"""The RSR calculator beside the RSR questions: what it took from the case, what it still
needs, the score it works out, and an offence search that fills in the offence category."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.fields import Case, RsrCalculator
from court_tui.domain.forms import FormSet
from court_tui.domain.offences import OffenceCatalogue, OffenceMatch
from court_tui.domain.rsr.from_case import CaseRsr, work_out_case_rsr

# Calculator inputs the case gives under another question's name.
_TAKEN_FROM = {
    "followup_start_date": Case.SENTENCE_DATE,
    "supervision_status": Case.SENTENCE_TYPE,
    "most_recent_offence_date": Case.MAIN_OFFENCE_DATE,
}
SEARCH_LIMIT = 8


def describe_match(match: OffenceMatch) -> str:
    """One search result in words, saying plainly whether it counts as violent."""
    violent = "counts as violent" if match.violent else "not violent"
    code = f"{match.code} " if match.code else ""
    return f"{code}{match.description} ({violent})"


class RsrCalculatorPanel(Vertical):
    """The calculated RSR for the open case, worked out by the domain on every change."""

    DEFAULT_CSS = """
    RsrCalculatorPanel {
        height: auto;
        border: round $primary;
        padding: 0 1;
        margin: 0 1 1 1;
        & > .panel-heading { text-style: bold; }
        & > #rsr-result { text-style: bold; margin: 1 0 0 0; }
        & > #rsr-needs { color: $text-warning; }
        & > #offence-results { height: auto; max-height: 8; }
        & > Input { max-width: 74; }
    }
    """

    @dataclass
    class UseScore(Message):
        """The officer chose to record the calculated score as the RSR score."""

        score: Decimal

    @dataclass
    class OffenceChosen(Message):
        """The officer chose an offence: its category and violence subtype."""

        category: str | None
        subtype: str | None

    def __init__(self, forms: FormSet, catalogue: OffenceCatalogue, today: date) -> None:
        super().__init__(id="rsr-calculator")
        self.forms = forms
        self.catalogue = catalogue
        self.today = today
        self.result: CaseRsr | None = None
        self._matches: list[OffenceMatch] = []

    def compose(self) -> ComposeResult:
        yield Static("Calculated RSR", classes="panel-heading")
        yield Static("", id="rsr-taken", markup=False)
        yield Static("", id="rsr-needs", markup=False)
        yield Static("", id="rsr-result", markup=False)
        yield Button("Use this score as the RSR score", id="use-score", disabled=True)
        yield Static("Search offences by code or words", classes="panel-heading")
        yield Input(id="offence-search", placeholder="For example, 00801 or robbery")
        yield OptionList(id="offence-results")

    def on_mount(self) -> None:
        self.query_one("#offence-results", OptionList).display = False

    def _label(self, key: str) -> str:
        question = self.forms.questions.get(_TAKEN_FROM.get(key, key))
        return question.label if question else key.replace("_", " ")

    def update_from(self, answers: Mapping[str, object]) -> None:
        """Work the score out again from ANSWERS."""
        result = work_out_case_rsr(answers, {}, self.catalogue, self.today)
        self.result = result
        category = result.inputs.get(RsrCalculator.OFFENCE_CATEGORY)
        taken = [f"Offence category: {category}"] if isinstance(category, str) else []
        if Case.DATE_OF_BIRTH in result.inputs and Case.GENDER in result.inputs:
            taken.insert(0, "Date of birth, gender and dates: from the case")
        self.query_one("#rsr-taken", Static).update("\n".join(taken))
        needs = ""
        if result.missing:
            needs = "Still needed: " + ", ".join(self._label(k) for k in result.missing)
        elif result.problems:
            needs = "\n".join(f"Error: {problem.message}" for problem in result.problems)
        self.query_one("#rsr-needs", Static).update(needs)
        score = result.score
        text = (
            f"Calculated RSR: {score.rsr_percent}% ({score.band.value.replace('_', ' ').lower()})"
            if score
            else "No score yet."
        )
        self.query_one("#rsr-result", Static).update(text)
        self.query_one("#use-score", Button).disabled = score is None

    @on(Button.Pressed, "#use-score")
    def _use(self, event: Button.Pressed) -> None:
        event.stop()
        if self.result is not None and self.result.score is not None:
            self.post_message(self.UseScore(self.result.score.rsr_percent))

    @on(Input.Changed, "#offence-search")
    def _search(self, event: Input.Changed) -> None:
        event.stop()
        text = event.value.strip()
        results = self.query_one("#offence-results", OptionList)
        results.clear_options()
        self._matches = self.catalogue.search(text)[:SEARCH_LIMIT] if text else []
        results.add_options([Option(describe_match(m)) for m in self._matches])
        results.display = bool(self._matches)

    @on(Input.Submitted, "#offence-search")
    def _to_results(self, event: Input.Submitted) -> None:
        event.stop()
        if self._matches:
            results = self.query_one("#offence-results", OptionList)
            results.highlighted = 0
            results.focus()

    @on(OptionList.OptionSelected, "#offence-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        match = self._matches[event.option_index]
        self.post_message(self.OffenceChosen(match.category, match.subtype))
