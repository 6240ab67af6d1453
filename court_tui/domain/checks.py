"""The tracked checks in plain words: requested, received, or outstanding and chased."""

from __future__ import annotations

from typing import TYPE_CHECKING

from court_tui.domain.dates import describe_date

if TYPE_CHECKING:  # the store's SQL spells a check's status without loading the models
    from court_tui.domain.case import CaseRecord, CheckRequest
    from court_tui.domain.forms import CheckKind, FormSet

RESULT_WORDS = {"no_concerns": "no concerns", "concerns": "concerns"}

# Where a check stands, one word or two: lists, exports, the review and the store's status
# column all spell it so (the store's SQL and its indexes filter on CHECK_OUTSTANDING).
CHECK_NOT_REQUESTED = "Not requested"
CHECK_NOT_RECORDED = "Not recorded"
CHECK_OUTSTANDING = "Outstanding"
CHECK_RECEIVED = "Received"


def check_state(check: CheckRequest) -> str:
    """One word for where a check stands."""
    if check.requested == "no":
        return CHECK_NOT_REQUESTED
    if check.requested != "yes":
        return CHECK_NOT_RECORDED
    if check.received_on is None:
        return CHECK_OUTSTANDING
    return CHECK_RECEIVED


def describe_check(kind: CheckKind, record: CaseRecord) -> str:
    """KIND's check on RECORD in one plain sentence."""
    check = record.check(kind.id)
    state = check_state(check)
    text = f"{kind.title}: {state}"
    if state == CHECK_NOT_REQUESTED:
        text += f". Reason: {check.not_requested_reason or 'none recorded'}"
    elif state == CHECK_RECEIVED and check.received_on is not None:
        result = RESULT_WORDS.get(check.result or "", "result not recorded")
        text += f" {describe_date(check.received_on)}, {result}"
        if check.summary:
            text += f": {check.summary}"
    elif state == CHECK_OUTSTANDING:
        if check.requested_on:
            text += f", requested {describe_date(check.requested_on)}"
        if check.expected_by:
            text += f", expected by {describe_date(check.expected_by)}"
        if check.reported_to_court == "yes":
            text += "; the court was told"
        for follow_up in record.open_follow_ups(kind.id):
            due = describe_date(follow_up.due) if follow_up.due else "no date"
            text += f"; follow-up: {follow_up.owner or 'no owner'}, by {due}"
    return text


def check_lines(record: CaseRecord, forms: FormSet) -> list[str]:
    """Every tracked check of RECORD, one line each."""
    return [describe_check(kind, record) for kind in forms.check_kinds()]
