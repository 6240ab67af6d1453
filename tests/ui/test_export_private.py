"""An export from the app names a person: only its owner may read the file."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

from court_tui.domain.case import CaseRecord
from court_tui.domain.settings import EXPORT_FOLDER
from court_tui.store import open_store
from court_tui.ui.backend import Backend


def test_an_export_is_mode_600_even_over_a_readable_file(
    tmp_path: Path, quick_key_derivation: None
) -> None:
    store = open_store(tmp_path / "store" / "court-tui.db", "export passphrase", create=True)
    backend = Backend(store.path, store=store)
    try:
        store.repository.put_setting(EXPORT_FOLDER.key, str(tmp_path / "exports"))
        record = store.repository.save_case(
            CaseRecord(answers={"name": "Jordan Ellis"}), actor="test"
        )
        path = backend.export_case(record, "report", "txt", "Sam Patel", date(2026, 3, 2))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        path.chmod(0o644)  # as a file copied there, or left by an older version, may be
        again = backend.export_case(record, "report", "txt", "Sam Patel", date(2026, 3, 2))
        assert again == path
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "Jordan Ellis" in path.read_text(encoding="utf-8")
    finally:
        backend.close()
