"""Task statuses, in the words the case task list shows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.assessment import TaskStatus
from court_tui.domain.case import CaseRecord, FollowUp
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import (
    accept_handover,
    acknowledge,
    must_read_items,
    send_handover,
)

TODAY = date(2026, 3, 2)


def statuses(assessment) -> dict[str, str]:
    return {task.id: task.status.value for task in assessment.tasks}


def test_the_five_status_words() -> None:
    assert [s.value for s in TaskStatus] == [
        "Not yet started",
        "In progress",
        "Completed",
        "There is a problem",
        "Cannot start yet",
    ]


def test_a_new_case(assess_on) -> None:
    assessment = assess_on(CaseRecord())
    found = statuses(assessment)
    # (The follow-ups task of a new case has nothing to review; its word is not pinned here.)
    del found["follow_ups"]
    assert found == {
        "case": "Not yet started",
        "report": "Not yet started",
        "checks": "Not yet started",
        "rsr": "Not yet started",
        "rosh": "Not yet started",
        "cas": "Cannot start yet",
        "handover": "Cannot start yet",
    }
    assert [task.name for task in assessment.tasks] == [
        "Enter the case and hearing details",
        "Record the pre-sentence report",
        "Check domestic abuse and safeguarding",
        "Record the RSR score",
        "Screen for risk of serious harm",
        "Complete the CAS form",
        "Review follow-ups",
        "Check answers and hand over",
    ]


def test_in_progress_while_only_answers_are_missing(assess_on) -> None:
    assessment = assess_on(CaseRecord(answers={"name": "Jordan Ellis", "crn": "X123456"}))
    assert statuses(assessment)["case"] == "In progress"


def test_a_wrong_answer_is_there_is_a_problem(assess_on) -> None:
    assessment = assess_on(CaseRecord(answers={"name": "Jordan Ellis", "crn": "123"}))
    assert statuses(assessment)["case"] == "There is a problem"


def test_a_complete_case_has_every_task_completed_but_the_handover(make_case, assess_on) -> None:
    assessment = assess_on(make_case())
    assert statuses(assessment) == {
        "case": "Completed",
        "report": "Completed",
        "checks": "Completed",
        "rsr": "Completed",
        "rosh": "Completed",
        "cas": "Completed",
        "follow_ups": "Completed",
        "handover": "Not yet started",
    }
    assert assessment.tasks_completed == 7
    assert assessment.complete


def test_a_warning_does_not_stop_a_task_completing(make_case, assess_on) -> None:
    assessment = assess_on(make_case(pnc="2012/0012345B"))
    assert assessment.warnings
    assert statuses(assessment)["case"] == "Completed"
    assert statuses(assessment)["handover"] == "Not yet started"


def test_a_blocker_is_there_is_a_problem(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN))
    assert statuses(assessment)["rsr"] == "There is a problem"
    assert statuses(assessment)["handover"] == "Cannot start yet"


def test_not_known_with_its_follow_up_completes(make_case, assess_on) -> None:
    chase = FollowUp(
        question="rsr_score",
        owner="Sam Patel",
        action="Complete the RSR in OASys",
        due=date(2026, 3, 3),
        recorded_on=TODAY,
    )
    assessment = assess_on(make_case(rsr_score=NOT_KNOWN, follow_ups=[chase]))
    assert statuses(assessment)["rsr"] == "Completed"
    assert statuses(assessment)["follow_ups"] == "Completed"


def test_an_incomplete_follow_up_is_a_problem_in_the_follow_ups_task(make_case, assess_on) -> None:
    chase = FollowUp(question="pnc", owner="Sam Patel", action="", due=None, recorded_on=TODAY)
    assessment = assess_on(make_case(follow_ups=[chase]))
    assert statuses(assessment)["follow_ups"] == "There is a problem"
    assert statuses(assessment)["handover"] == "Cannot start yet"


def test_the_cas_cannot_start_before_a_rosh_level(make_case, assess_on) -> None:
    assert statuses(assess_on(make_case(rosh_level=None)))["cas"] == "Cannot start yet"
    assert statuses(assess_on(make_case(rosh_level="")))["cas"] == "Cannot start yet"
    assert statuses(assess_on(make_case(rosh_level="MEDIUM")))["cas"] == "Completed"


def test_the_cas_can_start_once_the_rosh_level_is_given(assess_on) -> None:
    assessment = assess_on(CaseRecord(answers={"rosh_level": "LOW"}))
    assert statuses(assessment)["cas"] == "Not yet started"
    started = assess_on(CaseRecord(answers={"rosh_level": "LOW", "mappa_eligible": "no"}))
    assert statuses(started)["cas"] == "In progress"


def test_the_checks_task_follows_the_tracked_checks(make_case, assess_on) -> None:
    assert statuses(assess_on(make_case(checks={"safeguarding": None})))["checks"] == (
        "In progress"
    )
    assert statuses(assess_on(make_case()))["checks"] == "Completed"


def test_the_handover_cannot_start_until_every_other_task_is_completed(
    make_case, assess_on
) -> None:
    for record in (
        make_case(report_author=None),
        make_case(checks={"domestic_abuse": None}),
        make_case(crn="bad"),
    ):
        assert statuses(assess_on(record))["handover"] == "Cannot start yet"


def test_the_handover_in_progress_then_completed(make_case, assess_on, forms: FormSet) -> None:
    record = make_case()
    assert statuses(assess_on(record))["handover"] == "Not yet started"
    record = send_handover(
        record, assess_on(record), to="Alex Morgan", by="Sam Patel", at=datetime.now(UTC)
    )
    assert statuses(assess_on(record))["handover"] == "In progress"
    record = acknowledge(record, must_read_items(record, forms)[0])
    assert statuses(assess_on(record))["handover"] == "In progress"
    for item in must_read_items(record, forms):
        record = acknowledge(record, item)
    record = accept_handover(
        record,
        forms,
        assess_on(record),
        by="Alex Morgan",
        at=datetime(2026, 3, 3, 9, 30, tzinfo=UTC),
    )
    assessment = assess_on(record)
    assert statuses(assessment)["handover"] == "Completed"
    assert assessment.tasks_completed == len(assessment.tasks) == 8


def test_the_json_output_carries_the_status_words(make_case, assess_on) -> None:
    tasks = assess_on(make_case(rosh_level=None)).as_dict()["tasks"]
    assert {"id": "cas", "name": "Complete the CAS form", "status": "Cannot start yet"} in tasks


def test_a_case_just_made_counts_no_task_completed(assess_on) -> None:
    # new_case pre-fills the hearing date; that starts the case details, and once made the
    # follow-ups "Completed" with nothing reviewed: "1 of 8 tasks completed".
    from court_tui.domain.new_case import new_case

    assessment = assess_on(new_case("Sam Patel", "Team A", "Leeds Magistrates", TODAY))
    assert statuses(assessment)["case"] == "In progress"
    assert statuses(assessment)["follow_ups"] == "Not yet started"
    assert assessment.tasks_completed == 0


def test_with_no_follow_ups_the_task_completes_with_the_forms(make_case, assess_on) -> None:
    done = assess_on(make_case(follow_ups=[]))
    assert statuses(done)["follow_ups"] == "Completed"
    half = assess_on(make_case(follow_ups=[], report_author=None))
    assert statuses(half)["follow_ups"] == "Not yet started"


def test_cannot_start_names_what_blocks_that_task(make_case, assess_on) -> None:
    assessment = assess_on(make_case(rosh_level=None))
    assert assessment.task("cas").why_not == (
        "'Complete the CAS form' cannot start yet: give the RoSH level in "
        "'Screen for risk of serious harm' first."
    )
    handover = assess_on(make_case(report_author=None)).task("handover")
    assert handover.why_not == (
        "'Check answers and hand over' cannot start yet: complete "
        "'Record the pre-sentence report' first."
    )
    assert "RoSH" not in handover.why_not
    assert assess_on(make_case()).task("cas").why_not == ""
