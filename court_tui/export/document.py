"""The export documents as data: built once from the domain, then rendered as text or PDF.

Every word here comes from the domain (labels, "Not provided", 'not known' with its
follow-up, check states, allocation reasons, must-read items); this module only arranges
them, so an export can never disagree with the screens or the check command.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from court_tui.domain.allocation import AllocationLabels, labels_from
from court_tui.domain.assessment import Assessment, assess
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.checks import check_lines, check_state
from court_tui.domain.dates import describe_date, describe_moment
from court_tui.domain.fields import Cas, Case, Check, Report, Sections, split_check_field
from court_tui.domain.follow_ups import FOLLOW_UP_CLOSED, FOLLOW_UP_OPEN
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import recipient
from court_tui.domain.handover import is_read, must_read_items
from court_tui.domain.summary import (
    NOT_PROVIDED,
    AnswerLine,
    describe_follow_up,
    display_answer,
    display_value,
    section_answers,
)
from court_tui.domain.values import require_choice

MARKING = "OFFICIAL-SENSITIVE"

REPORT = "report"
CAS = "cas"
HANDOVER = "handover"
ALL = "all"
DOCUMENTS = (REPORT, CAS, HANDOVER, ALL)
PARTS_OF_ALL = (REPORT, CAS, HANDOVER)

DOCUMENT_TITLES = {
    REPORT: "Oral report record",
    CAS: "Case allocation (CAS)",
    HANDOVER: "Handover summary",
    ALL: "Case record: oral report, CAS and handover",
}

# The caption of every document: who the person is and where they were sentenced.
CAPTION_QUESTIONS = (
    Case.NAME,
    Case.CRN,
    Case.DATE_OF_BIRTH,
    Case.PNC,
    Case.COURT,
    Case.HEARING_DATE,
)

# Answers pulled out of the report into their own section, because PI 04/2016 asks for
# the sources of information to be plain.
SOURCE_QUESTIONS = (Report.SOURCES_OF_INFORMATION, Report.SOURCES_OTHER_DETAILS)

# Where the CAS answers start a new group when read; a question added to the form later
# falls into the group before it, so nothing is ever left out.
CAS_GROUPS = (
    (Cas.MAPPA_ELIGIBLE, "Allocation criteria"),
    (Cas.RO_ROSH_ACTIONS, "Full RoSH analysis"),
    (Cas.ASSESSMENT_RISK_OF_HARM, "Assessment"),
    (Cas.ALLOCATION_DECISION, "Decision"),
    (Cas.RISK_REVIEW_REQUIRED, "Risk review"),
    (Cas.FIRST_APPOINTMENT_DATE, "First appointment"),
)
RISK_REVIEW_PREFIX = "risk_review_"


@dataclass(frozen=True)
class Row:
    """One 'Label: text' line."""

    label: str
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A line of running text."""

    text: str


Block = Row | Paragraph


@dataclass(frozen=True)
class Section:
    """A heading and what is under it; level 2 sits inside the level 1 before it."""

    heading: str
    blocks: tuple[Block, ...] = ()
    level: int = 1

    @property
    def rows(self) -> tuple[Row, ...]:
        """The section's 'Label: text' rows."""
        return tuple(b for b in self.blocks if isinstance(b, Row))

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The section's running text."""
        return tuple(b.text for b in self.blocks if isinstance(b, Paragraph))


@dataclass(frozen=True)
class Part:
    """One document (report, CAS or handover); the 'all' export holds the three."""

    id: str
    title: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Document:
    """What is exported: a title, the case caption, and one or more parts."""

    id: str
    title: str
    name: str
    crn: str
    caption: tuple[Row, ...]
    parts: tuple[Part, ...]
    marking: str = MARKING
    subject: str = field(default="")

    @property
    def sections(self) -> tuple[Section, ...]:
        """Every section of every part, in order."""
        return tuple(section for part in self.parts for section in part.sections)

    def section(self, heading: str) -> Section:
        """The first section headed HEADING."""
        return next(s for s in self.sections if s.heading == heading)


def _rows(lines: Iterable[AnswerLine]) -> tuple[Row, ...]:
    return tuple(Row(line.label, line.text) for line in lines)


