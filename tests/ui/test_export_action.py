"""The app's export action: a written record of the open case, audited as a disclosure."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from support.waiting import app_until, palette_lists
from ui_helpers import PASSPHRASE, screen_text, settle, type_text

from court_tui.domain.settings import EXPORT_FOLDER
from court_tui.store import open_store
from court_tui.ui.app import CourtApp
from court_tui.ui.backend import Backend
from court_tui.ui.screens.tasks import TaskListScreen

pytestmark = pytest.mark.asyncio


async def test_export_the_handover_pack_from_the_palette(
    filled_store: Path, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    with open_store(filled_store, PASSPHRASE) as store:
        store.repository.put_setting(EXPORT_FOLDER.key, str(exports))
    app = CourtApp(Backend(filled_store), passphrase=PASSPHRASE)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first of today's cases
        await settle(pilot)
        assert isinstance(app.screen, TaskListScreen)
        assert app.open_case is not None
        case_id = app.open_case.record.id
        crn = str(app.open_case.record.answers["crn"])
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "export handover")
        await palette_lists(pilot)
        await pilot.press("enter")
        await app_until(
            pilot, lambda: "Exported to" in screen_text(app), "the app to say 'Exported to'"
        )
    files = list(exports.glob("*.pdf"))
    assert len(files) == 1 and files[0].name.startswith(crn)
    assert oct(files[0].stat().st_mode & 0o777) == "0o600"
    text = "\n".join(page.extract_text() for page in PdfReader(files[0]).pages)
    assert "OFFICIAL-SENSITIVE" in text and crn in text
    with open_store(filled_store, PASSPHRASE) as store:
        disclosures = [
            row for row in store.repository.audit_rows(case_id) if row.action == "disclose"
        ]
    assert len(disclosures) == 1
    assert "export handover pdf" in disclosures[0].detail
