"""The controls questions are built from: each option and box marked by a character as
well as by colour, and a radio set whose options are chosen by number."""

from __future__ import annotations

from textual.events import Key
from textual.strip import Strip
from textual.widgets import RadioButton, RadioSet, SelectionList

from court_tui.ui.textual_patches import (
    MarkedCheckbox,
    MarkedRadioButton,
    highlight,
    mark_tick_box,
    set_pressed,
)


class OptionButton(MarkedRadioButton):
    """One option of a choice question: (*) when chosen, ( ) when not, whatever the colours."""


class NotKnownBox(MarkedCheckbox):
    """'Not known' beside a typed answer: [x] when ticked, whatever the colours."""


class TickList(SelectionList[str]):
    """Several options, each marked [x] when ticked, whatever the colours."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return strip
        return mark_tick_box(strip, self.get_option_at_index(index).value in self.selected)


class ChoiceSet(RadioSet):
    """A radio set where the option's number selects it, as well as arrows and space."""

    def on_key(self, event: Key) -> None:
        """Select the option numbered by the key pressed."""
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            buttons = list(self.query(RadioButton))
            if index < len(buttons):
                event.stop()
                buttons[index].value = True
                highlight(self, index)

    def choose(self, index: int | None) -> None:
        """Show option INDEX as chosen (None: no option), without it counting as a change."""
        buttons = list(self.query(RadioButton))
        with self.prevent(RadioButton.Changed, RadioSet.Changed):
            for number, button in enumerate(buttons):
                button.value = number == index
        set_pressed(self, index)
        if index is not None:
            highlight(self, index)
