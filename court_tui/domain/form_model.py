"""What a form says, once loaded: questions, their options and conditions, forms, sections,
and which questions are asked given the answers so far."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from court_tui.domain.allocation import decided_against_rules
from court_tui.domain.answers import is_answered

NOT_KNOWN_LABEL = "Not known"


class QuestionType(StrEnum):
    """The kinds of input a question can take."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    DATE = "date"
    NUMBER = "number"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"


CHOICE_TYPES = frozenset(
    {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.YES_NO}
)


@dataclass(frozen=True)
class Option:
    """One choice of a choice question."""

    value: str
    label: str
    hint: str = ""


YES_NO_OPTIONS = (Option("yes", "Yes"), Option("no", "No"))


# Conditions a form may name that read more than one answer; each is a domain rule.
ANSWER_RULES: Mapping[str, Callable[[Mapping[str, object]], bool]] = {
    "decided_against_allocation_rules": decided_against_rules,
}


@dataclass(frozen=True)
class Condition:
    """Show a question only when another answer is as stated (or, with RULE, when the
    named domain rule holds over the answers; QUESTION is then the answer that sets it)."""

    question: str
    equals: str | None = None
    any_of: tuple[str, ...] = ()
    includes: str | None = None
    answered: bool | None = None
    rule: str | None = None

    def holds_in(self, answers: Mapping[str, object]) -> bool:
        """Whether this condition holds over the whole of ANSWERS."""
        if self.rule is not None:
            return ANSWER_RULES[self.rule](answers)
        return self.holds(answers.get(self.question))

    def holds(self, answer: object) -> bool:
        """Whether ANSWER (the other question's answer) satisfies this condition."""
        if self.answered is not None:
            return is_answered(answer) == self.answered
        if self.equals is not None:
            return answer == self.equals
        if self.any_of:
            return answer in self.any_of
        if self.includes is not None:
            return isinstance(answer, list) and self.includes in answer
        return True


class Prefill(StrEnum):
    """What court-tui already knows that a question may be pre-filled with (form key
    `prefill`): the officer's name, their team, both, the check's usual agency, the
    case's hearing date (an oral report is given, and the sentence passed, at the hearing),
    or the first appointment's place the officer set once for the case's allocation."""

    OFFICER = "officer"
    TEAM = "team"
    OFFICER_AND_TEAM = "officer_and_team"
    CHECK_AGENCY = "check_agency"
    HEARING_DATE = "hearing_date"
    ALLOCATION_PLACE = "allocation_place"


@dataclass(frozen=True)
class Question:
    """One question of a form, as the form file states it."""

    id: str
    label: str
    type: QuestionType
    form: str
    section: str
    name: str = ""
    hint: str = ""
    help: str = ""
    required: bool = False
    not_known: bool = False
    options: tuple[Option, ...] = ()
    when: Condition | None = None
    follow_up: str = ""
    format: str = ""
    minimum: float | None = None
    maximum: float | None = None
    decimals: int | None = None
    past_only: bool = False
    prefill: Prefill | None = None

    @property
    def noun(self) -> str:
        """The phrase used in messages, such as 'the RSR score'."""
        return self.name or self.label[:1].lower() + self.label[1:]

    def option_label(self, value: str) -> str:
        """The label shown for VALUE, or VALUE itself when it is not an option."""
        for option in self.choices:
            if option.value == value:
                return option.label
        return value

    @property
    def choices(self) -> tuple[Option, ...]:
        """The options offered, yes/no included; 'Not known' is added by the UI last."""
        if self.type is QuestionType.YES_NO:
            return self.options or YES_NO_OPTIONS
        return self.options


@dataclass(frozen=True)
class CheckKind:
    """One of the tracked checks described in the checks form."""

    id: str
    title: str
    agency: str
    follow_up: str


@dataclass(frozen=True)
class Form:
    """One form file: a section's questions in the order they are asked."""

    id: str
    title: str
    section: str
    path: Path
    questions: tuple[Question, ...]
    caption: str = ""
    checks: tuple[CheckKind, ...] = ()


@dataclass(frozen=True)
class Section:
    """A task on the case task list, made of one or more forms."""

    id: str
    task: str
    order: int
    forms: tuple[Form, ...] = field(default=())

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of the section's forms, in order."""
        return tuple(q for form in self.forms for q in form.questions)


@dataclass(frozen=True)
class FormSet:
    """All forms, with every question findable by its id."""

    forms: tuple[Form, ...]
    sections: tuple[Section, ...]
    questions: Mapping[str, Question]

    def question(self, question_id: str) -> Question:
        """The question with QUESTION_ID."""
        return self.questions[question_id]

    def section(self, section_id: str) -> Section:
        """The section with SECTION_ID."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def check_kinds(self) -> tuple[CheckKind, ...]:
        """The tracked checks, in order."""
        return tuple(kind for form in self.forms for kind in form.checks)

    def check_form(self) -> Form:
        """The form whose questions describe one tracked check."""
        for form in self.forms:
            if form.checks:
                return form
        raise KeyError("checks")


def visible(question: Question, answers: Mapping[str, object], forms: FormSet) -> bool:
    """Whether QUESTION is asked, given ANSWERS (a hidden question's conditions hide it too)."""
    seen: set[str] = set()
    current: Question | None = question
    while current is not None and current.when is not None:
        if current.id in seen:  # a loop of conditions asks nothing
            return False
        seen.add(current.id)
        if not current.when.holds_in(answers):
            return False
        current = forms.questions.get(current.when.question)
    return True


def visible_questions(
    questions: Sequence[Question], answers: Mapping[str, object], forms: FormSet
) -> list[Question]:
    """The questions of QUESTIONS that are asked, given ANSWERS."""
    return [q for q in questions if visible(q, answers, forms)]
