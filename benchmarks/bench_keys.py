"""Keys rows: how many keys a minimal complete case takes, from 'n' (new case) on the case
list to the handover sent, typed through Pilot by the tests' typist, against the ~300 that
issue 13 measured. The typist types only what a screen does not already hold, so what the
app fills in by itself is not typed, and counts every key: answers, tabs, continues, the
moves on the task list and the handover's sending.

Where each allocation's cases go (the office team the handover is sent to, the first
appointment's place) is set once by the officer in Settings, through the app, before the
case: those keys are an officer's once, not a case's, so they are counted in a row of
their own and not in the case's.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

# The tests' typist and bounded waits (tests/support) drive the app.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

PASSPHRASE = "benchmark passphrase"
KEYS_MEASURED_BEFORE = 300  # issue 13: a minimal case with one-letter answers


# Set once, in Settings: the office teams for NPS and CRC cases, then the first
# appointment's places. The minimal case is a CRC case whose appointment is at "Leeds".
OFFICES = ("Leeds NPS", "Leeds CRC", "Leeds probation office", "Leeds")


class Counted(NamedTuple):
    """The keys a case took, the keys Settings took once before it, and its answers."""

    case_keys: int
    settings_keys: int
    answers: dict[str, object]


async def _count_keys(path: Path, listed: str | None = None) -> Counted:
    from support.typist import MINIMAL_CASE, Typist, type_case, type_listed_case
    from support.waiting import app_until

    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend
    from court_tui.ui.screens.cases import CasesScreen

    app = CourtApp(Backend(path), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await app_until(pilot, lambda: isinstance(app.screen, CasesScreen), "the case list")
        typist = Typist(app)
        await typist.set_offices(OFFICES)
        settings_keys = len(typist.keys)
        typist.keys.clear()
        if listed is None:
            await type_case(typist, MINIMAL_CASE)
        else:
            await app_until(pilot, lambda: _listed(app, listed), "the court list")
            await type_listed_case(typist, listed, MINIMAL_CASE)
        case = app.open_case
        assert case is not None and case.record.handover.sent_at is not None
        assert case.record.handover.sent_to_team == OFFICES[1], case.record.handover
        answers = dict(case.record.answers)
        await app.flush()
    return Counted(len(typist.keys), settings_keys, answers)


def _row(name: str, counted: Counted) -> dict[str, Any]:
    return {
        "name": name,
        "unit": "keys",
        "subject_seconds": float(counted.case_keys),
        "baseline_seconds": float(KEYS_MEASURED_BEFORE),
        "baseline": f"the {KEYS_MEASURED_BEFORE} keys measured in issue 13",
        "note": (
            f"{counted.case_keys} keys through Pilot; {len(counted.answers)} answers "
            f"recorded; sent to the office team set once ({counted.settings_keys} keys, "
            "not counted here)"
        ),
    }


SETTINGS_ROW = "keys: Settings, set once per officer (not per case)"
_settings_keys: list[int] = []


def keys_for_a_minimal_case() -> dict[str, Any]:
    from court_tui.ui.backend import Backend, Profile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.db"
        backend = Backend(path)
        backend.create(PASSPHRASE, Profile("Sam Patel", "Leeds court team", "Leeds"))
        backend.close()
        counted = asyncio.run(_count_keys(path))
    _settings_keys.append(counted.settings_keys)
    return _row("keys: new case to handover sent, Settings set once", counted)


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
        counted = asyncio.run(_count_keys(path, listed="libra:H1:1"))
    return _row("keys: the same case from the court list, Settings set once", counted)


def keys_for_the_settings_once() -> dict[str, Any]:
    """The keys Settings took before the case: the palette, the four offices, save. Typed
    once by an officer, not in each case; measured in the minimal case's run."""
    if not _settings_keys:
        keys_for_a_minimal_case()
    count = _settings_keys[-1]
    return {
        "name": SETTINGS_ROW,
        "unit": "keys",
        "subject_seconds": float(count),
        "baseline_seconds": float(KEYS_MEASURED_BEFORE),
        "baseline": f"the {KEYS_MEASURED_BEFORE} keys of one case in issue 13",
        "note": (
            f"{count} keys through Pilot: ctrl+p, 'settings', enter, "
            f"{', '.join(repr(o) for o in OFFICES)} with tabs, ctrl+s"
        ),
    }


ROWS = [
    keys_for_a_minimal_case,
    keys_for_a_minimal_case_from_the_court_list,
    keys_for_the_settings_once,
]
