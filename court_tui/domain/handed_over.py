"""What "handed over" means: the one rule every list, check, import, export and review asks.

A case is handed over only when it was sent to a named responsible officer (or an office
team), accepted by that officer, who is not the one who wrote it, and every must-read item
has been acknowledged as it now reads. A must-read item that changes afterwards (a
corrected RSR, a check result, a new 'not known') reopens the handover and says what
changed. A case file that claims acceptance without all that is not counted, and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from court_tui.domain.allocation import AllocationLabels
from court_tui.domain.case import CaseRecord
from court_tui.domain.dates import describe_date, describe_moment
from court_tui.domain.deadlines import add_working_days, working_days_between
from court_tui.domain.fields import Cas
from court_tui.domain.forms import FormSet
from court_tui.domain.must_read import MustRead, is_read, mark_item, must_read_items
from court_tui.domain.rules import sentence_date
from court_tui.domain.values import parse_iso_date

# The RO must have read the CAS within two working days of sentence: the same time the
# full RoSH analysis is due, and three working days before the latest first appointment
# (five working days), so the RO meets the person knowing the risks. The first
# appointment, when it is sooner, is the hard limit.
HANDOVER_WORKING_DAYS = 2


class HandoverStage(StrEnum):
    """Where a handover stands, in the words lists and exports show."""

    NOT_SENT = "Not yet sent"
    SENT = "Sent, not yet accepted"
    ACCEPTED = "Accepted"
    REOPENED = "Changed since accepted"
    NOT_COUNTED = "Acceptance not counted"


@dataclass(frozen=True)
class HandoverState:
    """Where a case's handover stands on a day, and why."""

    stage: HandoverStage
    # Why an acceptance is not counted, or what changed since it was read, in words.
    reasons: tuple[str, ...] = ()
    # The must-read items to read (again) before the handover counts.
    unread: tuple[MustRead, ...] = ()
    due: date | None = None
    overdue: bool = False

    @property
    def handed_over(self) -> bool:
        """Accepted by the responsible officer with every must-read item read as it reads."""
        return self.stage is HandoverStage.ACCEPTED

    def describe(self, record: CaseRecord, today: date) -> str:
        """The handover in one plain sentence: to whom, accepted by whom and when, or not
        yet accepted and since when, and why it does not count."""
        handover = record.handover
        if self.stage is HandoverStage.NOT_SENT:
            text = "Not yet sent to a responsible officer"
        elif not recipient(record):
            text = "Never sent to a responsible officer"
            if handover.accepted_by:
                text += f"; marked accepted by {handover.accepted_by}"
        else:
            text = f"Sent to {recipient(record)}"
            if handover.sent_by:
                text += f" by {handover.sent_by}"
            if handover.sent_at:
                text += f" on {describe_moment(handover.sent_at)}"
            if handover.accepted_by and handover.accepted_at:
                text += (
                    f"; accepted by {handover.accepted_by} on "
                    f"{describe_moment(handover.accepted_at)}"
                )
            elif handover.sent_at:
                text += f"; not yet accepted ({_waited(handover.sent_at, today)})"
            else:
                text += "; not yet accepted"
        if self.stage in (HandoverStage.REOPENED, HandoverStage.NOT_COUNTED):
            text += f". {self.stage.value}: " + "; ".join(self.reasons)
        if self.due is not None and not self.handed_over:
            text += f". Due by {describe_date(self.due)}"
            if self.overdue:
                late = working_days_between(self.due, today)
                text += f": overdue by {late} working day{'s' if late != 1 else ''}"
        return text


def _waited(since: datetime, today: date) -> str:
    days = max(working_days_between(since.date(), today), 0)
    return f"waiting {days} working day{'s' if days != 1 else ''}"


def recipient(record: CaseRecord) -> str:
    """Who the handover was sent to, in words ('' when not sent)."""
    handover = record.handover
    if handover.sent_to and handover.sent_to_team:
        return f"{handover.sent_to} ({handover.sent_to_team})"
    if handover.sent_to_team:
        return f"the {handover.sent_to_team} team"
    return handover.sent_to or ""