def _answer(record: CaseRecord, forms: FormSet, question_id: str) -> str:
    question = forms.questions.get(question_id)
    if question is None:
        return NOT_PROVIDED
    return display_answer(question, record, record.answers.get(question_id))


def _label(forms: FormSet, question_id: str) -> str:
    question = forms.questions.get(question_id)
    return question.label if question else question_id


def _section_title(forms: FormSet, section_id: str) -> str:
    section = forms.section(section_id)
    for form in section.forms:
        if form.id == section_id:
            return form.title
    return section.forms[0].title if section.forms else section.task


def _answers_section(record: CaseRecord, forms: FormSet, section_id: str) -> Section:
    """SECTION_ID's title over every asked question with its answer."""
    return Section(
        _section_title(forms, section_id), _rows(section_answers(record, forms, section_id))
    )


def _text_answer(record: CaseRecord, question_id: str) -> str:
    value = record.answers.get(question_id)
    return value.strip() if isinstance(value, str) else ""


def case_name(record: CaseRecord) -> str:
    """The person's name for headers, or words saying it is not recorded."""
    return _text_answer(record, Case.NAME) or "Name not recorded"


def case_crn(record: CaseRecord) -> str:
    """The CRN for every page, or words saying it is not recorded."""
    return _text_answer(record, Case.CRN) or "not recorded"


def _caption(record: CaseRecord, forms: FormSet, today: date) -> tuple[Row, ...]:
    rows = [Row(_label(forms, q), _answer(record, forms, q)) for q in CAPTION_QUESTIONS]
    officer = ", ".join(part for part in (record.officer, record.team) if part.strip())
    rows.append(Row("Court officer", officer or NOT_PROVIDED))
    rows.append(Row("Produced on", describe_date(today)))
    return tuple(rows)


def _check_sections(record: CaseRecord, forms: FormSet) -> list[Section]:
    check_form = forms.check_form()
    sections = [
        Section(
            check_form.title,
            tuple(Paragraph(line) for line in check_lines(record, forms)),
        )
    ]
    lines = section_answers(record, forms, check_form.section)
    for kind in forms.check_kinds():
        rows = [Row("Status", check_state(record.check(kind.id)))]
        for line in lines:
            asked = split_check_field(line.field)
            if asked is not None and asked[0] == kind.id:
                label = line.label.removeprefix(f"{kind.title}: ")
                rows.append(Row(label, line.text))
        sections.append(Section(kind.title, tuple(rows), level=2))
    return sections


def _court_told_section(record: CaseRecord, forms: FormSet) -> Section:
    told = next((q for q in forms.check_form().questions if q.id == Check.REPORTED_TO_COURT), None)
    told_label = told.label if told else "Was the court told the check is outstanding?"
    blocks: list[Block] = []
    for kind in forms.check_kinds():
        check = record.check(kind.id)
        state = check_state(check)
        told_text = display_value(told, check.reported_to_court) if told else NOT_PROVIDED
        if check.outstanding:
            blocks.append(Row(kind.title, f"{state}. {told_label} {told_text}"))
            follow_ups = record.open_follow_ups(kind.id)
            blocks.extend(Row("Follow-up", describe_follow_up(f)) for f in follow_ups)
            if not follow_ups:
                blocks.append(Row("Follow-up", "None recorded"))
        elif check.reported_to_court is not None:
            blocks.append(
                Row(kind.title, f"{state}, not outstanding now. {told_label} {told_text}")
            )
        else:
            blocks.append(Row(kind.title, f"{state}, not outstanding"))
    return Section("What the court was told about outstanding checks", tuple(blocks))


def _report_title(record: CaseRecord) -> str:
    if record.answers.get(Report.PSR_TYPE) in (None, "oral"):
        return DOCUMENT_TITLES[REPORT]
    return "Pre-sentence report record"


def _report_part(record: CaseRecord, forms: FormSet) -> Part:
    report_lines = section_answers(record, forms, Sections.REPORT)
    main = [line for line in report_lines if line.field not in SOURCE_QUESTIONS]
    sources = [line for line in report_lines if line.field in SOURCE_QUESTIONS]
    sections = [
        _answers_section(record, forms, Sections.CASE),
        Section(_section_title(forms, Sections.REPORT), _rows(main)),
        Section("Sources of information", _rows(sources)),
        _answers_section(record, forms, Sections.ROSH),
        *_check_sections(record, forms),
        _court_told_section(record, forms),
    ]
    return Part(REPORT, _report_title(record), tuple(sections))


