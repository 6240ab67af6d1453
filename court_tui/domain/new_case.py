"""A new case as an officer starts it in court: heard today, at the officer's own court."""

from __future__ import annotations

from datetime import date

from court_tui.domain.answers import AnswerValue
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import Case


def new_case(officer: str, team: str, court: str, today: date) -> CaseRecord:
    """A case of OFFICER's in TEAM with the hearing date TODAY, and the court COURT when
    the officer has one set ('' when not)."""
    answers: dict[str, AnswerValue] = {Case.HEARING_DATE: today.isoformat()}
    if court:
        answers[Case.COURT] = court
    return CaseRecord(officer=officer, team=team, answers=answers)
