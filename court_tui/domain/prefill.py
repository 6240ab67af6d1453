"""Asking once: the answers court-tui already knows, put in before the officer is asked.

A question whose form says `prefill` gets the officer's name, their team, both, its
check's usual agency, the case's hearing date (when that is not in the future: the oral
report and the sentence are given at the hearing), or the first appointment's place the
officer set once for the case's allocation, but only while it is asked and still empty: an
answer, a draft, or 'not known' is never overwritten, so the officer can change a
pre-filled answer and keep it. The one exception follows the allocation: a place that is
the one set for the other allocation, left from before the allocation changed and not
typed by the officer, becomes the place set for the new one.
A follow-up that chases a check is due when the check's reply is expected, and a handover
goes to the office team set for the case's allocation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from court_tui.domain.allocation import AllocationLabels, Provider
from court_tui.domain.answering import answer_check, answer_question
from court_tui.domain.answers import AnswerValue
from court_tui.domain.cas_decision import cas_prefills
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import Cas, Case, Sections, check_field
from court_tui.domain.form_model import CheckKind, FormSet, Prefill, Question, visible
from court_tui.domain.settings import FIRST_APPOINTMENT_PLACES, HANDOVER_TEAMS, Setting
from court_tui.domain.values import parse_iso_date


@dataclass(frozen=True)
class AllocationOffices:
    """Where a case goes, by its allocation, as the officer set it once: the office team
    its handover is sent to and the place of its first appointment (blank: not set)."""

    teams: Mapping[Provider, str] = field(default_factory=dict)
    places: Mapping[Provider, str] = field(default_factory=dict)

    @classmethod
    def read(cls, get_setting: Callable[[str], str | None]) -> AllocationOffices:
        """The offices kept by a store whose lookup is GET_SETTING (a value that cannot
        be read counts as not set; `unreadable` says which)."""
        return cls(
            {p: s.read(get_setting) for p, s in HANDOVER_TEAMS.items()},
            {p: s.read(get_setting) for p, s in FIRST_APPOINTMENT_PLACES.items()},
        )

    def team_for(self, record: CaseRecord) -> str:
        """The office team set for RECORD's allocation decision ('' when none)."""
        provider = _provider(record.answers.get(Cas.ALLOCATION_DECISION))
        return self.teams.get(provider, "") if provider else ""

    def place_for(self, record: CaseRecord) -> str:
        """The first appointment's place set for RECORD's allocation decision ('')."""
        provider = _provider(record.answers.get(Cas.ALLOCATION_DECISION))
        return self.places.get(provider, "") if provider else ""


def _provider(value: object) -> Provider | None:
    return next((p for p in Provider if p.value == value), None)


def office_settings(labels: AllocationLabels) -> list[tuple[Setting[str], str]]:
    """Each office setting with its name for the officer, in the configured LABELS."""
    named: list[tuple[Setting[str], str]] = []
    for provider in Provider:
        label = labels.label(provider)
        named.append((HANDOVER_TEAMS[provider], f"Office team {label} cases are sent to"))
    for provider in Provider:
        label = labels.label(provider)
        named.append((FIRST_APPOINTMENT_PLACES[provider], f"First appointment place, {label}"))
    return named


def unreadable(
    get_setting: Callable[[str], str | None], labels: AllocationLabels
) -> list[tuple[str, str]]:
    """Each office setting kept that cannot be read, as (key, message): the setting does
    not count until it is set again."""
    found: list[tuple[str, str]] = []
    for setting, name in office_settings(labels):
        problem = setting.problem(get_setting(setting.key))
        if problem:
            found.append((setting.key, f"{name} {problem}: set it again"))
    return found


NO_OFFICES = AllocationOffices()


