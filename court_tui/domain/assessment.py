"""The state of a whole case: problems, task statuses, allocation and deadlines.

`assess` is the one place the UI, the check command and the exports ask "where does this
case stand?", so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from court_tui.domain.allocation import Allocation, AllocationLabels, allocate, labels_from
from court_tui.domain.answers import is_answered, is_not_known
from court_tui.domain.case import CaseRecord
from court_tui.domain.chase import ChaseItem, chase_items
from court_tui.domain.deadlines import (
    CLEAR_APPOINTMENT_WORKING_DAYS,
    FIRST_APPOINTMENT_TOO_LONG_WORKING_DAYS,
    FIRST_APPOINTMENT_WORKING_DAYS,
    FULL_ROSH_WORKING_DAYS,
    RSR_WORKING_DAYS,
    Deadline,
    add_working_days,
    deadline_status,
)
from court_tui.domain.fields import Cas, Rosh, Rsr, Sections
from court_tui.domain.forms import FormSet
from court_tui.domain.handed_over import HandoverStage, HandoverState, handover_state
from court_tui.domain.problems import Problem, Severity
from court_tui.domain.rules import record_problems, sentence_date
from court_tui.domain.values import parse_iso_date


class TaskStatus(StrEnum):
    """A task's status, always shown as these words."""

    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    PROBLEM = "There is a problem"
    CANNOT_START = "Cannot start yet"


FOLLOW_UPS_TASK = "follow_ups"
HANDOVER_TASK = "handover"
TASK_NAMES_AFTER_FORMS = {
    FOLLOW_UPS_TASK: "Review follow-ups",
    HANDOVER_TASK: "Check answers and hand over",
}


@dataclass(frozen=True)
class Task:
    """One task on the case task list."""

    id: str
    name: str
    status: TaskStatus
    # What stops a task that cannot start yet, in words naming it ('' when it can start).
    waiting_for: str = ""

    @property
    def why_not(self) -> str:
        """Why the task cannot start yet, naming what blocks it ('' when it can start)."""
        if self.status is not TaskStatus.CANNOT_START:
            return ""
        return f"'{self.name}' cannot start yet: {self.waiting_for}."


@dataclass(frozen=True)
class Assessment:
    """Where a case stands on a given day."""

    today: date
    problems: tuple[Problem, ...]
    tasks: tuple[Task, ...]
    allocation: Allocation
    labels: AllocationLabels
    deadlines: tuple[Deadline, ...]
    handover: HandoverState
    # Everything still waited for: overdue checks, follow-ups, blocked 'not known's.
    chase: tuple[ChaseItem, ...] = ()

    def _of(self, severity: Severity) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is severity)

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Answers missing or malformed."""
        return self._of(Severity.ERROR)

    @property
    def blockers(self) -> tuple[Problem, ...]:
        """Rules broken that stop the case being completed."""
        return self._of(Severity.BLOCKER)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Things worth a second look that do not stop the officer."""
        return self._of(Severity.WARNING)

    @property
    def complete(self) -> bool:
        """Every task before the handover completed, with no error or blocker."""
        return (
            not self.errors
            and not self.blockers
            and all(
                task.status is TaskStatus.COMPLETED
                for task in self.tasks
                if task.id != HANDOVER_TASK
            )
        )

    @property
    def blocked(self) -> bool:
        """Whether any blocker stands."""
        return bool(self.blockers)

    def task(self, task_id: str) -> Task:
        """The task with TASK_ID."""
        return next(task for task in self.tasks if task.id == task_id)

    @property
    def tasks_completed(self) -> int:
        """How many tasks are completed."""
        return sum(task.status is TaskStatus.COMPLETED for task in self.tasks)

    def problems_for(self, section: str) -> tuple[Problem, ...]:
        """The problems in SECTION."""
        return tuple(p for p in self.problems if p.section == section)

    def as_dict(self) -> dict[str, Any]:
        """The assessment as plain JSON-ready data (the `check --json` output)."""
        allocation = self.allocation
        return {
            "complete": self.complete,
            "blocked": self.blocked,
            "errors": [_problem_dict(p) for p in self.errors],
            "blockers": [_problem_dict(p) for p in self.blockers],
            "warnings": [_problem_dict(p) for p in self.warnings],
            "allocation": {
                "decision": allocation.decision.value if allocation.decision else None,
                "label": self.labels.label(allocation.decision) if allocation.decision else None,
                "reasons": list(allocation.reasons),
                "provisional": allocation.provisional,
                "not_known": list(allocation.not_known),
                "unanswered": list(allocation.unanswered),
                "officer_decision": (
                    allocation.officer_decision.value if allocation.officer_decision else None
                ),
                "override": allocation.override,
                "override_reason": allocation.override_reason or None,
            },
            "deadlines": [
                {
                    "id": d.id,
                    "what": d.what,
                    "due": d.due.isoformat(),
                    "status": d.status.value,
                    "done_on": d.done_on.isoformat() if d.done_on else None,
                    "note": d.note or None,
                }
                for d in self.deadlines
            ],
            "tasks": [{"id": t.id, "name": t.name, "status": t.status.value} for t in self.tasks],
            "handover": {
                "stage": self.handover.stage.value,
                "handed_over": self.handover.handed_over,
                "reasons": list(self.handover.reasons),
                "due": self.handover.due.isoformat() if self.handover.due else None,
                "overdue": self.handover.overdue,
            },
            "chase": [item.as_dict() for item in self.chase],
        }