def same_person(one: str | None, other: str | None) -> bool:
    """Whether two names or logins name the same person (case and spacing aside)."""
    if not one or not other:
        return False
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def is_author(record: CaseRecord, who: str) -> bool:
    """Whether WHO wrote the case or sent its handover, and so may not accept it."""
    return same_person(who, record.officer) or same_person(who, record.handover.sent_by)


def may_accept(record: CaseRecord, who: str) -> str:
    """Why WHO may not accept RECORD's handover ('' when they may)."""
    handover = record.handover
    if not (handover.sent_to or handover.sent_to_team):
        return "The handover has not been sent to a responsible officer"
    if is_author(record, who):
        return "You wrote this case: the responsible officer it was sent to accepts it"
    if handover.sent_to and not handover.sent_to_team and not same_person(who, handover.sent_to):
        return f"The handover was sent to {handover.sent_to}: only they can accept it"
    return ""


def handover_due(record: CaseRecord) -> date | None:
    """The day the handover must be accepted by: HANDOVER_WORKING_DAYS after sentence (or
    after it was sent, when there is no sentence), and never after the first appointment."""
    sentenced = sentence_date(record.answers)
    sent = record.handover.sent_at.date() if record.handover.sent_at else None
    start = sentenced or sent
    if start is None:
        return None
    due = add_working_days(start, HANDOVER_WORKING_DAYS)
    first = parse_iso_date(record.answers.get(Cas.FIRST_APPOINTMENT_DATE))
    return first if first is not None and start <= first < due else due


def _acceptance_faults(record: CaseRecord) -> list[str]:
    handover = record.handover
    who = handover.accepted_by or ""
    faults = []
    if not (handover.sent_to or handover.sent_to_team):
        faults.append("it was never sent to a responsible officer")
    if handover.accepted_at is None:
        faults.append("it does not say when it was accepted")
    if is_author(record, who):
        faults.append(f"it was accepted by {who}, who wrote the case")
    elif handover.sent_to and not handover.sent_to_team and not same_person(who, handover.sent_to):
        faults.append(f"it was sent to {handover.sent_to} but accepted by {who}")
    return faults


def handover_state(
    record: CaseRecord, forms: FormSet, today: date, labels: AllocationLabels | None = None
) -> HandoverState:
    """Where RECORD's handover stands on TODAY: the one rule for "handed over"."""
    handover = record.handover
    due = handover_due(record)
    if not handover.accepted_by:
        stage = (
            HandoverStage.SENT
            if handover.sent_to or handover.sent_to_team
            else (HandoverStage.NOT_SENT)
        )
        return HandoverState(stage, due=due, overdue=due is not None and today > due)
    faults = _acceptance_faults(record)
    items = must_read_items(record, forms, labels)
    unread = [item for item in items if not is_read(record, item)]
    marked = {mark_item(mark) for mark in handover.acknowledged}
    never = [item for item in unread if item.id not in marked]
    changed = [item for item in unread if item.id in marked]
    if not handover.acknowledged and items:
        faults.append("no must-read item was acknowledged")
    elif never and not all(item.id.startswith("follow_up:") for item in never):
        headings = ", ".join(item.heading for item in never)
        faults.append(f"these must-read items were never acknowledged: {headings}")
    if faults:
        stage, reasons = HandoverStage.NOT_COUNTED, faults
    elif unread:
        stage = HandoverStage.REOPENED
        reasons = [f"'{item.heading}' has changed since it was read" for item in changed]
        reasons += [f"'{item.heading}' is new since it was read" for item in never]
    else:
        return HandoverState(HandoverStage.ACCEPTED, due=due)
    return HandoverState(
        stage,
        tuple(reasons),
        tuple(unread),
        due=due,
        overdue=due is not None and today > due,
    )


def handover_not_counted(
    record: CaseRecord, forms: FormSet, today: date, labels: AllocationLabels | None = None
) -> str:
    """When RECORD claims an acceptance that does not count as handed over, why ('' when it
    claims none, or when it counts)."""
    if not record.handover.accepted_by:
        return ""
    state = handover_state(record, forms, today, labels)
    if state.handed_over:
        return ""
    return (
        f"the handover says it was accepted by {record.handover.accepted_by}, but it does not "
        f"count as handed over ({state.stage.value.lower()}): " + "; ".join(state.reasons)
    )
