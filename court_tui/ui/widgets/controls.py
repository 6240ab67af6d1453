"""The controls questions are built from: each option and box marked by a character as
well as by colour, and a radio set whose options are chosen by number or found by words."""

from __future__ import annotations

import re

from textual.events import Blur, Key
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


# Keys typed within this many seconds of each other make one number or one search.
TYPED_TOGETHER_SECONDS = 1.0


class ChoiceSet(RadioSet):
    """A radio set where the option's number selects it, as well as arrows and space.

    With ten options or more, numbers take two digits: a first digit that could start a
    longer number chooses its option at once, and a second digit typed straight after it
    chooses the two-digit option instead (`1` then `9` chooses 19; `1` then tab keeps 1; a
    second digit that makes no option's number starts again, as a first digit).
    Letters find the next option whose words start with what was typed, and only move the
    highlight there: space chooses it, so letters meant for another field change nothing.
    """

    def __init__(self, *buttons: RadioButton, id: str | None = None, compact: bool = False):
        super().__init__(*buttons, id=id, compact=compact)
        self._first_digit: tuple[int, float] | None = None
        self._search: tuple[str, float] = ("", 0.0)
        self.words: list[str] = []

    def on_key(self, event: Key) -> None:
        """Choose the option numbered by the digits typed, or find one by its words."""
        character = event.character
        if character and character.isdigit():
            self._digit(int(character), event)
            return
        self._first_digit = None
        if character and character.isalpha() and self.words:
            event.stop()
            self._find(character.lower(), event.time)

    def on_blur(self, event: Blur) -> None:
        self._first_digit = None
        self._search = ("", 0.0)

    def _digit(self, digit: int, event: Key) -> None:
        count = len(self.query(RadioButton))
        first, self._first_digit = self._first_digit, None
        if first is not None and event.time - first[1] <= TYPED_TOGETHER_SECONDS:
            number = first[0] * 10 + digit
            if number <= count:
                event.stop()
                self.choose_number(number)
                return
        if digit == 0 or digit > count:
            return
        event.stop()
        self.choose_number(digit)
        if digit * 10 <= count:
            self._first_digit = (digit, event.time)

    def choose_number(self, number: int) -> None:
        """Choose the option shown with NUMBER, as the officer would."""
        buttons = list(self.query(RadioButton))
        buttons[number - 1].value = True
        highlight(self, number - 1)

    def _find(self, letter: str, typed_at: float) -> None:
        typed, last = self._search
        typed = typed + letter if typed_at - last <= TYPED_TOGETHER_SECONDS else letter
        self._search = (typed, typed_at)
        # An option whose label starts with the letters comes before one with a later
        # word that does: 'vio' finds 'Violence against the person', not 'Robbery
        # (acquisitive violence)'.
        labels = [label.lower() for label in self.words]
        words = [re.findall(r"\w+", label) for label in labels]
        match = next((i for i, label in enumerate(labels) if label.startswith(typed)), None)
        if match is None:
            match = next(
                (i for i, found in enumerate(words) if any(w.startswith(typed) for w in found)),
                None,
            )
        if match is not None:
            highlight(self, match)

    def choose(self, index: int | None) -> None:
        """Show option INDEX as chosen (None: no option), without it counting as a change."""
        buttons = list(self.query(RadioButton))
        with self.prevent(RadioButton.Changed, RadioSet.Changed):
            for number, button in enumerate(buttons):
                button.value = number == index
        set_pressed(self, index)
        if index is not None:
            highlight(self, index)
