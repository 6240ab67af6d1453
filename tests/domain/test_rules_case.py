"""The case rules the inspection found broken: oral reports, RAR proposals, checks, RoSH
before allocation, risk reviews and overrides."""

from __future__ import annotations

from datetime import date

import pytest

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.assessment import Assessment
from court_tui.domain.case import CheckRequest, FollowUp
from court_tui.domain.follow_ups import record_not_known
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items

TODAY = date(2026, 3, 2)


def problems(assessment: Assessment, field: str) -> list[tuple[str, str]]:
    """(severity, message) of every problem on FIELD."""
    return [(p.severity.value, p.message) for p in assessment.problems if p.field == field]


# No oral report at very high RoSH.

ORAL_AT_VERY_HIGH = (
    "An oral report cannot be given when the RoSH level is very high: ask the court to "
    "adjourn for a written report"
)


def test_an_oral_report_at_very_high_rosh_is_a_blocker(make_case, assess_on) -> None:
    assessment = assess_on(
        make_case(rosh_level="VERY_HIGH", allocation_decision="nps", psr_type="oral")
    )
    assert problems(assessment, "psr_type") == [("blocker", ORAL_AT_VERY_HIGH)]
    assert assessment.task("report").status == "There is a problem"
    assert assessment.blocked


@pytest.mark.parametrize(
    ("psr_type", "rosh_level"),
    [("oral", "HIGH"), ("oral", "MEDIUM"), ("fast_delivery", "VERY_HIGH")],
)
def test_other_reports_and_levels_are_allowed(
    make_case, assess_on, psr_type: str, rosh_level: str
) -> None:
    assessment = assess_on(
        make_case(psr_type=psr_type, rosh_level=rosh_level, allocation_decision="nps")
    )
    assert problems(assessment, "psr_type") == []


# A RAR proposal states the number of days and what they are for.


def test_a_rar_proposal_needs_the_days_and_what_they_are_for(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rar_days=None, rar_purpose=None))
    assert problems(assessment, "rar_days") == [("error", "Enter the number of RAR days")]
    assert problems(assessment, "rar_purpose") == [("error", "Enter what the RAR days are for")]
    assert assessment.task("report").status == "In progress"


@pytest.mark.parametrize(
    "purpose",
    [
        "To address offending behaviour",
        "to address offending behaviour.",
        "Address offending behavior",
        "work on offending",
        "  TO ADDRESS THE OFFENDING BEHAVIOUR ",
    ],
)
def test_a_vague_rar_purpose_is_a_blocker(make_case, assess_on, purpose: str) -> None:
    assessment = assess_on(make_case(rar_purpose=purpose))
    assert problems(assessment, "rar_purpose") == [
        (
            "blocker",
            "Say what the RAR days are for (the activities), not only 'to address "
            "offending behaviour'",
        )
    ]


def test_a_specific_rar_purpose_is_accepted(make_case, assess_on) -> None:
    assessment = assess_on(
        make_case(rar_purpose="10 days of a thinking skills programme to address offending")
    )
    assert problems(assessment, "rar_purpose") == []


@pytest.mark.parametrize(
    "proposal",
    [
        "Community order with a RAR of 20 days",
        "12 months with a rehabilitation activity requirement",
        "Community order, rar 15 days",
    ],
)
def test_a_proposal_that_mentions_a_rar_answered_no_is_a_blocker(
    make_case, assess_on, proposal: str
) -> None:
    assessment = assess_on(
        make_case(proposal=proposal, rar_proposed="no", rar_days=None, rar_purpose=None)
    )
    assert problems(assessment, "rar_proposed") == [
        (
            "blocker",
            "The proposal mentions a RAR: select yes and give the number of days and what "
            "they are for",
        )
    ]


def test_a_proposal_without_a_rar_answered_no_is_fine(make_case, assess_on) -> None:
    # "rare" contains the letters RAR but is not a RAR.
    record = make_case(
        proposal="Curfew for 3 months; breaches are rare for him",
        rar_proposed="no",
        rar_days=None,
        rar_purpose=None,
    )
    assessment = assess_on(record)
    assert problems(assessment, "rar_proposed") == []
    assert assessment.task("report").status == "Completed"


# The checks: both expected, a reason for not requesting, outstanding at sentence chased.

SAFEGUARDING = "Child safeguarding check (children's services)"


