"""A small host app to mount one screen or modal alone, with cases and sources kept in
memory (no store), and a bounded wait on a condition instead of a wait on time."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from textual import on
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.worker import WorkerCancelled, WorkerFailed

from court_tui.domain import review
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import loads
from court_tui.domain.forms import FormSet, load_forms
from court_tui.resources import data_dir
from court_tui.ui.case_session import BackToCases, CaseChanged, OpenCase, SaveCaseNow
from court_tui.ui.themes import DEFAULT_THEME, register_themes
from court_tui.ui.typeahead import KeysInOrderApp

SIZE = (80, 24)
OFFICER = "Sam Patel"
# A condition not met after this long is a failure: a bound, never a pause to wait out.
WAIT_SECONDS = 30.0

_FORMS: list[FormSet] = []


def forms() -> FormSet:
    """The shipped forms, read once."""
    if not _FORMS:
        _FORMS.append(load_forms())
    return _FORMS[0]


def demo_case(name: str) -> OpenCase:
    """The demo case NAME (a file in data/demo, without .json), open in memory."""
    text = (data_dir() / "demo" / f"{name}.json").read_text(encoding="utf-8")
    return OpenCase.of(loads(text, forms()), forms(), OFFICER)


class Host(KeysInOrderApp):
    """Pushes the screen MAKE builds over a blank one, and keeps what it posts up."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make
        self.posted: list[Message] = []
        self.results: list[object] = []
        register_themes(self)
        self.theme = DEFAULT_THEME
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)

    @on(CaseChanged)
    @on(SaveCaseNow)
    @on(BackToCases)
    def _keep(self, message: Message) -> None:
        self.posted.append(message)

    def posted_kinds(self) -> list[str]:
        """The names of the messages posted up, in order."""
        return [type(message).__name__ for message in self.posted]


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, *, workers: bool = True
) -> None:
    """Let the app run until CONDITION holds, at most WAIT_SECONDS; with WORKERS, wait for
    the app's workers between looks (not for a test whose worker is held on purpose)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        await pilot.pause()
        if workers and not condition():
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await pilot.app.workers.wait_for_complete()


def item(
    name: str,
    *,
    kind: str = "follow_up",
    due: date | None,
    done_on: date | None = None,
    owner: str = OFFICER,
) -> review.ReviewItem:
    """A review item on the case of NAME."""
    return review.ReviewItem(
        case_id=f"case-{name}",
        case_name=name,
        crn="X123456",
        court="Leeds Magistrates' Court",
        team="Leeds court team",
        officer=OFFICER,
        kind=kind,  # type: ignore[arg-type]
        item_id=f"{kind}-{name}",
        question="crn",
        what="Find the CRN in nDelius",
        owner=owner,
        requested=date(2026, 2, 20),
        due=due,
        done_on=done_on,
    )


@dataclass
class FakeReviewSource:
    """The review's source kept in memory: the items, and what was asked of it."""

    items: list[review.ReviewItem]
    reviewer: str = "Pat Lee"
    where: str = "this laptop's store"
    central: bool = False
    can_reassign: bool = True
    can_edit: bool = False
    failing: str | None = None
    notes: list[tuple[review.ReviewItem, str]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)

    def _check(self) -> None:
        if self.failing:
            raise review.ReviewError(self.failing)

    def page(
        self,
        tab: review.Tab,
        filters: review.ReviewFilters,
        today: date,
        limit: int = review.PAGE_SIZE,
    ) -> review.ReviewPage:
        self._check()
        chosen = review.select(self.items, tab, filters, today)
        everything = review.select(self.items, tab, review.ReviewFilters(), today)
        return review.ReviewPage(tab, filters, chosen[:limit], len(chosen), len(everything))

    def all_items(
        self, tab: review.Tab, filters: review.ReviewFilters, today: date
    ) -> list[review.ReviewItem]:
        return review.select(self.items, tab, filters, today)

    def filter_choices(self, today: date) -> review.FilterChoices:
        return review.FilterChoices(
            courts=sorted({i.court for i in self.items}),
            teams=sorted({i.team for i in self.items}),
            officers=sorted({i.owner for i in self.items} | {OFFICER}),
        )

    def devices(self) -> list[review.DeviceContact]:
        return [review.DeviceContact("laptop-1", OFFICER, datetime(2026, 3, 2, 9, 0), True)]

    def open_case(self, case_id: str) -> CaseRecord:
        self._check()
        self.opened.append(case_id)
        return CaseRecord(id=case_id, officer=OFFICER)

    def save_case(self, record: CaseRecord) -> CaseRecord:
        return record

    def mark_reviewed(self, item: review.ReviewItem, note: str) -> review.ReviewItem:
        self._check()
        self.notes.append((item, note))
        changed = item.with_review(self.reviewer, note)
        self.items = [changed if i.key == item.key else i for i in self.items]
        return changed

    def reassign(self, item: review.ReviewItem, owner: str) -> review.ReviewItem:
        self._check()
        from dataclasses import replace

        changed = replace(item, owner=owner)
        self.items = [changed if i.key == item.key else i for i in self.items]
        return changed
