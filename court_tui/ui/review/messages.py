"""What the review screen's workers post back to it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from court_tui.domain.case import CaseRecord
from court_tui.domain.review import DeviceContact, FilterChoices, ReviewItem, ReviewPage


@dataclass
class PageLoaded(Message):
    """A tab's page, read by a worker."""

    page: ReviewPage


@dataclass
class DevicesLoaded(Message):
    """Each laptop's last contact, read by a worker."""

    devices: list[DeviceContact]


@dataclass
class ChoicesLoaded(Message):
    """The filter choices, read by a worker, and which field the dialog should focus."""

    choices: FilterChoices
    focus: str


@dataclass
class CaseOpened(Message):
    """A case read by a worker, to show at ITEM."""

    record: CaseRecord
    item: ReviewItem


@dataclass
class ItemChanged(Message):
    """An action finished: the item as it now reads, and what to tell the supervisor."""

    item: ReviewItem
    said: str


@dataclass
class Failed(Message):
    """A store call failed; the words are for the supervisor."""

    message: str