def outstanding(**changes: object) -> CheckRequest:
    data: dict[str, object] = {
        "requested": "yes",
        "agency": "Children's services",
        "requested_on": date(2026, 2, 27),
        "reference": "Leeds front door",
        "expected_by": date(2026, 3, 4),
    }
    data.update(changes)
    return CheckRequest.model_validate(data)


def test_both_checks_are_expected_in_every_case(make_case, assess_on) -> None:
    assessment = assess_on(make_case(checks={"domestic_abuse": None, "safeguarding": None}))
    assert problems(assessment, "checks.domestic_abuse.requested") == [
        ("error", "Domestic abuse check (police): Select whether the check has been requested")
    ]
    assert problems(assessment, "checks.safeguarding.requested") == [
        ("error", f"{SAFEGUARDING}: Select whether the check has been requested")
    ]
    assert assessment.task("checks").status == "Not yet started"


def test_one_check_done_does_not_excuse_the_other(make_case, assess_on) -> None:
    assessment = assess_on(make_case(checks={"safeguarding": None}))
    assert [p.field for p in assessment.problems_for("checks")] == [
        "checks.safeguarding.requested"
    ]
    assert assessment.task("checks").status == "In progress"


def test_not_requesting_a_check_needs_a_reason(make_case, assess_on) -> None:
    assessment = assess_on(make_case(checks={"safeguarding": CheckRequest(requested="no")}))
    assert problems(assessment, "checks.safeguarding.not_requested_reason") == [
        ("error", f"{SAFEGUARDING}: Enter why the check has not been requested")
    ]
    reasoned = CheckRequest(
        requested="no", not_requested_reason="Lives alone, no contact with children"
    )
    assert assess_on(make_case(checks={"safeguarding": reasoned})).problems_for("checks") == ()


def test_a_check_outstanding_at_sentence_needs_the_court_told_and_a_follow_up(
    make_case, assess_on
) -> None:
    assessment = assess_on(make_case(checks={"safeguarding": outstanding()}))
    assert problems(assessment, "checks.safeguarding.reported_to_court") == [
        (
            "blocker",
            f"{SAFEGUARDING}: The check is outstanding at sentence: record that the court "
            "was told",
        )
    ]
    assert problems(assessment, "checks.safeguarding.follow_up") == [
        (
            "blocker",
            f"{SAFEGUARDING}: The check is outstanding at sentence: record who will chase "
            "it, what they will do and by when",
        )
    ]
    assert assessment.task("checks").status == "There is a problem"


def test_telling_the_court_no_is_not_enough(make_case, assess_on) -> None:
    assessment = assess_on(make_case(checks={"safeguarding": outstanding(reported_to_court="no")}))
    assert problems(assessment, "checks.safeguarding.reported_to_court")[0][0] == "blocker"


def test_an_outstanding_check_told_to_the_court_and_chased_is_complete(
    make_case, assess_on, forms: FormSet
) -> None:
    record = make_case(checks={"safeguarding": outstanding(reported_to_court="yes")})
    record = record_not_known(
        record,
        forms,
        "safeguarding",
        owner="Sam Patel",
        action="Chase children's services",
        due=date(2026, 3, 4),
        today=TODAY,
        recorded_by="Sam Patel",
    )
    assessment = assess_on(record)
    assert assessment.problems_for("checks") == ()
    assert assessment.task("checks").status == "Completed"


def test_an_outstanding_check_with_an_incomplete_follow_up_is_still_blocked(
    make_case, assess_on
) -> None:
    chase = FollowUp(
        question="safeguarding", owner="", action="Chase", due=date(2026, 3, 4), recorded_on=TODAY
    )
    record = make_case(
        checks={"safeguarding": outstanding(reported_to_court="yes")}, follow_ups=[chase]
    )
    assessment = assess_on(record)
    assert problems(assessment, "checks.safeguarding.follow_up")[0][0] == "blocker"
    assert problems(assessment, f"follow_ups.{chase.id}") == [
        (
            "error",
            "Follow-up for the result of the child safeguarding check (children's services): "
            "record who",
        )
    ]


def test_an_outstanding_check_before_sentence_is_not_yet_a_problem(make_case, assess_on) -> None:
    record = make_case(sentence_type="adjourned", checks={"safeguarding": outstanding()})
    assert assess_on(record).problems_for("checks") == ()


