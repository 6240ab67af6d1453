"""The handover's must-read items, and what acknowledging one records.

Each item is read as it now reads: acknowledging records a fingerprint of its words, so an
item whose words change afterwards (a corrected RSR, a check result) is unread again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from court_tui.domain.allocation import AllocationLabels, allocate, labels_from
from court_tui.domain.answers import is_not_known
from court_tui.domain.cas_decision import rules_decision
from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import CHECK_OUTSTANDING, describe_check
from court_tui.domain.dates import describe_date
from court_tui.domain.fields import Cas, Rosh, Rsr
from court_tui.domain.forms import FormSet
from court_tui.domain.summary import describe_follow_up, display_answer
from court_tui.domain.values import parse_iso_date


@dataclass(frozen=True)
class MustRead:
    """One item the responsible officer must read and acknowledge."""

    id: str
    heading: str
    text: str


def _answer(record: CaseRecord, forms: FormSet, question_id: str) -> str:
    return display_answer(forms.question(question_id), record, record.answers.get(question_id))


def _rosh_text(record: CaseRecord, forms: FormSet) -> str:
    text = _answer(record, forms, Rosh.ROSH_LEVEL)
    screened = parse_iso_date(record.answers.get(Rosh.ROSH_SCREENING_DATE))
    if screened:
        text += f" (screened {describe_date(screened)})"
    needed = record.answers.get(Rosh.ROSH_FULL_ANALYSIS_NEEDED)
    if needed == "yes":
        if record.answers.get(Rosh.ROSH_FULL_ANALYSIS_DONE) == "yes":
            text += ". Full analysis needed and done"
        else:
            actions = record.answers.get(Cas.RO_ROSH_ACTIONS)
            todo = actions if isinstance(actions, str) and actions.strip() else "not stated"
            text += f". Full analysis needed and NOT done. You must: {todo}"
    elif needed == "no":
        text += ". No full analysis needed"
    return text


def _rsr_text(record: CaseRecord, forms: FormSet) -> str:
    score = record.answers.get(Rsr.RSR_SCORE)
    if is_not_known(score):
        return _answer(record, forms, Rsr.RSR_SCORE)
    parts = [_answer(record, forms, Rsr.RSR_SCORE)]
    for question_id in (Rsr.RSR_SOURCE, Rsr.RSR_DATE, Rsr.RSR_ASSESSOR):
        if record.answers.get(question_id) is not None:
            parts.append(_answer(record, forms, question_id))
    return ", ".join(parts)


def _mappa_text(record: CaseRecord, forms: FormSet) -> str:
    eligible = record.answers.get(Cas.MAPPA_ELIGIBLE)
    if eligible == "yes":
        text = "Eligible"
        for question_id in (Cas.MAPPA_CATEGORY, Cas.MAPPA_LEVEL):
            if record.answers.get(question_id) is not None:
                text += f", {_answer(record, forms, question_id)}"
        return text
    if eligible == "no":
        return "Not eligible"
    return _answer(record, forms, Cas.MAPPA_ELIGIBLE)


def _risk_review_text(record: CaseRecord) -> str:
    if record.answers.get(Cas.RISK_REVIEW_REQUIRED) != "yes":
        return (
            "Not needed"
            if record.answers.get(Cas.RISK_REVIEW_REQUIRED) == "no"
            else "Not recorded"
        )
    when = parse_iso_date(record.answers.get(Cas.RISK_REVIEW_DATE))
    reason = record.answers.get(Cas.RISK_REVIEW_REASON)
    return (
        f"Needed by {describe_date(when) if when else 'no date'}: "
        f"{reason if isinstance(reason, str) and reason else 'no reason recorded'}"
    )


def _allocation_text(record: CaseRecord, forms: FormSet, labels: AllocationLabels) -> str:
    decision = rules_decision(record, forms, labels)
    if decision.label is None:
        return "Not decided yet"
    text = decision.label
    if decision.provisional:
        unknown = [
            f"{c.noun} (follow-up: {c.follow_up})" if c.follow_up else c.noun
            for c in decision.provisional_on
        ]
        text += f" (provisional until these are known: {'; '.join(unknown)})"
    allocation = allocate(record.answers)
    text += ". " + (
        "Reasons: " + "; ".join(allocation.reasons)
        if allocation.reasons
        else "No NPS criterion applies"
    )
    if allocation.override and allocation.officer_decision is not None:
        text += (
            f". Override: decided {labels.label(allocation.officer_decision)} because "
            f"{allocation.override_reason or 'no reason given'}"
        )
    return text


def must_read_items(
    record: CaseRecord, forms: FormSet, labels: AllocationLabels | None = None
) -> list[MustRead]:
    """What the responsible officer must read first, in order."""
    labels = labels or labels_from()
    items = [
        MustRead(f"check:{kind.id}", kind.title, describe_check(kind, record))
        for kind in forms.check_kinds()
    ]
    for follow_up in record.follow_ups:
        if not follow_up.is_open:
            continue
        question = forms.questions.get(follow_up.question)
        heading = f"Not known: {question.label}" if question else f"{CHECK_OUTSTANDING} check"
        items.append(MustRead(f"follow_up:{follow_up.id}", heading, describe_follow_up(follow_up)))
    items += [
        MustRead("rosh", "Risk of serious harm", _rosh_text(record, forms)),
        MustRead("rsr", "RSR score", _rsr_text(record, forms)),
        MustRead("mappa", "MAPPA", _mappa_text(record, forms)),
        MustRead("risk_review", "Risk review", _risk_review_text(record)),
        MustRead("allocation", "Allocation decision", _allocation_text(record, forms, labels)),
    ]
    return items


def read_mark(item: MustRead) -> str:
    """What acknowledging ITEM records: its id and a digest of the words that were read,
    so that an item whose words change afterwards (a new RSR score, another allocation)
    is unread again."""
    digest = hashlib.sha256(f"{item.heading}\n{item.text}".encode()).hexdigest()[:12]
    return f"{item.id}@{digest}"


def mark_item(mark: str) -> str:
    """The id of the item a recorded mark is of."""
    return mark.rpartition("@")[0] or mark


def is_read(record: CaseRecord, item: MustRead) -> bool:
    """Whether ITEM, as it reads now, has been acknowledged on RECORD."""
    return read_mark(item) in record.handover.acknowledged


def acknowledge(record: CaseRecord, item: MustRead) -> CaseRecord:
    """RECORD with ITEM, as it reads now, acknowledged as read."""
    if is_read(record, item):
        return record
    # A mark of an earlier wording of the same item is replaced: it was read as it was.
    kept = [mark for mark in record.handover.acknowledged if mark_item(mark) != item.id]
    handover = record.handover.model_copy(update={"acknowledged": [*kept, read_mark(item)]})
    return record.model_copy(update={"handover": handover})


def unacknowledged(
    record: CaseRecord, forms: FormSet, labels: AllocationLabels | None = None
) -> list[MustRead]:
    """The must-read items not acknowledged as they read now."""
    return [item for item in must_read_items(record, forms, labels) if not is_read(record, item)]
