"""App rows: start-up to the first interactive screen, and a keystroke in a long text field,
each against a bare Textual app with one Input timed in the same run."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The tests' bounded waits (tests/support), for the untimed steps of a benchmark.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

STARTS = 5
KEYSTROKES = 60
PASSPHRASE = "benchmark passphrase"
LONG_TEXT = " ".join(["The person took food and toiletries from the shop."] * 40)

# Each start runs in a fresh interpreter, so imports count, and stops as soon as the first
# screen the officer can use is drawn: the case list with its cases, or the bare Input.
_START_APP = """
import os, sys
from pathlib import Path
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.cases import CasesScreen

async def main():
    app = CourtApp(Backend(Path(sys.argv[1])), passphrase=sys.argv[2])
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, CasesScreen) and app.screen.cases):
            await pilot.pause(0.001)
    os._exit(0)

import asyncio
asyncio.run(main())
"""

_START_BARE = """
import os
from textual.app import App
from textual.widgets import Input

class Bare(App):
    def compose(self):
        yield Input()

async def main():
    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    os._exit(0)

import asyncio
asyncio.run(main())
"""


def _filled_store(folder: Path) -> Path:
    from court_tui.domain.casefile import loads
    from court_tui.domain.forms import load_forms
    from court_tui.resources import data_dir
    from court_tui.ui.backend import Backend, Profile

    path = folder / "cases.db"
    backend = Backend(path)
    backend.create(PASSPHRASE, Profile("Sam Patel", "Leeds court team", "Leeds"))
    forms = load_forms()
    for demo in sorted((data_dir() / "demo").glob("*.json")):
        record = loads(demo.read_text(encoding="utf-8"), forms)
        record.answers["hearing_date"] = time.strftime("%Y-%m-%d")
        backend.repository.save_case(record, actor="benchmark")
    backend.close()
    return path


def _median_run(args: list[str]) -> float:
    times = []
    for _ in range(STARTS):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, env={**os.environ})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def start_up() -> dict[str, Any]:
    """From a fresh interpreter to the case list drawn, vs a bare app with one Input."""
    with tempfile.TemporaryDirectory() as folder:
        path = _filled_store(Path(folder))
        subject = _median_run([sys.executable, "-c", _START_APP, str(path), PASSPHRASE])
    baseline = _median_run([sys.executable, "-c", _START_BARE])
    return {
        "name": "start-up to the first interactive screen",
        "subject_seconds": subject,
        "baseline_seconds": baseline,
        "baseline": "a bare Textual app with one Input",
        "note": "fresh interpreter each; unlock (SQLCipher key) and the case list included",
    }


async def _key(app: Any) -> None:
    # The key as a terminal sends it, until the app is idle again: handled and drawn. Timed
    # as CPU time, since the wait for idle sleeps in steps longer than the work; and not with
    # Pilot.press, whose wait posts a message to every widget and would time the harness.
    await app._press_keys(["x"])
    app.screen._on_timer_update()  # draw now what the key changed, rather than at 60 fps


async def _keystroke_app(path: Path) -> list[float]:
    from support.waiting import app_until
    from textual.widgets import TextArea

    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend
    from court_tui.ui.screens.cases import CasesScreen
    from court_tui.ui.screens.section import SectionScreen

    app = CourtApp(Backend(path), passphrase=PASSPHRASE)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await app_until(
            pilot,
            lambda: isinstance(app.screen, CasesScreen) and app.screen.cases,
            "the case list with its cases",
        )
        await pilot.press("enter")  # the first case
        await app_until(pilot, lambda: app.open_case is not None, "the first case to open")
        await pilot.pause()
        await pilot.press("down", "enter")  # its pre-sentence report
        await app_until(
            pilot, lambda: isinstance(app.screen, SectionScreen), "the pre-sentence report"
        )
        await pilot.pause()
        area = app.screen.query_one("#q-offence_analysis TextArea", TextArea)
        area.focus()
        area.load_text(LONG_TEXT)
        area.move_cursor(area.document.end)
        await pilot.pause()
        for _ in range(KEYSTROKES):
            start = time.process_time()
            await _key(app)
            times.append(time.process_time() - start)
        await app.flush()
    return times


async def _keystroke_bare() -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(KEYSTROKES):
            start = time.process_time()
            await _key(app)
            times.append(time.process_time() - start)
    return times


def keystroke() -> dict[str, Any]:
    """A key typed in a long text answer until drawn, vs the same in a bare Input."""
    with tempfile.TemporaryDirectory() as folder:
        path = _filled_store(Path(folder))
        subject = statistics.median(asyncio.run(_keystroke_app(path))[5:])
    baseline = statistics.median(asyncio.run(_keystroke_bare())[5:])
    return {
        "name": "keystroke to screen in a long text field",
        "subject_seconds": subject,
        "baseline_seconds": baseline,
        "baseline": "a key in a bare Textual Input",
        "note": f"CPU time a key; {len(LONG_TEXT):,}-character answer on the report screen",
    }


ROWS = [start_up, keystroke]