def _allocation_section(
    record: CaseRecord, forms: FormSet, assessment: Assessment, labels: AllocationLabels
) -> Section:
    allocation = assessment.allocation
    blocks: list[Block] = []
    if allocation.decision is None:
        blocks.append(Row("Decision by the allocation rules", "Not decided yet"))
        needed = ", ".join(forms.question(q).noun for q in allocation.unanswered)
        blocks.append(Row("Answers still needed", needed))
    else:
        blocks.append(Row("Decision by the allocation rules", labels.label(allocation.decision)))
    if allocation.reasons:
        blocks.extend(Row("Reason", reason) for reason in allocation.reasons)
    elif allocation.decision is not None:
        blocks.append(Row("Reason", "No NPS criterion applies"))
    if allocation.provisional:
        blocks.append(Row("Provisional", "Yes: some answers are not known"))
        blocks.extend(
            Row(_label(forms, q), _answer(record, forms, q)) for q in allocation.not_known
        )
    else:
        blocks.append(Row("Provisional", "No"))
    officer = allocation.officer_decision
    blocks.append(
        Row("Officer's decision", labels.label(officer) if officer is not None else NOT_PROVIDED)
    )
    if allocation.override:
        blocks.append(Row("Override", "Yes: the officer decided against the allocation rules"))
        blocks.append(
            Row("Reason for the override", allocation.override_reason or "No reason given")
        )
    else:
        blocks.append(Row("Override", "No"))
    return Section("Allocation decision", tuple(blocks))


def _grouped(lines: Sequence[AnswerLine], title: str) -> list[Section]:
    starts = dict(CAS_GROUPS)
    groups: list[tuple[str, list[AnswerLine]]] = []
    for line in lines:
        if line.field in starts or not groups:
            groups.append((starts.get(line.field, title), []))
        groups[-1][1].append(line)
    return [Section(heading, _rows(group), level=2) for heading, group in groups]


def _cas_part(
    record: CaseRecord, forms: FormSet, assessment: Assessment, labels: AllocationLabels
) -> Part:
    cas_title = _section_title(forms, Sections.CAS)
    sections = [
        _allocation_section(record, forms, assessment, labels),
        _answers_section(record, forms, Sections.RSR),
        _answers_section(record, forms, Sections.ROSH),
        Section(cas_title),
        *_grouped(section_answers(record, forms, Sections.CAS), cas_title),
    ]
    return Part(CAS, DOCUMENT_TITLES[CAS], tuple(sections))


def _follow_up_heading(forms: FormSet, follow_up: FollowUp) -> str:
    question = forms.questions.get(follow_up.question)
    if question is not None:
        return f"Not known: {question.label}"
    for kind in forms.check_kinds():
        if kind.id == follow_up.question:
            return kind.title
    return follow_up.question


def _follow_up_section(forms: FormSet, follow_up: FollowUp) -> Section:
    rows = [
        Row("Who", follow_up.owner or NOT_PROVIDED),
        Row("What", follow_up.action or NOT_PROVIDED),
        Row("By when", describe_date(follow_up.due) if follow_up.due else NOT_PROVIDED),
    ]
    if follow_up.is_open:
        rows.append(Row("Status", FOLLOW_UP_OPEN))
    else:
        closed = describe_date(follow_up.closed_on) if follow_up.closed_on else ""
        by = f" by {follow_up.closed_by}" if follow_up.closed_by else ""
        rows.append(Row("Status", f"{FOLLOW_UP_CLOSED} {closed}{by}".strip()))
        question = forms.questions.get(follow_up.question)
        if question is not None:
            rows.append(Row("Answer found", display_value(question, follow_up.answer)))
    recorded_by = f" by {follow_up.recorded_by}" if follow_up.recorded_by else ""
    rows.append(Row("Recorded", f"{describe_date(follow_up.recorded_on)}{recorded_by}"))
    if follow_up.reviewed_by:
        rows.append(Row("Reviewed by", follow_up.reviewed_by))
    if follow_up.review_note:
        rows.append(Row("Oversight note", follow_up.review_note))
    return Section(_follow_up_heading(forms, follow_up), tuple(rows), level=2)


