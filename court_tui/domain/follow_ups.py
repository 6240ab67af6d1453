"""Recording and closing follow-ups: 'Not known' now, the real answer later, both kept."""

from __future__ import annotations

from datetime import date

from court_tui.domain.answers import NOT_KNOWN, AnswerValue
from court_tui.domain.bounds import fit_text
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.forms import FormSet

# Where a follow-up stands, as lists, exports and the review spell it.
FOLLOW_UP_OPEN = "Open"
FOLLOW_UP_CLOSED = "Closed"


class FollowUpError(Exception):
    """A follow-up that cannot be recorded or closed; the message says why."""


def default_action(forms: FormSet, question: str) -> str:
    """The action the form suggests for a 'not known' QUESTION (a question id or check)."""
    if question in forms.questions:
        return forms.questions[question].follow_up
    for kind in forms.check_kinds():
        if kind.id == question:
            return kind.follow_up
    raise FollowUpError(f"There is no question or check called '{question}'")


def follow_up_what(forms: FormSet, question: str) -> str:
    """What a follow-up on QUESTION (a question id or check) is about, in words, for one
    recorded without an action of its own."""
    if question in forms.questions:
        return f"Find out {forms.questions[question].noun}"
    for kind in forms.check_kinds():
        if kind.id == question:
            return kind.title
    return f"Follow up {question}"


def record_not_known(
    record: CaseRecord,
    forms: FormSet,
    question: str,
    *,
    owner: str,
    action: str,
    due: date | None,
    today: date,
    recorded_by: str,
) -> CaseRecord:
    """RECORD with QUESTION answered 'Not known' and a follow-up: who, what, by when."""
    owner, action = fit_text(owner), fit_text(action)
    missing = [
        part
        for part, given in (("who", owner.strip()), ("what", action.strip()), ("by when", due))
        if not given
    ]
    if missing:
        raise FollowUpError(f"Record {', '.join(missing)} for the follow-up")
    if due is not None and due < today:
        raise FollowUpError("Date the follow-up is due must be today or in the future")
    if question in forms.questions and not forms.questions[question].not_known:
        raise FollowUpError(f"'Not known' is not an answer to {forms.questions[question].noun}")
    default_action(forms, question)
    follow_up = FollowUp(
        question=question,
        owner=owner.strip(),
        action=action.strip(),
        due=due,
        recorded_on=today,
        recorded_by=recorded_by,
    )
    # One open follow-up a question: a new one replaces the one it corrects.
    kept = [f for f in record.follow_ups if not (f.question == question and f.is_open)]
    answers = dict(record.answers)
    if question in forms.questions:
        answers[question] = NOT_KNOWN
    return record.model_copy(update={"answers": answers, "follow_ups": [*kept, follow_up]})


def close_follow_up(
    record: CaseRecord,
    follow_up_id: str,
    *,
    answer: AnswerValue | None,
    closed_by: str,
    closed_on: date,
) -> CaseRecord:
    """RECORD with the follow-up closed; ANSWER replaces 'Not known' and the history keeps both."""
    follow_ups = []
    found = None
    for follow_up in record.follow_ups:
        if follow_up.id == follow_up_id:
            if not follow_up.is_open:
                raise FollowUpError("This follow-up is already closed")
            found = follow_up.model_copy(
                update={"closed_on": closed_on, "closed_by": closed_by, "answer": answer}
            )
            follow_ups.append(found)
        else:
            follow_ups.append(follow_up)
    if found is None:
        raise FollowUpError("There is no such follow-up on this case")
    answers = dict(record.answers)
    if answer is not None and found.question in answers:
        answers[found.question] = answer
    return record.model_copy(update={"answers": answers, "follow_ups": follow_ups})
