"""A real encrypted store in tmp_path, and case records to put in it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp
from court_tui.domain.casefile import loads
from court_tui.domain.forms import FormSet, load_forms
from court_tui.resources import data_dir
from court_tui.store import Store, open_store

TEST_PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="session")
def forms() -> FormSet:
    return load_forms()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "court-tui.db"


@pytest.fixture
def store(store_path: Path, forms: FormSet) -> Iterator[Store]:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as opened:
        yield opened


def demo_files() -> list[Path]:
    return sorted((data_dir() / "demo").glob("*.json"))


@pytest.fixture
def demo_cases(forms: FormSet) -> list[CaseRecord]:
    return [loads(path.read_text(encoding="utf-8"), forms) for path in demo_files()]


def make_case(
    name: str = "Alex Morgan",
    *,
    crn: str = "A123456",
    pnc: str = "2015/0001234B",
    hearing: date | None = date(2026, 3, 2),
    team: str = "Leeds court team",
    officer: str = "Sam Patel",
    expected_by: date | None = None,
    follow_up_due: date | None = None,
    note: str = "",
) -> CaseRecord:
    """A small case; with EXPECTED_BY an outstanding safeguarding check, with
    FOLLOW_UP_DUE an open follow-up."""
    answers: dict[str, object] = {"name": name, "crn": crn, "pnc": pnc, "court": "Leeds"}
    if hearing is not None:
        answers["hearing_date"] = hearing.isoformat()
    if note:
        answers["offence_analysis"] = note
    checks = {}
    if expected_by is not None:
        checks["safeguarding"] = CheckRequest(
            requested="yes",
            agency="Children's services",
            requested_on=date(2026, 3, 1),
            expected_by=expected_by,
        )
    follow_ups = []
    if follow_up_due is not None:
        follow_ups.append(
            FollowUp(
                question="domestic_abuse",
                owner="Jo Evans",
                action="Chase the police",
                due=follow_up_due,
                recorded_on=date(2026, 3, 2),
                recorded_by=officer,
            )
        )
    return CaseRecord.model_validate(
        {
            "officer": officer,
            "team": team,
            "answers": answers,
            "checks": checks,
            "follow_ups": [f.model_dump() for f in follow_ups],
        }
    )
