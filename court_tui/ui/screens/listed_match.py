"""A possible match on the court list: the officer says whether a case is this person."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.court_list import ListedDefendant, MatchCandidate
from court_tui.ui.widgets.keys_footer import KeysFooter

NONE_OF_THESE = ""


def _born(candidate: MatchCandidate | ListedDefendant) -> str:
    born = candidate.date_of_birth
    return f"born {born.day}/{born.month}/{born.year}" if born else "no date of birth"


class ListedMatchScreen(ModalScreen[str | None]):
    """Is one of these cases the person listed? Returns the case id confirmed,
    NONE_OF_THESE when the officer rejects them all, or None to decide later."""

    CSS_PATH = "listed_match.tcss"
    BINDINGS = [Binding("escape", "later", "Decide later", id="listed_match.later")]

    def __init__(self, entry: ListedDefendant, candidates: list[MatchCandidate]) -> None:
        super().__init__()
        self.entry = entry
        self.candidates = candidates

    def compose(self) -> ComposeResult:
        entry = self.entry
        with Vertical(id="dialog"):
            yield Static("Possible match: is this the same person?", markup=False)
            yield Static(
                f"Listed: {entry.name}, {_born(entry)}, PNC {entry.pnc or 'none'}",
                id="listed",
                markup=False,
            )
            options = [
                Option(f"Same person: {c.name}, {_born(c)}, PNC {c.pnc or 'none'}", id=c.case_id)
                for c in self.candidates
            ]
            options.append(
                Option("Not the same person: start a new case from the list", id="none")
            )
            yield OptionList(*options, id="choices")
        yield KeysFooter()

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss(NONE_OF_THESE if chosen == "none" or chosen is None else chosen)

    def action_later(self) -> None:
        """Leave the match for now: nothing is linked or rejected."""
        self.dismiss(None)
