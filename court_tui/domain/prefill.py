"""Asking once: the answers court-tui already knows, put in before the officer is asked.

A question whose form says `prefill` gets the officer's name, their team, both, its
check's usual agency, the case's hearing date (when that is not in the future: the oral
report and the sentence are given at the hearing), or the first appointment's place the
officer set once for the case's allocation, but only while it is asked and still empty: an
answer, a draft, or 'not known' is never overwritten, so the officer can change a
pre-filled answer and keep it. The one exception follows the allocation: when the
allocation decision changes, a place that is the one set for the decision before (so
court-tui put it there) and that the officer did not type becomes the one set for the new.
A follow-up that chases a check is due when the check's reply is expected, and a handover
goes to the office team set for the case's allocation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from court_tui.domain.allocation import AllocationLabels, Provider, provider_of
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
        provider = provider_of(record.answers.get(Cas.ALLOCATION_DECISION))
        return self.teams.get(provider, "") if provider else ""

    def handover_team(self, record: CaseRecord) -> str:
        """The office team RECORD's handover screen starts with: the team it was sent to,
        or, when it was never sent, the team set for its allocation (a sending again goes
        where it went)."""
        handover = record.handover
        return handover.sent_to_team or ("" if handover.sent_at else self.team_for(record))

    def place_for(self, record: CaseRecord) -> str:
        """The first appointment's place set for RECORD's allocation decision ('')."""
        return self.place_of(record.answers.get(Cas.ALLOCATION_DECISION))

    def place_of(self, allocation: object) -> str:
        """The first appointment's place set for the allocation ALLOCATION ('')."""
        provider = provider_of(allocation)
        return self.places.get(provider, "") if provider else ""


def office_settings(labels: AllocationLabels) -> list[tuple[Setting[str], str]]:
    """Each office setting with its name for the officer ('The office team for ...
    cases'), in the configured LABELS."""
    named: list[tuple[Setting[str], str]] = []
    for settings, what in (
        (HANDOVER_TEAMS, "The office team for"),
        (FIRST_APPOINTMENT_PLACES, "The first appointment place for"),
    ):
        for provider, setting in settings.items():
            named.append((setting, f"{what} {labels.label(provider)} cases"))
    return named


def unreadable(
    get_setting: Callable[[str], str | None], labels: AllocationLabels
) -> list[tuple[str, str]]:
    """Each office setting kept that cannot be read, as (key, message): it counts as not
    set (nothing is pre-filled from it) until it is entered again."""
    found: list[tuple[str, str]] = []
    for setting, name in office_settings(labels):
        problem = setting.problem(get_setting(setting.key))
        if problem:
            found.append((setting.key, f"{name} could not be used (it {problem}): enter it again"))
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
) -> tuple[CaseRecord, tuple[str, ...]]:
    """RECORD with every empty, asked question of the section SECTION_ID that court-tui
    already knows the answer to answered, and the field ids so answered.

    The officer is OFFICER (the one who has the case open); the team is the case's; the
    offices are those the officer set (OFFICES). The CAS also takes what the case already
    holds (`cas_prefills`).
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
                if not _empty(answers, record.drafts, field_id, question.id):
                    continue
                if not visible(question, answers, forms):
                    continue
                value = known_value(question, record, officer, kind, today, offices)
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


def after_allocation_change(
    record: CaseRecord,
    forms: FormSet,
    before: AnswerValue | None,
    *,
    offices: AllocationOffices,
    typed: Collection[str],
    officer: str,
    today: date,
) -> tuple[CaseRecord, tuple[str, ...]]:
    """RECORD after the officer's allocation decision changed from BEFORE, and the field
    ids changed: a first appointment place that is the one set for BEFORE (so court-tui
    put it there) becomes the one set for the new decision, or empty when none is set.
    A place the officer typed (TYPED names those fields), or any other place, is kept."""
    old = offices.place_of(before)
    changed: list[str] = []
    for question in forms.section(Sections.CAS).questions:
        if question.prefill is not Prefill.ALLOCATION_PLACE or question.id in typed:
            continue
        held = record.answers.get(question.id)
        if not old or held != old or question.id in record.drafts:
            continue
        new = offices.place_for(record)
        if new != held:
            value = new or None
            record = answer_question(record, question.id, value, officer=officer, today=today)
            changed.append(question.id)
    return record, tuple(changed)


def follow_up_due(record: CaseRecord, forms: FormSet, key: str, today: date) -> date | None:
    """When a new follow-up for KEY is due by default: a check's 'reply expected by' when
    KEY is a tracked check (chasing it before then is too soon) and that is not yet past;
    else no date, for the officer to give."""
    if not any(kind.id == key for kind in forms.check_kinds()):
        return None
    expected = record.check(key).expected_by
    return expected if expected is not None and expected >= today else None
