"""The form fields that Python names, by the ids the form files give them.

Rules, exports and the handover read answers by id. Spelled as loose strings, a renamed
id in a form file would silently turn a rule off; named here once, and held against the
loaded forms by tests/project/test_field_ids.py, a rename fails a test instead.
Grouped by form; the names are the ids in capitals.
"""

from __future__ import annotations

from typing import Final


class Sections:
    """The sections of the task list, as the forms' `section` names them."""

    CASE: Final = "case"
    REPORT: Final = "report"
    ROSH: Final = "rosh"
    RSR: Final = "rsr"
    CHECKS: Final = "checks"
    CAS: Final = "cas"


class Forms:
    """Form ids that are not also a section's id."""

    RSR_CALCULATOR: Final = "rsr_calculator"


class Case:
    """forms/case.toml: the person, the hearing and the offence."""

    NAME: Final = "name"
    DATE_OF_BIRTH: Final = "date_of_birth"
    GENDER: Final = "gender"
    CRN: Final = "crn"
    PNC: Final = "pnc"
    COURT: Final = "court"
    COURTROOM: Final = "courtroom"
    HEARING_DATE: Final = "hearing_date"
    MAIN_OFFENCE: Final = "main_offence"
    MAIN_OFFENCE_CODE: Final = "main_offence_code"
    MAIN_OFFENCE_DATE: Final = "main_offence_date"
    OTHER_OFFENCES: Final = "other_offences"
    CONVICTION_DATE: Final = "conviction_date"
    SENTENCE_TYPE: Final = "sentence_type"
    SENTENCE_DATE: Final = "sentence_date"


class Report:
    """forms/report.toml: the pre-sentence report."""

    PSR_TYPE: Final = "psr_type"
    FACTORS_LINKED_TO_OFFENDING: Final = "factors_linked_to_offending"
    FACTORS_OTHER_DETAILS: Final = "factors_other_details"
    EXPERIENCE_OF_TRAUMA: Final = "experience_of_trauma"
    CARING_RESPONSIBILITIES: Final = "caring_responsibilities"
    OGRS_LEVEL: Final = "ogrs_level"
    OGP_LEVEL: Final = "ogp_level"
    OVP_LEVEL: Final = "ovp_level"
    OSP_LEVEL: Final = "osp_level"
    OFFICER_ASSESSMENT: Final = "officer_assessment"
    ROSH_EVIDENCE: Final = "rosh_evidence"
    PREVIOUS_SUPERVISION_RESPONSE: Final = "previous_supervision_response"
    PROPOSAL: Final = "proposal"
    RAR_PROPOSED: Final = "rar_proposed"
    RAR_PURPOSE: Final = "rar_purpose"
    SOURCES_OF_INFORMATION: Final = "sources_of_information"
    SOURCES_OTHER_DETAILS: Final = "sources_other_details"


class Rosh:
    """forms/rosh.toml: the risk of serious harm screening."""

    ROSH_SCREENING_DATE: Final = "rosh_screening_date"
    ROSH_LEVEL: Final = "rosh_level"
    ROSH_FULL_ANALYSIS_NEEDED: Final = "rosh_full_analysis_needed"
    ROSH_FULL_ANALYSIS_DONE: Final = "rosh_full_analysis_done"


class Rsr:
    """forms/rsr.toml: the RSR score and where it came from."""

    RSR_SOURCE: Final = "rsr_source"
    RSR_SCORE: Final = "rsr_score"
    RSR_DATE: Final = "rsr_date"
    RSR_ASSESSOR: Final = "rsr_assessor"


