"""The handover summary. The officer who wrote the case checks it and sends it to the
responsible officer; the RO, in their own login, reads it ('Read before you accept this
case'): each must-read item acknowledged, then acceptance.

Responsible officers skim familiar screens; acknowledging one item at a time is on purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from court_tui.domain.case import CaseRecord
from court_tui.domain.handed_over import is_author, recipient
from court_tui.domain.handover import (
    HandoverError,
    MustRead,
    accept_handover,
    acknowledge,
    is_read,
    must_read_items,
    send_handover,
    unacknowledged,
)
from court_tui.store.errors import PlainError
from court_tui.ui.case_session import CaseChanged, OpenCase, SaveCaseNow
from court_tui.ui.widgets.error_summary import ErrorSummary
from court_tui.ui.widgets.keys_footer import KeysFooter
from court_tui.ui.widgets.status_line import StatusLine
from court_tui.ui.workers import post_from_worker


class HandoverScreen(Screen[None]):
    """The handover summary with its must-read items."""

    CSS_PATH = "handover.tcss"
    BINDINGS = [
        Binding("space", "acknowledge", "I have read this", id="handover.acknowledge"),
        Binding("ctrl+s", "accept", "Accept handover", id="handover.accept"),
        Binding("ctrl+s", "send", "Send handover", id="handover.send"),
        Binding("escape", "back", "Back", id="handover.back"),
    ]

    @dataclass
    class Accepted(Message):
        """The central store recorded the acceptance (or PROBLEM says why not)."""

        record: CaseRecord
        problem: str = ""

    def __init__(
        self,
        case: OpenCase,
        *,
        login: str | None = None,
        accept_on_central: Callable[[CaseRecord], None] | None = None,
    ) -> None:
        super().__init__()
        self.case = case
        # The RO's login on the central store, and how their acceptance is recorded there
        # (a case of another team never goes back through this laptop's outbox).
        self.login = login
        self.accept_on_central = accept_on_central
        # The officer who wrote the case sends it; never accepts it.
        self.sending = accept_on_central is None and is_author(case.record, case.officer)

    def compose(self) -> ComposeResult:
        heading = (
            "Check the handover, then send it to the responsible officer"
            if self.sending
            else "Read before you accept this case"
        )
        yield Static(heading, id="heading", markup=False)
        yield Static(self.case.caption, id="case-caption", markup=False)
        yield ErrorSummary()
        yield Static("", id="progress", markup=False)
        yield OptionList(id="items")
        if self.sending:
            handover = self.case.record.handover
            with Horizontal(id="recipient"):
                to = Input(
                    handover.sent_to or "",
                    placeholder="the responsible officer's login",
                    id="send-to",
                )
                to.border_title = "Send to"
                yield to
                # The office team set for the case's allocation, pre-filled, changeable.
                team = Input(
                    self.case.offices.handover_team(self.case.record),
                    placeholder="an office team",
                    id="send-to-team",
                )
                team.border_title = "Or office team"
                yield team
            yield Button("Send handover", id="accept", variant="primary")
        else:
            yield Button("Accept handover", id="accept", variant="primary")
        yield StatusLine()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show_items()
        if self.sending:
            self.query_one("#send-to", Input).focus()
        else:
            self.query_one("#items", OptionList).focus()

    def items(self) -> list[MustRead]:
        """The must-read items, in order."""
        return must_read_items(self.case.record, self.case.forms, self.case.labels)

    def show_items(self) -> None:
        """Show each item with whether it has been read."""
        items = self.items()
        options = self.query_one("#items", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for item in items:
            if self.sending:  # the officer checks what the RO will read; no marks to make
                heading = item.heading
            else:
                mark = "[x] Read" if is_read(self.case.record, item) else "[ ] Not yet read"
                heading = f"{mark}  {item.heading}"
            prompt = Text.assemble((heading, "bold"), "\n", item.text)
            options.add_option(Option(prompt, id=item.id))
        if options.option_count:
            options.highlighted = min(highlighted or 0, options.option_count - 1)
        if self.sending:
            sent = recipient(self.case.record)
            team = self.query_one("#send-to-team", Input).value.strip()
            if sent:
                progress = f"Sent to {sent}; not yet accepted."
            elif team:
                progress = (
                    f"Press ctrl+s to send it to the {team} team, or enter a responsible "
                    "officer's login first."
                )
            else:
                progress = "Enter who to send it to, then press ctrl+s to send the handover."
            self.query_one("#progress", Static).update(progress)
            return
        left = len(unacknowledged(self.case.record, self.case.forms, self.case.labels))
        self.query_one("#progress", Static).update(
            f"{len(items) - left} of {len(items)} items read. Press space (or enter) on "
            "each item once you have read it."
        )
        self.query_one("#accept", Button).disabled = left > 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "send":
            return self.sending
        if action == "acknowledge" and self.sending:
            return False
        if action == "accept" and self.sending:
            return False
        if action == "accept":
            return not unacknowledged(self.case.record, self.case.forms, self.case.labels)
        return True

    @on(OptionList.OptionSelected, "#items")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_acknowledge()

    def action_acknowledge(self) -> None:
        """Record that the highlighted item has been read, and move to the next one."""
        if self.sending:
            return
        options = self.query_one("#items", OptionList)
        if options.highlighted is None:
            return
        item_id = options.get_option_at_index(options.highlighted).id
        item = next((i for i in self.items() if i.id == item_id), None)
        if item is None or is_read(self.case.record, item):
            return
        self.case.record = acknowledge(self.case.record, item)
        if self.accept_on_central is None:
            self.post_message(CaseChanged())
        self.show_items()
        if options.highlighted is not None and options.highlighted < options.option_count - 1:
            options.highlighted += 1
        if not unacknowledged(self.case.record, self.case.forms, self.case.labels):
            self.query_one("#accept", Button).focus()
        self.refresh_bindings()

    def action_accept(self) -> None:
        """Send the handover (its author) or accept it (the RO), recording who and when;
        or say what stops it."""
        if self.sending:
            self._send()
            return
        try:
            accepted = accept_handover(
                self.case.record,
                self.case.forms,
                self.case.assess(),
                by=self.login or self.case.officer,
                at=datetime.now(UTC),
                labels=self.case.labels,
            )
        except HandoverError as error:
            self.query_one(ErrorSummary).show([("items", str(error))])
            return
        if self.accept_on_central is not None:
            self.query_one("#progress", Static).update("Recording your acceptance...")
            self._accept_on_central(self.case.record, accepted)
            return
        self.case.record = accepted
        self.post_message(CaseChanged())
        self.post_message(SaveCaseNow())
        from court_tui.ui.screens.confirmation import ConfirmationScreen

        self.app.switch_screen(ConfirmationScreen(self.case))

    @work(thread=True, exclusive=True, exit_on_error=False, group="handover.accept")
    def _accept_on_central(self, read: CaseRecord, accepted: CaseRecord) -> None:
        assert self.accept_on_central is not None
        try:
            self.accept_on_central(read)
        except PlainError as error:
            post_from_worker(self, self.Accepted(read, str(error)))
            return
        post_from_worker(self, self.Accepted(accepted))

    @on(Accepted)
    def _accepted(self, message: Accepted) -> None:
        if message.problem:
            self.show_items()
            self.query_one(ErrorSummary).show([("items", message.problem)])
            return
        self.case.record = message.record
        from court_tui.ui.screens.confirmation import ConfirmationScreen

        self.app.switch_screen(ConfirmationScreen(self.case))

    def action_send(self) -> None:
        """Send the handover to the responsible officer typed in (the author only)."""
        if self.sending:
            self._send()

    def _send(self) -> None:
        try:
            sent = send_handover(
                self.case.record,
                self.case.assess(),
                to=self.query_one("#send-to", Input).value,
                team=self.query_one("#send-to-team", Input).value,
                by=self.case.officer,
                at=datetime.now(UTC),
            )
        except HandoverError as error:
            self.query_one(ErrorSummary).show([("send-to", str(error))])
            return
        self.case.record = sent
        self.post_message(CaseChanged())
        self.post_message(SaveCaseNow())
        from court_tui.ui.screens.confirmation import ConfirmationScreen

        self.app.switch_screen(ConfirmationScreen(self.case))

    @on(Input.Submitted, "#send-to, #send-to-team")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#accept", Button).focus()

    @on(Button.Pressed, "#accept")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_accept()

    @on(ErrorSummary.Selected)
    def _to_items(self, event: ErrorSummary.Selected) -> None:
        event.stop()
        self.query_one("#send-to" if self.sending else "#items").focus()

    def action_back(self) -> None:
        """Back to the task list; what was read stays read."""
        self.post_message(SaveCaseNow())
        self.dismiss(None)
