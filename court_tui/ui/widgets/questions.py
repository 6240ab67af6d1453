"""Question widgets built from a form's `Question`: each loads an answer and gives one back.

Every field has the same parts in the same order (label, hint, error slot, input) so the
tab order is the visual order. Fields never validate as the officer types: the section
screen asks the domain when the officer continues and hands the messages back here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    RadioSet,
    SelectionList,
    Static,
    TextArea,
)

from court_tui.domain.answer_rules import as_written
from court_tui.domain.answers import NOT_KNOWN, AnswerValue, is_not_known
from court_tui.domain.forms import NOT_KNOWN_LABEL, Question, QuestionType
from court_tui.domain.values import date_echo, parse_date_input, parse_iso_date, parse_number
from court_tui.ui.widgets.controls import ChoiceSet, NotKnownBox, OptionButton, TickList


@dataclass(frozen=True)
class Entry:
    """What a field holds: the answer, and the raw text that is not yet a valid answer."""

    value: AnswerValue | None
    draft: str | None = None


class QuestionField(Vertical):
    """One question on a section screen."""

    DEFAULT_CSS = """
    QuestionField {
        height: auto;
        margin: 0 0 1 0;
        padding: 0 1;
        & > .question-label { text-style: bold; }
        & > .question-hint { color: $text-muted; }
        & > .question-error { color: $text-error; text-style: bold; display: none; }
        & > .question-warning { color: $text-warning; display: none; }
        & > .date-echo, & > .choice-keys { color: $text-muted; }
        & > .question-follow-up { display: none; }
        &.-invalid { border-left: thick $error; padding-left: 0; }
        & Input, & RadioSet, & SelectionList, & TextArea { width: 1fr; max-width: 76; }
        & TextArea { height: 5; }
        & RadioSet, & SelectionList { height: auto; max-height: 12; }
    }
    """

    @dataclass
    class Changed(Message):
        """The officer changed this field's answer; with MOVE_ON (enter on a choice) the
        screen moves on to the next question once the change is taken."""

        field: QuestionField
        move_on: bool = False

    @dataclass
    class NotKnownChosen(Message):
        """The officer chose 'Not known': the screen opens the follow-up dialog."""

        field: QuestionField

    def __init__(self, question: Question, field_id: str, *, today: date) -> None:
        super().__init__(id=_dom_id(field_id), classes="question")
        self.question = question
        self.field_id = field_id
        self.today = today
        self._follow_up_text: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.question.label, classes="question-label", markup=False)
        if self.question.hint:
            yield Static(self.question.hint, classes="question-hint", markup=False)
        yield Static("", classes="question-error", markup=False)
        yield Static("", classes="question-warning", markup=False)
        yield from self.compose_input()
        yield Static("", classes="question-follow-up", markup=False)

    def compose_input(self) -> ComposeResult:
        """The input widgets of this kind of question."""
        raise NotImplementedError

    @property
    def control(self) -> Widget:
        """The widget that takes focus for this question."""
        raise NotImplementedError

    def load(self, value: AnswerValue | None, draft: str | None = None) -> None:
        """Show VALUE (or DRAFT, the text typed that is not yet an answer)."""
        raise NotImplementedError

    def to_answer(self) -> Entry:
        """The answer this field now holds."""
        raise NotImplementedError

    def focus_control(self) -> None:
        """Put the focus on this question's input and bring it into view."""
        self.control.focus()
        self.scroll_visible(animate=False)

    def to_next_question(self) -> None:
        """Move on to the next question still to answer: past this question's own 'Not
        known' box and past questions that already hold an answer (court-tui's filled-in
        ones among them). Tab still stops at each of those."""
        fields = [f for f in self.screen.query(QuestionField) if f.display]
        later = fields[fields.index(self) + 1 :] if self in fields else []
        for field in later:
            if field.to_answer().value is None:
                field.focus_control()
                return
        chain = self.screen.focus_chain
        own = [i for i, widget in enumerate(chain) if self in widget.ancestors]
        after = chain[own[-1] + 1 :] if own else []
        if after:
            after[0].focus()
        else:
            self.screen.focus_next()

    def show_problem(self, error: str | None, warning: str | None = None) -> None:
        """Show ERROR under the label ('Error: ...') and WARNING, or clear both."""
        error_slot = self.query_one(".question-error", Static)
        error_slot.update(f"Error: {error}" if error else "")
        error_slot.display = bool(error)
        warning_slot = self.query_one(".question-warning", Static)
        warning_slot.update(f"Warning: {warning}" if warning else "")
        warning_slot.display = bool(warning)
        self.set_class(bool(error), "-invalid")

    def show_follow_up(self, text: str | None) -> None:
        """Show the follow-up recorded for a 'not known' answer, or hide the line."""
        if text == self._follow_up_text:
            return  # an unchanged line must not cost the screen a new layout
        self._follow_up_text = text
        line = self.query_one(".question-follow-up", Static)
        line.update(text or "")
        line.display = bool(text)

    @property
    def error_text(self) -> str:
        """The error shown now, '' when none."""
        return str(self.query_one(".question-error", Static).content)

    def changed(self, move_on: bool = False) -> None:
        """Tell the screen the answer changed (and with MOVE_ON, to move on after).

        Posted to the screen itself, not bubbled up to it: nothing between a field and its
        screen takes the change, and each container on the way would handle it in turn,
        on every key typed into an answer."""
        self.screen.post_message(self.Changed(self, move_on))

    def offer_prefilled(self) -> None:
        """The answer shown is one court-tui filled in, not the officer's own."""