def _problem_dict(problem: Problem) -> dict[str, str]:
    return {"field": problem.field, "section": problem.section, "message": problem.message}


def _section_started(record: CaseRecord, forms: FormSet, section_id: str) -> bool:
    section = forms.section(section_id)
    if any(form.checks for form in section.forms):
        return any(record.check(kind.id).started for kind in forms.check_kinds())
    return any(
        is_answered(record.answers.get(q.id)) or is_not_known(record.answers.get(q.id))
        for q in section.questions
    )


def _waiting_for(record: CaseRecord, forms: FormSet, section_id: str) -> str:
    """What a form task waits on before it can start, in words ('' when nothing)."""
    rosh = record.answers.get(Rosh.ROSH_LEVEL)
    if section_id == Sections.CAS and not (is_answered(rosh) or is_not_known(rosh)):
        # The RoSH screening comes before allocation; until it has a level, wait.
        rosh_task = forms.section(Sections.ROSH).task
        return f"give the RoSH level in '{rosh_task}' first"
    return ""


def untouched_task_status(
    record: CaseRecord, forms: FormSet, section_id: str
) -> TaskStatus | None:
    """The status of SECTION_ID's form task when it has nothing to assess yet (it cannot
    start, or nothing in it is answered), else None: its problems decide."""
    if _waiting_for(record, forms, section_id):
        return TaskStatus.CANNOT_START
    if not _section_started(record, forms, section_id):
        return TaskStatus.NOT_STARTED
    return None


def _form_task_status(
    record: CaseRecord, forms: FormSet, section_id: str, problems: list[Problem]
) -> TaskStatus:
    untouched = untouched_task_status(record, forms, section_id)
    if untouched is not None:
        return untouched
    stopping = [p for p in problems if p.severity is not Severity.WARNING]
    if any(not p.missing for p in stopping):
        return TaskStatus.PROBLEM
    if stopping:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.COMPLETED


def _tasks(
    record: CaseRecord, forms: FormSet, problems: list[Problem], handover_now: HandoverState
) -> tuple[Task, ...]:
    tasks = [
        Task(
            section.id,
            section.task,
            _form_task_status(
                record, forms, section.id, [p for p in problems if p.section == section.id]
            ),
            _waiting_for(record, forms, section.id),
        )
        for section in forms.sections
    ]
    follow_up_problems = [p for p in problems if p.section == FOLLOW_UPS_TASK]
    if follow_up_problems:
        follow_ups_status = TaskStatus.PROBLEM
    elif record.follow_ups or all(t.status is TaskStatus.COMPLETED for t in tasks):
        # Follow-ups recorded with nothing wrong, or every form done with none needed.
        follow_ups_status = TaskStatus.COMPLETED
    else:
        # Nothing to review yet: "Completed" would count work not done (a new case's
        # pre-filled hearing date once made it "1 of 8 tasks completed").
        follow_ups_status = TaskStatus.NOT_STARTED
    tasks.append(Task(FOLLOW_UPS_TASK, TASK_NAMES_AFTER_FORMS[FOLLOW_UPS_TASK], follow_ups_status))
    # The forms first: with none left, the follow-ups (which wait on the forms) are named.
    unfinished = [task.name for task in tasks[:-1] if task.status is not TaskStatus.COMPLETED]
    unfinished = unfinished or [t.name for t in tasks if t.status is not TaskStatus.COMPLETED]
    stopping = [p for p in problems if p.severity is not Severity.WARNING]
    waiting_for = ""
    if handover_now.handed_over:
        handover = TaskStatus.COMPLETED
    elif unfinished or stopping:
        handover = TaskStatus.CANNOT_START
        waiting_for = _handover_waits_for(unfinished, stopping)
    elif handover_now.stage is not HandoverStage.NOT_SENT or record.handover.acknowledged:
        handover = TaskStatus.IN_PROGRESS
    else:
        handover = TaskStatus.NOT_STARTED
    tasks.append(Task(HANDOVER_TASK, TASK_NAMES_AFTER_FORMS[HANDOVER_TASK], handover, waiting_for))
    return tuple(tasks)


