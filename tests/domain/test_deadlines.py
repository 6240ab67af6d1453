"""Deadlines in working days with England and Wales bank holidays (domain.md's table).

The expected dates are written out by hand from the published bank holidays, not computed
with the library the code uses.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from court_tui.domain.assessment import Assessment
from court_tui.domain.case import FollowUp
from court_tui.domain.deadlines import (
    DeadlineStatus,
    add_working_days,
    deadline_status,
    is_working_day,
    working_days_between,
)

# England and Wales bank holidays, 2026 and 2027, and New Year 2028 (substitute day).
BANK_HOLIDAYS = [
    date(2026, 1, 1),
    date(2026, 4, 3),  # Good Friday
    date(2026, 4, 6),  # Easter Monday
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),  # Boxing Day falls on a Saturday
    date(2027, 1, 1),
    date(2027, 3, 26),  # Good Friday
    date(2027, 3, 29),  # Easter Monday
    date(2027, 5, 3),
    date(2027, 5, 31),
    date(2027, 8, 30),
    date(2027, 12, 27),  # Christmas Day falls on a Saturday
    date(2027, 12, 28),  # Boxing Day falls on a Sunday
    date(2028, 1, 3),  # New Year's Day falls on a Saturday
]

# Holidays elsewhere in the UK that are working days in England and Wales.
NOT_ENGLISH_HOLIDAYS = [
    date(2026, 1, 2),  # Scotland
    date(2026, 3, 17),  # Northern Ireland
    date(2026, 8, 3),  # Scotland
    date(2026, 11, 30),  # Scotland
    date(2027, 7, 12),  # Northern Ireland
]


@pytest.mark.parametrize("day", BANK_HOLIDAYS, ids=str)
def test_bank_holidays_are_not_working_days(day: date) -> None:
    assert day.weekday() < 5
    assert not is_working_day(day)


@pytest.mark.parametrize("day", NOT_ENGLISH_HOLIDAYS, ids=str)
def test_other_uk_holidays_are_working_days_in_england_and_wales(day: date) -> None:
    assert is_working_day(day)


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 3, 7))
    assert not is_working_day(date(2026, 3, 8))
    assert is_working_day(date(2026, 3, 9))
    # Christmas Day 2027 is a Saturday; the Tuesday after is a holiday, the Wednesday is not.
    assert not is_working_day(date(2027, 12, 25))
    assert is_working_day(date(2027, 12, 29))


@pytest.mark.parametrize(
    ("sentenced", "days", "due"),
    [
        # Sentence on a Friday.
        (date(2026, 3, 6), 1, date(2026, 3, 9)),
        (date(2026, 3, 6), 2, date(2026, 3, 10)),
        (date(2026, 3, 6), 5, date(2026, 3, 13)),
        (date(2026, 3, 6), 10, date(2026, 3, 20)),
        # Before a bank holiday: Thursday before Good Friday and Easter Monday 2026.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2026, 4, 2), 2, date(2026, 4, 8)),
        (date(2026, 4, 2), 5, date(2026, 4, 13)),
        (date(2026, 4, 3), 1, date(2026, 4, 7)),
        # Friday before the spring bank holiday, and before the early May and summer ones.
        (date(2026, 5, 22), 1, date(2026, 5, 26)),
        (date(2026, 5, 22), 5, date(2026, 6, 1)),
        (date(2026, 5, 1), 1, date(2026, 5, 5)),
        (date(2026, 8, 28), 1, date(2026, 9, 1)),
        # Christmas 2026: Christmas Day Friday, Boxing Day substitute Monday 28th.
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 24), 2, date(2026, 12, 30)),
        (date(2026, 12, 24), 5, date(2027, 1, 5)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (date(2027, 3, 25), 1, date(2027, 3, 30)),
        (date(2027, 3, 25), 2, date(2027, 3, 31)),
        (date(2027, 3, 25), 5, date(2027, 4, 5)),
        # Christmas 2027: substitutes Monday 27th and Tuesday 28th; New Year on Monday 3rd.
        (date(2027, 12, 24), 1, date(2027, 12, 29)),
        (date(2027, 12, 24), 2, date(2027, 12, 30)),
        (date(2027, 12, 24), 5, date(2028, 1, 5)),
        (date(2027, 12, 24), 10, date(2028, 1, 12)),
        # No days: the day itself.
        (date(2026, 3, 6), 0, date(2026, 3, 6)),
    ],
    ids=lambda value: str(value),
)
def test_working_days_after_sentence(sentenced: date, days: int, due: date) -> None:
    assert add_working_days(sentenced, days) == due


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 24)) == -1
    assert working_days_between(date(2026, 3, 6), date(2026, 3, 6)) == 0
    assert working_days_between(date(2027, 3, 25), date(2027, 4, 5)) == 5


def test_deadline_status_words() -> None:
    due = date(2026, 3, 9)
    assert deadline_status(due, True, date(2026, 3, 9), date(2026, 3, 20)) is DeadlineStatus.MET
    assert deadline_status(due, True, date(2026, 3, 10), date(2026, 3, 20)) is DeadlineStatus.LATE
    assert deadline_status(due, False, None, date(2026, 3, 9)) is DeadlineStatus.DUE
    assert deadline_status(due, False, None, date(2026, 3, 10)) is DeadlineStatus.OVERDUE


# The deadlines of a case, as the check command and the handover show them.


def deadlines(assessment: Assessment) -> dict[str, tuple[date, str]]:
    return {d.id: (d.due, d.status.value) for d in assessment.deadlines}


def described(assessment: Assessment, deadline_id: str) -> str:
    deadline = next(d for d in assessment.deadlines if d.id == deadline_id)
    return deadline.describe(assessment.today)


def sentenced_on(make_case, day: date, **answers: object):
    """The complete CRC case sentenced (and its RSR done) on DAY, with ANSWERS changed."""
    when = day.isoformat()
    return make_case(
        **{"conviction_date": when, "sentence_date": when, "rsr_date": when, **answers}
    )


def test_sentence_on_a_friday(make_case, assess_on) -> None:
    friday = date(2026, 3, 6)
    record = sentenced_on(
        make_case,
        friday,
        rosh_full_analysis_needed="yes",
        rosh_full_analysis_done="yes",
        first_appointment_date="2026-03-12",
    )
    assessment = assess_on(record, friday)
    assert deadlines(assessment) == {
        "rsr": (date(2026, 3, 9), "met"),
        "clear_appointment": (date(2026, 3, 9), "met"),
        "full_rosh_analysis": (date(2026, 3, 10), "met"),
        "first_appointment": (date(2026, 3, 13), "met"),
        # Two working days after sentence, before the first appointment on the 12th.
        "handover": (date(2026, 3, 10), "due"),
    }
    assert described(assessment, "rsr") == "RSR completed: by Monday 9 March 2026 - Met"


def test_sentence_over_christmas_2027(make_case, assess_on) -> None:
    christmas_eve = date(2027, 12, 24)
    record = sentenced_on(
        make_case,
        christmas_eve,
        rsr_date=None,
        rosh_full_analysis_needed="yes",
        rosh_full_analysis_done="no",
        ro_rosh_actions="Complete the full analysis at the first appointment",
        first_appointment_date=None,
    )
    assessment = assess_on(record, christmas_eve)
    assert deadlines(assessment) == {
        "rsr": (date(2027, 12, 29), "due"),
        "clear_appointment": (date(2027, 12, 29), "due"),
        "full_rosh_analysis": (date(2027, 12, 30), "due"),
        "first_appointment": (date(2028, 1, 5), "due"),
        "handover": (date(2027, 12, 30), "due"),
    }
    assert described(assessment, "rsr") == "RSR completed: by Wednesday 29 December 2027 - Due"


def test_a_deadline_over_easter_is_overdue_by_working_days(make_case, assess_on) -> None:
    maundy_thursday = date(2026, 4, 2)
    record = sentenced_on(make_case, maundy_thursday, rsr_date=None, rsr_score=None)
    assessment = assess_on(record, date(2026, 4, 8))
    assert deadlines(assessment)["rsr"] == (date(2026, 4, 7), "overdue")
    assert described(assessment, "rsr") == (
        "RSR completed: by Tuesday 7 April 2026 - Overdue by 1 working day"
    )
    later = assess_on(record, date(2026, 4, 10))
    assert described(later, "rsr") == (
        "RSR completed: by Tuesday 7 April 2026 - Overdue by 3 working days"
    )


def test_an_rsr_the_day_after_the_deadline_is_met_late(make_case, assess_on) -> None:
    record = sentenced_on(make_case, date(2026, 12, 24), rsr_date="2026-12-30")
    assessment = assess_on(record, date(2026, 12, 30))
    assert deadlines(assessment)["rsr"] == (date(2026, 12, 29), "late")
    assert described(assessment, "rsr") == "RSR completed: by Tuesday 29 December 2026 - Met late"


def test_the_rsr_on_the_next_working_day_is_met(make_case, assess_on) -> None:
    record = sentenced_on(make_case, date(2027, 3, 25), rsr_date="2027-03-30")
    assert deadlines(assess_on(record, date(2027, 3, 30)))["rsr"] == (date(2027, 3, 30), "met")


def test_no_full_rosh_deadline_when_no_full_analysis_is_needed(make_case, assess_on) -> None:
    assessment = assess_on(make_case())
    assert "full_rosh_analysis" not in deadlines(assessment)


def test_a_needed_full_analysis_not_done_is_overdue_after_two_working_days(
    make_case, assess_on
) -> None:
    record = sentenced_on(
        make_case,
        date(2026, 5, 22),
        rosh_full_analysis_needed="yes",
        rosh_full_analysis_done="no",
        ro_rosh_actions="Book the OASys interview",
    )
    assert deadlines(assess_on(record, date(2026, 5, 27)))["full_rosh_analysis"] == (
        date(2026, 5, 27),
        "due",
    )
    assert deadlines(assess_on(record, date(2026, 5, 28)))["full_rosh_analysis"] == (
        date(2026, 5, 27),
        "overdue",
    )


def test_no_sentence_no_deadlines_from_sentence(make_case, assess_on) -> None:
    assessment = assess_on(make_case(sentence_type="adjourned", sentence_date=None))
    assert deadlines(assessment) == {}


# The first appointment: within five working days; over ten is too long.


@pytest.mark.parametrize(
    ("first", "status", "warning"),
    [
        ("2028-01-05", "met", None),
        (
            "2028-01-06",
            "late",
            "The first appointment should be within five working days of sentence",
        ),
        # The tenth working day after Friday 24 December 2027 is Wednesday 12 January.
        (
            "2028-01-12",
            "late",
            "The first appointment should be within five working days of sentence",
        ),
        (
            "2028-01-13",
            "late",
            "The first appointment is more than ten working days after sentence: that is too "
            "long. Offer an earlier appointment",
        ),
    ],
)
def test_the_first_appointment_over_christmas(
    make_case, assess_on, first: str, status: str, warning: str | None
) -> None:
    record = sentenced_on(make_case, date(2027, 12, 24), first_appointment_date=first)
    assessment = assess_on(record, date(2027, 12, 24))
    assert deadlines(assessment)["first_appointment"] == (date(2028, 1, 5), status)
    warnings = [p.message for p in assessment.warnings if p.field == "first_appointment_date"]
    assert warnings == ([warning] if warning else [])


def test_a_first_appointment_too_long_is_flagged_in_the_deadline(make_case, assess_on) -> None:
    record = sentenced_on(make_case, date(2026, 3, 6), first_appointment_date="2026-03-23")
    assessment = assess_on(record, date(2026, 3, 6))
    assert described(assessment, "first_appointment") == (
        "First appointment with the responsible officer: by Friday 13 March 2026 - Met late "
        "(more than ten working days after sentence: too long)"
    )
    # Too long is a warning: the officer can still complete the case.
    assert assessment.task("cas").status == "Completed"


def test_a_first_appointment_before_sentence_is_an_error(make_case, assess_on) -> None:
    assessment = assess_on(make_case(first_appointment_date="2026-02-27"))
    assert [p.message for p in assessment.errors] == [
        "Date of the first appointment must be on or after the date of sentence"
    ]


def test_no_first_appointment_is_overdue_after_five_working_days(make_case, assess_on) -> None:
    record = sentenced_on(make_case, date(2026, 3, 6), first_appointment_date=None)
    assessment = assess_on(record, date(2026, 3, 16))
    assert deadlines(assessment)["first_appointment"] == (date(2026, 3, 13), "overdue")
    assert deadlines(assessment)["clear_appointment"] == (date(2026, 3, 9), "overdue")


# A follow-up is due the date the officer records.


def test_a_follow_up_is_due_on_its_own_date(make_case, assess_on) -> None:
    open_one = FollowUp(
        question="pnc",
        owner="Sam Patel",
        action="Ask the police for the PNC number",
        due=date(2026, 3, 4),
        recorded_on=date(2026, 3, 2),
    )
    closed_late = open_one.model_copy(
        update={"id": "closed", "closed_on": date(2026, 3, 5), "closed_by": "Sam Patel"}
    )
    record = make_case(follow_ups=[open_one, closed_late])
    on_time = deadlines(assess_on(record, date(2026, 3, 4)))
    assert on_time[f"follow_up:{open_one.id}"] == (date(2026, 3, 4), "due")
    assert on_time["follow_up:closed"] == (date(2026, 3, 4), "late")
    assessment = assess_on(record, date(2026, 3, 5))
    assert described(assessment, f"follow_up:{open_one.id}") == (
        "Follow-up: Ask the police for the PNC number (Sam Patel): by Wednesday 4 March 2026 "
        "- Overdue by 1 working day"
    )


def test_working_days_between_counts_as_day_by_day() -> None:
    rng = random.Random(7)
    for _ in range(400):
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 900))
        end = start + timedelta(days=rng.randint(0, 800))
        days = (start + timedelta(days=step) for step in range(1, (end - start).days + 1))
        expected = sum(is_working_day(day) for day in days)
        assert working_days_between(start, end) == expected, (start, end)
        assert working_days_between(end, start) == -expected, (start, end)


def test_working_days_count_back_when_negative() -> None:
    # Tuesday 7 April 2026, after the Easter bank holidays: one working day back is Thursday.
    assert add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 2)