class TextField(QuestionField):
    """A one-line text answer; enter moves to the next question."""

    def compose_input(self) -> ComposeResult:
        yield Input(id="input", select_on_focus=False)
        if self.question.not_known:
            yield NotKnownBox(NOT_KNOWN_LABEL, id="not-known")

    @property
    def control(self) -> Widget:
        return self.query_one("#input", Input)

    @property
    def text(self) -> str:
        """The text in the input."""
        return self.query_one("#input", Input).value

    def set_text(self, text: str) -> None:
        """Put TEXT in the input without it counting as a change."""
        field = self.query_one("#input", Input)
        with field.prevent(Input.Changed):
            field.value = text
        self.after_text(text)

    def after_text(self, text: str) -> None:
        """Hook for fields that echo what was typed."""

    def set_not_known(self, on: bool) -> None:
        """Tick or untick 'Not known' without it counting as a change."""
        for box in self.query(NotKnownBox):
            with box.prevent(Checkbox.Changed):
                box.value = on

    @property
    def not_known_ticked(self) -> bool:
        """Whether 'Not known' is ticked."""
        return any(box.value for box in self.query(NotKnownBox))

    def load(self, value: AnswerValue | None, draft: str | None = None) -> None:
        self.set_not_known(is_not_known(value))
        if draft is not None:
            self.set_text(draft)
        elif value is not None and not is_not_known(value):
            self.set_text(self.text_for(value))
        else:
            self.set_text("")

    def text_for(self, value: AnswerValue) -> str:
        """How a stored answer is shown in the input."""
        return str(value)

    def to_answer(self) -> Entry:
        text = self.text
        if self.not_known_ticked:
            return Entry(NOT_KNOWN, text or None)
        return self.entry_for(text)

    def entry_for(self, text: str) -> Entry:
        """The entry for TEXT as typed."""
        return Entry(text if text.strip() else None)

    def offer_prefilled(self) -> None:
        # Arriving on a filled-in answer selects it, so that what the officer types (even
        # typed ahead before it was filled in) replaces it instead of running on after it.
        self.query_one("#input", Input).select_on_focus = True

    @on(Input.Changed, "#input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        written = as_written(self.question, event.value)
        if written != event.value:
            # The cursor stays after the same character the officer typed last.
            cursor = len(as_written(self.question, event.value[: event.input.cursor_position]))
            with event.input.prevent(Input.Changed):
                event.input.value = written
            event.input.cursor_position = cursor
        # Once the officer has edited it, the answer is theirs: arriving leaves it be.
        event.input.select_on_focus = False
        self.after_text(written)
        if self.not_known_ticked and written.strip():
            # Typing an answer replaces 'Not known'; the screen closes the follow-up.
            self.set_not_known(False)
        self.changed()

    @on(Input.Submitted, "#input")
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.to_next_question()

    @on(Checkbox.Changed, "#not-known")
    def _not_known(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.value:
            self.post_message(self.NotKnownChosen(self))
        else:
            self.changed()


class NumberField(TextField):
    """A number, kept as typed; text that is not a number stays as a draft."""

    def entry_for(self, text: str) -> Entry:
        if not text.strip():
            return Entry(None)
        if parse_number(text) is None:
            return Entry(None, text)
        return Entry(text.strip())


class DateField(TextField):
    """A date as officers type it, echoed back with its weekday."""

    _echo = ""

    def compose_input(self) -> ComposeResult:
        yield from super().compose_input()
        yield Static("", classes="date-echo", markup=False)

    def after_text(self, text: str) -> None:
        echo = date_echo(text, self.today, past=self.question.past_only)
        if echo != self._echo:
            self._echo = echo
            self.query_one(".date-echo", Static).update(echo)

    def text_for(self, value: AnswerValue) -> str:
        day = parse_iso_date(value)
        return f"{day.day}/{day.month}/{day.year}" if day else str(value)

    def load(self, value: AnswerValue | None, draft: str | None = None) -> None:
        # A draft such as 'today' read on a later day means another date: show the answer.
        if draft is not None and value is not None and not is_not_known(value):
            day = parse_date_input(draft, self.today, past=self.question.past_only)
            if day is None or day.isoformat() != value:
                draft = None
        super().load(value, draft)

    def entry_for(self, text: str) -> Entry:
        if not text.strip():
            return Entry(None)
        day = parse_date_input(text, self.today, past=self.question.past_only)
        if day is None:
            return Entry(None, text)
        iso = day.isoformat()
        return Entry(iso, None if text.strip() == self.text_for(iso) else text)


class LongTextField(QuestionField):
    """Several lines of text: enter is a new line and tab leaves."""

    def compose_input(self) -> ComposeResult:
        yield TextArea(id="input", tab_behavior="focus", soft_wrap=True, show_line_numbers=False)

    @property
    def control(self) -> Widget:
        return self.query_one("#input", TextArea)

    def load(self, value: AnswerValue | None, draft: str | None = None) -> None:
        area = self.query_one("#input", TextArea)
        text = draft if draft is not None else (value if isinstance(value, str) else "")
        with area.prevent(TextArea.Changed):
            area.load_text(text)
        # Back in a box already written in, the officer goes on from the end of it.
        area.move_cursor(area.document.end)

    def to_answer(self) -> Entry:
        text = self.query_one("#input", TextArea).text
        return Entry(text if text.strip() else None)

    @on(TextArea.Changed, "#input")
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.changed()

    @on(TextArea.SelectionChanged, "#input")
    def _cursor_moved(self, event: TextArea.SelectionChanged) -> None:
        # The cursor moving in the answer is nothing to the screen or the app: not sent up
        # through every container on each key.
        event.stop()


NOT_KNOWN_VALUE = "not_known"
MAX_ONE_DIGIT_OPTIONS = 9
LONG_LIST_HINT = "Type its number (for 10 to {count}, both digits) or a word's start, then space."


class ChoiceField(QuestionField):
    """One option of several; 'Not known' last and never pre-selected."""

    def compose_input(self) -> ComposeResult:
        labels = [option.label for option in self.question.choices]
        self._values = [option.value for option in self.question.choices]
        if self.question.not_known:
            labels.append(NOT_KNOWN_LABEL)
            self._values.append(NOT_KNOWN_VALUE)
        # Numbers line up, so a long list reads down its labels.
        width = len(str(len(labels)))
        if len(labels) > MAX_ONE_DIGIT_OPTIONS:
            yield Static(LONG_LIST_HINT.format(count=len(labels)), classes="choice-keys")
        choices = ChoiceSet(
            *[
                OptionButton(f"{n:>{width}}. {label}", id=f"option-{value}")
                for n, (label, value) in enumerate(zip(labels, self._values, strict=True), 1)
            ],
            id="input",
            compact=True,
        )
        choices.words = labels
        yield choices

    @property
    def control(self) -> Widget:
        return self.query_one("#input", ChoiceSet)

    def load(self, value: AnswerValue | None, draft: str | None = None) -> None:
        chosen = NOT_KNOWN_VALUE if is_not_known(value) else value
        index = self._values.index(chosen) if chosen in self._values else None
        self.query_one("#input", ChoiceSet).choose(index)

    def to_answer(self) -> Entry:
        pressed = self.query_one("#input", ChoiceSet).pressed_index
        if pressed < 0:
            return Entry(None)
        chosen = self._values[pressed]
        return Entry(NOT_KNOWN if chosen == NOT_KNOWN_VALUE else chosen)

    @on(RadioSet.Changed, "#input")
    def _chosen(self, event: RadioSet.Changed) -> None:
        event.stop()
        move_on = self.query_one("#input", ChoiceSet).take_move_on()
        if self._values[event.index] == NOT_KNOWN_VALUE:
            self.post_message(self.NotKnownChosen(self))
        else:
            self.changed(move_on)

    @on(ChoiceSet.MoveOn)
    def _move_on(self, event: ChoiceSet.MoveOn) -> None:
        event.stop()
        self.to_next_question()


class MultiChoiceField(QuestionField):
    """Any of several options: arrows move, space ticks."""

    def compose_input(self) -> ComposeResult:
        yield TickList(
            *[(option.label, option.value) for option in self.question.choices],
            id="input",
            compact=True,
        )

    @property
    def control(self) -> Widget:
        return self.query_one("#input", SelectionList)

    def load(self, value: AnswerValue | None, draft: str | None = None) -> None:
        selection: SelectionList[str] = self.query_one("#input", SelectionList)
        with selection.prevent(SelectionList.SelectedChanged):
            selection.deselect_all()
            if isinstance(value, list):
                for item in value:
                    selection.select(item)

    def to_answer(self) -> Entry:
        selection: SelectionList[str] = self.query_one("#input", SelectionList)
        chosen = set(selection.selected)
        # Kept in the form's order, whatever order they were ticked in.
        ordered = [option.value for option in self.question.choices if option.value in chosen]
        return Entry(ordered or None)

    @on(SelectionList.SelectedChanged, "#input")
    def _ticked(self, event: SelectionList.SelectedChanged[str]) -> None:
        event.stop()
        self.changed()


FIELD_TYPES: dict[QuestionType, type[QuestionField]] = {
    QuestionType.SHORT_TEXT: TextField,
    QuestionType.LONG_TEXT: LongTextField,
    QuestionType.DATE: DateField,
    QuestionType.NUMBER: NumberField,
    QuestionType.SINGLE_CHOICE: ChoiceField,
    QuestionType.YES_NO: ChoiceField,
    QuestionType.MULTIPLE_CHOICE: MultiChoiceField,
}


def question_field(question: Question, field_id: str, *, today: date) -> QuestionField:
    """The widget for QUESTION, answering FIELD_ID."""
    return FIELD_TYPES[question.type](question, field_id, today=today)


def _dom_id(field_id: str) -> str:
    # Field ids such as 'checks.domestic_abuse.requested' are not valid DOM ids.
    return "q-" + field_id.replace(".", "--")


def dom_id(field_id: str) -> str:
    """The DOM id of the field for FIELD_ID."""
    return _dom_id(field_id)
