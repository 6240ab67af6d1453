"""The supervisor's review of pending checks and follow-ups: which tab an item is in, its
order, its words, the filters, and each laptop's last contact with the central store.

The stores answer the same questions in SQL for speed; they take their date bounds from
`tab_window` so that the rule is written once, here, and the tests hold the two together.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal, Protocol

from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import CHECK_OUTSTANDING, CHECK_RECEIVED
from court_tui.domain.dates import describe_date, describe_time, to_local, weekday
from court_tui.domain.dates import short_date as short_date  # the review screen's
from court_tui.domain.deadlines import add_working_days, working_days_between
from court_tui.domain.follow_ups import FOLLOW_UP_CLOSED, FOLLOW_UP_OPEN
from court_tui.domain.forms import FormSet

ItemKind = Literal["check", "follow_up"]
ITEM_KINDS: tuple[ItemKind, ...] = ("check", "follow_up")
KIND_WORDS: dict[ItemKind, str] = {"check": "Check", "follow_up": "Follow-up"}

DUE_SOON_WORKING_DAYS = 2
RECEIVED_DAYS = 7
# A laptop is shown as behind when it has not synced on this or the last working day.
BEHIND_AFTER_WORKING_DAYS = 1


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

# A pending item's status is its check's or follow-up's word, unless it is late or near.
STATUS_OVERDUE = "Overdue"
STATUS_DUE_SOON = "Due soon"
STATUS_REVIEWED = "Reviewed"


@dataclass(frozen=True)
class ReviewItem:
    """One tracked check or follow-up of a case, as the supervisor's review lists it.

    For a check, `item_id` and `question` are the check kind and the owner is the case's
    officer; `done_on` is when the result was received (or the follow-up closed).
    """

    case_id: str
    case_name: str
    crn: str
    court: str
    team: str
    officer: str
    kind: ItemKind
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


def pending_word(kind: ItemKind, due: date | None, today: date) -> str:
    """A pending item's status where being due soon is not told apart: overdue when due
    before TODAY, else outstanding (a check) or open (a follow-up)."""
    if due is not None and due < today:
        return STATUS_OVERDUE
    return CHECK_OUTSTANDING if kind == "check" else FOLLOW_UP_OPEN


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


# -- words ---------------------------------------------------------------------------------


def plural(count: int, noun: str) -> str:
    """'1 working day', '3 working days'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def due_words(item: ReviewItem, today: date) -> str:
    """How late or near an item is, in words: 'Overdue by 2 working days', 'Due today'."""
    if not item.pending:
        return ""
    if item.due is None:
        return "No due date set"
    if item.due < today:
        late = working_days_between(item.due, today)
        return f"Overdue by {plural(late, 'working day')}" if late > 0 else "Overdue"
    if item.due == today:
        return "Due today"
    ahead = working_days_between(today, item.due)
    if ahead > DUE_SOON_WORKING_DAYS:
        return ""
    if ahead == 0:
        # Due on a weekend or bank holiday before the next working day.
        return f"Due {weekday(item.due)}"
    return f"Due in {plural(ahead, 'working day')}"


def status_word(item: ReviewItem, today: date) -> str:
    """Where the item stands, in one word or two."""
    if not item.pending:
        return CHECK_RECEIVED if item.kind == "check" else FOLLOW_UP_CLOSED
    if is_overdue(item, today):
        return STATUS_OVERDUE
    if in_tab(item, Tab.DUE_SOON, today):
        return STATUS_DUE_SOON
    return CHECK_OUTSTANDING if item.kind == "check" else FOLLOW_UP_OPEN


def status_words(item: ReviewItem, today: date) -> str:
    """The status with the review, for a list: 'Overdue, reviewed'."""
    status = status_word(item, today)
    return f"{status}, reviewed" if item.reviewed else status


def item_title(item: ReviewItem) -> str:
    """'Check: Domestic abuse check' or 'Follow-up: Chase the police ...'."""
    return f"{KIND_WORDS[item.kind]}: {item.what}"