def known_value(
    question: Question,
    record: CaseRecord,
    officer: str,
    kind: CheckKind | None,
    today: date,
    offices: AllocationOffices = NO_OFFICES,
) -> str:
    """What QUESTION of RECORD is pre-filled with for OFFICER (and the check KIND) on
    TODAY, with the OFFICES the officer set, or ''."""
    team = record.team
    if question.prefill is Prefill.OFFICER:
        return officer.strip()
    if question.prefill is Prefill.TEAM:
        return team.strip()
    if question.prefill is Prefill.OFFICER_AND_TEAM:
        return ", ".join(part for part in (officer.strip(), team.strip()) if part)
    if question.prefill is Prefill.CHECK_AGENCY and kind is not None:
        return kind.agency.strip()
    if question.prefill is Prefill.HEARING_DATE:
        hearing = parse_iso_date(record.answers.get(Case.HEARING_DATE))
        return hearing.isoformat() if hearing is not None and hearing <= today else ""
    if question.prefill is Prefill.ALLOCATION_PLACE:
        return offices.place_for(record)
    return ""


def _follows_allocation(
    question: Question,
    answers: Mapping[str, AnswerValue],
    drafts: Mapping[str, str],
    offices: AllocationOffices,
) -> bool:
    """Whether QUESTION's answer is a place set for an allocation (so court-tui put it
    there, and it follows the allocation), with no text typed over it."""
    held = answers.get(question.id)
    return (
        question.prefill is Prefill.ALLOCATION_PLACE
        and question.id not in drafts
        and isinstance(held, str)
        and held in {place for place in offices.places.values() if place}
    )


def _empty(
    answers: Mapping[str, AnswerValue], drafts: Mapping[str, str], field_id: str, question_id: str
) -> bool:
    # 'Not known' is an answer too: it is in ANSWERS, so it is kept.
    return question_id not in answers and field_id not in drafts


def with_prefills(
    record: CaseRecord,
    forms: FormSet,
    section_id: str,
    *,
    officer: str,
    today: date,
    offices: AllocationOffices = NO_OFFICES,
    typed: Collection[str] = (),
) -> tuple[CaseRecord, tuple[str, ...]]:
    """RECORD with every empty, asked question of the section SECTION_ID that court-tui
    already knows the answer to answered, and the field ids so answered (or, for a place
    that follows the allocation, changed).

    The officer is OFFICER (the one who has the case open); the team is the case's; the
    offices are those the officer set. TYPED names the fields the officer typed into,
    which court-tui never changes. The CAS also takes what the case already holds
    (`cas_prefills`).
    """
    section = forms.section(section_id)
    filled: list[str] = []
    for form in section.forms:
        kinds: tuple[CheckKind | None, ...] = form.checks or (None,)
        for kind in kinds:
            for question in form.questions:
                if question.prefill is None:
                    continue
                answers = record.check(kind.id).as_answers() if kind else record.answers
                field_id = check_field(kind.id, question.id) if kind else question.id
                follows = (
                    kind is None
                    and field_id not in typed
                    and _follows_allocation(question, answers, record.drafts, offices)
                )
                if not (follows or _empty(answers, record.drafts, field_id, question.id)):
                    continue
                if not visible(question, answers, forms):
                    continue
                value = known_value(question, record, officer, kind, today, offices)
                if follows:
                    if value != answers.get(question.id):
                        # The place left from the allocation before: the new one's, or none.
                        record = answer_question(
                            record, question.id, value or None, officer=officer, today=today
                        )
                        filled.append(field_id)
                    continue
                if not value:
                    continue
                if kind is not None:
                    record, _ = answer_check(record, kind.id, question.id, value)
                else:
                    record = answer_question(
                        record, question.id, value, officer=officer, today=today
                    )
                filled.append(field_id)
    if section_id == Sections.CAS:
        for question_id, known in cas_prefills(record, forms, officer, today).items():
            record = answer_question(record, question_id, known, officer=officer, today=today)
            filled.append(question_id)
    return record, tuple(filled)


def follow_up_due(record: CaseRecord, forms: FormSet, key: str, today: date) -> date | None:
    """When a new follow-up for KEY is due by default: a check's 'reply expected by' when
    KEY is a tracked check (chasing it before then is too soon) and that is not yet past;
    else no date, for the officer to give."""
    if not any(kind.id == key for kind in forms.check_kinds()):
        return None
    expected = record.check(key).expected_by
    return expected if expected is not None and expected >= today else None
