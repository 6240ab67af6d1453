"""The GOV.UK error summary: 'There is a problem', one line a problem, enter goes there.

Compact at 80x24: the heading and at most SHOWN lines, the rest a scroll away. Typing while
the summary has the focus is never lost: the first printable key goes to the highlighted
line's field (the first in error unless the officer moved), and the app's key order takes
it again there, before any key typed after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from court_tui.ui.typeahead import KeysInOrderApp
from court_tui.ui.widgets.options import prompts

# The problem lines shown at once; more scroll, and the heading's line says how many.
SHOWN = 3


class ErrorSummary(Vertical):
    """The problems on a screen, worded exactly as the inline messages."""

    DEFAULT_CSS = f"""
    ErrorSummary {{
        height: auto;
        display: none;
        border-left: heavy $error;
        padding: 0 1;
        margin: 0;
        & > .summary-heading {{ text-style: bold; }}
        & > .summary-more {{ color: $text-muted; display: none; }}
        & > .summary-more.-shown {{ display: block; }}
        & > OptionList {{ height: auto; max-height: {SHOWN}; border: none; padding: 0; }}
    }}
    ErrorSummary.-shown {{ display: block; }}
    """

    @dataclass
    class Selected(Message):
        """The officer chose a problem: focus its field."""

        field_id: str

    _fields: list[str]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._fields = []

    def compose(self) -> ComposeResult:
        yield Static("There is a problem", classes="summary-heading")
        yield OptionList(id="problems", compact=True)
        yield Static("", classes="summary-more", markup=False)

    def show(self, problems: Sequence[tuple[str, str]]) -> None:
        """Show PROBLEMS (field id, message) and take the focus; none hides the summary."""
        option_list = self.query_one("#problems", OptionList)
        option_list.clear_options()
        option_list.add_options(
            [Option(message, id=f"{index}") for index, (_, message) in enumerate(problems)]
        )
        self._fields = [field for field, _ in problems]
        more = self.query_one(".summary-more", Static)
        hidden = len(problems) - SHOWN
        more.update(f"and {hidden} more (↓ to see them)" if hidden > 0 else "")
        more.set_class(hidden > 0, "-shown")
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

    def on_key(self, event: events.Key) -> None:
        """A printable key on the summary: go to the problem's field and type it there."""
        app = self.app
        if not (event.is_printable and self._fields and isinstance(app, KeysInOrderApp)):
            return
        event.stop()
        event.prevent_default()
        at = self.query_one("#problems", OptionList).highlighted or 0
        self.post_message(self.Selected(self._fields[at]))
        # Taken again once the field has the focus, before any key typed after it.
        app.take_key_again(event)


def show_field_problems(
    screen: DOMNode, field_ids: Iterable[str], problems: Sequence[tuple[str, str]]
) -> None:
    """Show PROBLEMS (field id, message) on SCREEN: each under its field, in the slot
    `#FIELD-error`, and all in the screen's error summary; the other fields' slots empty."""
    wrong = dict(problems)
    for field_id in field_ids:
        slot = screen.query_one(f"#{field_id}-error", Static)
        slot.update(f"Error: {wrong[field_id]}" if field_id in wrong else "")
        slot.display = field_id in wrong
    screen.query_one(ErrorSummary).show(problems)
