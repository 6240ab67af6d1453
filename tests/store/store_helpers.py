"""Store test helpers: the test passphrase, the demo case files and small cases.

Kept out of conftest.py so test modules import them by a name no other folder uses.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa

from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp
from court_tui.resources import data_dir
from court_tui.store import migrate
from court_tui.store.engine import make_engine
from court_tui.store.paths import make_private_dir, make_private_file

TEST_PASSPHRASE = "correct horse battery staple"


def store_at(path: Path, revision: str) -> sa.Engine:
    """An engine on a new store at PATH made up to the schema REVISION only."""
    make_private_dir(path.parent)
    make_private_file(path)
    engine = make_engine(path, TEST_PASSPHRASE)
    migrate.upgrade(engine, revision)
    return engine


def demo_files() -> list[Path]:
    return sorted((data_dir() / "demo").glob("*.json"))


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
