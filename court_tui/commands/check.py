"""`court-tui check FILE`: where a case file stands, in plain words or JSON."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from court_tui.commands.common import (
    EXIT_UNUSABLE,
    OptionError,
    add_command,
    add_json_option,
    add_today_option,
    fail,
    fixed_day,
    read_input,
)
from court_tui.domain.allocation import LABEL_SETS
from court_tui.domain.assessment import Assessment, assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import CaseFileError, loads
from court_tui.domain.checks import check_lines, check_state
from court_tui.domain.forms import FormError, FormSet, load_forms
from court_tui.domain.settings import LABELS_ENV, Config
from court_tui.domain.values import describe_date

EXIT_COMPLETE = 0
EXIT_INCOMPLETE = 1


def register(subparsers: Any) -> None:
    """Add `check` to the command line."""
    parser = add_command(
        subparsers,
        "check",
        run,
        summary="check a case file: errors, blockers, allocation, deadlines",
        description=(
            "Check a case file. Exit 0 when the case is complete, 1 when it is incomplete "
            "or blocked, 2 when the file cannot be used."
        ),
    )
    parser.add_argument(
        "file", metavar="FILE", help="a court-tui case file (JSON), or - for stdin"
    )
    add_json_option(parser, "the result")
    add_today_option(parser, "check")
    parser.add_argument(
        "--labels",
        choices=sorted(LABEL_SETS),
        help=f"names for the two providers (default: ${LABELS_ENV.name} or "
        "transforming_rehabilitation)",
    )


def _unusable(args: argparse.Namespace, reason: str, message: str) -> int:
    if args.json:
        print(json.dumps({"usable": False, "reason": reason, "message": message}, indent=2))
    return fail("check", message, EXIT_UNUSABLE)


def run(args: argparse.Namespace, config: Config) -> int:
    """Check the case file named in ARGS; returns the exit code."""
    try:
        today = fixed_day(args) or date.today()
    except OptionError as exc:
        return _unusable(args, "bad_option", str(exc))
    try:
        labels = config.labels(args.labels)
        forms = load_forms()
    except (ValueError, FormError) as exc:
        return _unusable(args, "bad_setup", str(exc))
    try:
        text = read_input(args.file)
    except OSError as exc:
        return _unusable(args, "cannot_read", f"Cannot read {args.file}: {exc.strerror or exc}")
    try:
        record = loads(text, forms)
    except CaseFileError as exc:
        return _unusable(args, exc.reason.value, exc.message)
    assessment = assess(record, forms, today, labels)
    if args.json:
        checks = [
            {"check": kind.id, "state": check_state(record.check(kind.id)), "text": text}
            for kind, text in zip(forms.check_kinds(), check_lines(record, forms), strict=True)
        ]
        output = {"usable": True, "case": record.display_name, **assessment.as_dict()}
        print(json.dumps({**output, "checks": checks}, indent=2))
    else:
        print(render_text(record, assessment, forms))
    return EXIT_COMPLETE if assessment.complete else EXIT_INCOMPLETE


def _bullets(lines: list[str]) -> list[str]:
    return [f"  - {line}" for line in lines] or ["  None"]


def _noun(forms: FormSet, question_id: str) -> str:
    question = forms.questions.get(question_id)
    return question.noun if question else question_id


def render_text(record: CaseRecord, assessment: Assessment, forms: FormSet) -> str:
    """The assessment of RECORD in plain words, linear, for people and screen readers."""
    if assessment.complete:
        state = "Complete"
    elif assessment.blocked:
        state = "Blocked"
    else:
        state = "Incomplete"
    if assessment.complete and not assessment.handover.handed_over:
        state = "Complete, not yet handed over"
    lines = [f"Case: {record.display_name}", f"Status: {state}", ""]
    lines.append(f"Errors ({len(assessment.errors)}):")
    lines += _bullets([p.message for p in assessment.errors])
    lines.append(f"Blockers ({len(assessment.blockers)}):")
    lines += _bullets([p.message for p in assessment.blockers])
    if assessment.warnings:
        lines.append(f"Warnings ({len(assessment.warnings)}):")
        lines += _bullets([p.message for p in assessment.warnings])
    lines.append("")
    lines.append("Checks:")
    lines += [f"  - {line}" for line in check_lines(record, forms)]
    lines.append("")
    allocation = assessment.allocation
    if allocation.decision is None:
        waiting = ", ".join(_noun(forms, q) for q in allocation.unanswered)
        lines.append(f"Allocation: not decided yet (answers needed: {waiting})")
    else:
        label = assessment.labels.label(allocation.decision)
        provisional = " (provisional)" if allocation.provisional else ""
        lines.append(f"Allocation: {label}{provisional}")
        if allocation.reasons:
            lines.append("  Reasons:")
            lines += [f"  - {reason}" for reason in allocation.reasons]
        else:
            lines.append("  Reasons: none of the NPS criteria applies")
    if allocation.provisional:
        lines.append(
            "  Provisional because these are 'not known': "
            + ", ".join(_noun(forms, q) for q in allocation.not_known)
        )
        for follow_up in record.follow_ups:
            if follow_up.is_open and follow_up.question in allocation.not_known:
                due = describe_date(follow_up.due) if follow_up.due else "no date"
                owner = follow_up.owner or "no owner"
                lines.append(f"  - follow-up: {follow_up.action} ({owner}, by {due})")
    if allocation.override and allocation.officer_decision is not None:
        chosen = assessment.labels.label(allocation.officer_decision)
        reason = allocation.override_reason or "no reason given"
        lines.append(f"  Override: the officer decided {chosen}. Reason: {reason}")
    lines.append("")
    lines.append(f"Handover: {assessment.handover.describe(record, assessment.today)}")
    lines.append("")
    lines.append(f"To chase ({len(assessment.chase)}):")
    lines += _bullets([item.describe(assessment.today) for item in assessment.chase])
    lines.append("")
    lines.append("Deadlines:")
    lines += _bullets([d.describe(assessment.today) for d in assessment.deadlines])
    lines.append("")
    lines.append(f"Tasks ({assessment.tasks_completed} of {len(assessment.tasks)} completed):")
    lines += [f"  - {task.name}: {task.status.value}" for task in assessment.tasks]
    return "\n".join(lines)
