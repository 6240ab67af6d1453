"""Asking once: the answers court-tui already knows, put in before the officer is asked.

A question whose form says `prefill` gets the officer's name, their team, both, its
check's usual agency, or the case's hearing date (when that is not in the future: the oral
report and the sentence are given at the hearing), but only while it is asked and still
empty: an answer, a draft, or
'not known' is never overwritten, so the officer can change a pre-filled answer and keep it.
A follow-up that chases a check is due when the check's reply is expected.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from court_tui.domain.answering import answer_check, answer_question
from court_tui.domain.answers import AnswerValue
from court_tui.domain.cas_decision import cas_prefills
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import Case, Sections, check_field
from court_tui.domain.form_model import CheckKind, FormSet, Prefill, Question, visible
from court_tui.domain.values import parse_iso_date


def known_value(
    question: Question, record: CaseRecord, officer: str, kind: CheckKind | None, today: date
) -> str:
    """What QUESTION of RECORD is pre-filled with for OFFICER (and the check KIND) on
    TODAY, or ''."""
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
) -> tuple[CaseRecord, tuple[str, ...]]:
    """RECORD with every empty, asked question of the section SECTION_ID that court-tui
    already knows the answer to answered, and the field ids so answered.

    The officer is OFFICER (the one who has the case open); the team is the case's. The
    CAS also takes what the case already holds (`cas_prefills`).
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
                value = known_value(question, record, officer, kind, today)
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
