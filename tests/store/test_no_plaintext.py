"""Nothing readable without the passphrase: not in the database, its WAL, or a backup."""

from __future__ import annotations

from pathlib import Path

from store_helpers import TEST_PASSPHRASE, make_case

from court_tui.domain.forms import FormSet
from court_tui.store import open_store

MARKER = "PLAINTEXT-MARKER-7f3a9c"
SQLITE_HEADER = b"SQLite format 3"


def _leaks(path: Path) -> list[str]:
    data = path.read_bytes()
    found = []
    for needle in (MARKER.encode(), MARKER.encode("utf-16-le"), SQLITE_HEADER):
        if needle in data:
            found.append(f"{needle!r} in {path.name}")
    return found


def test_marker_never_appears_in_store_wal_or_backup(tmp_path: Path, forms: FormSet) -> None:
    db = tmp_path / "store" / "court-tui.db"
    backup = tmp_path / "backup.db"
    with open_store(db, TEST_PASSPHRASE, create=True, forms=forms) as store:
        for n in range(20):
            record = make_case(f"{MARKER} {n}", note=f"{MARKER} safeguarding detail " * 50)
            store.repository.save_case(record, actor=MARKER)
        store.repository.put_setting("officer_name", MARKER)
        wal = db.with_name(db.name + "-wal")
        assert wal.stat().st_size > 0, "the saves should still be in the WAL"
        files = [db, wal, db.with_name(db.name + "-shm")]
        leaks = [leak for path in files for leak in _leaks(path)]
        store.backup(backup)
        reopened = store.repository.search_cases(MARKER)
    assert len(reopened) == 20
    leaks += _leaks(db) + _leaks(backup)
    assert leaks == []
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