def short_what(what: str) -> str:
    """A check's title without its bracketed agency: 'Domestic abuse check'."""
    head, _, _ = what.partition(" (")
    return head.strip() or what


def describe_item(item: ReviewItem, today: date) -> str:
    """The item in one plain sentence, for the detail line and the plain-text view."""
    case = f"{item.case_name} ({item.crn or 'no CRN'}), {item.court or 'no court'}"
    parts = [
        f"{item_title(item)} - {case}",
        f"officer {item.officer or 'not recorded'}, team {item.team or 'not recorded'}",
        f"owner {item.owner or 'no owner'}",
    ]
    if item.requested:
        parts.append(f"requested {describe_date(item.requested)}")
    if item.due:
        parts.append(f"due {describe_date(item.due)}")
    if item.done_on:
        verb = "received" if item.kind == "check" else "closed"
        parts.append(f"{verb} {describe_date(item.done_on)}")
    words = due_words(item, today)
    if words:
        parts.append(words[0].lower() + words[1:])
    text = "; ".join(parts) + "."
    if item.reviewed:
        text += f" Reviewed by {item.reviewed_by}: {item.review_note or 'no note'}"
    return text


def item_context(item: ReviewItem) -> str:
    """What a list row leaves out: the item in full, where the case is, and the review."""
    text = (
        f"{item_title(item)}. {item.court or 'No court'}, {item.team or 'no team'}, "
        f"officer {item.officer or 'not recorded'}."
    )
    if item.reviewed:
        text += f" Reviewed by {item.reviewed_by}: {item.review_note or 'no note'}"
    return text


def showing_words(shown: int, matching: int, total: int) -> str:
    """'Showing 12 of 40', or how many were left out when the list was cut short."""
    if shown < matching:
        return (
            f"Showing the first {shown:,} of {matching:,} matching ({total:,} in this tab): "
            "go down past the last for more, or filter to narrow"
        )
    return f"Showing {shown:,} of {total:,}"


def empty_words(tab: Tab, filters: ReviewFilters) -> str:
    """What an empty tab says (the sync state is shown beside it, never instead)."""
    what = {
        Tab.OVERDUE: "Nothing is overdue",
        Tab.DUE_SOON: "Nothing is due in the next two working days",
        Tab.PENDING: "Nothing is pending",
        Tab.RECEIVED: "Nothing was received in the last seven days",
    }[tab]
    if filters.active:
        return f"{what} with these filters ({filters.describe()})."
    return f"{what} in what has reached this view."


def validate_note(text: str) -> str | None:
    """The error for an oversight note, or None when it will do."""
    if not text.strip():
        return "Enter an oversight note"
    if len(text) > 2000:
        return "Oversight note must be 2,000 characters or fewer"
    return None


def validate_owner(text: str, current: str) -> str | None:
    """The error for a follow-up's new owner, or None when it will do."""
    if not text.strip():
        return "Enter who will own the follow-up"
    if text.strip() == current.strip():
        return f"The follow-up is already owned by {current.strip()}: enter someone else"
    if len(text.strip()) > 100:
        return "Owner must be 100 characters or fewer"
    return None


def reassign_follow_up(record: CaseRecord, item: ReviewItem, owner: str) -> CaseRecord:
    """RECORD with the follow-up ITEM given to OWNER."""
    if item.kind != "follow_up":
        raise ReviewError("Only a follow-up has an owner to change.")
    found = next((f for f in record.follow_ups if f.id == item.item_id), None)
    if found is None:
        raise ReviewError(
            f"The follow-up is no longer on {item.case_name}'s case: press r to reload."
        )
    if found.closed_on is not None:
        raise ReviewError(
            f"The follow-up was closed on {describe_date(found.closed_on)}: there is nothing "
            "left for anyone to do. Press r to reload."
        )
    error = validate_owner(owner, found.owner)
    if error:
        raise ReviewError(error)
    follow_ups = [
        f.model_copy(update={"owner": owner.strip()}) if f is found else f
        for f in record.follow_ups
    ]
    return record.model_copy(update={"follow_ups": follow_ups})


