"""Sending the handover to a responsible officer, and their acceptance of it.

Many responsible officers never read the CAS. The friction here is on purpose: the RO
acknowledges each must-read item (`must_read`) before accepting, and never the officer
who wrote the case. Whether a case counts as handed over is `handed_over`'s one rule.
"""

from __future__ import annotations

from datetime import date, datetime

from court_tui.domain.allocation import AllocationLabels
from court_tui.domain.assessment import HANDOVER_TASK, Assessment, TaskStatus
from court_tui.domain.case import CaseRecord, Handover
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import may_accept, same_person
from court_tui.domain.must_read import (
    MustRead,
    acknowledge,
    is_read,
    must_read_items,
    read_mark,
    unacknowledged,
)

__all__ = [
    "HandoverError",
    "MustRead",
    "accept_handover",
    "accepted_on",
    "acknowledge",
    "is_read",
    "must_read_items",
    "read_mark",
    "send_handover",
    "unacknowledged",
]


class HandoverError(Exception):
    """The handover cannot be sent or accepted yet; the message says why."""


def accept_handover(
    record: CaseRecord,
    forms: FormSet,
    assessment: Assessment,
    by: str,
    at: datetime,
    labels: AllocationLabels | None = None,
) -> CaseRecord:
    """RECORD accepted by BY (the responsible officer it was sent to) at AT; raises
    HandoverError saying what still stops it."""
    if assessment.task(HANDOVER_TASK).status is TaskStatus.CANNOT_START:
        raise HandoverError("The handover cannot start until every other task is completed")
    if not by.strip():
        raise HandoverError("Enter your name to accept the handover")
    refused = may_accept(record, by)
    if refused:
        raise HandoverError(refused)
    left = unacknowledged(record, forms, labels)
    if left:
        raise HandoverError(
            f"Read and acknowledge every item before you accept: {len(left)} not yet "
            f"acknowledged, starting with '{left[0].heading}'"
        )
    handover = record.handover.model_copy(update={"accepted_by": by.strip(), "accepted_at": at})
    return record.model_copy(update={"handover": handover})


def send_handover(
    record: CaseRecord,
    assessment: Assessment,
    *,
    to: str,
    team: str | None = None,
    by: str,
    at: datetime,
) -> CaseRecord:
    """RECORD's handover sent by BY at AT to the responsible officer TO (a login), or to
    TEAM's office when TO is empty. A new sending starts the reading afresh."""
    if assessment.task(HANDOVER_TASK).status is TaskStatus.CANNOT_START:
        raise HandoverError("The handover cannot be sent until every other task is completed")
    to = " ".join(to.split())
    team = " ".join((team or "").split()) or None
    if not to and not team:
        raise HandoverError("Enter the responsible officer (or office team) to send it to")
    if len(to) > 200 or len(team or "") > 200:
        raise HandoverError("The responsible officer's name must be 200 characters or fewer")
    if to and (same_person(to, by) or same_person(to, record.officer)):
        raise HandoverError("Send the handover to the responsible officer, not to yourself")
    handover = Handover(sent_to=to or None, sent_to_team=team, sent_by=by.strip(), sent_at=at)
    return record.model_copy(update={"handover": handover})


def accepted_on(record: CaseRecord) -> date | None:
    """The day the handover was accepted, if it was."""
    return record.handover.accepted_at.date() if record.handover.accepted_at else None