def test_a_received_check_needs_its_result_and_concerns_a_summary(
    make_case, assess_on, load_demo
) -> None:
    received = load_demo("complete-crc").checks["safeguarding"]
    no_result = assess_on(
        make_case(checks={"safeguarding": received.model_copy(update={"result": None})})
    )
    assert problems(no_result, "checks.safeguarding.result") == [
        ("error", f"{SAFEGUARDING}: Select the result of the check")
    ]
    concerns = assess_on(
        make_case(checks={"safeguarding": received.model_copy(update={"result": "concerns"})})
    )
    assert problems(concerns, "checks.safeguarding.summary") == [
        ("error", f"{SAFEGUARDING}: Enter a summary of the concerns")
    ]


def test_check_dates_must_be_in_order(make_case, assess_on) -> None:
    check = outstanding(
        requested_on=date(2026, 2, 27),
        expected_by=date(2026, 2, 20),
        received_on=date(2026, 2, 25),
        result="no_concerns",
    )
    assessment = assess_on(make_case(checks={"safeguarding": check}))
    assert problems(assessment, "checks.safeguarding.expected_by") == [
        (
            "error",
            f"{SAFEGUARDING}: Reply expected by must be on or after the date it was requested",
        )
    ]
    assert problems(assessment, "checks.safeguarding.received_on") == [
        (
            "error",
            f"{SAFEGUARDING}: Date the result was received must be on or after the date it "
            "was requested",
        )
    ]


# RoSH screening before allocation; a needed full analysis not done says what to do.


@pytest.mark.parametrize("rosh_level", [None, ""])
def test_an_allocation_decision_without_a_rosh_level_is_a_blocker(
    make_case, assess_on, rosh_level: str | None
) -> None:
    # None removes the answer; "" is a level typed and cleared.
    assessment = assess_on(make_case(rosh_level=rosh_level))
    assert problems(assessment, "allocation_decision") == [
        ("blocker", "Complete the RoSH screening before the allocation decision")
    ]
    assert assessment.task("cas").status == "Cannot start yet"


def test_a_rosh_level_not_known_with_a_follow_up_lets_the_cas_go_on(
    make_case, assess_on, forms: FormSet
) -> None:
    record = record_not_known(
        make_case(),
        forms,
        "rosh_level",
        owner="Sam Patel",
        action="Complete the RoSH screening in OASys",
        due=date(2026, 3, 3),
        today=TODAY,
        recorded_by="Sam Patel",
    )
    assessment = assess_on(record)
    assert problems(assessment, "allocation_decision") == []
    assert assessment.task("cas").status == "Completed"
    assert assessment.allocation.provisional


def test_a_screening_dated_after_the_allocation_decision_is_a_blocker(
    make_case, assess_on
) -> None:
    record = make_case(rosh_screening_date="2026-03-03", allocation_date="2026-03-02")
    assessment = assess_on(record, date(2026, 3, 4))
    assert any(p.severity.value == "blocker" for p in assessment.problems_for("cas"))


RO_ACTIONS = "what the responsible officer must do to complete the full RoSH analysis"


def test_a_needed_full_analysis_not_done_needs_what_the_ro_must_do(
    make_case, assess_on, forms: FormSet
) -> None:
    record = make_case(rosh_full_analysis_needed="yes", rosh_full_analysis_done="no")
    assessment = assess_on(record)
    assert problems(assessment, "ro_rosh_actions") == [("error", f"Enter {RO_ACTIONS}")]
    assert assessment.task("cas").status == "In progress"

    actions = "Book an OASys interview this week and complete the full analysis"
    done = make_case(
        rosh_full_analysis_needed="yes", rosh_full_analysis_done="no", ro_rosh_actions=actions
    )
    assert problems(assess_on(done), "ro_rosh_actions") == []
    rosh_item = next(i for i in must_read_items(done, forms) if i.id == "rosh")
    assert rosh_item.text.endswith(f"Full analysis needed and NOT done. You must: {actions}")


def test_whether_a_needed_full_analysis_was_done_must_be_said(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rosh_full_analysis_needed="yes"))
    assert problems(assessment, "rosh_full_analysis_done") == [
        ("error", "Select whether the full RoSH analysis has been done")
    ]


def test_a_full_analysis_done_or_not_needed_asks_nothing_of_the_ro(make_case, assess_on) -> None:
    for answers in (
        {"rosh_full_analysis_needed": "yes", "rosh_full_analysis_done": "yes"},
        {"rosh_full_analysis_needed": "no"},
    ):
        assert problems(assess_on(make_case(**answers)), "ro_rosh_actions") == []


