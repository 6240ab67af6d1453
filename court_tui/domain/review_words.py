"""The review's items in words: how late, where they stand, what they are, and what a
list or an empty tab says; and the supervisor's actions on them, with their refusals."""

from __future__ import annotations

from datetime import date, datetime

from court_tui.domain.case import CaseRecord
from court_tui.domain.chase import HANDOVER_ITEM
from court_tui.domain.checks import CHECK_RECEIVED
from court_tui.domain.dates import describe_date, to_local, weekday
from court_tui.domain.deadlines import working_days_between
from court_tui.domain.follow_ups import FOLLOW_UP_CLOSED
from court_tui.domain.forms import FormSet
from court_tui.domain.review_items import (
    DUE_SOON_WORKING_DAYS,
    KIND_WORDS,
    PENDING_WORDS,
    STATUS_DUE_SOON,
    STATUS_OVERDUE,
    ReviewError,
    ReviewFilters,
    ReviewItem,
    Tab,
    in_tab,
    is_overdue,
)


def plural(count: int, noun: str) -> str:
    """'1 working day', '3 working days'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def due_words(item: ReviewItem, today: date) -> str:
    """How late or near an item is, in words: 'Overdue by 2 working days', 'Due today'."""
    if not item.pending:
        return ""
    if item.due is None:
        return "No follow-up recorded" if item.kind == "not_known" else "No due date set"
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
    return PENDING_WORDS[item.kind]


def status_words(item: ReviewItem, today: date) -> str:
    """The status with the review, for a list: 'Overdue, reviewed'."""
    status = status_word(item, today)
    return f"{status}, reviewed" if item.reviewed else status


def item_title(item: ReviewItem) -> str:
    """'Check: Domestic abuse check' or 'Follow-up: Chase the police ...' (a 'not known'
    or a handover says what it is itself)."""
    if item.kind in ("not_known", "handover"):
        return item.what
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
    elif item_id == HANDOVER_ITEM:
        on = " on the handover"
    elif item_id is not None and item_id in forms.questions:
        on = f" on the 'not known' {forms.questions[item_id].label}"
    elif item_id is not None:
        follow_up = next((f for f in record.follow_ups if f.id == item_id), None)
        on = f" on the follow-up '{follow_up.action}'" if follow_up else " on a follow-up"
    day = describe_date(to_local(written_at).date())
    return f"{written_by}, {day}{on}: {' '.join(note.split())}"
