"""F1 on an offence code: find the code by words in the offence catalogue and fill it in."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.forms import Question
from court_tui.domain.offences import IMPORT_CODES_ADVICE, OffenceCatalogue, OffenceMatch
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.rsr_calculator import describe_match

# The form format of a question this search answers (forms' `format = "offence_code"`).
OFFENCE_CODE_FORMAT = "offence_code"
# Enough to see the offence wanted at 80x24; more words narrow the list.
RESULTS_SHOWN = 50


class OffenceSearchScreen(ModalScreen[str | None]):
    """Search the imported offence codes by words; returns the code chosen, or None."""

    CSS_PATH = "offence_search.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back to the question", id="offence_search.cancel"),
    ]

    def __init__(self, question: Question, catalogue: OffenceCatalogue, words: str = "") -> None:
        super().__init__()
        self.question = question
        self.catalogue = catalogue
        self.words = words
        self._matches: list[OffenceMatch] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Find {self.question.noun}", id="heading", markup=False)
            yield Static(
                "Type words from the offence, for example 'shop theft', then press enter "
                "and choose the offence with the arrows and enter.",
                classes="hint",
                markup=False,
            )
            yield Input(id="words", placeholder="Words or the start of a code")
            yield Static("", id="found", markup=False)
            yield OptionList(id="results")
        yield KeysFooter()

    def on_mount(self) -> None:
        words = self.query_one("#words", Input)
        words.value = self.words  # the search starts from the offence's words when known
        self._show(self.words)
        words.focus()

    def _show(self, text: str) -> None:
        found = self.query_one("#found", Static)
        results = self.query_one("#results", OptionList)
        results.clear_options()
        if not self.catalogue.codes:
            self._matches = []
            found.update(IMPORT_CODES_ADVICE)
            results.display = False
            return
        if not text.strip():
            self._matches = []
            found.update(f"{len(self.catalogue.codes):,} offence codes loaded.")
            results.display = False
            return
        matches = self.catalogue.code_matches(text)
        self._matches = matches[:RESULTS_SHOWN]
        results.add_options([Option(describe_match(m)) for m in self._matches])
        results.display = bool(self._matches)
        if not matches:
            found.update("No offence matches those words.")
        elif len(matches) > RESULTS_SHOWN:
            found.update(f"Showing {RESULTS_SHOWN} of {len(matches):,}: add words to narrow.")
        else:
            found.update(f"{len(matches):,} found.")

    @on(Input.Changed, "#words")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    @on(Input.Submitted, "#words")
    def _to_results(self, event: Input.Submitted) -> None:
        event.stop()
        if self._matches:
            results = self.query_one("#results", OptionList)
            results.highlighted = 0
            results.focus()

    @on(OptionList.OptionSelected, "#results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._matches[event.option_index].code)

    def action_cancel(self) -> None:
        """Back to the question, leaving its answer as it was."""
        self.dismiss(None)
