"""The supervisor's review of pending checks and follow-ups, and where its items come from.

What an item is, its tab, order and filters are in `review_items`; its words and the
supervisor's actions in `review_words`; each laptop's last contact in `device_contact`.
Their names are imported from here, as every layer does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from court_tui.domain.case import CaseRecord
from court_tui.domain.dates import short_date
from court_tui.domain.device_contact import (
    BEHIND_AFTER_WORKING_DAYS,
    DeviceContact,
    contact_words,
    device_line,
    devices_summary,
    is_behind,
)
from court_tui.domain.review_items import (
    DUE_SOON_WORKING_DAYS,
    ITEM_KINDS,
    KIND_WORDS,
    RECEIVED_DAYS,
    STATUS_DUE_SOON,
    STATUS_OVERDUE,
    STATUS_REVIEWED,
    TAB_TITLES,
    ItemKind,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    Tab,
    TabWindow,
    in_tab,
    is_overdue,
    matches,
    ordered,
    pending_word,
    search_fields,
    select,
    sort_key,
    tab_window,
)
from court_tui.domain.review_words import (
    describe_item,
    due_words,
    empty_words,
    item_context,
    item_title,
    oversight_line,
    plural,
    reassign_follow_up,
    short_what,
    showing_words,
    status_word,
    status_words,
    validate_note,
    validate_owner,
)

__all__ = [
    "BEHIND_AFTER_WORKING_DAYS",
    "DUE_SOON_WORKING_DAYS",
    "DeviceContact",
    "FilterChoices",
    "ITEM_KINDS",
    "ItemKind",
    "KIND_WORDS",
    "PAGE_SIZE",
    "RECEIVED_DAYS",
    "ReviewError",
    "ReviewFilters",
    "ReviewItem",
    "ReviewPage",
    "ReviewSource",
    "STATUS_DUE_SOON",
    "STATUS_OVERDUE",
    "STATUS_REVIEWED",
    "TAB_TITLES",
    "Tab",
    "TabWindow",
    "contact_words",
    "describe_item",
    "device_line",
    "devices_summary",
    "due_words",
    "empty_words",
    "in_tab",
    "is_behind",
    "is_overdue",
    "item_context",
    "item_title",
    "matches",
    "ordered",
    "oversight_line",
    "pending_word",
    "plural",
    "reassign_follow_up",
    "search_fields",
    "select",
    "short_date",
    "short_what",
    "showing_words",
    "sort_key",
    "status_word",
    "status_words",
    "tab_window",
    "validate_note",
    "validate_owner",
]

PAGE_SIZE = 50


@dataclass(frozen=True)
class ReviewPage:
    """One tab's first items under the filters, and how many there are in all."""

    tab: Tab
    filters: ReviewFilters
    items: list[ReviewItem]
    matching: int
    total: int

    @property
    def showing(self) -> str:
        """'Showing 12 of 40'."""
        return showing_words(len(self.items), self.matching, self.total)


@dataclass(frozen=True)
class FilterChoices:
    """The values the filters offer: those of the items in the review."""

    courts: list[str]
    teams: list[str]
    officers: list[str]


class ReviewSource(Protocol):
    """The local store or the central store, as the review uses it. Every call blocks
    (the app makes them from workers) and raises ReviewError with words to show."""

    @property
    def central(self) -> bool:
        """Whether this is the central store (every laptop) rather than this laptop's."""
        ...

    @property
    def reviewer(self) -> str:
        """The supervisor's name, as actions and the audit log record it."""
        ...

    @property
    def where(self) -> str:
        """Which store, in words: 'this laptop's store', 'the central store'."""
        ...

    @property
    def can_reassign(self) -> bool:
        """Whether a follow-up's owner can be changed from here."""
        ...

    @property
    def can_edit(self) -> bool:
        """Whether the supervisor's own cases can be changed from here."""
        ...

    def page(
        self, tab: Tab, filters: ReviewFilters, today: date, limit: int = PAGE_SIZE
    ) -> ReviewPage:
        """TAB's first LIMIT items under FILTERS on TODAY, in review order."""
        ...

    def all_items(self, tab: Tab, filters: ReviewFilters, today: date) -> list[ReviewItem]:
        """Every item of TAB under FILTERS on TODAY, in review order."""
        ...

    def filter_choices(self, today: date) -> FilterChoices:
        """The courts, teams and officers to filter by."""
        ...

    def devices(self) -> list[DeviceContact]:
        """Each laptop's last contact with the central store (this one's, when local)."""
        ...

    def open_case(self, case_id: str) -> CaseRecord:
        """The case, recording in the audit log that the supervisor read it."""
        ...

    def save_case(self, record: CaseRecord) -> CaseRecord:
        """Save a case the supervisor owns (only when `can_edit`)."""
        ...

    def mark_reviewed(self, item: ReviewItem, note: str) -> ReviewItem:
        """Record the supervisor's oversight of ITEM with NOTE (audited and synced)."""
        ...

    def reassign(self, item: ReviewItem, owner: str) -> ReviewItem:
        """Give the follow-up ITEM to OWNER (audited and synced)."""
        ...

    def record_export(self, items: Sequence[ReviewItem], detail: str) -> None:
        """Record in the audit log that ITEMS' cases left court-tui (a CSV export)."""
        ...

    def close(self) -> None:
        """Let go of the store."""
        ...
