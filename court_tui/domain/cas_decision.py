"""What the CAS screen shows before the officer decides: the allocation the rules give, with
its reasons and what it is provisional on, and the CAS answers the case already holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from court_tui.domain.allocation import AllocationLabels, Provider, allocate
from court_tui.domain.answers import AnswerValue, is_answered, is_not_known
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import Cas, Report, Rosh
from court_tui.domain.forms import FormSet
from court_tui.domain.summary import describe_follow_up, display_value

NO_NPS_CRITERION = "no NPS criterion applies"


@dataclass(frozen=True)
class NotKnownCriterion:
    """A criterion answered 'not known': the allocation stands only until it is known."""

    question: str
    noun: str
    follow_up: str | None


@dataclass(frozen=True)
class RulesDecision:
    """The allocation the rules give for a case, in the configured names."""

    decision: Provider | None
    label: str | None
    reasons: tuple[str, ...]
    provisional_on: tuple[NotKnownCriterion, ...]
    still_needed: tuple[str, ...]

    @property
    def provisional(self) -> bool:
        """Whether a 'not known' criterion could still change the decision."""
        return bool(self.provisional_on)

    def lines(self) -> list[str]:
        """The decision in words, one line each, as the CAS screen shows it."""
        if self.label is None:
            return [
                "The allocation rules cannot decide yet.",
                "Still needed: " + "; ".join(self.still_needed) + ".",
            ]
        lines = [f"The allocation rules give: {self.label}"]
        lines += [f"Because: {reason}" for reason in self.reasons]
        if not self.provisional:
            lines.append("Provisional: no")
        for criterion in self.provisional_on:
            chased = (
                f"follow-up: {criterion.follow_up}"
                if criterion.follow_up
                else "no follow-up recorded yet"
            )
            lines.append(f"Provisional until known: {criterion.noun} ({chased})")
        if self.still_needed:
            lines.append("Also still to answer: " + "; ".join(self.still_needed) + ".")
        return lines


def rules_decision(record: CaseRecord, forms: FormSet, labels: AllocationLabels) -> RulesDecision:
    """The allocation the rules give for RECORD, named with LABELS."""
    allocation = allocate(record.answers)
    decision = allocation.decision
    reasons = allocation.reasons
    if decision is Provider.CRC and not reasons:
        reasons = (NO_NPS_CRITERION,)
    provisional_on = tuple(
        NotKnownCriterion(
            question_id,
            forms.question(question_id).noun,
            next((describe_follow_up(f) for f in record.open_follow_ups(question_id)), None),
        )
        for question_id in allocation.not_known
    )
    return RulesDecision(
        decision=decision,
        label=labels.label(decision) if decision is not None else None,
        reasons=reasons,
        provisional_on=provisional_on,
        still_needed=tuple(forms.question(q).noun for q in allocation.unanswered),
    )


def _empty(record: CaseRecord, question_id: str) -> bool:
    value = record.answers.get(question_id)
    return (
        not is_answered(value)
        and not is_not_known(value)
        and record.drafts.get(question_id) is None
    )


def _words(forms: FormSet, answers: Mapping[str, AnswerValue], question_id: str) -> str:
    value = answers.get(question_id)
    if not is_answered(value):
        return ""
    return display_value(forms.question(question_id), value)


def _sentences(*parts: str) -> str:
    kept = [part.strip() for part in parts if part.strip()]
    return " ".join(part if part.endswith(".") else part + "." for part in kept)


def _likelihood(forms: FormSet, answers: Mapping[str, AnswerValue]) -> str:
    scores = [
        f"{name} {_words(forms, answers, question_id).lower()}"
        for name, question_id in (
            ("OGRS", Report.OGRS_LEVEL),
            ("OGP", Report.OGP_LEVEL),
            ("OVP", Report.OVP_LEVEL),
            ("OSP", Report.OSP_LEVEL),
        )
        if _words(forms, answers, question_id) and answers.get(question_id) != "not_applicable"
    ]
    return _sentences("; ".join(scores), _words(forms, answers, Report.OFFICER_ASSESSMENT))


def cas_prefills(
    record: CaseRecord, forms: FormSet, officer: str, today: date
) -> dict[str, AnswerValue]:
    """The CAS answers the case already holds, for the CAS questions still empty (an answer
    the officer gave, 'not known' or typed text is never replaced)."""
    answers = record.answers
    rosh_level = _words(forms, answers, Rosh.ROSH_LEVEL)
    factors = _words(forms, answers, Report.FACTORS_LINKED_TO_OFFENDING)
    supervision = _words(forms, answers, Report.PREVIOUS_SUPERVISION_RESPONSE)
    known: dict[str, str] = {
        Cas.DECISION_MAKER: officer,
        Cas.ALLOCATION_DATE: today.isoformat(),
        Cas.ASSESSMENT_RISK_OF_HARM: _sentences(
            f"RoSH level {rosh_level.lower()}" if rosh_level else "",
            _words(forms, answers, Report.ROSH_EVIDENCE),
        ),
        Cas.ASSESSMENT_LIKELIHOOD_OF_REOFFENDING: _likelihood(forms, answers),
        Cas.ASSESSMENT_NEEDS_AND_VULNERABILITIES: _sentences(
            f"Factors linked to offending: {factors}" if factors else "",
            _words(forms, answers, Report.FACTORS_OTHER_DETAILS),
            _words(forms, answers, Report.EXPERIENCE_OF_TRAUMA),
            _words(forms, answers, Report.CARING_RESPONSIBILITIES),
        ),
        Cas.ASSESSMENT_BARRIERS_TO_ENGAGEMENT: _sentences(
            f"Response to previous supervision: {supervision.lower()}"
            if supervision
            and answers.get(Report.PREVIOUS_SUPERVISION_RESPONSE) != "not_applicable"
            else ""
        ),
    }
    return {
        question_id: text
        for question_id, text in known.items()
        if text.strip() and _empty(record, question_id)
    }
