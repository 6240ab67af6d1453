"""The case list's status word, written on every save, is what the whole assessment of the
case says, though a save asks only for the parts the word depends on."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from court_tui.domain.answers import NotKnown
from court_tui.domain.assessment import FOLLOW_UPS_TASK, HANDOVER_TASK, TaskStatus, assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import must_read_items, read_mark
from court_tui.domain.problems import Severity
from court_tui.domain.rules import record_blockers, record_problems
from court_tui.domain.status import case_status

DEMOS = (
    "blocked-not-known-without-follow-up",
    "check-outstanding-at-sentence",
    "complete-crc",
    "crc-at-rsr-6.89",
    "nps-by-mappa",
    "nps-by-rsr-6.90",
)
DAYS = (date(2026, 3, 2), date(2026, 6, 30))


def word_of_the_assessment(record: CaseRecord, forms: FormSet, today: date) -> str:
    """The word as the task list reads it off the whole assessment."""
    assessment = assess(record, forms, today)
    if assessment.complete and assessment.handover.handed_over:
        return TaskStatus.COMPLETED.value
    if assessment.blocked:
        return TaskStatus.PROBLEM.value
    forms_tasks = [t for t in assessment.tasks if t.id not in (FOLLOW_UPS_TASK, HANDOVER_TASK)]
    if all(t.status in (TaskStatus.NOT_STARTED, TaskStatus.CANNOT_START) for t in forms_tasks):
        return TaskStatus.NOT_STARTED.value
    return TaskStatus.IN_PROGRESS.value


def handed_over(record: CaseRecord, forms: FormSet) -> CaseRecord:
    """RECORD sent, read and accepted by a responsible officer who did not write it."""
    data = record.model_dump()
    data["handover"] = {
        "sent_to": "Alex Morgan",
        "sent_by": record.officer or "Sam Patel",
        "sent_at": datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
        "acknowledged": [read_mark(item) for item in must_read_items(record, forms)],
        "accepted_by": "Alex Morgan",
        "accepted_at": datetime(2026, 3, 3, 9, 30, tzinfo=UTC),
    }
    return CaseRecord.model_validate(data)


def variants(record: CaseRecord, forms: FormSet, rng: random.Random) -> list[CaseRecord]:
    """RECORD changed the ways an officer's typing changes a case, a few times over."""
    made = [record, handed_over(record, forms), CaseRecord(), CaseRecord(officer="Sam Patel")]
    keys = sorted(record.answers)
    for _ in range(12):
        answers = dict(record.answers)
        for key in rng.sample(keys, k=min(len(keys), rng.randint(1, 6))):
            change = rng.choice(("drop", "not known", "blank"))
            if change == "drop":
                answers.pop(key)
            elif change == "not known":
                answers[key] = NotKnown()
            else:
                answers[key] = ""
        update: dict[str, object] = {"answers": answers}
        if rng.random() < 0.3:
            update["follow_ups"] = []
        if rng.random() < 0.3:
            update["checks"] = {}
        made.append(record.model_copy(update=update))
    # A few answers only: the word for a case just begun.
    for size in (1, 2, 3):
        chosen = {key: record.answers[key] for key in rng.sample(keys, k=min(size, len(keys)))}
        made.append(CaseRecord(answers=chosen))
    return made


def test_the_saved_word_is_the_whole_assessment_s(
    load_demo: Callable[[str], CaseRecord], forms: FormSet
) -> None:
    rng = random.Random(17)
    seen = set()
    for name in DEMOS:
        for record in variants(load_demo(name), forms, rng):
            for today in DAYS:
                word = case_status(record, forms, today)
                assert word == word_of_the_assessment(record, forms, today), (name, today)
                seen.add(word)
    # Every word was reached, so no branch of the rule went untried.
    assert seen == {
        TaskStatus.COMPLETED.value,
        TaskStatus.PROBLEM.value,
        TaskStatus.NOT_STARTED.value,
        TaskStatus.IN_PROGRESS.value,
    }


def test_the_blockers_asked_alone_are_those_of_every_problem(
    load_demo: Callable[[str], CaseRecord], forms: FormSet
) -> None:
    rng = random.Random(3)
    found = 0
    for name in DEMOS:
        for record in variants(load_demo(name), forms, rng):
            for today in (*DAYS, DAYS[0] - timedelta(days=400)):
                every = record_problems(record, forms, today)
                blockers = [p for p in every if p.severity is Severity.BLOCKER]
                assert record_blockers(record, forms, today) == blockers, (name, today)
                found += len(blockers)
    assert found, "no variant had a blocker: the comparison tried nothing"
