"""A new case as an officer starts it in court."""

from __future__ import annotations

from datetime import date

from court_tui.domain.new_case import new_case

TODAY = date(2026, 3, 2)
OFFICER = "Sam Patel"


def test_a_new_case_is_heard_today_at_the_officers_court() -> None:
    case = new_case(OFFICER, "Leeds court team", "Leeds Magistrates' Court", TODAY)
    assert (case.officer, case.team) == (OFFICER, "Leeds court team")
    assert case.answers == {"hearing_date": "2026-03-02", "court": "Leeds Magistrates' Court"}


def test_a_new_case_without_a_court_set_leaves_the_court_unanswered() -> None:
    assert new_case(OFFICER, "", "", TODAY).answers == {"hearing_date": "2026-03-02"}
