"""CaseApp's saving alone, on a save that waits to be let go: one save at a time, changes
made meanwhile saved next, a failed save kept to save again; and a cancelled worker's
result never posted."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

import pytest
from hosts import SIZE, demo_case, wait_until
from textual import on, work
from textual.app import App
from textual.message import Message
from textual.worker import Worker

from court_tui.domain.case import CaseRecord
from court_tui.ui.case_app import AUTOSAVE_SECONDS, CaseApp
from court_tui.ui.case_session import CaseChanged, SaveCaseNow
from court_tui.ui.workers import post_from_worker, post_outcome

pytestmark = pytest.mark.asyncio

# A bound on waiting for a worker thread to be let go: a test that fails hangs no longer.
RELEASE_SECONDS = 10.0


@dataclass
class Saved(Message):
    record: CaseRecord


@dataclass
class SaveFailed(Message):
    words: str


class SavingApp(CaseApp):
    """A CaseApp whose saves wait until the test lets each one go."""

    def __init__(self) -> None:
        super().__init__()
        self.open_case = demo_case("complete-crc")
        self.started: list[str] = []
        self.release = threading.Semaphore(0)
        self.failing = False
        self.failures: list[str] = []
        # When set, a save's worker goes on after posting its answer until `linger` is set,
        # as a thread can on a loaded machine.
        self.lingering = False
        self.linger = threading.Event()
        self.saved_revisions: list[int] = []

    def start_save(self, record: CaseRecord) -> Worker[object]:
        self.started.append(str(record.answers.get("name")))
        return self._save(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self, record: CaseRecord) -> None:
        def save() -> CaseRecord:
            assert self.release.acquire(timeout=RELEASE_SECONDS)
            if self.failing:
                raise OSError("The disk is full.")
            return record.model_copy(update={"revision": record.revision + 1})

        post_outcome(self, save, Saved, SaveFailed, (OSError,))
        if self.lingering:
            assert self.linger.wait(timeout=RELEASE_SECONDS)

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self.saved_revisions.append(message.record.revision)
        self.case_saved(message.record)

    @on(SaveFailed)
    def _failed(self, message: SaveFailed) -> None:
        self.failures.append(message.words)
        self.save_failed()

    def rename(self, name: str) -> None:
        """The officer changes the name on the open case."""
        assert self.open_case is not None
        record = self.open_case.record
        self.open_case.record = record.model_copy(
            update={"answers": {**record.answers, "name": name}}
        )
        self.post_message(CaseChanged())


async def test_changes_one_after_another_are_saved_once_a_second_after_the_last() -> None:
    app = SavingApp()
    async with app.run_test(size=SIZE) as pilot:
        started = time.monotonic()
        for name in ("J", "Jo", "Jo S", "Jo Sm", "Jo Smi", "Jo Smith"):
            app.rename(name)
            await asyncio.sleep(AUTOSAVE_SECONDS / 4)
        # Longer than the autosave's wait since the first change: each change put it off.
        assert time.monotonic() - started > AUTOSAVE_SECONDS
        assert app.started == []
        await wait_until(pilot, lambda: app.started, "the autosave", workers=False)
        assert app.started == ["Jo Smith"]
        app.release.release()
        await wait_until(pilot, lambda: not app.busy_saving(), "all saved", workers=False)
        assert app.started == ["Jo Smith"]


async def test_a_change_made_while_a_save_runs_is_saved_after_it() -> None:
    app = SavingApp()
    async with app.run_test(size=SIZE) as pilot:
        revision = app.open_case.record.revision if app.open_case else 0
        app.rename("Jo Smith")
        app.post_message(SaveCaseNow())
        await wait_until(
            pilot, lambda: app.started == ["Jo Smith"], "the first save", workers=False
        )
        app.rename("Jo Smyth")
        app.post_message(SaveCaseNow())
        await pilot.pause()
        assert app.started == ["Jo Smith"]  # one save at a time
        assert app.busy_saving()
        app.release.release()
        await wait_until(
            pilot, lambda: app.started == ["Jo Smith", "Jo Smyth"], "saved next", workers=False
        )
        app.release.release()
        await wait_until(pilot, lambda: not app.busy_saving(), "all saved", workers=False)
        assert app.open_case is not None
        # The second save started from the revision the first one saved.
        assert app.open_case.record.revision == revision + 2
        assert app.open_case.record.answers["name"] == "Jo Smyth"


async def test_a_change_is_saved_next_even_when_the_save_before_ends_after_its_answer() -> None:
    app = SavingApp()
    app.lingering = True
    async with app.run_test(size=SIZE) as pilot:
        app.rename("Jo Smith")
        app.post_message(SaveCaseNow())
        await wait_until(
            pilot, lambda: app.started == ["Jo Smith"], "the first save", workers=False
        )
        app.rename("Jo Smyth")
        app.post_message(SaveCaseNow())
        app.release.release()
        await wait_until(pilot, lambda: app.saved_revisions, "the first answer", workers=False)
        for _ in range(5):
            await pilot.pause()
        assert app.started == ["Jo Smith"]  # the first save's worker has not ended yet
        app.linger.set()
        app.release.release()
        await wait_until(
            pilot, lambda: app.started == ["Jo Smith", "Jo Smyth"], "saved next", workers=False
        )
        await wait_until(pilot, lambda: not app.busy_saving(), "all saved", workers=False)


async def test_a_failed_save_is_saved_again_by_flush() -> None:
    app = SavingApp()
    async with app.run_test(size=SIZE) as pilot:
        app.failing = True
        app.rename("Jo Smith")
        app.post_message(SaveCaseNow())
        app.release.release()
        await wait_until(
            pilot, lambda: app.failures == ["The disk is full."], "failed", workers=False
        )
        assert app.busy_saving()
        app.failing = False
        app.release.release()
        await app.flush()
        assert app.started == ["Jo Smith", "Jo Smith"]
        assert not app.busy_saving()


@dataclass
class Found(Message):
    value: str


class Finder(App[None]):
    """An app whose worker finds something only once the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.found: list[str] = []
        self.ran: list[str] = []
        self.ended: list[str] = []

    @work(thread=True, exclusive=True, group="find")
    def find(self, value: str) -> None:
        self.ran.append(value)
        assert self.release.wait(timeout=RELEASE_SECONDS)
        post_from_worker(self, Found(value))
        self.ended.append(value)

    @on(Found)
    def _found(self, message: Found) -> None:
        self.found.append(message.value)


async def test_a_cancelled_worker_posts_nothing() -> None:
    app = Finder()
    async with app.run_test(size=SIZE) as pilot:
        first = app.find("stale")
        await wait_until(pilot, lambda: app.ran == ["stale"], "the first running", workers=False)
        app.find("fresh")  # exclusive: the first is cancelled
        await wait_until(pilot, lambda: first.is_cancelled, "the first cancelled", workers=False)
        app.release.set()

        def every_one_ended() -> bool:
            return "fresh" in app.ended and sorted(app.ended) == sorted(app.ran)

        await wait_until(pilot, every_one_ended, "every worker that ran ended", workers=False)
        await pilot.pause()
        assert app.found == ["fresh"]
