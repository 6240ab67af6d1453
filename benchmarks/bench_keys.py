"""Keys row: how many keys a minimal complete case takes, from 'n' (new case) on the case
list to the handover sent, typed through Pilot by the tests' typist, against the ~300 that
issue 13 measured. The typist types only what a screen does not already hold, so what the
app fills in by itself is not typed, and counts every key: answers, tabs, continues, the
moves on the task list and the responsible officer's login the handover is sent to."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

# The tests' typist and bounded waits (tests/support) drive the app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

PASSPHRASE = "benchmark passphrase"
KEYS_MEASURED_BEFORE = 300  # issue 13: a minimal case with one-letter answers


async def _count_keys(path: Path, listed: str | None = None) -> tuple[int, dict[str, object]]:
    from support.typist import MINIMAL_CASE, Typist, type_case, type_listed_case
    from support.waiting import app_until

    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend
    from court_tui.ui.screens.cases import CasesScreen

    app = CourtApp(Backend(path), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await app_until(pilot, lambda: isinstance(app.screen, CasesScreen), "the case list")
        typist = Typist(app)
        if listed is None:
            await type_case(typist, MINIMAL_CASE)
        else:
            await app_until(pilot, lambda: _listed(app, listed), "the court list")
            await type_listed_case(typist, listed, MINIMAL_CASE)
        case = app.open_case
        assert case is not None and case.record.handover.sent_at is not None
        answers = dict(case.record.answers)
        await app.flush()
    return len(typist.keys), answers


def keys_for_a_minimal_case() -> dict[str, Any]:
    from court_tui.ui.backend import Backend, Profile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.db"
        backend = Backend(path)
        backend.create(PASSPHRASE, Profile("Sam Patel", "Leeds court team", "Leeds"))
        backend.close()
        count, answers = asyncio.run(_count_keys(path))
    return {
        "name": "keys: minimal case, new case to handover sent",
        "unit": "keys",
        "subject_seconds": float(count),
        "baseline_seconds": float(KEYS_MEASURED_BEFORE),
        "baseline": f"the {KEYS_MEASURED_BEFORE} keys measured in issue 13",
        "note": f"{count} keys through Pilot; {len(answers)} answers recorded",
    }


def _listed(app: Any, key: str) -> bool:
    from textual.widgets import DataTable

    tables = app.screen.query("#court-list")
    return bool(tables) and key in [row.value for row in tables.first(DataTable).rows]


def keys_for_a_minimal_case_from_the_court_list() -> dict[str, Any]:
    """The same case, started from today's imported court list (enter on its entry), which
    gives the name, date of birth, gender, PNC, court, room, hearing date and offence."""
    from datetime import date

    from support.court_lists import libra_case, libra_document, libra_message, libra_session

    from court_tui.ui.backend import Backend, Profile

    today = date.today()
    listed = libra_case(
        "1",
        "MS Mo LEE",
        dob="04/07/1994",
        sex="F",
        pnc="20120012345A",
        offences=[("TH68010", "Theft", "Stole food")],
    )
    session = libra_session([listed], doh=today.strftime("%d/%m/%Y"), court="Leeds")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.db"
        court_list = Path(folder) / "list.xml"
        court_list.write_bytes(libra_message([libra_document([session])]))
        backend = Backend(path)
        backend.create(PASSPHRASE, Profile("Sam Patel", "Leeds court team", "Leeds"))
        backend.import_court_lists([court_list], actor="Sam Patel")
        backend.close()
        count, answers = asyncio.run(_count_keys(path, listed="libra:H1:1"))
    return {
        "name": "keys: the same case, started from the court list",
        "unit": "keys",
        "subject_seconds": float(count),
        "baseline_seconds": float(KEYS_MEASURED_BEFORE),
        "baseline": f"the {KEYS_MEASURED_BEFORE} keys measured in issue 13",
        "note": f"{count} keys through Pilot; {len(answers)} answers recorded",
    }


ROWS = [keys_for_a_minimal_case, keys_for_a_minimal_case_from_the_court_list]
