"""Answers in words, as 'check answers', the handover and the exports show them."""

from __future__ import annotations

from dataclasses import dataclass

from court_tui.domain.answers import AnswerValue, is_answered, is_not_known
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.dates import describe_date
from court_tui.domain.fields import check_field
from court_tui.domain.forms import FormSet, Question, QuestionType, visible_questions
from court_tui.domain.values import parse_iso_date

NOT_PROVIDED = "Not provided"


def describe_follow_up(follow_up: FollowUp) -> str:
    """Who, what and by when, in words."""
    due = describe_date(follow_up.due) if follow_up.due else "no date"
    return f"{follow_up.owner or 'no owner'}, {follow_up.action or 'no action'}, by {due}"


def not_known_text(follow_ups: list[FollowUp]) -> str:
    """How a 'not known' answer reads: with its follow-up, or saying it has none."""
    if not follow_ups:
        return "Not known - no follow-up recorded"
    return "Not known - follow-up: " + describe_follow_up(follow_ups[0])


def display_value(question: Question, value: AnswerValue | None) -> str:
    """VALUE as the officer would read it back (not 'not known')."""
    if value is None or not is_answered(value):
        return NOT_PROVIDED
    if question.type is QuestionType.DATE:
        day = parse_iso_date(value)
        return describe_date(day) if day else str(value)
    if question.type is QuestionType.MULTIPLE_CHOICE and isinstance(value, list):
        return ", ".join(question.option_label(v) for v in value)
    if question.choices and isinstance(value, str):
        return question.option_label(value)
    return str(value)


def display_answer(question: Question, record: CaseRecord, value: AnswerValue | None) -> str:
    """An answer as 'check answers' shows it, 'not known' with its follow-up."""
    if is_not_known(value):
        return not_known_text(record.open_follow_ups(question.id))
    return display_value(question, value)


@dataclass(frozen=True)
class AnswerLine:
    """One row of 'check answers'."""

    field: str
    label: str
    text: str


def section_answers(record: CaseRecord, forms: FormSet, section_id: str) -> list[AnswerLine]:
    """Every asked question of SECTION_ID with its answer in words."""
    section = forms.section(section_id)
    lines: list[AnswerLine] = []
    for form in section.forms:
        if form.checks:
            for kind in form.checks:
                check = record.check(kind.id)
                answers = check.as_answers()
                for question in visible_questions(form.questions, answers, forms):
                    value = answers.get(question.id)
                    lines.append(
                        AnswerLine(
                            check_field(kind.id, question.id),
                            f"{kind.title}: {question.label}",
                            display_value(question, value),
                        )
                    )
            continue
        for question in visible_questions(form.questions, record.answers, forms):
            value = record.answers.get(question.id)
            lines.append(
                AnswerLine(question.id, question.label, display_answer(question, record, value))
            )
    return lines