def _handover_waits_for(unfinished: list[str], stopping: list[Problem]) -> str:
    """The handover's wait in words: the tasks not completed, else the problems left."""
    if unfinished:
        named = ", ".join(f"'{name}'" for name in unfinished)
        return f"complete {named} first"
    count = len(stopping)
    return f"fix the {count} problem{'s' if count != 1 else ''} left first"


def _deadlines(
    record: CaseRecord, today: date, handover_now: HandoverState
) -> tuple[Deadline, ...]:
    answers = record.answers
    sentenced = sentence_date(answers)
    deadlines: list[Deadline] = []
    if sentenced is not None:

        def after_sentence(
            deadline_id: str, what: str, working_days: int, done: bool, done_on: date | None
        ) -> Deadline:
            due = add_working_days(sentenced, working_days)
            status = deadline_status(due, done, done_on, today)
            return Deadline(deadline_id, what, due, status, done_on)

        rsr_done = parse_iso_date(answers.get(Rsr.RSR_DATE))
        deadlines.append(
            after_sentence(
                "rsr", "RSR completed", RSR_WORKING_DAYS, rsr_done is not None, rsr_done
            )
        )
        deadlines.append(
            after_sentence(
                "clear_appointment",
                "Clear appointment given to the person",
                CLEAR_APPOINTMENT_WORKING_DAYS,
                is_answered(answers.get(Cas.FIRST_APPOINTMENT_DATE)),
                None,
            )
        )
        if answers.get(Rosh.ROSH_FULL_ANALYSIS_NEEDED) == "yes":
            deadlines.append(
                after_sentence(
                    "full_rosh_analysis",
                    "Full RoSH analysis",
                    FULL_ROSH_WORKING_DAYS,
                    answers.get(Rosh.ROSH_FULL_ANALYSIS_DONE) == "yes",
                    None,
                )
            )
        first = parse_iso_date(answers.get(Cas.FIRST_APPOINTMENT_DATE))
        first_appointment = after_sentence(
            "first_appointment",
            "First appointment with the responsible officer",
            FIRST_APPOINTMENT_WORKING_DAYS,
            first is not None,
            first,
        )
        if first is not None and first > add_working_days(
            sentenced, FIRST_APPOINTMENT_TOO_LONG_WORKING_DAYS
        ):
            first_appointment = replace(
                first_appointment, note="more than ten working days after sentence: too long"
            )
        deadlines.append(first_appointment)
    if handover_now.due is not None:
        accepted = record.handover.accepted_at
        deadlines.append(
            Deadline(
                "handover",
                "Handover accepted by the responsible officer",
                handover_now.due,
                deadline_status(
                    handover_now.due,
                    handover_now.handed_over,
                    accepted.date() if accepted and handover_now.handed_over else None,
                    today,
                ),
            )
        )
    for follow_up in record.follow_ups:
        if follow_up.due is None:
            continue
        deadlines.append(
            Deadline(
                f"follow_up:{follow_up.id}",
                f"Follow-up: {follow_up.action} ({follow_up.owner})",
                follow_up.due,
                deadline_status(follow_up.due, not follow_up.is_open, follow_up.closed_on, today),
                follow_up.closed_on,
            )
        )
    return tuple(deadlines)


def assess(
    record: CaseRecord,
    forms: FormSet,
    today: date,
    labels: AllocationLabels | None = None,
) -> Assessment:
    """Where RECORD stands on TODAY."""
    labels = labels or labels_from()
    problems = record_problems(record, forms, today, labels)
    handover_now = handover_state(record, forms, today, labels)
    return Assessment(
        today=today,
        problems=tuple(problems),
        tasks=_tasks(record, forms, problems, handover_now),
        allocation=allocate(record.answers),
        labels=labels,
        deadlines=_deadlines(record, today, handover_now),
        handover=handover_now,
        chase=tuple(chase_items(record, forms, today, handover_now)),
    )
