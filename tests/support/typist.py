"""An officer typing a whole case at full speed: each screen's keys go to the app in one
burst, with no pause between them, and only what the screen does not already hold is
typed. The keys are counted, so the same typist measures how many a case takes.

A plan names the answers by field id: text is typed as it is, `Pick(n)` chooses option n
by its number, `Tick()` ticks the first option of a list. The typist reads each screen
once, when it opens, to plan that screen's keys (which questions the planned answers
will show, which fields are still empty, where the task list's cursor is); between keys
it never waits. It moves on from a one-line answer or a choice with enter when that lands on the
next planned question (enter skips answers already given), else with tabs. It does not
type an answer court-tui fills in by itself as it is revealed (a form's `prefill`, or
`Ruled`: the rules' pre-selected allocation, and the first appointment's place when one
is set for that allocation). After each section it checks every planned answer is the one
recorded, in its own field. The handover goes to the office team it is pre-filled with,
else to the responsible officer typed in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from textual.app import App
from textual.widgets import DataTable, Input, OptionList

from court_tui.domain.allocation import Provider
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import Cas, split_check_field
from court_tui.domain.form_model import FormSet, Prefill, Question
from court_tui.domain.forms import QuestionType, visible
from court_tui.domain.values import parse_date_input
from court_tui.ui import textual_patches
from court_tui.ui.screens.cases import CasesScreen
from court_tui.ui.screens.confirmation import ConfirmationScreen
from court_tui.ui.screens.handover import HandoverScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.settings import SettingsScreen
from court_tui.ui.screens.tasks import TaskListScreen
from court_tui.ui.typeahead import KeysInOrderApp, until_handled
from court_tui.ui.widgets.questions import ChoiceField, QuestionField, TextField

WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Pick:
    """Choose option NUMBER of a choice by typing its number."""

    number: int


@dataclass(frozen=True)
class Tick:
    """Tick the first option of a list of several."""


@dataclass(frozen=True)
class Ruled:
    """Option NUMBER of a choice court-tui pre-selects by itself as the answers before it
    are given (the CAS's allocation by the rules): nothing is typed, and the answer is
    checked like any other."""

    number: int


Planned = str | Pick | Tick | Ruled


@dataclass
class Typist:
    """Types into APP, counting every key sent."""

    app: App[Any]
    keys: list[str] = field(default_factory=list)

    async def send(self, keys: Sequence[str]) -> None:
        """Send KEYS in one burst, then wait until the app has handled them all."""
        app = self.app
        assert isinstance(app, KeysInOrderApp)
        taken = app.keys_taken + len(keys)
        self.keys.extend(keys)
        textual_patches.send_keys_at_once(app, keys)
        deadline = time.monotonic() + WAIT_SECONDS
        while app.keys_taken < taken or app.keys_waiting:
            assert time.monotonic() < deadline, f"the app never took {list(keys)}"
            await until_handled(app, app.KEYS_WAIT_FOR_WORKERS, WAIT_SECONDS)
        await until_handled(app, app.KEYS_WAIT_FOR_WORKERS, WAIT_SECONDS)

    async def until(self, screen_type: type, what: str) -> None:
        """Wait (never typing) until the app shows a screen of SCREEN_TYPE."""
        app = self.app
        assert isinstance(app, KeysInOrderApp)
        deadline = time.monotonic() + WAIT_SECONDS
        while not isinstance(app.screen, screen_type):
            assert time.monotonic() < deadline, f"never: {what} (on {app.screen})"
            await until_handled(app, app.KEYS_WAIT_FOR_WORKERS, WAIT_SECONDS)

    async def palette_lists(self) -> None:
        """Wait (never typing) until the command palette lists a match for what was
        typed: enter before then picks nothing, or the match of a shorter search."""
        from support.waiting import palette_listed

        app = self.app
        assert isinstance(app, KeysInOrderApp)
        deadline = time.monotonic() + WAIT_SECONDS
        while not palette_listed(app):
            assert time.monotonic() < deadline, "the command palette never listed a match"
            await until_handled(app, app.KEYS_WAIT_FOR_WORKERS, WAIT_SECONDS)
            await asyncio.sleep(0.01)

    def to_task(self, task_id: str) -> list[str]:
        """The keys that move the task list's cursor to TASK_ID and open it."""
        tasks = self.app.screen.query_one("#tasks", OptionList)
        ids = [tasks.get_option_at_index(i).id for i in range(tasks.option_count)]
        moves = ids.index(task_id) - (tasks.highlighted or 0)
        return ["down"] * moves + ["up"] * -moves + ["enter"]

    async def fill_section(self, task_id: str, plan: Mapping[str, Planned]) -> None:
        """From the task list: open TASK_ID, answer it by PLAN, continue past its check
        of answers, and come back to the task list."""
        await self.send(self.to_task(task_id))
        await self.until(SectionScreen, f"the {task_id} section")
        screen = self.app.screen
        assert isinstance(screen, SectionScreen)
        await self.send([*section_keys(screen, plan), "ctrl+s", "ctrl+s"])
        if not isinstance(self.app.screen, TaskListScreen):
            problems = getattr(self.app.screen, "problems", lambda: "")()
            raise AssertionError(f"{task_id} did not continue: {problems}")
        case = screen.case
        wrong = recorded_as_planned(case.record, case.forms, plan, screen.today)
        assert not wrong, f"{task_id}: answers not as typed (planned, held): {wrong}"

    async def hand_over(self) -> None:
        """From the task list: check the handover and send it: to the office team it is
        pre-filled with (the one set for the case's allocation), else to the responsible
        officer typed in."""
        await self.send(self.to_task("handover"))
        await self.until(HandoverScreen, "the handover")
        screen = self.app.screen
        assert isinstance(screen, HandoverScreen)
        team = screen.query_one("#send-to-team", Input).value
        await self.send(["ctrl+s"] if team else [*RESPONSIBLE_OFFICER, "ctrl+s"])
        await self.until(ConfirmationScreen, "the handover sent")
        handover = screen.case.record.handover
        sent = (handover.sent_to, handover.sent_to_team)
        assert sent == ((None, team) if team else (RESPONSIBLE_OFFICER, None)), sent

    async def set_offices(self, values: Sequence[str]) -> None:
        """From the case list: open Settings from the command palette, type VALUES (the
        office teams, then the first appointment places, as the screen asks them) and
        save."""
        await self.send(["ctrl+p", *"settings"])
        await self.palette_lists()
        await self.send(["enter"])
        await self.until(SettingsScreen, "the settings")
        keys: list[str] = []
        for place, value in enumerate(values):
            keys += ["tab"] * bool(place) + ["space" if c == " " else c for c in value]
        await self.send([*keys, "ctrl+s"])
        await self.until(CasesScreen, "the case list, the settings saved")


RESPONSIBLE_OFFICER = "amorgan"


def section_keys(screen: SectionScreen, plan: Mapping[str, Planned]) -> list[str]:
    """The keys that answer SCREEN's empty fields by PLAN, from its first question on,
    moving the fewest keys between them: a tab for every field the planned answers show
    (and no hidden one), or enter from a one-line answer or a choice when every question
    between it and the next planned one holds an answer by then (enter skips those),
    tabbing first to such a field where that is shorter."""
    fields = screen.fields()
    answers = _answers_after(screen, fields, plan)
    shown = [f for f in fields if visible(f.question, answers[_key(f)], screen.case.forms)]
    fills = {f.field_id for f in shown if _app_fills(screen, f, answers[_key(f)])}
    keys: list[str] = []
    at = 0  # the focus: its number in the tab order from the first field's control
    starts = [0]  # each shown field's first focusable in that order
    for question_field in shown[:-1]:
        starts.append(starts[-1] + _focusables(question_field))
    left: int | None = None  # the field last typed into, by its place in SHOWN
    for place, question_field in enumerate(shown):
        planned = plan.get(question_field.field_id)
        if planned is None or not _to_type(question_field, planned, fills):
            continue
        keys += _moves(shown, starts, plan, fills, at, left, place)
        keys += _typing(planned)
        at, left = starts[place], place
    return keys


def _moves(
    shown: list[QuestionField],
    starts: list[int],
    plan: Mapping[str, Planned],
    fills: Collection[str],
    at: int,
    left: int | None,
    target: int,
) -> list[str]:
    """The fewest keys from the focus AT (in field LEFT) to field TARGET's control.

    A tab goes to the next focusable. Enter on the control of a one-line answer, or of a
    choice that holds an answer, goes to the next question with no answer yet (it is not
    pressed where it would do something else: in a long answer it starts a new line, on
    a 'Not known' box it ticks it, on a choice with no answer it chooses)."""
    goal = starts[target]
    place_of = {start: place for place, start in enumerate(starts)}

    def answered(place: int) -> bool:
        field = shown[place]
        return place == left or _holds_answer(field, plan.get(field.field_id), fills)

    def enter_from(position: int) -> int | None:
        place = place_of.get(position)
        if place is None:
            return None
        field = shown[place]
        if not (
            isinstance(field, TextField) or (isinstance(field, ChoiceField) and answered(place))
        ):
            return None
        for later in range(place + 1, len(shown)):
            if not answered(later):
                return starts[later]
        return None

    # Breadth first over focus positions, forward only: each key costs one.
    paths: dict[int, list[str]] = {at: []}
    frontier = [at]
    while frontier and goal not in paths:
        following: list[int] = []
        for position in frontier:
            for key, reached in (("tab", position + 1), ("enter", enter_from(position))):
                if reached is None or reached > goal or reached in paths:
                    continue
                paths[reached] = [*paths[position], key]
                following.append(reached)
        frontier = following
    return paths[goal]


def _key(question_field: QuestionField) -> str:
    kind = split_check_field(question_field.field_id)
    return kind[0] if kind else ""


def _focusables(question_field: QuestionField) -> int:
    return sum(1 for w in question_field.walk_children() if w.can_focus)


def _app_fills(
    screen: SectionScreen, question_field: QuestionField, answers: Mapping[str, object]
) -> bool:
    """Whether court-tui fills the field in by itself once ANSWERS are given: a form's
    `prefill`; a place set for an allocation only when the officer set one for the
    allocation the case will have."""
    prefill = question_field.question.prefill
    if prefill is Prefill.ALLOCATION_PLACE:
        allocation = answers.get(Cas.ALLOCATION_DECISION)
        places = screen.case.offices.places
        return any(p.value == allocation and places.get(p) for p in Provider)
    return prefill is not None


def _to_type(question_field: QuestionField, planned: Planned, fills: Collection[str]) -> bool:
    """Whether PLANNED is typed: the field is empty, and court-tui does not fill it in."""
    empty = question_field.to_answer().value is None
    return empty and not isinstance(planned, Ruled) and question_field.field_id not in fills


def _holds_answer(
    question_field: QuestionField, planned: Planned | None, fills: Collection[str]
) -> bool:
    """Whether the field holds an answer when the officer passes it: one it had, or one
    court-tui fills in as it is revealed."""
    if question_field.to_answer().value is not None or question_field.field_id in fills:
        return True
    return planned is not None and not _to_type(question_field, planned, fills)


def recorded_as_planned(
    record: CaseRecord, forms: FormSet, plan: Mapping[str, Planned], today: date
) -> dict[str, tuple[object, object]]:
    """Each planned answer RECORD does not hold as planned: {field id: (planned, held)}."""
    wrong: dict[str, tuple[object, object]] = {}
    for field_id, planned in plan.items():
        kind = split_check_field(field_id)
        if kind is None:
            held = record.answers.get(field_id)
            question = forms.question(field_id)
        else:
            held = record.check(kind[0]).as_answers().get(kind[1])
            question = forms.question(kind[1])
        wanted = _meant(question, planned, today)
        if held != wanted:
            wrong[field_id] = (wanted, held)
    return wrong


def _meant(question: Question, planned: Planned, today: date) -> object:
    if isinstance(planned, Pick | Ruled):
        return question.choices[planned.number - 1].value
    if isinstance(planned, Tick):
        return [question.choices[0].value]
    if question.type is QuestionType.DATE:
        day = parse_date_input(planned, today, past=question.past_only)
        return day.isoformat() if day else planned
    return planned


def _answers_after(
    screen: SectionScreen, fields: list[QuestionField], plan: Mapping[str, Planned]
) -> dict[str, dict[str, object]]:
    """The answers each check kind ('' for the case) will hold once PLAN is typed."""
    record = screen.case.record
    answers: dict[str, dict[str, object]] = {"": dict(record.answers)}
    for question_field in fields:
        kind = split_check_field(question_field.field_id)
        key = kind[0] if kind else ""
        if key not in answers:
            answers[key] = dict(record.check(key).as_answers())
        planned = plan.get(question_field.field_id)
        if planned is not None and question_field.to_answer().value is None:
            answers[key][question_field.question.id] = _stored(question_field, planned)
    return answers


def _stored(question_field: QuestionField, planned: Planned) -> object:
    choices = question_field.question.choices
    if isinstance(planned, Pick | Ruled):
        return choices[planned.number - 1].value
    if isinstance(planned, Tick):
        return [choices[0].value]
    if question_field.question.type is QuestionType.DATE:
        return "a date"  # conditions ask only whether a date is answered
    return planned


def _typing(planned: Planned) -> list[str]:
    assert not isinstance(planned, Ruled), "an answer court-tui chooses is not typed"
    if isinstance(planned, Pick):
        return list(str(planned.number))
    if isinstance(planned, Tick):
        return ["space"]
    return ["space" if c == " " else c for c in planned]


# A minimal case by the shipped forms: the required answers, one short answer each, dates
# as an officer types them. Court-tui fills in the author, office, agencies, assessor,
# decision maker and date, the report's and the sentence's dates (the hearing's) and the
# allocation the rules give; the plan names those it must fill in as planned.
MINIMAL_CASE: list[tuple[str, dict[str, Planned]]] = [
    (
        "case",
        {
            "name": "Mo Lee",
            "date_of_birth": "4/7/94",
            "gender": Pick(2),
            "crn": "X765432",
            "main_offence": "Theft",
            "main_offence_date": "1/2",
            "conviction_date": "16/2",
            "sentence_type": Pick(1),
            "sentence_date": "t",
        },
    ),
    (
        "report",
        {
            "psr_type": Pick(2),
            "proposal": "Fine",
            "rar_proposed": Pick(2),
            "sources_of_information": Tick(),
            "report_date": "t",
        },
    ),
    (
        "checks",
        {
            f"checks.{kind}.{question}": answer
            for kind in ("domestic_abuse", "safeguarding")
            for question, answer in (
                ("requested", Pick(1)),
                ("requested_on", "-1"),
                ("expected_by", "t"),
                ("received_on", "t"),
                ("result", Pick(1)),
            )
        },
    ),
    (
        "rsr",
        {"rsr_source": Pick(1), "rsr_score": "2.51", "rsr_date": "t"},
    ),
    (
        "rosh",
        {
            "rosh_screening_date": "t",
            "rosh_level": Pick(1),
            "rosh_full_analysis_needed": Pick(2),
        },
    ),
    (
        "cas",
        {
            "mappa_eligible": Pick(2),
            "deportation_eligible": Pick(2),
            "public_interest": Pick(2),
            "assessment_risk_of_harm": "RoSH level low.",
            "assessment_likelihood_of_reoffending": "Medium",
            "assessment_needs_and_vulnerabilities": "Debt",
            "assessment_barriers_to_engagement": "None",
            "allocation_decision": Ruled(2),
            "risk_review_required": Pick(2),
            "first_appointment_date": "+2",
            "first_appointment_time": "14:30",
            "first_appointment_place": "Leeds",
        },
    ),
]


async def type_case(typist: Typist, case: list[tuple[str, dict[str, Planned]]]) -> None:
    """From the case list: a new case ('n'), every section of CASE, and the handover."""
    await typist.send(["n"])
    await typist.until(TaskListScreen, "the new case's task list")
    await _sections_and_handover(typist, case)


async def type_listed_case(
    typist: Typist, entry_key: str, case: list[tuple[str, dict[str, Planned]]]
) -> None:
    """From the case list: to the court list's entry ENTRY_KEY (tabs, then arrows), enter
    to start its case, every section of CASE, and the handover."""
    screen = typist.app.screen
    table = screen.query_one("#court-list", DataTable)
    chain = screen.focus_chain
    tabs = chain.index(table) - chain.index(typist.app.focused) if typist.app.focused else 0
    keys = [row.value for row in table.rows]
    moves = keys.index(entry_key) - table.cursor_row
    await typist.send(["tab"] * tabs + ["down"] * moves + ["up"] * -moves + ["enter"])
    await typist.until(TaskListScreen, "the listed case's task list")
    await _sections_and_handover(typist, case)


async def _sections_and_handover(
    typist: Typist, case: list[tuple[str, dict[str, Planned]]]
) -> None:
    for task_id, plan in case:
        await typist.fill_section(task_id, plan)
    await typist.hand_over()