class RsrCalculator:
    """forms/rsr-calculator.toml: the calculator's own questions (rsr.md's input keys)."""

    OFFENCE_CATEGORY: Final = "offence_category"
    VIOLENCE_SUBTYPE: Final = "violence_subtype"
    TOTAL_SANCTIONS: Final = "total_sanctions"
    AGE_AT_FIRST_SANCTION: Final = "age_at_first_sanction"
    VIOLENT_SANCTIONS: Final = "violent_sanctions"
    SEXUAL_HISTORY: Final = "sexual_history"
    CURRENT_OFFENCE_SEXUALLY_MOTIVATED: Final = "current_offence_sexually_motivated"
    CONTACT_ADULT_SANCTIONS: Final = "contact_adult_sanctions"
    CONTACT_CHILD_SANCTIONS: Final = "contact_child_sanctions"
    NON_CONTACT_SANCTIONS: Final = "non_contact_sanctions"
    INDECENT_IMAGE_SANCTIONS: Final = "indecent_image_sanctions"
    DATE_OF_MOST_RECENT_SEXUAL_SANCTION: Final = "date_of_most_recent_sexual_sanction"
    STRANGER_VICTIM: Final = "stranger_victim"


class Cas:
    """forms/cas.toml: allocation, MAPPA, the risk review and the first appointment."""

    MAPPA_ELIGIBLE: Final = "mappa_eligible"
    MAPPA_CATEGORY: Final = "mappa_category"
    MAPPA_LEVEL: Final = "mappa_level"
    DEPORTATION_ELIGIBLE: Final = "deportation_eligible"
    PUBLIC_INTEREST: Final = "public_interest"
    RO_ROSH_ACTIONS: Final = "ro_rosh_actions"
    ASSESSMENT_RISK_OF_HARM: Final = "assessment_risk_of_harm"
    ASSESSMENT_LIKELIHOOD_OF_REOFFENDING: Final = "assessment_likelihood_of_reoffending"
    ASSESSMENT_NEEDS_AND_VULNERABILITIES: Final = "assessment_needs_and_vulnerabilities"
    ASSESSMENT_BARRIERS_TO_ENGAGEMENT: Final = "assessment_barriers_to_engagement"
    ALLOCATION_DECISION: Final = "allocation_decision"
    ALLOCATION_OVERRIDE_REASON: Final = "allocation_override_reason"
    ALLOCATION_DATE: Final = "allocation_date"
    DECISION_MAKER: Final = "decision_maker"
    RISK_REVIEW_REQUIRED: Final = "risk_review_required"
    RISK_REVIEW_DATE: Final = "risk_review_date"
    RISK_REVIEW_REASON: Final = "risk_review_reason"
    FIRST_APPOINTMENT_DATE: Final = "first_appointment_date"


class Check:
    """forms/checks.toml: the questions asked about each tracked check."""

    REQUESTED: Final = "requested"
    NOT_REQUESTED_REASON: Final = "not_requested_reason"
    AGENCY: Final = "agency"
    REQUESTED_ON: Final = "requested_on"
    REFERENCE: Final = "reference"
    EXPECTED_BY: Final = "expected_by"
    RECEIVED_ON: Final = "received_on"
    RESULT: Final = "result"
    HOW_CHECKED: Final = "how_checked"
    SUMMARY: Final = "summary"
    REPORTED_TO_COURT: Final = "reported_to_court"


# Not a question of the checks form: the follow-up that chases a check still outstanding,
# which problems and the check's screen anchor as if it were one.
CHECK_FOLLOW_UP: Final = "follow_up"

_CHECK_FIELD_HEAD = Sections.CHECKS + "."
_FOLLOW_UP_FIELD_HEAD = "follow_ups."


def check_field(kind: str, question: str) -> str:
    """The field id of QUESTION (a checks form question) asked about the check KIND:
    'checks.domestic_abuse.requested'."""
    return f"{_CHECK_FIELD_HEAD}{kind}.{question}"


def split_check_field(field_id: str) -> tuple[str, str] | None:
    """The check kind and question of a check's FIELD_ID; None for any other field."""
    if not field_id.startswith(_CHECK_FIELD_HEAD):
        return None
    kind, dot, question = field_id[len(_CHECK_FIELD_HEAD) :].partition(".")
    return (kind, question) if dot and kind and question else None


def follow_up_field(follow_up_id: str) -> str:
    """The field id that anchors a problem with the follow-up FOLLOW_UP_ID."""
    return f"{_FOLLOW_UP_FIELD_HEAD}{follow_up_id}"
