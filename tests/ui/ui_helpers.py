"""Keys-only helpers for driving the app in tests, and reading what it shows."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widget import Widget

from court_tui.ui.widgets.questions import QuestionField

MAX_TABS = 200


def field_of(widget: Widget | None) -> QuestionField | None:
    """The question field WIDGET belongs to, if any."""
    node = widget
    while node is not None and not isinstance(node, QuestionField):
        parent = node.parent
        node = parent if isinstance(parent, Widget) else None
    return node


async def tab_to(pilot: Pilot[object], field_id: str) -> QuestionField:
    """Press tab until the question FIELD_ID has the focus (keys only, as an officer would)."""
    for _ in range(MAX_TABS):
        field = field_of(pilot.app.focused)
        if field is not None and field.field_id == field_id:
            return field
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {field_id}; focus is on {pilot.app.focused}")


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
    """Wait for the store workers to finish and their messages to be handled."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


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
    import io

    from rich.console import Console
    from textual.app import App

    assert isinstance(app, App)
    update = app.screen._compositor.render_update(full=True)
    console = Console(width=app.size.width, file=io.StringIO(), record=True, force_terminal=True)
    console.print(update, end="")
    return console.export_text(styles=False)
