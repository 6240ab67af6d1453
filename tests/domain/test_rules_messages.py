"""Messages exactly as an officer reads them: required, format, 'not known' and follow-ups.

ux.md: specific and plain ("Enter the RSR score", "RSR score must be a number from 0 to
99.99"); never "invalid", "please", "sorry" or "This field is required".
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.assessment import Assessment
from court_tui.domain.case import FollowUp
from court_tui.domain.forms import FormSet, QuestionType
from court_tui.domain.rules import (
    Severity,
    follow_up_needed_message,
    missing_message,
    value_problem,
)

TODAY = date(2026, 3, 2)
BANNED = re.compile(r"\b(invalid|please|sorry|required)\b", re.IGNORECASE)


def problems(assessment: Assessment, field: str) -> list[tuple[str, str]]:
    """(severity, message) of every problem on FIELD."""
    return [(p.severity.value, p.message) for p in assessment.problems if p.field == field]


# Required answers.


@pytest.mark.parametrize(
    ("question_id", "message"),
    [
        ("rsr_score", "Enter the RSR score"),
        ("name", "Enter the person's full name"),
        ("date_of_birth", "Enter date of birth"),
        ("crn", "Enter the CRN"),
        ("rosh_level", "Select the RoSH level"),
        ("sentence_type", "Select the outcome of the hearing"),
        ("mappa_eligible", "Select whether the person is eligible for MAPPA"),
        ("rsr_source", "Select the source of the RSR score"),
        ("sources_of_information", "Select at least one source of information"),
        ("rar_days", "Enter the number of RAR days"),
    ],
)
def test_a_missing_required_answer_says_what_to_enter(
    forms: FormSet, question_id: str, message: str
) -> None:
    assert missing_message(forms.question(question_id)) == message


def test_a_missing_answer_is_an_error_on_its_field(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rsr_score=None))
    assert problems(assessment, "rsr_score") == [("error", "Enter the RSR score")]
    assert assessment.problems_for("rsr")[0].missing


def test_a_blank_answer_counts_as_missing(make_case, assess_on) -> None:
    assessment = assess_on(make_case(name="   "))
    assert problems(assessment, "name") == [("error", "Enter the person's full name")]


def test_an_optional_question_left_blank_is_no_problem(make_case, assess_on) -> None:
    assessment = assess_on(make_case(courtroom=None, pnc=None))
    assert problems(assessment, "courtroom") == []
    assert problems(assessment, "pnc") == []


def test_no_shipped_message_uses_words_ux_forbids(forms: FormSet) -> None:
    for question in forms.questions.values():
        message = missing_message(question)
        assert message.split()[0] in ("Enter", "Select"), message
        assert not BANNED.search(message), message


# Formats.


@pytest.mark.parametrize("crn", ["X12345", "123456X", "XX123456"])
def test_a_crn_in_the_wrong_format(forms: FormSet, crn: str) -> None:
    assert value_problem(forms.question("crn"), crn, TODAY) == (
        Severity.ERROR,
        "Enter the CRN in the correct format, like X123456",
    )


def test_a_lower_case_crn_is_accepted(forms: FormSet) -> None:
    assert value_problem(forms.question("crn"), "x123456", TODAY) is None


def test_a_pnc_in_the_wrong_format_is_an_error(forms: FormSet) -> None:
    assert value_problem(forms.question("pnc"), "2012-0012345", TODAY) == (
        Severity.ERROR,
        "Enter the PNC number in the correct format, like 2012/0012345A",
    )


def test_a_wrong_pnc_check_letter_is_a_warning_that_names_the_right_letter(
    make_case, assess_on
) -> None:
    assessment = assess_on(make_case(pnc="2012/0012345B"))
    assert problems(assessment, "pnc") == [
        (
            "warning",
            "The PNC number's check letter should be A, not B: check the number against "
            "the court list",
        )
    ]
    # A warning does not stop the officer.
    assert assessment.task("case").status == "Completed"
    assert assessment.complete


def test_a_correct_pnc_has_no_problem(forms: FormSet) -> None:
    assert value_problem(forms.question("pnc"), "2001/0171310W", TODAY) is None


def test_an_offence_code_and_a_time_in_the_wrong_format(forms: FormSet) -> None:
    assert value_problem(forms.question("main_offence_code"), "801", TODAY) == (
        Severity.ERROR,
        "Home Office offence code must be 5 digits, like 00801",
    )
    assert value_problem(forms.question("first_appointment_time"), "half ten", TODAY) == (
        Severity.ERROR,
        "Enter the time of the first appointment as a 24-hour time, like 14:30",
    )


def test_dates_must_be_real_and_some_in_the_past(forms: FormSet) -> None:
    birth = forms.question("date_of_birth")
    assert value_problem(birth, "1990-02-30", TODAY) == (
        Severity.ERROR,
        "Date of birth must be a real date",
    )
    assert value_problem(birth, "2026-03-03", TODAY) == (
        Severity.ERROR,
        "Date of birth must be today or in the past",
    )
    assert value_problem(birth, "2026-03-02", TODAY) is None


def test_the_ux_example_for_a_check_date_in_the_future(make_case, assess_on, load_demo) -> None:
    check = load_demo("complete-crc").checks["domestic_abuse"]
    record = make_case(
        checks={
            "domestic_abuse": check.model_copy(
                update={"requested_on": date(2026, 3, 3), "expected_by": date(2026, 3, 6)}
            )
        }
    )
    assessment = assess_on(record)
    assert (
        "Domestic abuse check (police): Date the check was requested must be today or in the past"
    ) in [p.message for p in assessment.errors]


def test_a_choice_that_is_not_an_option(forms: FormSet) -> None:
    assert value_problem(forms.question("rosh_level"), "EXTREME", TODAY) == (
        Severity.ERROR,
        "Select the RoSH level from the list",
    )
    assert value_problem(
        forms.question("factors_linked_to_offending"), ["finance", "luck"], TODAY
    ) == (Severity.ERROR, "Select at least one factor linked to offending from the list")


def test_no_choice_message_repeats_a_word(forms: FormSet) -> None:
    for question in forms.questions.values():
        if question.type is QuestionType.SINGLE_CHOICE:
            problem = value_problem(question, "not-an-option", TODAY)
            assert problem is not None
            assert not re.search(r"\b(\w+) \1\b", problem[1]), problem[1]


# The RSR score: 0 to 99.99, two decimals.


@pytest.mark.parametrize("score", ["0", "0.00", "6.89", "6.9", "6.90", "99.99", ".5", 7, 6.9])
def test_rsr_scores_that_are_accepted(forms: FormSet, score: str | int | float) -> None:
    assert value_problem(forms.question("rsr_score"), score, TODAY) is None


@pytest.mark.parametrize("score", ["100", "100.00", "-1", "-0.01", "abc", "6,90", "", "1e1"])
def test_rsr_scores_out_of_range_or_not_numbers(forms: FormSet, score: str) -> None:
    assert value_problem(forms.question("rsr_score"), score, TODAY) == (
        Severity.ERROR,
        "RSR score must be a number from 0 to 99.99",
    )


@pytest.mark.parametrize("score", ["6.895", "1.234", "0.001"])
def test_rsr_scores_with_more_than_two_decimals(forms: FormSet, score: str) -> None:
    assert value_problem(forms.question("rsr_score"), score, TODAY) == (
        Severity.ERROR,
        "RSR score must have no more than 2 decimal places",
    )


def test_rar_days_must_be_a_whole_number_from_1_to_200(forms: FormSet) -> None:
    rar_days = forms.question("rar_days")
    expected = (Severity.ERROR, "Number of RAR days must be a whole number from 1 to 200")
    for days in ("0", "201", "2.5", "ten"):
        assert value_problem(rar_days, days, TODAY) == expected, days
    assert value_problem(rar_days, "20", TODAY) is None


def test_the_rsr_date_assessor_and_source_are_asked_with_a_score(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rsr_date=None, rsr_assessor=None, rsr_source=None))
    assert problems(assessment, "rsr_date") == [("error", "Enter the date of the RSR score")]
    assert problems(assessment, "rsr_assessor") == [
        ("error", "Enter who worked out the RSR score")
    ]
    assert problems(assessment, "rsr_source") == [("error", "Select the source of the RSR score")]


def test_the_rsr_source_is_oasys_or_calculated(forms: FormSet) -> None:
    source = forms.question("rsr_source")
    assert [o.value for o in source.choices] == ["oasys", "calculated"]
    assert value_problem(source, "calculated", TODAY) is None
    assert value_problem(source, "guess", TODAY) is not None


def test_an_rsr_date_in_the_future_is_refused(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rsr_date="2026-03-03"))
    assert problems(assessment, "rsr_date") == [
        ("error", "Date of the RSR score must be today or in the past")
    ]


# 'Not known'.


def test_not_known_where_the_form_does_not_allow_it(make_case, assess_on) -> None:
    assessment = assess_on(make_case(name=NOT_KNOWN, sentence_type=NOT_KNOWN))
    assert problems(assessment, "name") == [
        ("error", "Enter the person's full name: 'Not known' is not an answer here")
    ]
    assert problems(assessment, "sentence_type") == [
        ("error", "Select the outcome of the hearing: 'Not known' is not an answer here")
    ]


def test_not_known_without_a_follow_up_is_a_blocker_naming_the_question(
    make_case, assess_on
) -> None:
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN))
    assert problems(assessment, "rsr_score") == [
        ("blocker", "Record who will find out the RSR score, what they will do and by when")
    ]
    assert assessment.blocked
    assert not assessment.complete


def test_the_follow_up_message_names_each_question(forms: FormSet) -> None:
    assert follow_up_needed_message(forms.question("mappa_eligible").noun) == (
        "Record who will find out whether the person is eligible for MAPPA, what they will "
        "do and by when"
    )


def follow_up(question: str, **changes: object) -> FollowUp:
    data: dict[str, object] = {
        "question": question,
        "owner": "Sam Patel",
        "action": "Complete the RSR in OASys and record the score",
        "due": date(2026, 3, 4),
        "recorded_on": TODAY,
        "recorded_by": "Sam Patel",
    }
    data.update(changes)
    return FollowUp.model_validate(data)


def test_not_known_with_a_complete_follow_up_is_allowed(make_case, assess_on) -> None:
    record = make_case(rsr_score=NOT_KNOWN, follow_ups=[follow_up("rsr_score")])
    assessment = assess_on(record)
    assert problems(assessment, "rsr_score") == []
    assert assessment.task("rsr").status == "Completed"


def test_a_follow_up_due_on_the_day_it_is_recorded_is_complete(make_case, assess_on) -> None:
    record = make_case(rsr_score=NOT_KNOWN, follow_ups=[follow_up("rsr_score", due=TODAY)])
    assert problems(assess_on(record), "rsr_score") == []


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"owner": ""}, "record who"),
        ({"action": "  "}, "record what"),
        ({"due": None}, "record by when"),
        ({"owner": "", "action": "", "due": None}, "record who, what, by when"),
    ],
)
def test_an_incomplete_follow_up_leaves_the_blocker_and_says_what_it_lacks(
    make_case, assess_on, changes: dict[str, object], says: str
) -> None:
    made = follow_up("rsr_score", **changes)
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN, follow_ups=[made]))
    assert problems(assessment, "rsr_score") == [
        ("blocker", "Record who will find out the RSR score, what they will do and by when")
    ]
    assert problems(assessment, f"follow_ups.{made.id}") == [
        ("error", f"Follow-up for the RSR score: {says}")
    ]
    assert assessment.task("follow_ups").status == "There is a problem"


def test_a_follow_up_due_before_it_was_recorded_is_not_complete(make_case, assess_on) -> None:
    made = follow_up("rsr_score", due=date(2026, 3, 1))
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN, follow_ups=[made]))
    assert problems(assessment, "rsr_score")[0][0] == "blocker"
    assert problems(assessment, f"follow_ups.{made.id}") == [
        (
            "error",
            "Follow-up for the RSR score: the date it is due must be Monday 2 March 2026 or later",
        )
    ]


def test_a_follow_up_recorded_earlier_and_now_overdue_still_counts(make_case, assess_on) -> None:
    # "Not in the past when recorded": a follow-up that was fine then is overdue now, and
    # shows as overdue, but the 'not known' answer still has its follow-up.
    made = follow_up("rsr_score", recorded_on=date(2026, 2, 20), due=date(2026, 2, 24))
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN, follow_ups=[made]))
    assert problems(assessment, "rsr_score") == []
    deadline = next(d for d in assessment.deadlines if d.id == f"follow_up:{made.id}")
    assert deadline.status == "overdue"


def test_a_closed_follow_up_does_not_cover_a_not_known_answer(make_case, assess_on) -> None:
    made = follow_up("rsr_score", closed_on=TODAY, closed_by="Sam Patel")
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN, follow_ups=[made]))
    assert problems(assessment, "rsr_score")[0][0] == "blocker"


def test_a_follow_up_for_another_question_does_not_count(make_case, assess_on) -> None:
    made = follow_up("mappa_eligible")
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN, follow_ups=[made]))
    assert problems(assessment, "rsr_score")[0][0] == "blocker"


def test_a_hidden_question_is_not_checked(make_case, assess_on) -> None:
    # RAR days are asked only when a RAR is proposed; a left-over answer is not an error.
    assessment = assess_on(
        make_case(rar_proposed="no", rar_days="999", rar_purpose=None, proposal="Fine")
    )
    assert problems(assessment, "rar_days") == []


def test_every_message_is_plain(make_case, assess_on, load_demo) -> None:
    # A case with many things wrong at once: no message uses a word ux.md forbids.
    record = make_case(
        name=None,
        crn="12",
        pnc="2012/0012345B",
        rsr_score="abc",
        rosh_level="VERY_HIGH",
        mappa_eligible=NOT_KNOWN,
        allocation_decision="crc",
        risk_review_required="yes",
        checks={"safeguarding": None},
    )
    assessment: Assessment = assess_on(record)
    assert len(assessment.problems) >= 6
    for problem in assessment.problems:
        assert not BANNED.search(problem.message), problem.message
        assert not problem.message.startswith("Error"), problem.message