def oversight_line(
    record: CaseRecord,
    forms: FormSet,
    *,
    written_by: str,
    written_at: datetime,
    item_id: str | None,
    note: str,
) -> str:
    """A supervisor's oversight note on RECORD as its officer reads it: who, when, on what."""
    titles = {kind.id: kind.title for kind in forms.check_kinds()}
    on = ""
    if item_id in titles:
        title = short_what(titles[item_id])
        on = f" on the {title[:1].lower()}{title[1:]}"
    elif item_id is not None:
        follow_up = next((f for f in record.follow_ups if f.id == item_id), None)
        on = f" on the follow-up '{follow_up.action}'" if follow_up else " on a follow-up"
    day = describe_date(to_local(written_at).date())
    return f"{written_by}, {day}{on}: {' '.join(note.split())}"


# -- last contact with the central store ---------------------------------------------------


@dataclass(frozen=True)
class DeviceContact:
    """One laptop and the last time it reached the central store (None: never)."""

    device_id: str
    owner: str
    last_contact: datetime | None
    this_device: bool = False

    @property
    def label(self) -> str:
        """'This laptop', or 'Sam Patel's laptop (3f2a9c1e)'."""
        if self.this_device:
            return "This laptop"
        return f"{self.owner or 'Unknown'}'s laptop ({self.device_id[:8]})"


def contact_words(last: datetime | None, now: datetime) -> str:
    """When a laptop last synced, in words: 'last synced 3 working days ago'."""
    if last is None:
        return "has never synced"
    seen, here = to_local(last), to_local(now)
    if seen.date() >= here.date():
        return f"last synced today at {describe_time(seen)}"
    if seen.date() == here.date() - timedelta(days=1):
        return f"last synced yesterday at {describe_time(seen)}"
    late = working_days_between(seen.date(), here.date())
    if late > 1:
        return f"last synced {plural(late, 'working day')} ago ({describe_date(seen.date())})"
    return f"last synced {describe_date(seen.date())}"


def is_behind(device: DeviceContact, now: datetime) -> bool:
    """Not synced on this or the last working day (or never)."""
    if device.last_contact is None:
        return True
    seen, here = to_local(device.last_contact).date(), to_local(now).date()
    return working_days_between(seen, here) > BEHIND_AFTER_WORKING_DAYS


def device_line(device: DeviceContact, now: datetime) -> str:
    """'Sam Patel's laptop (3f2a9c1e) last synced 3 working days ago'."""
    return f"{device.label} {contact_words(device.last_contact, now)}"


def devices_summary(devices: Sequence[DeviceContact], now: datetime, *, central: bool) -> str:
    """One line on how current the view is: which laptops have not synced lately."""
    if not central:
        mine = devices[0] if devices else None
        if mine is None or mine.last_contact is None:
            return "This laptop has never synced: only what was recorded on it is shown"
        return f"{device_line(mine, now)}: anything changed elsewhere since is not shown"
    if not devices:
        return "No laptop in your teams has synced yet: nothing has reached the central store"
    behind = [device for device in devices if is_behind(device, now)]
    if not behind:
        if len(devices) == 1:
            return device_line(devices[0], now)
        return f"All {len(devices)} laptops synced on this or the last working day"
    oldest = min(behind, key=lambda d: (d.last_contact is not None, d.last_contact or now))
    first = device_line(oldest, now)
    if len(behind) == 1:
        return first
    return f"{len(behind)} of {plural(len(devices), 'laptop')} behind; {first}"


# -- where the review's items come from ----------------------------------------------------

PAGE_SIZE = 50


class ReviewError(Exception):
    """Something the supervisor should read: the store or central store could not do it."""


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
