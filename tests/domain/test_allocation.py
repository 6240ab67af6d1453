"""Allocation: NPS when any criterion holds, otherwise CRC, with every reason that applied."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from court_tui.domain.allocation import (
    Provider,
    allocate,
    labels_from,
    rsr_at_two_places,
)
from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.follow_ups import record_not_known
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items
from court_tui.domain.settings import LABELS_ENV, Config

NO_CRITERION = {
    "rosh_level": "LOW",
    "mappa_eligible": "no",
    "rsr_score": "1.23",
    "deportation_eligible": "no",
    "sentence_type": "community_order",
    "public_interest": "no",
}


def answers(**changes: Any) -> dict[str, Any]:
    result = dict(NO_CRITERION)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def test_no_criterion_gives_crc_with_no_reasons() -> None:
    allocation = allocate(answers())
    assert allocation.decision is Provider.CRC
    assert allocation.reasons == ()
    assert not allocation.provisional
    assert allocation.decided


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"rosh_level": "HIGH"}, "RoSH level is high"),
        ({"rosh_level": "VERY_HIGH"}, "RoSH level is very high"),
        ({"mappa_eligible": "yes"}, "MAPPA eligible"),
        ({"rsr_score": "6.90"}, "RSR is 6.90 or higher (6.90)"),
        ({"rsr_score": "45.10"}, "RSR is 6.90 or higher (45.10)"),
        ({"deportation_eligible": "yes"}, "eligible for deportation"),
        ({"sentence_type": "deferred_sentence"}, "deferred sentence"),
        ({"public_interest": "yes"}, "public interest case"),
    ],
)
def test_each_criterion_alone_gives_nps_with_its_reason(
    changes: dict[str, str], reason: str
) -> None:
    allocation = allocate(answers(**changes))
    assert allocation.decision is Provider.NPS
    assert allocation.reasons == (reason,)


@pytest.mark.parametrize(
    "changes",
    [
        {"rosh_level": "MEDIUM"},
        {"sentence_type": "custody"},
        {"sentence_type": "suspended_sentence_order"},
        {"rsr_score": "0"},
    ],
)
def test_answers_that_are_not_criteria_give_crc(changes: dict[str, str]) -> None:
    assert allocate(answers(**changes)).decision is Provider.CRC


def test_several_criteria_list_every_reason_in_order() -> None:
    allocation = allocate(
        answers(
            rosh_level="HIGH",
            mappa_eligible="yes",
            rsr_score="12.50",
            deportation_eligible="yes",
            sentence_type="deferred_sentence",
            public_interest="yes",
        )
    )
    assert allocation.decision is Provider.NPS
    assert allocation.reasons == (
        "RoSH level is high",
        "MAPPA eligible",
        "RSR is 6.90 or higher (12.50)",
        "eligible for deportation",
        "deferred sentence",
        "public interest case",
    )


def test_two_criteria_give_both_reasons() -> None:
    allocation = allocate(answers(mappa_eligible="yes", rsr_score="7.01"))
    assert allocation.reasons == ("MAPPA eligible", "RSR is 6.90 or higher (7.01)")


# RSR at the threshold, compared at two decimals.


@pytest.mark.parametrize(
    ("score", "provider"),
    [
        ("6.89", Provider.CRC),
        ("6.90", Provider.NPS),
        ("6.9", Provider.NPS),
        ("6.894", Provider.CRC),
        ("6.8949", Provider.CRC),
        ("6.891", Provider.CRC),
        ("6.895", Provider.NPS),
        ("6.8950", Provider.NPS),
        (6.895, Provider.NPS),
        (6.89, Provider.CRC),
        (7, Provider.NPS),
        ("99.99", Provider.NPS),
    ],
)
def test_rsr_threshold_at_two_decimals(score: str | float | int, provider: Provider) -> None:
    assert allocate(answers(rsr_score=score)).decision is provider


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        ("6.895", Decimal("6.90")),
        ("6.894", Decimal("6.89")),
        ("6.89", Decimal("6.89")),
        ("6.9", Decimal("6.90")),
        (6.895, Decimal("6.90")),
        ("0", Decimal("0.00")),
    ],
)
def test_rsr_at_two_places_rounds_half_up(score: str | float, expected: Decimal) -> None:
    assert rsr_at_two_places(score) == expected


@pytest.mark.parametrize("score", ["abc", "", None, NOT_KNOWN])
def test_rsr_at_two_places_of_no_number(score: Any) -> None:
    assert rsr_at_two_places(score) is None


def test_the_rounded_score_is_what_the_reason_shows() -> None:
    assert allocate(answers(rsr_score="6.895")).reasons == ("RSR is 6.90 or higher (6.90)",)


# 'Not known' makes the decision provisional; unanswered leaves it undecided.


def test_not_known_on_a_criterion_makes_the_decision_provisional() -> None:
    allocation = allocate(answers(mappa_eligible=NOT_KNOWN))
    assert allocation.decision is Provider.CRC
    assert allocation.provisional
    assert allocation.not_known == ("mappa_eligible",)


def test_every_not_known_criterion_is_named() -> None:
    allocation = allocate(
        answers(rosh_level=NOT_KNOWN, rsr_score=NOT_KNOWN, deportation_eligible=NOT_KNOWN)
    )
    assert allocation.not_known == ("rosh_level", "rsr_score", "deportation_eligible")


def test_nps_with_another_criterion_not_known_is_still_provisional() -> None:
    allocation = allocate(answers(mappa_eligible="yes", rsr_score=NOT_KNOWN))
    assert allocation.decision is Provider.NPS
    assert allocation.reasons == ("MAPPA eligible",)
    assert allocation.provisional
    assert allocation.not_known == ("rsr_score",)


def test_the_follow_ups_of_a_provisional_decision_are_on_the_case(
    make_case, assess_on, forms: FormSet
) -> None:
    today = date(2026, 3, 2)
    record = make_case()
    for question, action in (
        ("mappa_eligible", "Ask ViSOR whether the person is MAPPA eligible"),
        ("deportation_eligible", "Ask the Home Office about immigration status"),
    ):
        record = record_not_known(
            record,
            forms,
            question,
            owner="Sam Patel",
            action=action,
            due=date(2026, 3, 5),
            today=today,
            recorded_by="Sam Patel",
        )
    assessment = assess_on(record)
    allocation = assessment.allocation
    assert allocation.provisional
    assert allocation.not_known == ("mappa_eligible", "deportation_eligible")
    chasing = {f.question: f.action for f in record.follow_ups if f.is_open}
    assert chasing == {
        "mappa_eligible": "Ask ViSOR whether the person is MAPPA eligible",
        "deportation_eligible": "Ask the Home Office about immigration status",
    }
    assert assessment.as_dict()["allocation"]["not_known"] == [
        "mappa_eligible",
        "deportation_eligible",
    ]
    assert assessment.complete


def test_the_handover_allocation_item_names_what_is_not_known(make_case, forms: FormSet) -> None:
    record = record_not_known(
        make_case(),
        forms,
        "mappa_eligible",
        owner="Sam Patel",
        action="Ask ViSOR",
        due=date(2026, 3, 5),
        today=date(2026, 3, 2),
        recorded_by="Sam Patel",
    )
    item = next(i for i in must_read_items(record, forms) if i.id == "allocation")
    assert "provisional" in item.text
    assert "MAPPA" in item.text


def test_an_unanswered_criterion_leaves_the_decision_undecided() -> None:
    allocation = allocate(answers(rsr_score=None, public_interest=""))
    assert allocation.decision is None
    assert not allocation.decided
    assert allocation.unanswered == ("rsr_score", "public_interest")
    assert not allocation.provisional


def test_a_criterion_that_holds_decides_nps_before_the_rest_are_answered() -> None:
    allocation = allocate({"mappa_eligible": "yes"})
    assert allocation.decision is Provider.NPS
    assert allocation.reasons == ("MAPPA eligible",)
    assert "rsr_score" in allocation.unanswered


def test_an_empty_case_is_not_decided() -> None:
    assert allocate({}).decision is None


# The officer's decision and overrides.


def test_the_officers_decision_against_the_rules_is_an_override() -> None:
    allocation = allocate(
        answers(allocation_decision="nps", allocation_override_reason="  SPO agreed  ")
    )
    assert allocation.officer_decision is Provider.NPS
    assert allocation.override
    assert allocation.override_reason == "SPO agreed"


def test_the_officers_decision_with_the_rules_is_no_override() -> None:
    allocation = allocate(answers(mappa_eligible="yes", allocation_decision="nps"))
    assert allocation.officer_decision is Provider.NPS
    assert not allocation.override


def test_no_override_while_the_rules_have_not_decided() -> None:
    allocation = allocate(answers(rsr_score=None, allocation_decision="nps"))
    assert allocation.decision is None
    assert not allocation.override


# Labels are configurable; the rules are the same.


def test_the_default_labels_are_the_transforming_rehabilitation_names() -> None:
    labels = labels_from()
    assert labels.label(Provider.NPS) == "National Probation Service (NPS)"
    assert labels.label(Provider.CRC) == "Community Rehabilitation Company (CRC)"


def test_the_unification_labels() -> None:
    labels = labels_from("unification")
    assert labels.label(Provider.NPS) == "Retained (enhanced)"
    assert labels.label(Provider.CRC) == "Allocated (standard)"


def test_the_labels_can_come_from_the_environment() -> None:
    config = Config.from_environ({"COURT_TUI_ALLOCATION_LABELS": "unification"})
    assert config.labels().id == "unification"
    # A name given outright wins over the environment.
    assert config.labels("transforming_rehabilitation").id == "transforming_rehabilitation"
    assert Config.from_environ({}).labels().id == "transforming_rehabilitation"


def test_unknown_labels_are_refused_naming_the_known_sets() -> None:
    with pytest.raises(ValueError) as raised:
        labels_from("privatised")
    assert str(raised.value) == (
        "Unknown allocation labels 'privatised' (use one of transforming_rehabilitation, "
        "unification)"
    )


def test_labels_change_the_words_not_the_decision(make_case, assess_on, forms: FormSet) -> None:
    record = make_case(mappa_eligible="yes", mappa_category="1", allocation_decision="nps")
    standard = assess_on(record, labels=labels_from("transforming_rehabilitation"))
    unified = assess_on(record, labels=labels_from("unification"))
    assert standard.allocation == unified.allocation
    assert standard.as_dict()["allocation"]["label"] == "National Probation Service (NPS)"
    assert unified.as_dict()["allocation"]["label"] == "Retained (enhanced)"

    # The configured labels reach the words the officer reads.
    configured = Config.from_environ({LABELS_ENV.name: "unification"}).labels()
    assert assess_on(record, labels=configured).as_dict()["allocation"]["label"] == (
        "Retained (enhanced)"
    )
    item = next(i for i in must_read_items(record, forms, configured) if i.id == "allocation")
    assert item.text == "Retained (enhanced). Reasons: MAPPA eligible"
