"""An officer typing a whole case at full speed: each screen's keys go to the app in one
burst, with no pause between them, and only what the screen does not already hold is
typed. The keys are counted, so the same typist measures how many a case takes.

A plan names the answers by field id: text is typed as it is, `Pick(n)` chooses option n
by its number, `Tick()` ticks the first option of a list. The typist reads each screen
once, when it opens, to plan that screen's keys (which questions the planned answers
will show, which fields are still empty, where the task list's cursor is); between keys
it never waits.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual.app import App
from textual.widgets import OptionList

from court_tui.domain.fields import split_check_field
from court_tui.domain.forms import QuestionType, visible
from court_tui.ui import textual_patches
from court_tui.ui.screens.confirmation import ConfirmationScreen
from court_tui.ui.screens.handover import HandoverScreen
from court_tui.ui.screens.section import SectionScreen
from court_tui.ui.screens.tasks import TaskListScreen
from court_tui.ui.typeahead import KeysInOrderApp, until_handled
from court_tui.ui.widgets.questions import QuestionField

WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class Pick:
    """Choose option NUMBER of a choice by typing its number."""

    number: int


@dataclass(frozen=True)
class Tick:
    """Tick the first option of a list of several."""


Planned = str | Pick | Tick


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

    async def hand_over(self) -> None:
        """From the task list: check the handover and send it to the responsible officer."""
        await self.send(self.to_task("handover"))
        await self.until(HandoverScreen, "the handover")
        screen = self.app.screen
        assert isinstance(screen, HandoverScreen)
        await self.send([*RESPONSIBLE_OFFICER, "ctrl+s"])
        await self.until(ConfirmationScreen, "the handover sent")


RESPONSIBLE_OFFICER = "amorgan"


def section_keys(screen: SectionScreen, plan: Mapping[str, Planned]) -> list[str]:
    """The keys that answer SCREEN's empty fields by PLAN, from its first question on,
    tabbing over every field the planned answers show (and no hidden one)."""
    fields = screen.fields()
    answers = _answers_after(screen, fields, plan)
    keys: list[str] = []
    tabs = 0
    for question_field in fields:
        kind = split_check_field(question_field.field_id)
        shown = answers[kind[0] if kind else ""]
        if not visible(question_field.question, shown, screen.case.forms):
            continue
        planned = plan.get(question_field.field_id)
        if planned is not None and question_field.to_answer().value is None:
            keys += ["tab"] * tabs + _typing(planned)
            tabs = 0
        tabs += sum(1 for w in question_field.walk_children() if w.can_focus)
    return keys


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
    if isinstance(planned, Pick):
        return choices[planned.number - 1].value
    if isinstance(planned, Tick):
        return [choices[0].value]
    if question_field.question.type is QuestionType.DATE:
        return "a date"  # conditions ask only whether a date is answered
    return planned


def _typing(planned: Planned) -> list[str]:
    if isinstance(planned, Pick):
        return list(str(planned.number))
    if isinstance(planned, Tick):
        return ["space"]
    return ["space" if c == " " else c for c in planned]


# A minimal case by the shipped forms: the required answers court-tui does not fill in
# itself (the author, office, agencies, assessor, decision maker and date it does), one
# short answer each.
MINIMAL_CASE: list[tuple[str, dict[str, Planned]]] = [
    (
        "case",
        {
            "name": "Mo Lee",
            "date_of_birth": "4/7/1994",
            "gender": Pick(2),
            "crn": "X765432",
            "main_offence": "Theft",
            "main_offence_date": "1/2/2026",
            "conviction_date": "16/2/2026",
            "sentence_type": Pick(1),
            "sentence_date": "today",
        },
    ),
    (
        "report",
        {
            "psr_type": Pick(2),
            "proposal": "Fine",
            "rar_proposed": Pick(2),
            "sources_of_information": Tick(),
            "report_date": "today",
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
                ("expected_by", "today"),
                ("received_on", "today"),
                ("result", Pick(1)),
            )
        },
    ),
    (
        "rsr",
        {"rsr_source": Pick(1), "rsr_score": "2.51", "rsr_date": "today"},
    ),
    (
        "rosh",
        {
            "rosh_screening_date": "today",
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
            "assessment_risk_of_harm": "Low",
            "assessment_likelihood_of_reoffending": "Medium",
            "assessment_needs_and_vulnerabilities": "Debt",
            "assessment_barriers_to_engagement": "None",
            "allocation_decision": Pick(2),
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
    for task_id, plan in case:
        await typist.fill_section(task_id, plan)
    await typist.hand_over()