# Risk review.


def test_a_risk_review_needs_a_date_and_a_reason(make_case, assess_on) -> None:
    assessment = assess_on(make_case(risk_review_required="yes"))
    assert problems(assessment, "risk_review_date") == [
        ("error", "Enter the date of the risk review")
    ]
    assert problems(assessment, "risk_review_reason") == [
        ("error", "Enter why the risk review is needed")
    ]


@pytest.mark.parametrize("when", ["2026-03-02", "2026-02-27"])
def test_a_risk_review_must_be_after_sentence(make_case, assess_on, when: str) -> None:
    record = make_case(
        risk_review_required="yes", risk_review_date=when, risk_review_reason="Partner released"
    )
    assert problems(assess_on(record), "risk_review_date") == [
        ("error", "Date of the risk review must be after Monday 2 March 2026")
    ]


def test_a_risk_review_with_a_date_and_reason_is_complete(make_case, assess_on) -> None:
    record = make_case(
        risk_review_required="yes",
        risk_review_date="2026-06-01",
        risk_review_reason="Partner released from custody in May",
    )
    assessment = assess_on(record)
    assert assessment.problems_for("cas") == ()
    assert assessment.task("cas").status == "Completed"


# An override needs a reason.

OVERRIDE_CRC_RULE = (
    "Give the reason for deciding against the allocation rules (the rules give Community "
    "Rehabilitation Company (CRC): no NPS criterion applies)"
)


def test_deciding_against_the_rules_needs_a_reason(make_case, assess_on) -> None:
    assessment = assess_on(make_case(allocation_decision="nps"))
    assert assessment.allocation.override
    assert problems(assessment, "allocation_override_reason") == [("blocker", OVERRIDE_CRC_RULE)]
    assert assessment.task("cas").status == "There is a problem"


def test_an_override_against_an_nps_rule_names_the_reasons(make_case, assess_on) -> None:
    assessment = assess_on(make_case(mappa_eligible="yes", mappa_category="2"))
    assert problems(assessment, "allocation_override_reason") == [
        (
            "blocker",
            "Give the reason for deciding against the allocation rules (the rules give National "
            "Probation Service (NPS): MAPPA eligible)",
        )
    ]


def test_an_override_with_a_reason_is_accepted(make_case, assess_on) -> None:
    record = make_case(
        allocation_decision="nps",
        allocation_override_reason="Victim is a member of CRC staff: SPO agreed NPS",
    )
    assessment = assess_on(record)
    assert assessment.allocation.override
    assert problems(assessment, "allocation_override_reason") == []
    assert assessment.complete


def test_a_blank_override_reason_is_no_reason(make_case, assess_on) -> None:
    record = make_case(allocation_decision="nps", allocation_override_reason="   ")
    assert problems(assess_on(record), "allocation_override_reason") == [
        ("blocker", OVERRIDE_CRC_RULE)
    ]


def test_agreeing_with_the_rules_is_no_override(make_case, assess_on) -> None:
    assessment = assess_on(make_case())
    assert not assessment.allocation.override
    assert problems(assessment, "allocation_override_reason") == []


# Dates of the case in order.


def test_case_dates_must_be_in_order(make_case, assess_on) -> None:
    assessment = assess_on(make_case(main_offence_date="2026-02-20", conviction_date="2026-02-16"))
    assert problems(assessment, "main_offence_date") == [
        ("error", "Date of the main offence must be on or before the date of conviction")
    ]
    later = assess_on(make_case(conviction_date="2026-03-02", sentence_date="2026-02-27"))
    assert problems(later, "sentence_date") == [
        ("error", "Date of sentence must be on or after the date of conviction")
    ]


def test_the_public_interest_criterion_needs_a_reason(make_case, assess_on) -> None:
    assessment = assess_on(make_case(public_interest="yes", allocation_decision="nps"))
    assert problems(assessment, "public_interest_reason") == [
        ("error", "Enter why this is a public interest case")
    ]


def test_not_known_is_refused_where_the_cas_does_not_allow_it(make_case, assess_on) -> None:
    assessment = assess_on(make_case(public_interest=NOT_KNOWN))
    assert problems(assessment, "public_interest") == [
        (
            "error",
            "Select whether this is a public interest case: 'Not known' is not an answer here",
        )
    ]
