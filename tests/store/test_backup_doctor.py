"""Backups (online, encrypted, checked), restoring one, and the doctor's report."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest
from store_helpers import TEST_PASSPHRASE, make_case

from court_tui.domain.forms import FormSet
from court_tui.store import (
    CorruptStore,
    Store,
    StoreError,
    WrongPassphrase,
    migrate,
    open_store,
    restore_backup,
)

HEAD = migrate.head_revision()


def test_backup_is_encrypted_checked_and_opens_with_the_passphrase(
    store: Store, tmp_path: Path, forms: FormSet
) -> None:
    saved = store.repository.save_case(make_case(), actor="test")
    result = store.backup(tmp_path / "backup.db")
    assert result.path == tmp_path / "backup.db"
    assert (result.cases, result.outbox_depth, result.integrity) == (1, 1, "ok")
    assert result.schema_revision == migrate.head_revision()
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert not result.path.with_name("backup.db-wal").exists()
    assert any("encrypted" in line for line in result.lines())
    with open_store(result.path, TEST_PASSPHRASE, forms=forms) as copy:
        assert copy.repository.get_case(saved.id, actor="test") == saved
        assert copy.device_id == store.device_id
    with pytest.raises(WrongPassphrase):
        open_store(result.path, "not the passphrase", forms=forms)


def test_backup_into_a_folder_gets_a_dated_name(store: Store, tmp_path: Path) -> None:
    result = store.backup(tmp_path)
    assert result.path.parent == tmp_path
    assert result.path.name.startswith("court-tui-backup-")


def test_backup_never_overwrites(store: Store, tmp_path: Path) -> None:
    existing = tmp_path / "backup.db"
    existing.write_text("keep me")
    with pytest.raises(StoreError) as caught:
        store.backup(existing)
    assert "already exists" in caught.value.message
    assert existing.read_text() == "keep me"
    with pytest.raises(StoreError):
        store.backup(tmp_path / "missing-folder" / "backup.db")


def test_restore_puts_a_backup_in_place_and_keeps_the_damaged_file(
    store_path: Path, tmp_path: Path, forms: FormSet
) -> None:
    with open_store(store_path, TEST_PASSPHRASE, create=True, forms=forms) as store:
        for n in range(30):
            store.repository.save_case(make_case(f"Person {n}", note="x" * 2000), actor="t")
        store.backup(tmp_path / "backup.db")
    data = bytearray(store_path.read_bytes())
    data[4096 * 5 + 10 : 4096 * 5 + 30] = b"\xff" * 20
    store_path.write_bytes(bytes(data))
    with pytest.raises(CorruptStore):
        open_store(store_path, TEST_PASSPHRASE, forms=forms)
    with pytest.raises(StoreError):
        restore_backup(tmp_path / "backup.db", store_path, "not the passphrase")
    checked, moved = restore_backup(tmp_path / "backup.db", store_path, TEST_PASSPHRASE)
    assert checked.cases == 30
    assert moved is not None and moved.read_bytes() == bytes(data)
    with open_store(store_path, TEST_PASSPHRASE, forms=forms) as restored:
        assert restored.repository.count_cases() == 30
        assert restored.doctor().ok


def test_doctor_reports_versions_integrity_schema_outbox_and_place(store: Store) -> None:
    store.repository.save_case(make_case(), actor="test")
    report = store.doctor()
    assert report.ok, report.problems
    text = "\n".join(report.lines())
    for expected in [
        f"Store: {store.path}",
        "SQLite: 3.",
        "SQLCipher: 4.",
        "Integrity check: ok",
        "Encryption check: ok",
        f"Schema version: {HEAD} (this court-tui: {HEAD})",
        "Changes not yet synced (outbox): 1",
        "Folder permissions: 700",
        "File permissions: court-tui.db 600",
        "No problems found.",
    ]:
        assert expected in text


def test_doctor_names_loose_permissions(store: Store) -> None:
    store.path.parent.chmod(0o755)
    report = store.doctor()
    assert not report.ok
    assert any("chmod 700" in problem for problem in report.problems)


def test_doctor_warns_about_a_network_share(store: Store) -> None:
    report = dataclasses.replace(store.doctor(), filesystem="nfs4")
    assert any("network share" in problem for problem in report.problems)
    assert "Filesystem: " in "\n".join(store.doctor().lines())
