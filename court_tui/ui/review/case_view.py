"""A case read-only, opened at one pending item: the item first, then its section, then
the rest of the case in words."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import check_lines
from court_tui.domain.fields import Sections
from court_tui.domain.follow_ups import FOLLOW_UP_CLOSED, FOLLOW_UP_OPEN
from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewItem, describe_item
from court_tui.domain.summary import describe_follow_up, section_answers
from court_tui.ui.widgets.keys_footer import KeysFooter

# Beside this file, wherever a subclass is defined.
HERE = Path(__file__).resolve().parent


def item_section(item: ReviewItem, forms: FormSet) -> str | None:
    """The id of the section that ITEM's question is asked in."""
    kinds = {kind.id for kind in forms.check_kinds()}
    if item.kind == "check" or item.question in kinds:
        return Sections.CHECKS
    for section in forms.sections:
        if any(question.id == item.question for question in section.questions):
            return section.id
    return None


def case_blocks(
    record: CaseRecord, forms: FormSet, item: ReviewItem, today: date
) -> list[tuple[str, list[str]]]:
    """The case as (heading, lines) blocks, the item's own first."""
    blocks: list[tuple[str, list[str]]] = [("This item", [describe_item(item, today)])]
    follow_ups = []
    for follow_up in record.follow_ups:
        state = (
            FOLLOW_UP_OPEN if follow_up.is_open else f"{FOLLOW_UP_CLOSED} {follow_up.closed_on}"
        )
        line = f"{state}: {describe_follow_up(follow_up)}"
        if follow_up.reviewed_by:
            line += f". Reviewed by {follow_up.reviewed_by}: {follow_up.review_note or 'no note'}"
        follow_ups.append(line)
    blocks.append(("Checks", check_lines(record, forms)))
    blocks.append(("Follow-ups", follow_ups or ["None recorded"]))
    first = item_section(item, forms)
    sections = sorted(forms.sections, key=lambda s: (s.id != first, s.order))
    for section in sections:
        lines = [
            f"{line.label}: {line.text}" for line in section_answers(record, forms, section.id)
        ]
        blocks.append((section.task, lines or ["Nothing asked yet"]))
    return blocks


class CaseSummaryScreen(Screen[None]):
    """One case in words, read-only, at the item the supervisor opened it from."""

    CSS_PATH = HERE / "case_view.tcss"
    BINDINGS = [Binding("escape", "back", "Back to pending checks", id="review_case.back")]

    def __init__(
        self, record: CaseRecord, item: ReviewItem, forms: FormSet, today: date, why: str
    ) -> None:
        super().__init__()
        self.record = record
        self.item = item
        self.forms = forms
        self.today = today
        self.why = why

    def compose(self) -> ComposeResult:
        yield Static(self.record.display_name, id="heading", markup=False)
        yield Static(f"Read only: {self.why}", id="caption", markup=False)
        with VerticalScroll(id="case-text"):
            yield Static(self.text(), id="case-body")
        yield KeysFooter()

    def text(self) -> Text:
        """The case's blocks as one text, headings in bold."""
        text = Text()
        for heading, lines in case_blocks(self.record, self.forms, self.item, self.today):
            text.append(heading + "\n", style="bold")
            for line in lines:
                text.append(line + "\n")
            text.append("\n")
        text.rstrip()
        return text

    def on_mount(self) -> None:
        self.query_one("#case-text").focus()

    def action_back(self) -> None:
        """Back to the pending checks."""
        self.dismiss(None)
