"""Every rule a case record must meet, with messages in plain words: the rules between
answers here, each answer's own in `answer_rules`, and what a problem is in `problems`
(their names are imported from here too)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from court_tui.domain.allocation import AllocationLabels, allocate, labels_from
from court_tui.domain.answer_rules import (
    complete_follow_up,
    follow_up_needed_message,
    missing_message,
    question_problems,
    subject,
    value_problem,
)
from court_tui.domain.answers import AnswerValue, is_answered, is_not_known
from court_tui.domain.case import CaseRecord
from court_tui.domain.dates import describe_date
from court_tui.domain.deadlines import (
    FIRST_APPOINTMENT_TOO_LONG_WORKING_DAYS,
    FIRST_APPOINTMENT_WORKING_DAYS,
    add_working_days,
)
from court_tui.domain.fields import (
    CHECK_FOLLOW_UP,
    Cas,
    Case,
    Check,
    Report,
    Rosh,
    Sections,
    check_field,
    follow_up_field,
)
from court_tui.domain.forms import CheckKind, FormSet
from court_tui.domain.problems import Problem, Severity
from court_tui.domain.values import parse_iso_date

__all__ = [
    "Problem",
    "Severity",
    "check_problems",
    "complete_follow_up",
    "follow_up_needed_message",
    "follow_up_problems",
    "missing_message",
    "question_problems",
    "record_blockers",
    "record_problems",
    "sentence_date",
    "subject",
    "value_problem",
]


def sentence_date(answers: Mapping[str, AnswerValue]) -> date | None:
    """The date of sentence, when the hearing ended in a sentence and the date is real."""
    outcome = answers.get(Case.SENTENCE_TYPE)
    if not isinstance(outcome, str) or outcome in ("", "adjourned"):
        return None
    return parse_iso_date(answers.get(Case.SENTENCE_DATE))


def _date(answers: Mapping[str, AnswerValue], question_id: str) -> date | None:
    return parse_iso_date(answers.get(question_id))


_RAR_MENTION = re.compile(r"\bRAR\b|rehabilitation activity requirement", re.IGNORECASE)
_VAGUE_RAR_PURPOSE = re.compile(
    r"^\s*(to\s+)?(address|work on|look at)\s+(the\s+)?(offending|offending behaviour|"
    r"offending behavior)\s*\.?\s*$",
    re.IGNORECASE,
)


# A RAR answer the report's own text contradicts: when rar_proposed is PROPOSED and the
# answer to QUESTION matches PATTERN, the problem is anchored to FIELD.
_RAR_RULES: tuple[tuple[str, str, re.Pattern[str], str, str], ...] = (
    (
        "no",
        Report.PROPOSAL,
        _RAR_MENTION,
        Report.RAR_PROPOSED,
        "The proposal mentions a RAR: select yes and give the number of days and "
        "what they are for",
    ),
    (
        "yes",
        Report.RAR_PURPOSE,
        _VAGUE_RAR_PURPOSE,
        Report.RAR_PURPOSE,
        "Say what the RAR days are for (the activities), not only 'to address "
        "offending behaviour'",
    ),
)


def _report_rules(answers: Mapping[str, AnswerValue]) -> list[Problem]:
    problems = []
    if answers.get(Report.PSR_TYPE) == "oral" and answers.get(Rosh.ROSH_LEVEL) == "VERY_HIGH":
        problems.append(
            Problem(
                Report.PSR_TYPE,
                Sections.REPORT,
                "An oral report cannot be given when the RoSH level is very high: ask the "
                "court to adjourn for a written report",
                Severity.BLOCKER,
            )
        )
    for proposed, question, pattern, field, message in _RAR_RULES:
        text = answers.get(question)
        if (
            answers.get(Report.RAR_PROPOSED) == proposed
            and isinstance(text, str)
            and pattern.search(text)
        ):
            problems.append(Problem(field, Sections.REPORT, message, Severity.BLOCKER))
    return problems


def _case_date_rules(answers: Mapping[str, AnswerValue]) -> list[Problem]:
    problems = []
    born = _date(answers, Case.DATE_OF_BIRTH)
    offence = _date(answers, Case.MAIN_OFFENCE_DATE)
    convicted = _date(answers, Case.CONVICTION_DATE)
    sentenced = sentence_date(answers)
    if born and convicted and convicted <= born:
        problems.append(
            Problem(
                Case.CONVICTION_DATE,
                Sections.CASE,
                "Date of conviction must be after the date of birth",
                Severity.ERROR,
            )
        )
    if offence and convicted and offence > convicted:
        problems.append(
            Problem(
                Case.MAIN_OFFENCE_DATE,
                Sections.CASE,
                "Date of the main offence must be on or before the date of conviction",
                Severity.ERROR,
            )
        )
    if convicted and sentenced and sentenced < convicted:
        problems.append(
            Problem(
                Case.SENTENCE_DATE,
                Sections.CASE,
                "Date of sentence must be on or after the date of conviction",
                Severity.ERROR,
            )
        )
    return problems


def _check_rules(kind: CheckKind, record: CaseRecord, sentenced: date | None) -> list[Problem]:
    check = record.check(kind.id)
    problems = []

    def add(question: str, message: str, severity: Severity = Severity.ERROR) -> None:
        field = check_field(kind.id, question)
        problems.append(Problem(field, Sections.CHECKS, f"{kind.title}: {message}", severity))

    if check.requested_on and check.expected_by and check.expected_by < check.requested_on:
        add(Check.EXPECTED_BY, "Reply expected by must be on or after the date it was requested")
    if check.requested_on and check.received_on and check.received_on < check.requested_on:
        add(
            Check.RECEIVED_ON,
            "Date the result was received must be on or after the date it was requested",
        )
    if check.outstanding and sentenced is not None:
        if check.reported_to_court != "yes":
            add(
                Check.REPORTED_TO_COURT,
                "The check is outstanding at sentence: record that the court was told",
                Severity.BLOCKER,
            )
        if complete_follow_up(record.open_follow_ups(kind.id)) is None:
            add(
                CHECK_FOLLOW_UP,
                "The check is outstanding at sentence: record who will chase it, what "
                "they will do and by when",
                Severity.BLOCKER,
            )
    return problems


def check_problems(
    record: CaseRecord, forms: FormSet, today: date, *, not_known_only: bool = False
) -> list[Problem]:
    """Problems with the tracked checks: both expected, each complete, none left unchased
    (of the checks' answers, only those 'not known' are looked at when NOT_KNOWN_ONLY)."""
    problems: list[Problem] = []
    check_form = forms.check_form()
    sentenced = sentence_date(record.answers)
    for kind in forms.check_kinds():
        answers = record.check(kind.id).as_answers()
        problems += question_problems(
            check_form.questions,
            answers,
            record,
            forms,
            today,
            check=kind,
            not_known_only=not_known_only,
        )
        problems += _check_rules(kind, record, sentenced)
    return problems


def _cas_rules(
    answers: Mapping[str, AnswerValue], today: date, labels: AllocationLabels
) -> list[Problem]:
    problems = []
    sentenced = sentence_date(answers)
    rosh = answers.get(Rosh.ROSH_LEVEL)
    # A blank level is no screening, the same as a missing one ('not known' has its follow-up).
    screened = is_answered(rosh) or is_not_known(rosh)
    if is_answered(answers.get(Cas.ALLOCATION_DECISION)) and not screened:
        problems.append(
            Problem(
                Cas.ALLOCATION_DECISION,
                Sections.CAS,
                "Complete the RoSH screening before the allocation decision",
                Severity.BLOCKER,
            )
        )
    screened_on = _date(answers, Rosh.ROSH_SCREENING_DATE)
    decided_on = _date(answers, Cas.ALLOCATION_DATE)
    if screened_on and decided_on and screened_on > decided_on:
        problems.append(
            Problem(
                Cas.ALLOCATION_DATE,
                Sections.CAS,
                f"The RoSH screening ({describe_date(screened_on)}) must come before the "
                f"allocation decision ({describe_date(decided_on)})",
                Severity.BLOCKER,
            )
        )
    allocation = allocate(answers)
    if allocation.override and not allocation.override_reason and allocation.decision:
        rule = labels.label(allocation.decision)
        because = "; ".join(allocation.reasons) or "no NPS criterion applies"
        problems.append(
            Problem(
                Cas.ALLOCATION_OVERRIDE_REASON,
                Sections.CAS,
                f"Give the reason for deciding against the allocation rules (the rules "
                f"give {rule}: {because})",
                Severity.BLOCKER,
            )
        )
    review = _date(answers, Cas.RISK_REVIEW_DATE)
    if answers.get(Cas.RISK_REVIEW_REQUIRED) == "yes" and review is not None:
        after = sentenced or today
        if review <= after:
            problems.append(
                Problem(
                    Cas.RISK_REVIEW_DATE,
                    Sections.CAS,
                    f"Date of the risk review must be after {describe_date(after)}",
                    Severity.ERROR,
                )
            )
    first = _date(answers, Cas.FIRST_APPOINTMENT_DATE)
    if first is not None and sentenced is not None:
        if first < sentenced:
            problems.append(
                Problem(
                    Cas.FIRST_APPOINTMENT_DATE,
                    Sections.CAS,
                    "Date of the first appointment must be on or after the date of sentence",
                    Severity.ERROR,
                )
            )
        elif first > add_working_days(sentenced, FIRST_APPOINTMENT_TOO_LONG_WORKING_DAYS):
            problems.append(
                Problem(
                    Cas.FIRST_APPOINTMENT_DATE,
                    Sections.CAS,
                    "The first appointment is more than ten working days after sentence: "
                    "that is too long. Offer an earlier appointment",
                    Severity.WARNING,
                )
            )
        elif first > add_working_days(sentenced, FIRST_APPOINTMENT_WORKING_DAYS):
            problems.append(
                Problem(
                    Cas.FIRST_APPOINTMENT_DATE,
                    Sections.CAS,
                    "The first appointment should be within five working days of sentence",
                    Severity.WARNING,
                )
            )
    return problems


def _question_noun(forms: FormSet, key: str) -> str:
    if key in forms.questions:
        return forms.questions[key].noun
    for kind in forms.check_kinds():
        if kind.id == key:
            return f"the result of the {kind.title[:1].lower()}{kind.title[1:]}"
    return key


def follow_up_problems(record: CaseRecord, forms: FormSet) -> list[Problem]:
    """Open follow-ups that lack who, what or by when, or were due before they were made."""
    problems = []
    for follow_up in record.follow_ups:
        if not follow_up.is_open:
            continue
        noun = _question_noun(forms, follow_up.question)
        field = follow_up_field(follow_up.id)
        missing = follow_up.missing_parts()
        if missing:
            problems.append(
                Problem(
                    field,
                    "follow_ups",
                    f"Follow-up for {noun}: record {', '.join(missing)}",
                    Severity.ERROR,
                )
            )
        elif follow_up.due is not None and follow_up.due < follow_up.recorded_on:
            problems.append(
                Problem(
                    field,
                    "follow_ups",
                    f"Follow-up for {noun}: the date it is due must be "
                    f"{describe_date(follow_up.recorded_on)} or later",
                    Severity.ERROR,
                )
            )
    return problems


def record_problems(
    record: CaseRecord, forms: FormSet, today: date, labels: AllocationLabels | None = None
) -> list[Problem]:
    """Every problem with RECORD, section by section, the providers named with LABELS."""
    return _problems(record, forms, today, labels, blockers_only=False)


def record_blockers(
    record: CaseRecord, forms: FormSet, today: date, labels: AllocationLabels | None = None
) -> list[Problem]:
    """The blockers among RECORD's problems: exactly those `record_problems` finds, without
    running the rules that never find one (a case's status word asks only for these)."""
    return _problems(record, forms, today, labels, blockers_only=True)


def _problems(
    record: CaseRecord,
    forms: FormSet,
    today: date,
    labels: AllocationLabels | None,
    *,
    blockers_only: bool,
) -> list[Problem]:
    # Which rules can find a blocker is said here, next to them: an answer's own rules
    # only for a 'not known' answer, the dates' and the follow-ups' rules never.
    answer_questions = [q for form in forms.forms if not form.checks for q in form.questions]
    problems = question_problems(
        answer_questions, record.answers, record, forms, today, not_known_only=blockers_only
    )
    if not blockers_only:
        problems += _case_date_rules(record.answers)
    problems += _report_rules(record.answers)
    problems += check_problems(record, forms, today, not_known_only=blockers_only)
    problems += _cas_rules(record.answers, today, labels or labels_from())
    if blockers_only:
        problems = [p for p in problems if p.severity is Severity.BLOCKER]
    else:
        problems += follow_up_problems(record, forms)
    order = {section.id: section.order for section in forms.sections}
    return sorted(problems, key=lambda p: order.get(p.section, 99))
