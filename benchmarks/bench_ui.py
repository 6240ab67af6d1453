"""App rows, each against the fair floor timed in the same run:

1. Start-up to the case list drawn, against a bare Textual app that opens the same
   SQLCipher store with its key (the key derivation is the floor, not court-tui's cost).
2. Opening a section screen (the pre-sentence report), against a bare Textual screen
   holding the same widgets: the section screen's widget tree, copied class by class to
   the Textual widget each one is built on, with the same text and values.
3. A key in a 2,000-character answer, against a bare TextArea holding the same text.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

# The tests' bounded waits (tests/support), for the untimed steps of a benchmark.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

STARTS = 5
KEYSTROKES = 60
ROUNDS = 3
SCREENS = 5
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

# The floor: Textual drawing a screen, and the store opened with its key (as the store
# opens it: key, cipher settings read from page 1, the first read), nothing of court-tui.
_START_BARE = """
import os, sys
import sqlcipher3
from textual.app import App
from textual.widgets import Input

class Bare(App):
    def compose(self):
        yield Input()

async def main():
    conn = sqlcipher3.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA key = '" + sys.argv[2].replace("'", "''") + "'")
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    conn.close()
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


def _median_runs(subject: list[str], baseline: list[str]) -> tuple[float, float]:
    """Median wall times of SUBJECT and BASELINE, run in turn so that both see the same
    load on a shared machine.

    Both start with their modules' bytecode already compiled, as an installed court-tui
    and Textual start on an officer's laptop (pip compiles it; a development checkout
    compiles it on its first run). The compiled files go to a folder of their own, so that
    this works where bytecode is not written beside the source (PYTHONDONTWRITEBYTECODE):
    there, every start would otherwise compile each of court-tui's modules again."""
    times: dict[int, list[float]] = {0: [], 1: []}
    with tempfile.TemporaryDirectory(prefix="court-tui-bench-pyc-") as cache:
        env = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for args in (subject, baseline):  # untimed: compiles the bytecode
            subprocess.run(args, check=True, capture_output=True, env=env)
        for _ in range(STARTS):
            for side, args in enumerate((subject, baseline)):
                start = time.perf_counter()
                subprocess.run(args, check=True, capture_output=True, env=env)
                times[side].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def start_up() -> dict[str, Any]:
    """From a fresh interpreter to the case list drawn, vs a bare app opening the store."""
    with tempfile.TemporaryDirectory() as folder:
        path = _filled_store(Path(folder))
        subject, baseline = _median_runs(
            [sys.executable, "-c", _START_APP, str(path), PASSPHRASE],
            [sys.executable, "-c", _START_BARE, str(path), PASSPHRASE],
        )
    return {
        "name": "start-up to the case list",
        "subject_seconds": subject,
        "baseline_seconds": baseline,
        "baseline": "a bare Textual app + opening the same SQLCipher store with its key",
        "note": f"fresh interpreter each, bytecode compiled, {STARTS} starts each, "
        "interleaved; target 1.5x",
    }


async def _key(app: Any) -> None:
    # The key as a terminal sends it, until the app is idle again: handled and drawn. Timed
    # as CPU time, since the wait for idle sleeps in steps longer than the work; and not with
    # Pilot.press, whose wait posts a message to every widget and would time the harness.
    await app._press_keys(["x"])
    app.screen._on_timer_update()  # draw now what the key changed, rather than at 60 fps


async def _keystroke_app(path: Path, size: list[Any]) -> list[float]:
    from support.waiting import app_until
    from textual.widgets import TextArea

    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend
    from court_tui.ui.screens.section import SectionScreen

    app = CourtApp(Backend(path), passphrase=PASSPHRASE)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_case(pilot, app)
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
        size[:] = [area.outer_size]
        for _ in range(KEYSTROKES):
            start = time.process_time()
            await _key(app)
            times.append(time.process_time() - start)
        await app.flush()
    return times


async def _keystroke_bare(size: Any) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import TextArea

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield TextArea(LONG_TEXT)

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        area = app.query_one(TextArea)
        area.styles.width, area.styles.height = size.width, size.height  # as in the app
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause()
        for _ in range(KEYSTROKES):
            start = time.process_time()
            await _key(app)
            times.append(time.process_time() - start)
    return times


# Rounds of keys, each app then bare: a round's median swings with the machine's load by
# more than the difference measured, so this row takes more of them than the others.
KEY_ROUNDS = 5


def keystroke() -> dict[str, Any]:
    """A key typed in a long text answer until drawn, vs the same in a bare TextArea."""
    with tempfile.TemporaryDirectory() as folder:
        path = _filled_store(Path(folder))
        subjects, baselines = [], []
        for _ in range(KEY_ROUNDS):  # in turn, so that both see the same load
            size: list[Any] = []
            subjects.append(statistics.median(asyncio.run(_keystroke_app(path, size))[5:]))
            baselines.append(statistics.median(asyncio.run(_keystroke_bare(size[0]))[5:]))
    return {
        "name": "a key in a 2,000-character answer, until drawn",
        "subject_seconds": statistics.median(subjects),
        "baseline_seconds": statistics.median(baselines),
        "baseline": "a key in a bare TextArea holding the same text, same size",
        "note": f"CPU time a key, median of {KEY_ROUNDS} rounds of {KEYSTROKES}; "
        f"{len(LONG_TEXT):,}-character answer on the report screen; target 1.2x",
    }


