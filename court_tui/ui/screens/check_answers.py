"""'Check your answers' for one section: every answer in words, each with a change action."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.summary import section_answers
from court_tui.ui.case_session import OpenCase, SaveCaseNow
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.options import prompts
from court_tui.ui.widgets.status_line import StatusLine


class CheckAnswersScreen(Screen[None]):
    """The section's answers; enter on one changes it and comes back here."""

    CSS_PATH = "check_answers.tcss"
    BINDINGS = [
        Binding("ctrl+s", "continue", "Continue", id="check_answers.continue"),
        Binding("escape", "back", "Back", id="check_answers.back"),
    ]

    def __init__(self, case: OpenCase, section_id: str) -> None:
        super().__init__()
        self.case = case
        self.section = case.forms.section(section_id)

    def compose(self) -> ComposeResult:
        yield Static(
            f"Check your answers: {self.section.forms[0].title}", id="heading", markup=False
        )
        yield Static(self.case.caption, id="case-caption", markup=False)
        yield Static("Press enter on an answer to change it.", id="how", markup=False)
        yield OptionList(id="answers")
        yield Button("Save and go back to the tasks", id="continue", variant="primary")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_answers()
        self.query_one("#answers", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.show_answers()

    def show_answers(self) -> None:
        """List every answer of the section as it reads now."""
        answers = self.query_one("#answers", OptionList)
        highlighted = answers.highlighted
        answers.clear_options()
        for line in section_answers(self.case.record, self.case.forms, self.section.id):
            prompt = Text.assemble(
                (line.label, "bold"), "\n", line.text, ("  Change", "underline")
            )
            answers.add_option(Option(prompt, id=line.field))
        if answers.option_count:
            answers.highlighted = min(highlighted or 0, answers.option_count - 1)

    @property
    def lines(self) -> list[str]:
        """The answers as shown, one string each."""
        answers = self.query_one("#answers", OptionList)
        return prompts(answers)

    @on(OptionList.OptionSelected, "#answers")
    def _change(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        from court_tui.ui.screens.rsr import section_screen

        self.app.push_screen(
            section_screen(
                self.case,
                self.section.id,
                focus_field=event.option.id,
                from_check_answers=True,
            )
        )

    def action_continue(self) -> None:
        """Back to the task list."""
        self.post_message(SaveCaseNow())
        self.dismiss(None)

    @on(Button.Pressed, "#continue")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_continue()

    def action_back(self) -> None:
        """Back to the section's questions."""
        from court_tui.ui.screens.rsr import section_screen

        self.app.switch_screen(section_screen(self.case, self.section.id))
