"""The supervisor's review of pending checks and follow-ups: the items, which tab an item
is in, its order and the filters.

The stores answer the same questions in SQL for speed; they take their date bounds from
`tab_window` so that the rule is written once, here, and the tests hold the two together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from court_tui.domain.case_list import STATUS_OVERDUE as STATUS_OVERDUE
from court_tui.domain.chase import STATUS_BLOCKED, ChaseKind
from court_tui.domain.checks import CHECK_OUTSTANDING
from court_tui.domain.deadlines import add_working_days
from court_tui.domain.follow_ups import FOLLOW_UP_OPEN
from court_tui.domain.handed_over import HandoverStage

# The kinds the stores list by their own tables (and the review filters by); the chase
# list's other kinds, a 'not known' nobody is finding out and a handover not accepted,
# come from the domain's chase list of the few cases that may hold one.
ItemKind = Literal["check", "follow_up"]
ITEM_KINDS: tuple[ItemKind, ...] = ("check", "follow_up")
KIND_WORDS: dict[ChaseKind, str] = {
    "check": "Check",
    "follow_up": "Follow-up",
    "not_known": "Not known",
    "handover": "Handover",
}
# What a pending item of each kind is when not overdue (nor due soon).
PENDING_WORDS: dict[ChaseKind, str] = {
    "check": CHECK_OUTSTANDING,
    "follow_up": FOLLOW_UP_OPEN,
    "not_known": STATUS_BLOCKED,
    "handover": HandoverStage.SENT.value,
}

DUE_SOON_WORKING_DAYS = 2
RECEIVED_DAYS = 7


class Tab(StrEnum):
    """The four tabs of the review, by their command-line names."""

    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    PENDING = "pending"
    RECEIVED = "received"


TAB_TITLES: dict[Tab, str] = {
    Tab.OVERDUE: "Overdue",
    Tab.DUE_SOON: "Due in the next two working days",
    Tab.PENDING: "All pending",
    Tab.RECEIVED: "Received in the last seven days",
}

# A pending item's status is its check's or follow-up's word, unless it is late or near
# (late is the chase list's word, STATUS_OVERDUE).
STATUS_DUE_SOON = "Due soon"
STATUS_REVIEWED = "Reviewed"


@dataclass(frozen=True)
class ReviewItem:
    """One tracked check or follow-up of a case, or a 'not known' nobody is finding out
    or a handover not yet accepted, as the supervisor's review lists it.

    For a check, `item_id` and `question` are the check kind and the owner is the case's
    officer; `done_on` is when the result was received (or the follow-up closed). A
    'not known' is named by its question; the handover by `chase.HANDOVER_ITEM`.
    """

    case_id: str
    case_name: str
    crn: str
    court: str
    team: str
    officer: str
    kind: ChaseKind
    item_id: str
    question: str
    what: str
    owner: str
    requested: date | None
    due: date | None
    done_on: date | None = None
    reviewed_by: str | None = None
    review_note: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What names the item across reloads: case, kind, item."""
        return (self.case_id, self.kind, self.item_id)

    @property
    def pending(self) -> bool:
        """Still waiting: not received, not closed."""
        return self.done_on is None

    @property
    def reviewed(self) -> bool:
        """A supervisor has recorded oversight of it."""
        return bool(self.reviewed_by)

    def with_review(self, by: str, note: str) -> ReviewItem:
        """The item as it reads once BY has reviewed it with NOTE."""
        return replace(self, reviewed_by=by, review_note=note)


@dataclass(frozen=True)
class TabWindow:
    """A tab as bounds the stores can put in SQL (None: no bound).

    Pending tabs take items with no `done_on` and a due date in [due_from, due_to] (no
    bounds: undated items too); the received tab takes items done on or after
    `done_since` and not after `done_until`.
    """

    pending: bool
    due_from: date | None = None
    due_to: date | None = None
    done_since: date | None = None
    done_until: date | None = None


