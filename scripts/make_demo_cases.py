"""Write the demo case files in data/demo/ (run again after a case-file format change)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp
from court_tui.domain.casefile import dumps

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo"
SENTENCED = date(2026, 3, 2)
MADE = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)


def received(agency: str) -> CheckRequest:
    return CheckRequest(
        requested="yes",
        agency=agency,
        requested_on=date(2026, 2, 16),
        reference="Ref 4471 / duty desk",
        expected_by=date(2026, 2, 27),
        received_on=date(2026, 2, 26),
        result="no_concerns",
        how_checked="Email from the duty desk",
    )


def complete_crc(case_id: str, name: str, crn: str) -> CaseRecord:
    answers = {
        "name": name,
        "date_of_birth": "1990-11-20",
        "gender": "male",
        "crn": crn,
        "pnc": "2012/0012345A",
        "court": "Leeds Magistrates' Court",
        "courtroom": "3",
        "hearing_date": "2026-03-02",
        "main_offence": "Stealing from shops and stalls (shoplifting)",
        "main_offence_code": "04600",
        "main_offence_date": "2026-02-10",
        "other_offences": "",
        "conviction_date": "2026-02-16",
        "sentence_type": "community_order",
        "sentence_date": "2026-03-02",
        "psr_type": "oral",
        "offence_analysis": "Took food and toiletries worth 40 pounds; says he had no money "
        "after a benefits delay. Accepts responsibility and regrets it.",
        "pattern_of_offending": "Three previous thefts, all acquisitive, linked to debt.",
        "escalation_in_seriousness": "no",
        "factors_linked_to_offending": ["finance", "accommodation"],
        "evidence_for_assessment": "Interview, CPS summary, previous convictions.",
        "ogrs_level": "medium",
        "officer_assessment": "Medium likelihood of reoffending while debts continue; low "
        "risk of serious harm.",
        "rosh_evidence": "No violence in the record; no concerns from the checks.",
        "previous_supervision_response": "satisfactory",
        "proposal": "Community order, 12 months, with a RAR of 10 days.",
        "rar_proposed": "yes",
        "rar_days": "10",
        "rar_purpose": "6 days of debt and benefits advice and 4 days of work on accommodation.",
        "sources_of_information": ["interview", "cps_summary", "previous_convictions", "police"],
        "report_author": "Sam Patel",
        "report_office": "Leeds court team",
        "report_date": "2026-03-02",
        "rsr_source": "oasys",
        "rsr_score": "1.23",
        "rsr_date": "2026-03-02",
        "rsr_assessor": "Sam Patel, Leeds court team",
        "rosh_screening_date": "2026-03-02",
        "rosh_level": "LOW",
        "rosh_full_analysis_needed": "no",
        "mappa_eligible": "no",
        "deportation_eligible": "no",
        "public_interest": "no",
        "assessment_risk_of_harm": "Low risk of serious harm to others.",
        "assessment_likelihood_of_reoffending": "Medium, linked to debt.",
        "assessment_needs_and_vulnerabilities": "Debt; temporary accommodation.",
        "assessment_barriers_to_engagement": "No phone credit: write to him as well.",
        "allocation_decision": "crc",
        "allocation_date": "2026-03-02",
        "decision_maker": "Sam Patel",
        "risk_review_required": "no",
        "first_appointment_date": "2026-03-05",
        "first_appointment_time": "10:30",
        "first_appointment_place": "Leeds probation office, Albion Street",
    }
    return CaseRecord(
        id=case_id,
        created_at=MADE,
        updated_at=MADE,
        officer="Sam Patel",
        team="Leeds court team",
        answers=answers,
        checks={
            "domestic_abuse": received("Police"),
            "safeguarding": received("Children's services"),
        },
    )


def main() -> None:
    DEMO.mkdir(parents=True, exist_ok=True)
    cases: dict[str, CaseRecord] = {}

    cases["complete-crc"] = complete_crc(
        "01960000-0000-7000-8000-000000000001", "Jordan Ellis", "X123456"
    )

    nps = complete_crc("01960000-0000-7000-8000-000000000002", "Casey Morgan", "X234567")
    nps.answers.update(rsr_score="6.90", allocation_decision="nps")
    cases["nps-by-rsr-6.90"] = nps

    crc = complete_crc("01960000-0000-7000-8000-000000000003", "Alex Brown", "X345678")
    crc.answers.update(rsr_score="6.89")
    cases["crc-at-rsr-6.89"] = crc

    mappa = complete_crc("01960000-0000-7000-8000-000000000004", "Robin Hughes", "X456789")
    mappa.answers.update(
        mappa_eligible="yes", mappa_category="2", mappa_level="1", allocation_decision="nps"
    )
    cases["nps-by-mappa"] = mappa

    outstanding = complete_crc("01960000-0000-7000-8000-000000000005", "Taylor Reid", "X567890")
    outstanding.checks["safeguarding"] = CheckRequest(
        requested="yes",
        agency="Children's services",
        requested_on=date(2026, 2, 27),
        reference="Leeds front door, 0113 000 0000",
        expected_by=date(2026, 3, 4),
        reported_to_court="yes",
    )
    outstanding.follow_ups.append(
        FollowUp(
            id="01960000-0000-7000-8000-0000000000f1",
            question="safeguarding",
            owner="Sam Patel",
            action="Chase children's services for the safeguarding check and pass the "
            "result to the responsible officer",
            due=date(2026, 3, 4),
            recorded_on=SENTENCED,
            recorded_by="Sam Patel",
        )
    )
    cases["check-outstanding-at-sentence"] = outstanding

    blocked = complete_crc("01960000-0000-7000-8000-000000000006", "Jamie Walsh", "X678901")
    blocked.answers["rsr_score"] = NOT_KNOWN
    del blocked.answers["rsr_date"]
    del blocked.answers["rsr_assessor"]
    cases["blocked-not-known-without-follow-up"] = blocked

    for name, record in cases.items():
        (DEMO / f"{name}.json").write_text(dumps(record), encoding="utf-8")


if __name__ == "__main__":
    main()
