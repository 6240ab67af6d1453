"""The GOV.UK error summary: 'There is a problem', one line a problem, enter goes there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from court_tui.ui.widgets.options import prompts


class ErrorSummary(Vertical):
    """The problems on a screen, worded exactly as the inline messages."""

    DEFAULT_CSS = """
    ErrorSummary {
        height: auto;
        display: none;
        border: heavy $error;
        padding: 0 1;
        margin: 0 0 1 0;
        & > .summary-heading { text-style: bold; }
        & > OptionList { height: auto; max-height: 6; border: none; padding: 0; }
    }
    ErrorSummary.-shown { display: block; }
    """

    @dataclass
    class Selected(Message):
        """The officer chose a problem: focus its field."""

        field_id: str

    def compose(self) -> ComposeResult:
        yield Static("There is a problem", classes="summary-heading")
        yield OptionList(id="problems", compact=True)

    def show(self, problems: Sequence[tuple[str, str]]) -> None:
        """Show PROBLEMS (field id, message) and take the focus; none hides the summary."""
        option_list = self.query_one("#problems", OptionList)
        option_list.clear_options()
        option_list.add_options(
            [Option(message, id=f"{index}") for index, (_, message) in enumerate(problems)]
        )
        self._fields = [field for field, _ in problems]
        self.set_class(bool(problems), "-shown")
        if problems:
            option_list.highlighted = 0
            option_list.focus()
            self.scroll_visible(animate=False)

    @property
    def messages(self) -> list[str]:
        """The problems shown now."""
        option_list = self.query_one("#problems", OptionList)
        if not self.has_class("-shown"):
            return []
        return prompts(option_list)

    @on(OptionList.OptionSelected, "#problems")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Selected(self._fields[event.option_index]))