def tab_window(tab: Tab, today: date) -> TabWindow:
    """Which items TAB holds on TODAY, as bounds."""
    if tab is Tab.OVERDUE:
        return TabWindow(pending=True, due_to=today - timedelta(days=1))
    if tab is Tab.DUE_SOON:
        # Due today counts: not yet overdue, and the supervisor still has time to act.
        return TabWindow(
            pending=True, due_from=today, due_to=add_working_days(today, DUE_SOON_WORKING_DAYS)
        )
    if tab is Tab.PENDING:
        return TabWindow(pending=True)
    # Since the same weekday last week, so a weekly review never misses a day.
    return TabWindow(
        pending=False, done_since=today - timedelta(days=RECEIVED_DAYS), done_until=today
    )


def in_tab(item: ReviewItem, tab: Tab, today: date) -> bool:
    """Whether ITEM belongs in TAB on TODAY."""
    window = tab_window(tab, today)
    if window.pending:
        if not item.pending:
            return False
        if window.due_from is None and window.due_to is None:
            return True
        if item.due is None:
            return False
        return not (
            (window.due_from is not None and item.due < window.due_from)
            or (window.due_to is not None and item.due > window.due_to)
        )
    if item.done_on is None:
        return False
    return not (
        (window.done_since is not None and item.done_on < window.done_since)
        or (window.done_until is not None and item.done_on > window.done_until)
    )


def is_overdue(item: ReviewItem, today: date) -> bool:
    """Still pending and due before TODAY."""
    return item.pending and item.due is not None and item.due < today


def pending_word(kind: ChaseKind, due: date | None, today: date) -> str:
    """A pending item's status where being due soon is not told apart: overdue when due
    before TODAY, else outstanding (a check), open (a follow-up), blocked (a 'not known')
    or sent (a handover)."""
    if due is not None and due < today:
        return STATUS_OVERDUE
    return PENDING_WORDS[kind]


def sort_key(item: ReviewItem, today: date) -> tuple[bool, bool, date, str, str, str]:
    """Overdue first, then by due date (undated last), then case name and item."""
    return (
        not is_overdue(item, today),
        item.due is None,
        item.due or date.max,
        item.case_name.casefold(),
        item.kind,
        item.item_id,
    )


def ordered(items: Iterable[ReviewItem], today: date) -> list[ReviewItem]:
    """ITEMS in review order."""
    return sorted(items, key=lambda item: sort_key(item, today))


@dataclass(frozen=True)
class ReviewFilters:
    """What the supervisor narrowed the view to (None or empty: everything).

    `officer` takes items on that officer's cases and follow-ups they own on others'.
    """

    court: str | None = None
    team: str | None = None
    officer: str | None = None
    kind: ItemKind | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out."""
        return bool(self.court or self.team or self.officer or self.kind or self.search_text)

    @property
    def search_text(self) -> str:
        """The search as typed, trimmed and with runs of spaces made one."""
        return " ".join(self.search.split())

    def describe(self) -> str:
        """The filters in words: 'court Leeds; search "walsh"', or 'none'."""
        parts = []
        if self.court:
            parts.append(f"court {self.court}")
        if self.team:
            parts.append(f"team {self.team}")
        if self.officer:
            parts.append(f"officer {self.officer}")
        if self.kind:
            parts.append(f"{KIND_WORDS[self.kind].lower()}s only")
        if self.search_text:
            parts.append(f'search "{self.search_text}"')
        return "; ".join(parts) if parts else "none"


def search_fields(item: ReviewItem) -> tuple[str, ...]:
    """The texts a search looks in: the person's name and CRN, the item, owner, officer."""
    return (item.case_name, item.crn, item.what, item.owner, item.officer)


def matches(item: ReviewItem, filters: ReviewFilters) -> bool:
    """Whether ITEM passes FILTERS (the search ignores case)."""
    if filters.court and item.court != filters.court:
        return False
    if filters.team and item.team != filters.team:
        return False
    if filters.officer and filters.officer not in (item.officer, item.owner):
        return False
    if filters.kind and item.kind != filters.kind:
        return False
    wanted = filters.search_text.casefold()
    return not wanted or any(wanted in text.casefold() for text in search_fields(item))


def select(
    items: Iterable[ReviewItem], tab: Tab, filters: ReviewFilters, today: date
) -> list[ReviewItem]:
    """The items TAB shows under FILTERS on TODAY, in review order (the rule the stores'
    SQL follows)."""
    return ordered(
        (item for item in items if in_tab(item, tab, today) and matches(item, filters)), today
    )


class ReviewError(Exception):
    """Something the supervisor should read: the store or central store could not do it."""
