"""What the CAS screen shows before the officer decides, and what it fills in: the rules'
decision with its reasons and 'not known' criteria, the override reason's condition, and
the CAS answers the case already holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from court_tui.domain.allocation import Provider, labels_from
from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.assessment import assess
from court_tui.domain.cas_decision import cas_prefills, rules_decision
from court_tui.domain.fields import Cas
from court_tui.domain.follow_ups import record_not_known
from court_tui.domain.forms import FormSet, visible

DAY = date(2026, 3, 2)
CaseBuilder = Callable[..., Any]
CLASSIC = labels_from("transforming_rehabilitation")
CAS_FILLED_IN = (
    "allocation_decision",
    "allocation_date",
    "decision_maker",
    "assessment_risk_of_harm",
    "assessment_likelihood_of_reoffending",
    "assessment_needs_and_vulnerabilities",
    "assessment_barriers_to_engagement",
)


def test_nps_gives_every_reason_that_applied(make_case: CaseBuilder, forms: FormSet) -> None:
    record = make_case(rsr_score="6.90", mappa_eligible="yes", rosh_level="HIGH")
    decision = rules_decision(record, forms, CLASSIC)
    assert decision.decision is Provider.NPS
    assert decision.label == "National Probation Service (NPS)"
    assert decision.reasons == (
        "RoSH level is high",
        "MAPPA eligible",
        "RSR is 6.90 or higher (6.90)",
    )
    assert not decision.provisional
    assert decision.lines() == [
        "The allocation rules give: National Probation Service (NPS)",
        "Because: RoSH level is high",
        "Because: MAPPA eligible",
        "Because: RSR is 6.90 or higher (6.90)",
        "Provisional: no",
    ]


def test_crc_says_no_criterion_applies_in_the_configured_names(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    decision = rules_decision(make_case(), forms, labels_from("unification"))
    assert decision.decision is Provider.CRC
    assert decision.lines()[:2] == [
        "The allocation rules give: Allocated (standard)",
        "Because: no NPS criterion applies",
    ]


def test_a_not_known_criterion_is_named_with_its_follow_up(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    record = record_not_known(
        make_case(),
        forms,
        Cas.DEPORTATION_ELIGIBLE,
        owner="Sam Patel",
        action="Ask the Home Office",
        due=date(2026, 3, 5),
        today=DAY,
        recorded_by="Sam Patel",
    )
    decision = rules_decision(record, forms, CLASSIC)
    assert decision.provisional
    assert [c.question for c in decision.provisional_on] == [Cas.DEPORTATION_ELIGIBLE]
    assert decision.lines()[-1] == (
        "Provisional until known: whether the person is eligible for deportation "
        "(follow-up: Sam Patel, Ask the Home Office, by Thursday 5 March 2026)"
    )


def test_without_answers_the_rules_say_what_they_still_need(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    decision = rules_decision(make_case(mappa_eligible=None), forms, CLASSIC)
    assert decision.decision is None
    assert decision.lines() == [
        "The allocation rules cannot decide yet.",
        "Still needed: whether the person is eligible for MAPPA.",
    ]


def test_the_override_reason_is_asked_only_against_the_rules(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    reason = forms.question(Cas.ALLOCATION_OVERRIDE_REASON)
    assert not visible(reason, make_case(allocation_decision="crc").answers, forms)
    assert visible(reason, make_case(allocation_decision="nps").answers, forms)
    assert not visible(reason, make_case(allocation_decision=None).answers, forms)
    nps = make_case(mappa_eligible="yes", allocation_decision="nps")
    assert not visible(reason, nps.answers, forms)


def test_the_cas_is_filled_in_from_what_the_case_holds(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    record = make_case(**dict.fromkeys(CAS_FILLED_IN))
    assert cas_prefills(record, forms, "Sam Patel", DAY) == {
        "decision_maker": "Sam Patel",
        "allocation_date": "2026-03-02",
        "assessment_risk_of_harm": (
            "RoSH level low. No violence in the record; no concerns from the checks."
        ),
        "assessment_likelihood_of_reoffending": (
            "OGRS medium. Medium likelihood of reoffending while debts continue; low risk "
            "of serious harm."
        ),
        "assessment_needs_and_vulnerabilities": (
            "Factors linked to offending: Finance, Accommodation."
        ),
        "assessment_barriers_to_engagement": "Response to previous supervision: satisfactory.",
    }


def test_filling_in_never_replaces_an_answer_not_known_or_typed_text(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    record = make_case(
        **{
            **dict.fromkeys(CAS_FILLED_IN),
            "assessment_risk_of_harm": NOT_KNOWN,
            "decision_maker": "Alex Brown",
        }
    )
    record = record.model_copy(update={"drafts": {"allocation_date": "31/2"}})
    filled = cas_prefills(record, forms, "Sam Patel", DAY)
    assert "assessment_risk_of_harm" not in filled
    assert "decision_maker" not in filled
    assert "allocation_date" not in filled
    assert cas_prefills(make_case(), forms, "Sam Patel", DAY) == {}


def test_a_report_without_the_assessments_fills_in_only_the_officer_and_the_day(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    record = make_case(
        **dict.fromkeys(CAS_FILLED_IN),
        rosh_evidence=None,
        officer_assessment=None,
        ogrs_level=None,
        factors_linked_to_offending=None,
        previous_supervision_response="not_applicable",
        rosh_level=None,
    )
    assert cas_prefills(record, forms, "Sam Patel", DAY) == {
        "decision_maker": "Sam Patel",
        "allocation_date": "2026-03-02",
    }


def test_the_override_message_names_the_configured_provider(
    make_case: CaseBuilder, forms: FormSet
) -> None:
    record = make_case(mappa_eligible="yes", mappa_category="2")
    found = assess(record, forms, DAY, labels_from("unification")).problems_for("cas")
    assert [p.message for p in found if p.field == Cas.ALLOCATION_OVERRIDE_REASON] == [
        "Give the reason for deciding against the allocation rules (the rules give Retained "
        "(enhanced): MAPPA eligible)"
    ]
