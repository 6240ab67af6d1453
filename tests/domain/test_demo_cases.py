"""Each demo case gives the outcome its file name says (`court-tui check --today 2026-03-02`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from court_tui.domain.allocation import Provider, rsr_at_two_places
from court_tui.domain.assessment import Assessment, assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.checks import check_state
from court_tui.domain.forms import FormSet
from court_tui.domain.rules import complete_follow_up

DEMO_DAY = date(2026, 3, 2)


def _complete_crc(record: CaseRecord, assessment: Assessment) -> None:
    assert assessment.problems == ()
    assert assessment.complete
    assert assessment.allocation.decision is Provider.CRC
    assert assessment.allocation.reasons == ()
    assert not assessment.allocation.provisional
    assert not assessment.allocation.override


def _crc_at_rsr_689(record: CaseRecord, assessment: Assessment) -> None:
    assert rsr_at_two_places(record.answers["rsr_score"]) == rsr_at_two_places("6.89")
    assert assessment.complete
    assert assessment.allocation.decision is Provider.CRC
    assert assessment.allocation.reasons == ()


def _nps_by_rsr_690(record: CaseRecord, assessment: Assessment) -> None:
    assert rsr_at_two_places(record.answers["rsr_score"]) == rsr_at_two_places("6.90")
    assert assessment.complete
    assert assessment.allocation.decision is Provider.NPS
    # RSR is the only reason: the case is NPS by RSR alone.
    assert assessment.allocation.reasons == ("RSR is 6.90 or higher (6.90)",)
    assert not assessment.allocation.override


def _nps_by_mappa(record: CaseRecord, assessment: Assessment) -> None:
    assert assessment.complete
    assert assessment.allocation.decision is Provider.NPS
    assert assessment.allocation.reasons == ("MAPPA eligible",)
    assert not assessment.allocation.override


def _blocked_not_known(record: CaseRecord, assessment: Assessment) -> None:
    assert assessment.blocked
    assert not assessment.complete
    assert [(p.field, p.message) for p in assessment.blockers] == [
        ("rsr_score", "Record who will find out the RSR score, what they will do and by when")
    ]
    assert record.open_follow_ups("rsr_score") == []
    assert assessment.task("rsr").status == "There is a problem"
    assert assessment.task("handover").status == "Cannot start yet"


def _check_outstanding(record: CaseRecord, assessment: Assessment) -> None:
    outstanding = [kind for kind, c in record.checks.items() if c.outstanding]
    assert outstanding == ["safeguarding"]
    check_request = record.check("safeguarding")
    assert check_state(check_request) == "Outstanding"
    assert check_request.reported_to_court == "yes"
    assert complete_follow_up(record.open_follow_ups("safeguarding")) is not None
    # Sentenced with the check outstanding, told to the court and chased: nothing stops it.
    assert record.answers["sentence_type"] != "adjourned"
    assert assessment.problems == ()
    assert assessment.complete
    assert assessment.task("checks").status == "Completed"


CHECKS: dict[str, Callable[[CaseRecord, Assessment], None]] = {
    "complete-crc": _complete_crc,
    "crc-at-rsr-6.89": _crc_at_rsr_689,
    "nps-by-rsr-6.90": _nps_by_rsr_690,
    "nps-by-mappa": _nps_by_mappa,
    "blocked-not-known-without-follow-up": _blocked_not_known,
    "check-outstanding-at-sentence": _check_outstanding,
}


def test_every_demo_case_has_an_expected_outcome(demo_dir: Path) -> None:
    assert sorted(p.stem for p in demo_dir.glob("*.json")) == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_the_demo_case_gives_the_outcome_its_name_says(
    name: str, load_demo: Callable[[str], CaseRecord], forms: FormSet
) -> None:
    record = load_demo(name)
    CHECKS[name](record, assess(record, forms, DEMO_DAY))


def test_the_two_rsr_demo_cases_differ_only_around_the_threshold(
    load_demo: Callable[[str], CaseRecord],
) -> None:
    below, at = load_demo("crc-at-rsr-6.89"), load_demo("nps-by-rsr-6.90")
    differing = {
        key
        for key in set(below.answers) | set(at.answers)
        if below.answers.get(key) != at.answers.get(key)
    }
    # Who the person is aside, only the score and the decision that follows it differ.
    assert differing - {"name", "crn"} == {"rsr_score", "allocation_decision"}
