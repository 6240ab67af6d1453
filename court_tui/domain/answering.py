"""Answering a question of a case: the record after an answer, a draft, or a check's answer.

The section screen only reads what the officer typed; what that does to the record (a
real answer closing the 'not known' follow-up, text a check cannot hold kept as a draft)
is decided here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from court_tui.domain.answers import AnswerValue, is_answered, is_not_known
from court_tui.domain.bounds import fit_text
from court_tui.domain.case import CaseRecord, CheckRequest
from court_tui.domain.fields import Case
from court_tui.domain.follow_ups import close_follow_up
from court_tui.domain.values import normal_crn


def with_draft(record: CaseRecord, field_id: str, draft: str | None) -> CaseRecord:
    """RECORD keeping DRAFT, the text typed for FIELD_ID that is not yet an answer (None:
    no such text, so any kept before is dropped)."""
    drafts = dict(record.drafts)
    if draft is None:
        drafts.pop(field_id, None)
    else:
        drafts[field_id] = fit_text(draft)
    return record.model_copy(update={"drafts": drafts})


def answer_question(
    record: CaseRecord,
    question_id: str,
    value: AnswerValue | None,
    *,
    officer: str,
    today: date,
) -> CaseRecord:
    """RECORD with VALUE as the answer to QUESTION_ID (None: no answer).

    A real answer replacing 'not known' closes the question's open follow-ups by OFFICER
    TODAY; the follow-up keeps the answer, so the history has both. A CRN is kept as
    nDelius writes it (x123456 is X123456), so every place reads it the same.
    """
    if isinstance(value, str):
        value = fit_text(value)
    if question_id == Case.CRN and isinstance(value, str):
        value = normal_crn(value)
    answers = dict(record.answers)
    previous = answers.get(question_id)
    if value is None:
        answers.pop(question_id, None)
    else:
        answers[question_id] = value
    record = record.model_copy(update={"answers": answers})
    if is_not_known(previous) and not is_not_known(value):
        for follow_up in record.open_follow_ups(question_id):
            record = close_follow_up(
                record,
                follow_up.id,
                answer=value if is_answered(value) else None,
                closed_by=officer,
                closed_on=today,
            )
    return record


def answer_check(
    record: CaseRecord, kind_id: str, question_id: str, value: AnswerValue | None
) -> tuple[CaseRecord, str | None]:
    """RECORD with VALUE as the answer to QUESTION_ID of the check KIND_ID, and the text
    the check cannot hold (a value not valid for it is left unanswered: keep it as a
    draft), or None."""
    data: dict[str, Any] = record.check(kind_id).model_dump()
    if isinstance(value, str):
        value = fit_text(value)
    data[question_id] = value
    unheld: str | None = None
    try:
        check = CheckRequest.model_validate(data)
    except ValidationError:
        data[question_id] = None
        check = CheckRequest.model_validate(data)
        if isinstance(value, str):
            unheld = value
    checks = {**record.checks, kind_id: check}
    return record.model_copy(update={"checks": checks}), unheld
