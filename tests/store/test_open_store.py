"""Opening the store: created private, reopened with its device id, and every bad file
(wrong passphrase, plaintext, damaged, truncated, newer) refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_helpers import TEST_PASSPHRASE, make_case

from court_tui.domain.forms import FormSet
from court_tui.store import (
    CorruptStore,
    NewerStore,
    NotEncrypted,
    StoreError,
    StoreNotFound,
    WrongPassphrase,
    default_db_path,
    open_store,
    store_exists,
)
from court_tui.store.engine import library_versions


def _fingerprint(path: Path) -> dict[str, str]:
    # The -shm file is SQLite's shared-memory index (reader marks, locks), not data.
    files = [path, path.with_name(path.name + "-wal")]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def _filled_store(path: Path, forms: FormSet, cases: int = 30) -> None:
    with open_store(path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        for n in range(cases):
            store.repository.save_case(make_case(f"Person {n}", note="x" * 2000), actor="test")


def test_first_use_creates_a_private_store(store_path: Path, forms: FormSet) -> None:
    assert not store_exists(store_path)
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        device_id = store.device_id
        assert store.path == store_path
    assert stat.S_IMODE(store_path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    # Beside the store only its lock file (empty, private), which says whether it is open.
    lock = store_path.with_name(store_path.name + ".lock")
    assert sorted(p.name for p in store_path.parent.iterdir()) == [store_path.name, lock.name]
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert lock.stat().st_size == 0
    with open_store(store_path, TEST_PASSPHRASE, forms=forms) as store:
        assert store.device_id == device_id


def test_wal_and_shared_memory_files_are_private(store_path: Path, forms: FormSet) -> None:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        store.repository.save_case(make_case(), actor="test")
        companions = [store_path.with_name(store_path.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in companions)


def test_device_id_can_be_given_at_creation(store_path: Path, forms: FormSet) -> None:
    with open_store(
        store_path, TEST_PASSPHRASE, create=True, device_id="laptop-7", forms=forms
    ) as store:
        assert store.device_id == "laptop-7"


def test_missing_store_is_not_created_unless_asked(store_path: Path, forms: FormSet) -> None:
    with pytest.raises(StoreNotFound) as caught:
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    assert "--db" in caught.value.message
    assert not store_path.exists()


def test_wrong_passphrase_is_refused_and_nothing_changes(store_path: Path, forms: FormSet) -> None:
    _filled_store(store_path, forms)
    before = _fingerprint(store_path)
    with pytest.raises(WrongPassphrase) as caught:
        open_store(store_path, "not the passphrase", forms=forms)
    assert "passphrase does not open" in caught.value.message
    assert "not the passphrase" not in str(caught.value)
    assert _fingerprint(store_path) == before


def test_wrong_passphrase_with_a_wal_left_behind_changes_nothing(
    store_path: Path, forms: FormSet
) -> None:
    store = open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms)
    store.repository.save_case(make_case(), actor="test")
    # The store is still open (as after a crash): the WAL holds the last save.
    before = _fingerprint(store_path)
    with pytest.raises(WrongPassphrase):
        open_store(store_path, "not the passphrase", forms=forms)
    assert _fingerprint(store_path) == before
    store.close()


def test_plaintext_sqlite_file_is_refused_untouched(store_path: Path, forms: FormSet) -> None:
    store_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(store_path)
    conn.execute("CREATE TABLE cases (id TEXT)")
    conn.execute("INSERT INTO cases VALUES ('x')")
    conn.commit()
    conn.close()
    before = _fingerprint(store_path)
    with pytest.raises(NotEncrypted) as caught:
        open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms)
    assert "unencrypted" in caught.value.message
    assert _fingerprint(store_path) == before


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    for i in range(16):
        data[offset + i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_damaged_page_is_refused_untouched_with_a_way_out(
    store_path: Path, forms: FormSet
) -> None:
    _filled_store(store_path, forms)
    _flip(store_path, 4096 * 6 + 500)
    before = _fingerprint(store_path)
    with pytest.raises(CorruptStore) as caught:
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    assert "court-tui restore" in caught.value.message
    assert _fingerprint(store_path) == before


def test_damaged_first_page_is_damage_not_a_wrong_passphrase(
    store_path: Path, forms: FormSet
) -> None:
    _filled_store(store_path, forms)
    _flip(store_path, 1000)
    before = _fingerprint(store_path)
    with pytest.raises(CorruptStore):
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    with pytest.raises(WrongPassphrase):
        open_store(store_path, "not the passphrase", forms=forms)
    assert _fingerprint(store_path) == before


def test_truncated_store_is_refused_untouched(store_path: Path, forms: FormSet) -> None:
    _filled_store(store_path, forms)
    data = store_path.read_bytes()
    store_path.write_bytes(data[: len(data) // 2 + 100])
    before = _fingerprint(store_path)
    with pytest.raises(CorruptStore):
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    assert _fingerprint(store_path) == before


def test_random_bytes_are_refused(store_path: Path, forms: FormSet) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises((WrongPassphrase, CorruptStore)):
        open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms)


def test_store_from_a_newer_court_tui_is_refused_untouched(
    store_path: Path, forms: FormSet
) -> None:
    with (
        open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store,
        store._engine.begin() as conn,
    ):
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    before = _fingerprint(store_path)
    with pytest.raises(NewerStore) as caught:
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    assert "newer version of court-tui" in caught.value.message
    assert "0999" in caught.value.message
    assert _fingerprint(store_path) == before


def test_passphrase_never_appears_in_errors(store_path: Path, forms: FormSet) -> None:
    secret = "it's a 'quoted' secret"
    with open_store(store_path, secret, create=True, forms=forms) as store:
        store.repository.save_case(make_case(), actor="test")
    with open_store(store_path, secret, forms=forms) as store:
        assert store.repository.count_cases() == 1
        assert secret not in repr(store)
    for wrong in ["x", "it's wrong"]:
        with pytest.raises(StoreError) as caught:
            open_store(store_path, wrong, forms=forms)
        assert wrong not in str(caught.value)
        assert caught.value.__cause__ is None


def test_empty_passphrase_is_refused(store_path: Path, forms: FormSet) -> None:
    with pytest.raises(StoreError):
        open_store(store_path, "", create=True, forms=forms)
    assert not store_path.exists()


def test_default_path_follows_the_configured_one(tmp_path: Path) -> None:
    # The entry point reads $COURT_TUI_DB and passes it in.
    assert default_db_path(str(tmp_path / "elsewhere.db")) == tmp_path / "elsewhere.db"
    default = default_db_path()
    assert default.name == "court-tui.db"
    assert "court-tui" in default.parent.name


def test_library_versions_are_new_enough() -> None:
    versions = library_versions()
    major, minor, patch = (int(part) for part in versions.sqlite.split(".")[:3])
    assert (major, minor, patch) >= (3, 51, 3)
    assert versions.cipher.startswith("4.")
