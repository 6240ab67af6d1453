"""A supervisor's oversight notes, synced to the officer's laptop, are read on the case."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_helpers import PASSPHRASE, open_case_named, screen_text, settle

from court_tui.store import open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.tasks import TaskListScreen

pytestmark = pytest.mark.asyncio

CASE = "01960000-0000-7000-8000-000000000005"  # Taylor Reid
FOLLOW_UP = "01960000-0000-7000-8000-0000000000f1"


def _note(store_path: Path, note: str, item_id: str | None) -> None:
    with open_store(store_path, PASSPHRASE) as store:
        store.repository.add_supervisor_note(CASE, actor="Pat Lee", note=note, item_id=item_id)


async def test_the_task_list_shows_the_newest_oversight_notes(filled_store: Path) -> None:
    _note(filled_store, "Seen at allocation", None)
    _note(filled_store, "Chase the police\ntoday", "domestic_abuse")
    _note(filled_store, "Ring children's services before 4pm", FOLLOW_UP)
    _note(filled_store, "Good analysis " + "and more " * 20, None)
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_case_named(pilot, "Taylor Reid")
        assert isinstance(app.screen, TaskListScreen)
        lines = screen_text(app).splitlines()
        start = next(i for i, line in enumerate(lines) if "Supervisor's notes" in line)
        shown = [line.strip() for line in lines[start + 1 : start + 5]]
        # Newest first, one line each: a long note is cut, never pushing the others off.
        assert shown[0].startswith("- Pat Lee, Monday 2 March 2026: Good analysis and more")
        assert shown[0].endswith("…")
        assert shown[1].startswith(
            "- Pat Lee, Monday 2 March 2026 on the follow-up 'Chase children's services"
        )
        # A note typed over two lines reads as one.
        assert shown[2] == (
            "- Pat Lee, Monday 2 March 2026 on the domestic abuse check: Chase the police today"
        )
        assert shown[3] == "(and 1 earlier)"
        assert "Seen at allocation" not in screen_text(app)


async def test_a_case_with_no_notes_shows_none(filled_store: Path) -> None:
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_case_named(pilot, "Taylor Reid")
        assert isinstance(app.screen, TaskListScreen)
        assert "Supervisor's notes" not in screen_text(app)
