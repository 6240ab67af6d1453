"""Start-up draws the case list with the case list's own code: the other screens, and the
libraries only they use, are loaded when the officer first opens one.

The start runs court-tui in a fresh interpreter, as an officer starts it, until the case
list is drawn with its cases, and reports which modules were loaded by then (the same
question `python -X importtime` answers, asked of sys.modules so that it can be checked).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from textual.message import Message
from ui_helpers import OFFICER, PASSPHRASE

from court_tui.domain.casefile import loads
from court_tui.domain.fields import Case
from court_tui.domain.forms import FormSet
from court_tui.resources import data_dir
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.conflicts import ConflictsScreen
from court_tui.ui.screens.handed_to_me import HandedToMeScreen
from court_tui.ui.screens.passphrase import ChangePassphraseScreen
from court_tui.ui.screens.pending import PendingScreen
from court_tui.ui.screens.setup import SetupScreen
from court_tui.ui.screens.unlock import UnlockScreen

# Screens the case list does not show, and libraries only other screens or rules need:
# the passphrase strength meter (setup, change of passphrase), the bank holidays (working
# days), the sync's PostgreSQL driver, Alembic (only to upgrade a store that is behind).
NOT_AT_START_UP = (
    "court_tui.ui.screens.tasks",
    "court_tui.ui.screens.section",
    "court_tui.ui.screens.rsr",
    "court_tui.ui.screens.setup",
    "court_tui.ui.screens.unlock",
    "court_tui.ui.screens.passphrase",
    "court_tui.ui.screens.pending",
    "court_tui.ui.screens.handover",
    "court_tui.ui.screens.handed_to_me",
    "court_tui.ui.screens.conflicts",
    "court_tui.ui.screens.follow_up",
    "court_tui.ui.review",
    "zxcvbn",
    "holidays",
    "psycopg",
    "alembic",
    "court_tui.store.migrations",
)

_START = """
import asyncio, json, os, sys
from pathlib import Path
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.cases import CasesScreen

async def main():
    app = CourtApp(Backend(Path(sys.argv[1])), passphrase=sys.argv[2])
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(6_000):
            if isinstance(app.screen, CasesScreen) and app.screen.cases:
                break
            await pilot.pause(0.005)
        else:
            raise SystemExit("the case list was not drawn")
        await pilot.pause()
        print(json.dumps({"modules": sorted(sys.modules), "cases": len(app.screen.cases)}))
    sys.stdout.flush()
    os._exit(0)

asyncio.run(main())
"""


def _store_with_a_case_today(path: Path, forms: FormSet) -> None:
    backend = Backend(path)
    backend.create(PASSPHRASE, OFFICER)
    demo = data_dir() / "demo" / "check-outstanding-at-sentence.json"
    record = loads(demo.read_text(encoding="utf-8"), forms)
    record.answers[Case.HEARING_DATE] = date.today().isoformat()
    backend.repository.save_case(record, actor=OFFICER.officer)
    backend.close()


def _loaded_at_start(path: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", _START, str(path), PASSPHRASE],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_case_list_is_drawn_without_the_other_screens_or_their_libraries(
    store_path: Path, forms: FormSet
) -> None:
    _store_with_a_case_today(store_path, forms)
    result = _loaded_at_start(store_path)
    assert result["cases"] == 1
    modules = result["modules"]
    assert isinstance(modules, list)
    assert "court_tui.ui.screens.cases" in modules
    early = [
        name
        for name in modules
        if any(name == prefix or name.startswith(prefix + ".") for prefix in NOT_AT_START_UP)
    ]
    assert early == []


def test_each_screen_message_the_app_handles_by_name_has_its_handler() -> None:
    # The app handles these screens' messages by Textual's naming rule, so that it need
    # not import the screens to start: a renamed screen or message must not go unheard.
    messages: list[type[Message]] = [
        SetupScreen.Done,
        UnlockScreen.Submitted,
        HandedToMeScreen.Open,
        PendingScreen.OpenItem,
        ChangePassphraseScreen.Submitted,
        ConflictsScreen.Resolved,
    ]
    unheard = [
        m.__qualname__ for m in messages if not callable(getattr(CourtApp, m.handler_name, None))
    ]
    assert unheard == []
