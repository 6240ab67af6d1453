"""'Record a follow-up: <question>': who will find out, what they will do, by when."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from court_tui.domain.case import CaseRecord
from court_tui.domain.follow_ups import FollowUpError, default_action, record_not_known
from court_tui.domain.prefill import follow_up_due
from court_tui.domain.values import date_echo, parse_date_input
from court_tui.ui.case_session import OpenCase
from court_tui.ui.widgets.keys_footer import KeysFooter


@dataclass(frozen=True)
class FollowUpResult:
    """The follow-up as the officer recorded it."""

    owner: str
    action: str
    due: date | None


# Returns the problem with a proposed follow-up, in the domain's words, or None.
FollowUpCheck = Callable[[FollowUpResult], str | None]


class FollowUpDialog(ModalScreen[FollowUpResult | None]):
    """Asks who, what and by when for a 'not known' answer or an outstanding check."""

    CSS_PATH = "follow_up.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save follow-up", id="follow_up.save"),
        Binding("escape", "cancel", "Cancel", id="follow_up.cancel"),
    ]

    def __init__(
        self,
        subject: str,
        *,
        owner: str,
        action: str,
        due: date | None,
        today: date,
        check: FollowUpCheck,
    ) -> None:
        super().__init__()
        self.subject = subject
        self.owner = owner
        self.action = action
        self.due = due
        self.today = today
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Record a follow-up: {self.subject}", id="heading", markup=False)
            yield Static("", id="problem", markup=False)
            with VerticalScroll(id="fields"):
                yield Static("Who will find out", classes="label")
                yield Input(self.owner, id="owner", select_on_focus=False)
                yield Static("What they will do", classes="label")
                yield Input(self.action, id="action", select_on_focus=False)
                yield Static("By when", classes="label")
                yield Static("For example, tomorrow, +3 or 14/3", classes="hint")
                due_text = f"{self.due.day}/{self.due.month}/{self.due.year}" if self.due else ""
                yield Input(due_text, id="due", select_on_focus=False)
                yield Static("", id="due-echo", markup=False)
            yield Button("Save follow-up", id="save", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._echo(self.query_one("#due", Input).value)
        self.query_one("#owner", Input).focus()

    def _echo(self, text: str) -> None:
        self.query_one("#due-echo", Static).update(date_echo(text, self.today))

    @on(Input.Changed, "#due")
    def _due_typed(self, event: Input.Changed) -> None:
        self._echo(event.value)

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _pressed(self) -> None:
        self.action_save()

    def result(self) -> FollowUpResult:
        """The follow-up as typed so far."""
        due_text = self.query_one("#due", Input).value
        return FollowUpResult(
            owner=self.query_one("#owner", Input).value.strip(),
            action=self.query_one("#action", Input).value.strip(),
            due=parse_date_input(due_text, self.today) if due_text.strip() else None,
        )

    def action_save(self) -> None:
        """Save the follow-up, or show what is wrong with it and focus that."""
        result = self.result()
        due_text = self.query_one("#due", Input).value
        problem: str | None
        if due_text.strip() and result.due is None:
            problem = "Enter the date of the follow-up as a date, like 14/3/2026"
        else:
            problem = self.check(result)
        if problem is None:
            self.dismiss(result)
            return
        slot = self.query_one("#problem", Static)
        slot.update(f"There is a problem\nError: {problem}")
        slot.add_class("-shown")
        # The first part missing, else the date (the only part that can be wrong).
        wrong = "#owner" if not result.owner else "#action" if not result.action else "#due"
        self.query_one(wrong, Input).focus()

    def action_cancel(self) -> None:
        """Leave without recording a follow-up."""
        self.dismiss(None)


def record_follow_up(case: OpenCase, key: str, result: FollowUpResult, today: date) -> CaseRecord:
    """The open case with KEY 'not known' and RESULT as its follow-up (raises FollowUpError)."""
    return record_not_known(
        case.record,
        case.forms,
        key,
        owner=result.owner,
        action=result.action,
        due=result.due,
        today=today,
        recorded_by=case.officer,
    )


def follow_up_dialog(case: OpenCase, key: str, subject: str, today: date) -> FollowUpDialog:
    """The dialog for KEY (a question id or a check kind), pre-filled from its open follow-up
    or else with the officer, the form's suggested action and, for a check, its reply date."""
    existing = case.record.open_follow_ups(key)
    current = existing[0] if existing else None

    def check(result: FollowUpResult) -> str | None:
        try:
            record_follow_up(case, key, result, today)
        except FollowUpError as error:
            return str(error)
        return None

    return FollowUpDialog(
        subject,
        owner=current.owner if current else case.officer,
        action=current.action if current else default_action(case.forms, key),
        due=current.due if current else follow_up_due(case.record, case.forms, key, today),
        today=today,
        check=check,
    )