async def _open_case(pilot: Any, app: Any) -> None:
    """From the case list to the first case's task list, as the officer goes."""
    from support.waiting import app_until

    from court_tui.ui.screens.cases import CasesScreen

    await app_until(
        pilot,
        lambda: isinstance(app.screen, CasesScreen) and app.screen.cases,
        "the case list with its cases",
    )
    await pilot.press("enter")  # the first case
    await app_until(pilot, lambda: app.open_case is not None, "the first case to open")
    await pilot.pause()


async def _time_screen(app: Any, pilot: Any, make: Any) -> list[float]:
    """Seconds from pushing the screen MAKE gives until it is drawn, SCREENS times (then
    popped, and the app left to settle, untimed)."""
    times: list[float] = []
    for _ in range(SCREENS + 1):
        await pilot.pause()
        screen = make()
        drawn = asyncio.Event()
        start = time.perf_counter()
        await app.push_screen(screen)
        screen.call_after_refresh(drawn.set)
        await drawn.wait()
        times.append(time.perf_counter() - start)
        await pilot.pause()
        await app.pop_screen()
    return times[1:]  # the first warms imports and caches


@dataclass(frozen=True)
class _Bare:
    """A widget as the Textual widget it is built on, with the same text, values and
    styles (as inline rules, so it lays out the same), and its children the same way:
    none of court-tui's classes, style sheets or handlers."""

    make: Callable[..., Any]
    children: tuple[_Bare, ...]
    rules: Any

    @classmethod
    def of(cls, widget: Any) -> _Bare:
        import textual.widgets as w
        from textual.widget import Widget

        base = next(c for c in type(widget).__mro__ if c.__module__.startswith("textual."))
        children = tuple(cls.of(child) for child in widget.children)
        rules = dict(widget.styles.get_rules())
        make: Callable[..., Any]
        if isinstance(widget, w.TextArea):
            make = partial(w.TextArea, widget.text)
        elif isinstance(widget, w.Input):
            make = partial(w.Input, value=widget.value, placeholder=widget.placeholder)
        elif isinstance(widget, w.RadioSet):
            make = w.RadioSet
        elif isinstance(widget, w.RadioButton | w.Checkbox):
            make = partial(base, widget.label, widget.value)
        elif isinstance(widget, w.SelectionList):
            options = [(str(option.prompt), option.value) for option in widget.options]
            make = partial(w.SelectionList[str], *options)
        elif isinstance(widget, w.Button):
            make = partial(w.Button, widget.label)
        elif isinstance(widget, w.Static):
            make = partial(w.Static, widget.content)
        elif base.compose is Widget.compose:  # a container: its children are the copies
            make = base
        else:  # a Textual widget that composes its own parts
            return cls(base, (), rules)
        if make is not w.RadioSet and base.compose is not Widget.compose:
            children = ()
        return cls(make, children, rules)

    def build(self) -> Any:
        """A fresh widget (a widget is mounted once)."""
        widget = self.make(*(child.build() for child in self.children))
        widget.styles.merge_rules(self.rules)
        return widget

    def count(self) -> int:
        return 1 + sum(child.count() for child in self.children)


async def _section_screen_app(path: Path) -> tuple[list[float], list[_Bare]]:
    """Seconds to open the report's section screen, and its widgets copied bare."""
    from court_tui.ui.app import CourtApp
    from court_tui.ui.backend import Backend
    from court_tui.ui.screens.rsr import section_screen

    app = CourtApp(Backend(path), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_case(pilot, app)
        times = await _time_screen(app, pilot, lambda: section_screen(app.open_case, "report"))
        screen = section_screen(app.open_case, "report")
        await app.push_screen(screen)
        await pilot.pause()
        copies = [_Bare.of(child) for child in screen.children]
        await app.flush()
    return times, copies


async def _section_screen_bare(copies: list[_Bare]) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.screen import Screen

    class BareScreen(Screen[None]):
        def compose(self) -> ComposeResult:
            yield from (copy.build() for copy in copies)

    app = App[None]()
    async with app.run_test(size=(80, 24)) as pilot:
        return await _time_screen(app, pilot, BareScreen)


def open_section_screen() -> dict[str, Any]:
    """Opening the report's section screen vs a bare screen holding the same widgets."""
    with tempfile.TemporaryDirectory() as folder:
        path = _filled_store(Path(folder))
        subjects, baselines = [], []
        widgets = 0
        for _ in range(ROUNDS):  # in turn, so that both see the same load
            times, copies = asyncio.run(_section_screen_app(path))
            subjects.extend(times)
            baselines.extend(asyncio.run(_section_screen_bare(copies)))
            widgets = sum(copy.count() for copy in copies)
    return {
        "name": "open a section screen (the report), until drawn",
        "subject_seconds": statistics.median(subjects),
        "baseline_seconds": statistics.median(baselines),
        "baseline": "a bare Textual screen with the same widgets",
        "note": f"{widgets} widgets; push until the first paint, median of "
        f"{ROUNDS * SCREENS}; target 1.3x",
    }


ROWS = [start_up, open_section_screen, keystroke]
