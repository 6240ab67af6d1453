"""A new case as an officer starts it in court: heard today, at the officer's own court."""

from __future__ import annotations

from datetime import date

from court_tui.domain.answers import AnswerValue
from court_tui.domain.case import CaseRecord
from court_tui.domain.court_list import ListedDefendant, ListValueError, case_answers
from court_tui.domain.fields import Case


def new_case(officer: str, team: str, court: str, today: date) -> CaseRecord:
    """A case of OFFICER's in TEAM with the hearing date TODAY, and the court COURT when
    the officer has one set ('' when not)."""
    answers: dict[str, AnswerValue] = {Case.HEARING_DATE: today.isoformat()}
    if court:
        answers[Case.COURT] = court
    return CaseRecord(officer=officer, team=team, answers=answers)


def new_listed_case(officer: str, team: str, entry: ListedDefendant) -> CaseRecord:
    """A case of OFFICER's in TEAM started from the court list's ENTRY: the person, the
    court, the room, the hearing date and the offences as the list gives them (the form's
    own pre-fills, `prefill.with_prefills`, fill the rest and never overwrite these).
    A youth defendant or an organisation is never started as a probation case."""
    if not entry.probation_case:
        raise ListValueError(f"{entry.name} is a youth or an organisation: not a probation case")
    record = new_case(officer, team, "", entry.hearing_date)
    return record.model_copy(update={"answers": {**record.answers, **case_answers(entry)}})
