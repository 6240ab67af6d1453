"""Every rule a case record must meet, with messages in plain words.

Errors are answers missing or malformed; blockers are rules the inspection found broken
(a 'not known' with no follow-up, an oral report at very high RoSH, ...); warnings are
worth a second look but do not stop the officer. Only errors and blockers stop a task
being completed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from court_tui.domain.allocation import Provider, allocate
from court_tui.domain.answers import AnswerValue, is_answered, is_not_known
from court_tui.domain.case import CaseRecord, FollowUp
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
from court_tui.domain.forms import (
    CheckKind,
    FormSet,
    Question,
    QuestionType,
    visible_questions,
)
from court_tui.domain.values import (
    decimal_places,
    is_crn,
    is_offence_code,
    is_time,
    parse_iso_date,
    parse_number,
    pnc_check_letter,
    pnc_parts,
)


class Severity(StrEnum):
    """How much a problem matters."""

    ERROR = "error"
    BLOCKER = "blocker"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the record, anchored to a field id."""

    field: str
    section: str
    message: str
    severity: Severity
    missing: bool = False


def subject(question: Question) -> str:
    """The question's noun phrase as the start of a sentence: 'Date of birth', 'RSR score'."""
    noun = question.noun
    if noun.startswith("the "):
        noun = noun[4:]
    return noun[:1].upper() + noun[1:]


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if value != int(value) else str(int(value))


def missing_message(question: Question) -> str:
    """What to say when a required question has no answer."""
    choose = question.type in (
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
        QuestionType.YES_NO,
    )
    return f"{'Select' if choose else 'Enter'} {question.noun}"


def follow_up_needed_message(noun: str) -> str:
    """What to say when a 'not known' answer has no complete follow-up."""
    return f"Record who will find out {noun}, what they will do and by when"


def _number_problem(question: Question, value: AnswerValue) -> str | None:
    number = parse_number(value)
    low, high = question.minimum, question.maximum
    whole = question.decimals == 0
    kind = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        expected = (
            f"{subject(question)} must be {kind} from {_number_text(low)} to {_number_text(high)}"
        )
    elif low is not None:
        expected = f"{subject(question)} must be {kind} of {_number_text(low)} or more"
    else:
        expected = f"{subject(question)} must be {kind}"
    if number is None:
        return expected
    # Compare with the bounds as written in the form (99.99), not as binary floats
    # (99.98999...), or the top of the range would be refused.
    if (low is not None and number < Decimal(repr(low))) or (
        high is not None and number > Decimal(repr(high))
    ):
        return expected
    if question.decimals is not None and decimal_places(number) > question.decimals:
        if whole:
            return expected
        return f"{subject(question)} must have no more than {question.decimals} decimal places"
    return None


def _text_problem(question: Question, value: str) -> tuple[Severity, str] | None:
    text = value.strip()
    if question.format == "crn" and not is_crn(text):
        return Severity.ERROR, "Enter the CRN in the correct format, like X123456"
    if question.format == "pnc":
        parts = pnc_parts(text)
        if parts is None:
            return (
                Severity.ERROR,
                "Enter the PNC number in the correct format, like 2012/0012345A",
            )
        year, serial, letter = parts
        expected = pnc_check_letter(year, serial)
        if letter != expected:
            return (
                Severity.WARNING,
                f"The PNC number's check letter should be {expected}, not {letter}: "
                "check the number against the court list",
            )
    if question.format == "offence_code" and not is_offence_code(text):
        return Severity.ERROR, "Home Office offence code must be 5 digits, like 00801"
    if question.format == "time" and not is_time(text):
        return Severity.ERROR, f"Enter {question.noun} as a 24-hour time, like 14:30"
    return None


def value_problem(
    question: Question, value: AnswerValue, today: date
) -> tuple[Severity, str] | None:
    """What is wrong with VALUE as an answer to QUESTION, if anything (not 'not known')."""
    qtype = question.type
    if qtype in (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT):
        if not isinstance(value, str):
            return Severity.ERROR, f"{subject(question)} must be text"
        return _text_problem(question, value)
    if qtype is QuestionType.DATE:
        day = parse_iso_date(value)
        if day is None:
            return Severity.ERROR, f"{subject(question)} must be a real date"
        if question.past_only and day > today:
            return Severity.ERROR, f"{subject(question)} must be today or in the past"
        return None
    if qtype is QuestionType.NUMBER:
        message = _number_problem(question, value)
        return (Severity.ERROR, message) if message else None
    allowed = {option.value for option in question.choices}
    if qtype is QuestionType.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(v in allowed for v in value):
            return Severity.ERROR, f"Select {question.noun} from the list"
        return None
    if not isinstance(value, str) or value not in allowed:
        return Severity.ERROR, f"Select {question.noun} from the list"
    return None


def complete_follow_up(follow_ups: Sequence[FollowUp]) -> FollowUp | None:
    """The first open follow-up with who, what and a due date not before it was recorded."""
    for follow_up in follow_ups:
        if (
            follow_up.is_open
            and not follow_up.missing_parts()
            and follow_up.due is not None
            and follow_up.due >= follow_up.recorded_on
        ):
            return follow_up
    return None


def question_problems(
    questions: Sequence[Question],
    answers: Mapping[str, AnswerValue],
    record: CaseRecord,
    forms: FormSet,
    today: date,
    *,
    check: CheckKind | None = None,
) -> list[Problem]:
    """Required, 'not known' and format problems for the asked questions in QUESTIONS
    (asked about the tracked CHECK, when given: its fields, words and follow-ups)."""
    problems: list[Problem] = []
    message_prefix = f"{check.title}: " if check else ""
    for question in visible_questions(questions, answers, forms):
        value = answers.get(question.id)
        found: tuple[Severity, str] | None = None
        missing = False
        if is_not_known(value):
            if not question.not_known:
                found = (
                    Severity.ERROR,
                    f"{missing_message(question)}: 'Not known' is not an answer here",
                )
            elif (
                complete_follow_up(record.open_follow_ups(check.id if check else question.id))
                is None
            ):
                found = (Severity.BLOCKER, follow_up_needed_message(question.noun))
        elif value is None or not is_answered(value):
            if question.required:
                found, missing = (Severity.ERROR, missing_message(question)), True
        else:
            found = value_problem(question, value, today)
        if found is not None:
            severity, message = found
            problems.append(
                Problem(
                    check_field(check.id, question.id) if check else question.id,
                    question.section,
                    message_prefix + message,
                    severity,
                    missing,
                )
            )
    return problems


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


def check_problems(record: CaseRecord, forms: FormSet, today: date) -> list[Problem]:
    """Problems with the tracked checks: both expected, each complete, none left unchased."""
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
        )
        problems += _check_rules(kind, record, sentenced)
    return problems


def _cas_rules(answers: Mapping[str, AnswerValue], today: date) -> list[Problem]:
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
    if allocation.override and not allocation.override_reason:
        rule = "NPS" if allocation.decision is Provider.NPS else "CRC"
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


def record_problems(record: CaseRecord, forms: FormSet, today: date) -> list[Problem]:
    """Every problem with RECORD, section by section."""
    answer_questions = [q for form in forms.forms if not form.checks for q in form.questions]
    problems = question_problems(answer_questions, record.answers, record, forms, today)
    problems += _case_date_rules(record.answers)
    problems += _report_rules(record.answers)
    problems += check_problems(record, forms, today)
    problems += _cas_rules(record.answers, today)
    problems += follow_up_problems(record, forms)
    order = {section.id: section.order for section in forms.sections}
    return sorted(problems, key=lambda p: order.get(p.section, 99))