def _follow_up_order(follow_up: FollowUp) -> tuple[bool, date, date]:
    return (not follow_up.is_open, follow_up.due or date.max, follow_up.recorded_on)


def _handover_part(
    record: CaseRecord, forms: FormSet, assessment: Assessment, labels: AllocationLabels
) -> Part:
    items = must_read_items(record, forms, labels)
    sections = [
        Section(
            "Read before you accept this case",
            # A check's text already starts with its heading; say it once.
            tuple(
                Row(item.heading, item.text.removeprefix(f"{item.heading}: ")) for item in items
            ),
        )
    ]
    follow_ups = sorted(record.follow_ups, key=_follow_up_order)
    if follow_ups:
        open_count = sum(f.is_open for f in follow_ups)
        sections.append(
            Section(
                "Follow-ups",
                (Paragraph(f"{open_count} open, {len(follow_ups) - open_count} closed"),),
            )
        )
        sections.extend(_follow_up_section(forms, f) for f in follow_ups)
    else:
        sections.append(Section("Follow-ups", (Paragraph("No follow-ups recorded"),)))
    review = [
        line
        for line in section_answers(record, forms, Sections.CAS)
        if line.field.startswith(RISK_REVIEW_PREFIX)
    ]
    sections.append(Section("Risk review", _rows(review)))
    deadlines = tuple(Paragraph(d.describe(assessment.today)) for d in assessment.deadlines)
    sections.append(Section("Deadlines", deadlines or (Paragraph("No deadlines yet"),)))
    done = sum(is_read(record, item) for item in items)
    acceptance: list[Block] = [Row("Must-read items acknowledged", f"{done} of {len(items)}")]
    handover = record.handover
    state = assessment.handover
    sent_to = recipient(record)
    acceptance.append(Row("Sent to", sent_to or "Not yet sent to a responsible officer"))
    if sent_to and handover.sent_by:
        acceptance.append(Row("Sent by", handover.sent_by))
    if sent_to and handover.sent_at:
        acceptance.append(Row("Sent on", describe_moment(handover.sent_at)))
    if handover.accepted_by and handover.accepted_at:
        acceptance.append(Row("Accepted by", handover.accepted_by))
        acceptance.append(Row("Accepted on", describe_moment(handover.accepted_at)))
    elif handover.sent_at:
        acceptance.append(
            Row(
                "Accepted",
                "Not yet accepted by the responsible officer, sent "
                f"{describe_moment(handover.sent_at)}",
            )
        )
    else:
        acceptance.append(Row("Accepted", "Not yet accepted by the responsible officer"))
    acceptance.append(Row("Handed over", "Yes" if state.handed_over else state.stage.value))
    if state.reasons:
        acceptance.append(Row("Why not", "; ".join(state.reasons)))
    sections.append(Section("Acceptance", tuple(acceptance)))
    return Part(HANDOVER, DOCUMENT_TITLES[HANDOVER], tuple(sections))


def build_document(
    record: CaseRecord,
    forms: FormSet,
    document: str,
    today: date,
    labels: AllocationLabels | None = None,
) -> Document:
    """DOCUMENT ('report', 'cas', 'handover' or 'all') of RECORD, as on TODAY."""
    require_choice("document", document, DOCUMENTS)
    labels = labels or labels_from()
    assessment = assess(record, forms, today, labels)
    builders = {
        REPORT: lambda: _report_part(record, forms),
        CAS: lambda: _cas_part(record, forms, assessment, labels),
        HANDOVER: lambda: _handover_part(record, forms, assessment, labels),
    }
    ids = PARTS_OF_ALL if document == ALL else (document,)
    parts = tuple(builders[part_id]() for part_id in ids)
    title = parts[0].title if len(parts) == 1 else DOCUMENT_TITLES[ALL]
    return Document(
        id=document,
        title=title,
        name=case_name(record),
        crn=case_crn(record),
        caption=_caption(record, forms, today),
        parts=parts,
        subject=f"{title}: {record.display_name}",
    )
