"""The rules for one answer at a time: required, 'not known' with its follow-up, and the
answer's own form (text, number, date, choice, CRN, PNC, offence code, time)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from court_tui.domain.answers import AnswerValue, is_answered, is_not_known
from court_tui.domain.bounds import DATE_RANGE_WORDS, fit_text
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.fields import check_field
from court_tui.domain.forms import CheckKind, FormSet, Question, QuestionType, visible_questions
from court_tui.domain.problems import Problem, Severity
from court_tui.domain.values import (
    decimal_places,
    is_crn,
    is_date_out_of_bounds,
    is_offence_code,
    is_time,
    parse_iso_date,
    parse_number,
    pnc_check_letter,
    pnc_parts,
)


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


# Answers whose letters are always capitals (x123456 is X123456), shown so as typed.
_IN_CAPITALS = ("crn", "pnc")


def as_written(question: Question, text: str) -> str:
    """TEXT typed (or pasted) into QUESTION as it is kept, while the officer types: only
    what a case can hold (`fit_text`), and a CRN's or a PNC number's letters in capitals,
    as nDelius and the PNC write them."""
    text = fit_text(text)
    return text.upper() if question.format in _IN_CAPITALS else text


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
        if day is None and is_date_out_of_bounds(value):
            return Severity.ERROR, f"{subject(question)} must be a date {DATE_RANGE_WORDS}"
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
    not_known_only: bool = False,
) -> list[Problem]:
    """Required, 'not known' and format problems for the asked questions in QUESTIONS
    (asked about the tracked CHECK, when given: its fields, words and follow-ups); only
    those of the questions answered 'not known' when NOT_KNOWN_ONLY (the only answers a
    blocker can come from)."""
    problems: list[Problem] = []
    message_prefix = f"{check.title}: " if check else ""
    if not_known_only:
        not_known = {key for key, value in answers.items() if is_not_known(value)}
        questions = [q for q in questions if q.id in not_known] if not_known else []
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
