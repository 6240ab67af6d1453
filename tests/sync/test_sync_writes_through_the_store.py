"""The store owns every write to its tables: the sync's code changes only its own tables
and calls `court_tui.store.writes` for the rest."""

from __future__ import annotations

import re
from pathlib import Path

import court_tui.sync
from court_tui.store import tables

STORE_TABLES = ("CASES", "ANSWERS", "CHECKS", "FOLLOW_UPS", "AUDIT", "OUTBOX", "META")
STORE_TABLES += ("REFERENCE", "SETTINGS", "NOTES")
WRITE = re.compile(rf"\b({'|'.join(STORE_TABLES)})\.(insert|update|delete)\(")


def test_the_sync_never_writes_the_stores_tables_itself() -> None:
    folder = Path(court_tui.sync.__file__).parent
    sources = sorted(folder.rglob("*.py"))
    assert sources
    writes = [
        f"{path.name}: {match.group(0)}"
        for path in sources
        for match in WRITE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert writes == []
    assert all(hasattr(tables, name) for name in STORE_TABLES)
