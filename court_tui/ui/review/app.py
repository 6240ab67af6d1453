"""`court-tui review`: the supervisor's pending checks, on the local or the central store.

The app receives its source (`ReviewSource`) already open, and only wires screens to it.
A case the supervisor owns opens in the officer's own task list and screens, saved through
the source; any other case opens read-only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker

from court_tui.domain.allocation import AllocationLabels
from court_tui.domain.assessment import FOLLOW_UPS_TASK
from court_tui.domain.case import CaseRecord
from court_tui.domain.dates import describe_time, to_local
from court_tui.domain.forms import FormSet, load_forms
from court_tui.domain.review import ReviewError, ReviewFilters, ReviewItem, ReviewSource, Tab
from court_tui.ui.case_app import CaseApp
from court_tui.ui.case_session import BackToCases, OpenCase
from court_tui.ui.review.case_view import CaseSummaryScreen, item_section
from court_tui.ui.review.screen import ReviewScreen
from court_tui.ui.themes import DEFAULT_THEME, register_themes
from court_tui.ui.workers import post_outcome


@dataclass
class CaseSaved(Message):
    """A save of the supervisor's own case finished."""

    record: CaseRecord


@dataclass
class SaveFailed(Message):
    """A save of the supervisor's own case failed; the words are for the supervisor."""

    message: str


class ReviewApp(CaseApp):
    """Pending checks and follow-ups across the supervisor's teams."""

    TITLE = "court-tui review"
    # The footer has room for the review's own keys only.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="review_app.quit", priority=True)]

    def __init__(
        self,
        source: ReviewSource,
        *,
        tab: Tab = Tab.OVERDUE,
        filters: ReviewFilters | None = None,
        forms: FormSet | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] | None = None,
        labels: AllocationLabels | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.labels = labels
        self.forms = forms or load_forms()
        self.tab = tab
        self.filters = filters or ReviewFilters()
        self._today = today
        self._now = now
        register_themes(self)
        self.theme = DEFAULT_THEME
        # No animations (ux.md): the tab strip's sliding underline included.
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(
            ReviewScreen(
                self.source,
                tab=self.tab,
                filters=self.filters,
                today=self._today,
                now=self._now,
            )
        )

    # -- opening a case at an item -----------------------------------------------------

    @on(ReviewScreen.CaseChosen)
    def _case_chosen(self, message: ReviewScreen.CaseChosen) -> None:
        self.open_case_at(message.record, message.item)

    def open_case_at(self, record: CaseRecord, item: ReviewItem) -> None:
        """Show RECORD at ITEM: the officer's screens when it is the supervisor's own case
        and this store can save it, else read-only."""
        if self.source.can_edit and record.officer.strip() == self.source.reviewer:
            from court_tui.ui.screens.tasks import TaskListScreen

            self.open_case = OpenCase.of(
                record, self.forms, self.source.reviewer, labels=self.labels
            )
            self.save_status = ""
            screen = TaskListScreen(self.open_case)
            self.push_screen(screen)
            task = FOLLOW_UPS_TASK if item.kind == "follow_up" else item_section(item, self.forms)
            if task is not None:
                self.call_after_refresh(screen.open_task, task)
            return
        if not self.source.can_edit:
            why = "the central store is read here; changes are made on the officer's laptop."
        else:
            why = f"this is {record.officer or 'another officer'}'s case."
        self.push_screen(CaseSummaryScreen(record, item, self.forms, self._today(), why))

    @on(BackToCases)
    def show_cases(self) -> None:
        """Back to the pending checks (the officer's screens ask for this when done)."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, ReviewScreen):
            self.pop_screen()

    # -- saving the supervisor's own case ----------------------------------------------

    def start_save(self, record: CaseRecord) -> Worker[object]:
        return self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review_app.save")
    def _save(self, record: CaseRecord) -> None:
        post_outcome(
            self, lambda: self.source.save_case(record), CaseSaved, SaveFailed, (ReviewError,)
        )

    @on(CaseSaved)
    def _saved(self, message: CaseSaved) -> None:
        self.save_status = f"Draft saved {describe_time(to_local(datetime.now(UTC)))}"
        self.case_saved(message.record)

    @on(SaveFailed)
    def _save_failed(self, message: SaveFailed) -> None:
        self.save_failed()
        self.save_status = f"Error: not saved. {message.message}"

    async def action_quit(self) -> None:
        """Quit, after saving an open case."""
        await self.flush()
        self.exit()
