"""Keys-only helpers for driving the app in tests, and reading what it shows."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widget import Widget

from court_tui.domain.casefile import loads
from court_tui.domain.forms import load_forms
from court_tui.resources import data_dir
from court_tui.ui import textual_patches
from court_tui.ui.backend import Backend, Profile
from court_tui.ui.widgets.questions import QuestionField

MAX_TABS = 200

PASSPHRASE = "correct horse battery"
OFFICER = Profile(officer="Sam Patel", team="Leeds court team", court="Leeds Magistrates' Court")
# The demo cases are heard on Monday 2 March 2026.
FROZEN_AT = datetime(2026, 3, 2, 10, 42, tzinfo=UTC)


def fill_store(path: Path) -> None:
    """A real store at PATH with the officer's profile and the demo cases."""
    forms = load_forms()
    backend = Backend(path)
    backend.create(PASSPHRASE, OFFICER)
    for demo in sorted((data_dir() / "demo").glob("*.json")):
        record = loads(demo.read_text(encoding="utf-8"), forms)
        backend.repository.save_case(record, actor=OFFICER.officer)
    backend.close()


def field_of(widget: Widget | None) -> QuestionField | None:
    """The question field WIDGET belongs to, if any."""
    node = widget
    while node is not None and not isinstance(node, QuestionField):
        parent = node.parent
        node = parent if isinstance(parent, Widget) else None
    return node


async def tab_to(pilot: Pilot[object], field_id: str) -> QuestionField:
    """Press tab until the question FIELD_ID has the focus (keys only, as an officer would).

    The tabs needed are counted on the focus chain and sent together, which saves the
    harness a wait for every one; then one at a time if the chain changed meanwhile.
    """
    app = pilot.app
    chain = app.screen.focus_chain
    targets = [i for i, w in enumerate(chain) if (f := field_of(w)) and f.field_id == field_id]
    if targets and app.focused in chain:
        tabs = (targets[0] - chain.index(app.focused)) % len(chain)
        if tabs:
            await pilot.press(*["tab"] * tabs)
    for _ in range(MAX_TABS):
        field = field_of(app.focused)
        if field is not None and field.field_id == field_id:
            return field
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {field_id}; focus is on {app.focused}")


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Type TEXT key by key."""
    await pilot.press(*["space" if c == " " else c for c in text])


async def answer(pilot: Pilot[object], field_id: str, *keys: str, text: str = "") -> None:
    """Tab to FIELD_ID, then type TEXT and press KEYS."""
    await tab_to(pilot, field_id)
    if text:
        await type_text(pilot, text)
    if keys:
        await pilot.press(*keys)
    await pilot.pause()


async def settle(pilot: Pilot[object]) -> None:
    """Wait for the store workers to finish and their messages to be handled: until two
    rounds in a row start no new worker (a handler may start one as it mounts a screen)."""
    quiet = 0
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(not worker.is_finished for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return
    raise AssertionError("the app's workers never went quiet")


async def tables_laid_out(pilot: Pilot[object]) -> None:
    """Wait until every table on the screen has worked out its column widths: a table
    does that when the app is next idle, which under load comes after the workers end."""
    from textual.widgets import DataTable

    from court_tui.ui.textual_patches import table_laid_out

    for _ in range(200):
        if all(table_laid_out(table) for table in pilot.app.screen.query(DataTable)):
            return
        await pilot.pause(0.01)
    raise AssertionError("a table never worked out its column widths")


async def open_case_named(pilot: Pilot[object], name: str) -> None:
    """On the case list, move down to the case called NAME and open it."""
    from textual.widgets import DataTable

    from court_tui.ui.screens.cases import CasesScreen

    screen = pilot.app.screen
    assert isinstance(screen, CasesScreen)
    table = screen.query_one(DataTable)
    await pilot.press("home")
    for _ in range(table.row_count):
        if screen.cases[table.cursor_row].name == name:
            await pilot.press("enter")
            await settle(pilot)
            return
        await pilot.press("down")
    raise AssertionError(f"no case called {name}")


def screen_text(app: object) -> str:
    """What the screen shows, as plain text (no colours)."""
    from textual.app import App

    assert isinstance(app, App)
    return textual_patches.screen_text(app)
