"""'Review follow-ups': every follow-up on the case; enter on an open one changes it."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.case import FollowUp
from court_tui.domain.follow_ups import FOLLOW_UP_CLOSED, FOLLOW_UP_OPEN
from court_tui.domain.summary import describe_follow_up
from court_tui.ui.case_session import CaseChanged, OpenCase, SaveCaseNow
from court_tui.ui.screens.follow_up import FollowUpResult, follow_up_dialog, record_follow_up
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine


class FollowUpsScreen(Screen[None]):
    """The case's follow-ups, open ones first, each with who, what and by when."""

    CSS_PATH = "follow_ups.tcss"
    BINDINGS = [Binding("escape", "back", "Back", id="follow_ups.back")]

    def __init__(self, case: OpenCase) -> None:
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        yield Static("Review follow-ups", id="heading", markup=False)
        yield Static(self.case.caption, id="case-caption", markup=False)
        yield Static("", id="problems", markup=False)
        yield OptionList(id="follow-ups")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_follow_ups()
        self.query_one("#follow-ups", OptionList).focus()

    def _subject(self, follow_up: FollowUp) -> str:
        question = self.case.forms.questions.get(follow_up.question)
        if question is not None:
            return question.label
        kind = next((k for k in self.case.forms.check_kinds() if k.id == follow_up.question), None)
        return kind.title if kind else follow_up.question

    def show_follow_ups(self) -> None:
        """List the follow-ups and the problems the domain finds with them."""
        options = self.query_one("#follow-ups", OptionList)
        options.clear_options()
        ordered = sorted(self.case.record.follow_ups, key=lambda f: not f.is_open)
        for follow_up in ordered:
            state = FOLLOW_UP_OPEN if follow_up.is_open else FOLLOW_UP_CLOSED
            prompt = Text.assemble(
                (self._subject(follow_up), "bold"),
                "\n",
                describe_follow_up(follow_up),
                f"  {state}",
            )
            options.add_option(Option(prompt, id=follow_up.id, disabled=not follow_up.is_open))
        if not ordered:
            options.add_option(Option("There are no follow-ups on this case.", disabled=True))
        problems = self.case.assess().problems_for("follow_ups")
        self.query_one("#problems", Static).update(
            "\n".join(f"Error: {p.message}" for p in problems)
        )

    @on(OptionList.OptionSelected, "#follow-ups")
    def _change(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        follow_up = next(f for f in self.case.record.follow_ups if f.id == event.option.id)
        today = date.today()
        key = follow_up.question

        def done(result: FollowUpResult | None) -> None:
            if result is None:
                return
            self.case.record = record_follow_up(self.case, key, result, today)
            self.post_message(CaseChanged())
            self.show_follow_ups()

        self.app.push_screen(
            follow_up_dialog(self.case, key, self._subject(follow_up), today), done
        )

    def action_back(self) -> None:
        """Back to the task list."""
        self.post_message(SaveCaseNow())
        self.dismiss(None)
