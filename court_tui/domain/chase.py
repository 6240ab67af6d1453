"""The chase list: everything on a case still waited for, so that nothing slips.

Outstanding checks (overdue once past their "reply expected by"), open follow-ups,
'not known' answers without a follow-up (blocked: nobody is finding out), and a handover
nobody has accepted. `check`, the officer's pending list and the review read these words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from court_tui.domain.answer_rules import complete_follow_up
from court_tui.domain.answers import is_not_known
from court_tui.domain.case import CaseRecord
from court_tui.domain.case_list import STATUS_OVERDUE as STATUS_OVERDUE
from court_tui.domain.case_list import pending_words as pending_words
from court_tui.domain.checks import CHECK_OUTSTANDING
from court_tui.domain.deadlines import working_days_between
from court_tui.domain.follow_ups import FOLLOW_UP_OPEN, follow_up_what
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import HandoverStage, HandoverState, recipient

ChaseKind = Literal["check", "follow_up", "not_known", "handover"]

STATUS_BLOCKED = "Blocked"
# The id a case's handover goes by among its chase items.
HANDOVER_ITEM = "handover"


@dataclass(frozen=True)
class ChaseItem:
    """One thing on a case still waited for."""

    kind: ChaseKind
    item_id: str
    what: str
    owner: str
    due: date | None
    status: str

    def describe(self, today: date) -> str:
        """The item in one line, for `check` and screen readers."""
        text = f"{self.status}: {self.what}"
        if self.owner:
            text += f" ({self.owner})"
        if self.due is not None and self.status == STATUS_OVERDUE:
            late = working_days_between(self.due, today)
            text += f", overdue by {late} working day{'s' if late != 1 else ''}"
        elif self.due is not None:
            text += f", due {self.due.isoformat()}"
        elif self.status == STATUS_BLOCKED:
            text += ": record who will find out, what they will do and by when"
        return text

    def as_dict(self) -> dict[str, str | None]:
        """The item as JSON-ready data."""
        return {
            "kind": self.kind,
            "id": self.item_id,
            "what": self.what,
            "owner": self.owner or None,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
        }


def _status(due: date | None, today: date, pending_word: str) -> str:
    return STATUS_OVERDUE if due is not None and due < today else pending_word


def blocked_not_knowns(record: CaseRecord, forms: FormSet) -> list[str]:
    """The questions answered 'not known' with no complete follow-up: nobody is finding out."""
    return [
        question
        for question, value in record.answers.items()
        if is_not_known(value)
        and question in forms.questions
        and complete_follow_up(record.open_follow_ups(question)) is None
    ]


def _chase_order(item: ChaseItem) -> tuple[bool, bool, date, str]:
    return (item.status != STATUS_OVERDUE, item.due is None, item.due or date.max, item.what)


def chase_items(
    record: CaseRecord, forms: FormSet, today: date, handover: HandoverState
) -> list[ChaseItem]:
    """Everything on RECORD still waited for on TODAY: overdue first, then by due date,
    blocked and undated last."""
    items: list[ChaseItem] = []
    for kind in forms.check_kinds():
        check = record.check(kind.id)
        if check.outstanding:
            status = _status(check.expected_by, today, CHECK_OUTSTANDING)
            items.append(
                ChaseItem("check", kind.id, kind.title, record.officer, check.expected_by, status)
            )
    for follow_up in record.follow_ups:
        if follow_up.is_open:
            what = follow_up.action or follow_up_what(forms, follow_up.question)
            status = _status(follow_up.due, today, FOLLOW_UP_OPEN)
            items.append(
                ChaseItem("follow_up", follow_up.id, what, follow_up.owner, follow_up.due, status)
            )
    items += _blocked_and_handover(record, forms, handover)
    return sorted(items, key=_chase_order)


def blocked_and_handover(
    record: CaseRecord, forms: FormSet, handover: HandoverState
) -> list[ChaseItem]:
    """The part of RECORD's chase list that is neither a check nor a follow-up: 'not
    known' answers nobody is finding out (blocked) and a handover nobody has accepted, in
    the chase list's order, without working out the rest of it. HANDOVER is where
    RECORD's handover stands on the day asked about."""
    return sorted(_blocked_and_handover(record, forms, handover), key=_chase_order)


def _blocked_and_handover(
    record: CaseRecord, forms: FormSet, handover: HandoverState
) -> list[ChaseItem]:
    items = []
    for question in blocked_not_knowns(record, forms):
        what = f"'Not known' with no follow-up: {forms.questions[question].label}"
        items.append(ChaseItem("not_known", question, what, record.officer, None, STATUS_BLOCKED))
    if handover.stage is not HandoverStage.NOT_SENT and not handover.handed_over:
        to = recipient(record)
        what = f"Handover to {to}" if to else "Handover, never sent"
        status = STATUS_OVERDUE if handover.overdue else handover.stage.value
        items.append(
            ChaseItem("handover", HANDOVER_ITEM, what, record.officer, handover.due, status)
        )
    elif handover.stage is HandoverStage.NOT_SENT and handover.overdue:
        what = "Handover: not yet sent to a responsible officer"
        items.append(
            ChaseItem(
                "handover", HANDOVER_ITEM, what, record.officer, handover.due, STATUS_OVERDUE
            )
        )
    return items


def item_task(forms: FormSet, kind: str, item_id: str) -> str:
    """The task a pending item of KIND is worked on in: a check in the checks section, a
    follow-up in the follow-ups review, a 'not known' in its question's section, the
    handover in the handover."""
    if kind == "check":
        return forms.check_form().section
    if kind == "not_known" and item_id in forms.questions:
        return forms.questions[item_id].section
    # The assessment's task ids (it imports this module, so they are spelled here).
    return "handover" if kind == "handover" else "follow_ups"
