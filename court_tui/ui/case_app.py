"""What the officer's app and the review share: one open case, saved soon after each change.

Saving is one save at a time, and a change made while a save runs is saved after it, so
the store always ends with the newest record. Each app says how a save is made.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on
from textual.reactive import reactive
from textual.timer import Timer
from textual.worker import Worker

from court_tui.ui.typeahead import KeysInOrderApp

# The case model loads with the first case opened: the case list needs none of it, and
# the session's messages are handled by name.
if TYPE_CHECKING:
    from court_tui.domain.case import CaseRecord
    from court_tui.ui.case_session import CaseChanged, OpenCase, SaveCaseNow

AUTOSAVE_SECONDS = 1.0


class CaseApp(KeysInOrderApp):
    """An app with one case open at a time, saved AUTOSAVE_SECONDS after the last change."""

    save_status: reactive[str] = reactive("")

    def __init__(self) -> None:
        super().__init__()
        self.open_case: OpenCase | None = None
        self._dirty = False
        self._saving: Worker[object] | None = None
        self._autosave: Timer | None = None
        self._save_next = False  # a change came while a save ran: save it when that ends
        self._changed_at = 0.0  # when the open case last changed (time.monotonic)

    def start_save(self, record: CaseRecord) -> Worker[object]:
        """Save RECORD in a worker that posts what came of it."""
        raise NotImplementedError

    def on_case_changed(self, message: CaseChanged) -> None:
        self._dirty = True
        # One timer for a run of changes, each putting the save off: a timer of its own for
        # every key typed into an answer would cost more than the rest of the key.
        self._changed_at = time.monotonic()
        if self._autosave is None:
            self._autosave = self.set_timer(AUTOSAVE_SECONDS, self._autosave_due)

    def _autosave_due(self) -> None:
        self._autosave = None
        wait = self._changed_at + AUTOSAVE_SECONDS - time.monotonic()
        if wait > 0:
            self._autosave = self.set_timer(wait, self._autosave_due)
        else:
            self.save_now()

    def on_save_case_now(self, message: SaveCaseNow) -> None:
        self.save_now()

    def save_now(self) -> Worker[object] | None:
        """Save the open case if it changed, one save at a time; returns the running save."""
        if self._autosave is not None:
            self._autosave.stop()
            self._autosave = None
        if self._saving is not None and not self._saving.is_finished:
            return self._saving
        if not self._dirty or self.open_case is None:
            return None
        self._dirty = False
        self._save_next = False
        self._saving = self.start_save(self.open_case.record)
        return self._saving

    def case_saved(self, record: CaseRecord) -> None:
        """RECORD was saved: the open case takes its revision, and changes made while it
        was saved are saved next."""
        case = self.open_case
        if case is not None and case.record.id == record.id:
            case.record = case.record.model_copy(update={"revision": record.revision})
        if self._dirty:
            self._save_next = True
            self.call_after_refresh(self.save_now)

    @on(Worker.StateChanged)
    def _save_ended(self, event: Worker.StateChanged) -> None:
        # A save posts its answer before its worker has finished, so the save made next in
        # case_saved may still find it running: start it once the worker has ended.
        if event.worker is self._saving and event.worker.is_finished and self._save_next:
            self.save_now()

    def save_failed(self) -> None:
        """A save failed: the draft stays in memory, to be saved with the next change."""
        self._dirty = True

    def discard_changes(self) -> None:
        """The open case was read afresh: what was not saved of it is not saved now."""
        self._dirty = False

    def busy_saving(self) -> bool:
        """Whether a change is waiting to be saved or a save is running."""
        saving = self._saving is not None and not self._saving.is_finished
        return self._dirty or saving

    async def flush(self) -> None:
        """Wait until every change to the open case is saved."""
        while True:
            worker = self.save_now()
            if worker is None:
                return
            await worker.wait()
            if self._saving is worker and worker.error is not None:
                return
