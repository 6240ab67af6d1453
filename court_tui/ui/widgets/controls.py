"""The controls questions are built from: each option and box marked by a character as
well as by colour; options are chosen by number or found by their words."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.events import Blur, Key
from textual.message import Message
from textual.strip import Strip
from textual.widgets import RadioButton, RadioSet, SelectionList

from court_tui.ui.textual_patches import (
    MarkedCheckbox,
    MarkedRadioButton,
    highlight,
    highlighted,
    mark_tick_box,
    set_pressed,
)


class OptionButton(MarkedRadioButton):
    """One option of a choice question: (*) when chosen, ( ) when not, whatever the colours."""


class NotKnownBox(MarkedCheckbox):
    """'Not known' beside a typed answer: [x] when ticked, whatever the colours."""


# Keys typed within this many seconds of each other make one number or one search.
TYPED_TOGETHER_SECONDS = 1.0


class WordSearch:
    """Letters typed together, and the option of LABELS they find."""

    def __init__(self) -> None:
        self.typed = ""
        self.at = 0.0

    def clear(self) -> None:
        """Start the next search afresh."""
        self.typed, self.at = "", 0.0

    def find(self, labels: list[str], letter: str, typed_at: float) -> int | None:
        """The index of the option LETTER (typed at TYPED_AT) and the letters before find.

        An option whose label starts with the letters comes before one with a later word
        that does: 'vio' finds 'Violence against the person', not 'Robbery (acquisitive
        violence)'.
        """
        together = typed_at - self.at <= TYPED_TOGETHER_SECONDS
        self.at = typed_at
        lowered = [label.lower() for label in labels]
        if together and self.typed:
            self.typed += letter.lower()
            match = self._match(lowered)
            if match is not None:
                return match
        # Letters that find nothing together start a new search from the last one.
        self.typed = letter.lower()
        return self._match(lowered)

    def _match(self, lowered: list[str]) -> int | None:
        match = next((i for i, label in enumerate(lowered) if label.startswith(self.typed)), None)
        if match is None:
            match = next(
                (
                    i
                    for i, label in enumerate(lowered)
                    if any(word.startswith(self.typed) for word in re.findall(r"\w+", label))
                ),
                None,
            )
        return match


class TickList(SelectionList[str]):
    """Several options, each marked [x] when ticked, whatever the colours; letters find an
    option by its words and move the highlight there, and space ticks it."""

    def __init__(self, *options: tuple[str, str], id: str | None = None, compact: bool = False):
        super().__init__(*options, id=id, compact=compact)
        self._search = WordSearch()
        self._labels = [label for label, _ in options]

    def on_key(self, event: Key) -> None:
        """Find the option whose words start with the letters typed."""
        if not (event.character and event.character.isalpha()):
            self._search.clear()  # any other key ends a search
            return
        event.stop()
        match = self._search.find(self._labels, event.character, event.time)
        if match is not None:
            self.highlighted = match

    def on_blur(self, event: Blur) -> None:
        self._search.clear()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count:
            return strip
        return mark_tick_box(strip, self.get_option_at_index(index).value in self.selected)


class ChoiceSet(RadioSet):
    """A radio set where the option's number selects it, as well as arrows and space.

    With ten options or more, numbers take two digits: a first digit that could start a
    longer number chooses its option at once, and a second digit typed straight after it
    chooses the two-digit option instead (`1` then `9` chooses 19; `1` then tab keeps 1; a
    second digit that makes no option's number starts again, as a first digit).
    Letters find the option whose label, or a word of it, starts with what was typed, and
    move the highlight there: space chooses it, so letters meant elsewhere change nothing.
    Enter chooses the highlighted option and moves on to the next question, as enter does
    in a one-line answer.
    """

    BINDINGS = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("space", "toggle_button", "Choose", show=False),
        Binding("enter", "choose_and_move_on", "Choose and move on", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
    ]

    class MoveOn(Message):
        """Enter on the option already chosen: the question moves on."""

    def __init__(self, *buttons: RadioButton, id: str | None = None, compact: bool = False):
        super().__init__(*buttons, id=id, compact=compact)
        self._first_digit: tuple[int, float] | None = None
        self._search = WordSearch()
        self.words: list[str] = []
        self._move_on_after_change = False

    def action_choose_and_move_on(self) -> None:
        """Choose the highlighted option and move on: at once when it is already the
        chosen one, else once its change has been taken (`take_move_on`)."""
        index = highlighted(self)
        if index is None:
            return
        if index == self.pressed_index:
            self.post_message(self.MoveOn())
            return
        self._move_on_after_change = True
        self.choose_number(index + 1)

    def take_move_on(self) -> bool:
        """Whether the change being handled came from enter, which moves on after it."""
        move_on, self._move_on_after_change = self._move_on_after_change, False
        return move_on

    def on_key(self, event: Key) -> None:
        """Choose the option numbered by the digits typed, or find one by its words."""
        character = event.character
        if character and character.isdigit():
            self._digit(int(character), event)
            return
        self._first_digit = None
        if not (character and character.isalpha()):
            self._search.clear()  # any other key ends a search
        elif self.words:
            event.stop()
            match = self._search.find(self.words, character, event.time)
            if match is not None:
                highlight(self, match)

    def on_blur(self, event: Blur) -> None:
        self._first_digit = None
        self._search.clear()

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

    def choose(self, index: int | None) -> None:
        """Show option INDEX as chosen (None: no option), without it counting as a change."""
        buttons = list(self.query(RadioButton))
        with self.prevent(RadioButton.Changed, RadioSet.Changed):
            for number, button in enumerate(buttons):
                button.value = number == index
        set_pressed(self, index)
        if index is not None:
            highlight(self, index)
