"""Shared fixtures for the domain tests: the shipped forms and cases built from a demo case."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from court_tui.domain.assessment import Assessment, assess
from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp
from court_tui.domain.casefile import loads
from court_tui.domain.forms import FormSet
from court_tui.resources import data_dir

# The day the demo cases are set on (`court-tui check --today 2026-03-02`).
DEMO_DAY = date(2026, 3, 2)


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    """The folder of shipped demo cases."""
    return data_dir() / "demo"


@pytest.fixture(scope="session")
def demo_day() -> date:
    """The day the demo cases are set on."""
    return DEMO_DAY


@pytest.fixture
def load_demo(forms: FormSet, demo_dir: Path) -> Callable[[str], CaseRecord]:
    """Load a demo case by its file name (without .json)."""

    def load(name: str) -> CaseRecord:
        return loads((demo_dir / f"{name}.json").read_text(encoding="utf-8"), forms)

    return load


CaseBuilder = Callable[..., CaseRecord]


@pytest.fixture
def make_case(load_demo: Callable[[str], CaseRecord]) -> CaseBuilder:
    """A case built from the complete CRC demo case with some answers changed.

    Keyword arguments are answers by question id; None removes the answer. `checks`
    replaces or adds tracked checks by kind (None removes one), `follow_ups` replaces the
    follow-up list.
    """
    base = load_demo("complete-crc")

    def build(
        *,
        checks: Mapping[str, CheckRequest | None] | None = None,
        follow_ups: Iterable[FollowUp] | None = None,
        **answers: Any,
    ) -> CaseRecord:
        new_answers = dict(base.answers)
        for question_id, value in answers.items():
            if value is None:
                new_answers.pop(question_id, None)
            else:
                new_answers[question_id] = value
        new_checks = dict(base.checks)
        for kind, check in (checks or {}).items():
            if check is None:
                new_checks.pop(kind, None)
            else:
                new_checks[kind] = check
        update: dict[str, Any] = {"answers": new_answers, "checks": new_checks}
        if follow_ups is not None:
            update["follow_ups"] = list(follow_ups)
        # Validate the result, so a test cannot build a record the model would refuse.
        return CaseRecord.model_validate(base.model_copy(update=update).model_dump())

    return build


@pytest.fixture
def assess_on(forms: FormSet) -> Callable[..., Assessment]:
    """Assess a record on a day (the demo day unless given)."""

    def run(record: CaseRecord, today: date = DEMO_DAY, **kwargs: Any) -> Assessment:
        return assess(record, forms, today, **kwargs)

    return run
