"""Changing the store's passphrase without ever leaving a file neither passphrase opens.

`PRAGMA rekey` rewrites every page in place, through the WAL. Killed at random 150 times
on a WAL store (SQLCipher 4.19), it never left a file neither passphrase opened; but its
safety rests on SQLCipher's internals, and it does nothing about another court-tui on
the laptop that has the store open with the old key and goes on writing pages under it,
which would leave a file of mixed keys. So the change is built so its safety rests on one
rename, with the store held alone:

1. with the old passphrase, the store is taken for this process alone (exclusive
   locking, rollback journal: refused while another court-tui has it open);
2. `sqlcipher_export` copies it into a new private file keyed with the new passphrase,
   which is checked in full (`integrity_check`, `cipher_integrity_check`), given the
   audit row and the "changed at" setting, and synced;
3. the new file is renamed over the store (atomic) and the folder synced.

Killed before the rename, the store is the old file (old passphrase); after it, the new
one (new passphrase). A leftover new file is removed by the next change.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from court_tui.domain.passphrase import new_passphrase_problem
from court_tui.domain.settings import PASSPHRASE_CHANGED_AT
from court_tui.store import writes
from court_tui.store.backup import BackupResult, discard
from court_tui.store.engine import (
    _quoted,
    connect_keyed,
    make_engine,
    raise_store_error,
    store_errors,
)
from court_tui.store.errors import StoreError, WrongPassphrase
from court_tui.store.paths import fsync_path, make_private_file
from court_tui.store.store import Store
from court_tui.store.tables import META, META_DEVICE_ID

REKEY_PREFIX = ".rekey-"
IN_USE = (
    "The store is open in another court-tui on this laptop: close it, then change the "
    "passphrase again. Nothing was changed."
)


def _leftovers(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}{REKEY_PREFIX}*"))


def _take_alone(path: Path, passphrase: str) -> Any:
    """A connection to PATH holding it exclusively, in rollback-journal mode."""
    guard = connect_keyed(path, passphrase)
    try:
        guard.execute("PRAGMA busy_timeout = 0")
        guard.execute("PRAGMA locking_mode = EXCLUSIVE")
        mode = guard.execute("PRAGMA journal_mode = DELETE").fetchone()
        if not mode or str(mode[0]).lower() != "delete":
            raise StoreError(IN_USE)
        guard.execute("BEGIN EXCLUSIVE")
        guard.execute("COMMIT")
    except sqlcipher3.Error:
        guard.close()
        raise StoreError(IN_USE) from None
    except BaseException:
        guard.close()
        raise
    return guard


def _export(guard: Any, temp: Path, new_passphrase: str) -> None:
    """Copy the store GUARD holds into TEMP, keyed with NEW_PASSPHRASE."""
    try:
        guard.execute(f"ATTACH DATABASE ? AS rekeyed KEY {_quoted(new_passphrase)}", (str(temp),))
        try:
            guard.execute("SELECT sqlcipher_export('rekeyed')")
            version = int(guard.execute("PRAGMA main.user_version").fetchone()[0])
            guard.execute(f"PRAGMA rekeyed.user_version = {version}")
        finally:
            guard.execute("DETACH DATABASE rekeyed")
    except sqlcipher3.Error as exc:
        raise_store_error(exc)


def _check_and_record(temp: Path, new_passphrase: str, at: datetime, actor: str) -> None:
    """Check the new file in full with NEW_PASSPHRASE, then record the change in it."""
    conn = connect_keyed(temp, new_passphrase)
    try:
        integrity = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        cipher = conn.execute("PRAGMA cipher_integrity_check").fetchall()
    except sqlcipher3.Error:
        conn.close()
        raise StoreError(
            "The re-keyed copy could not be read back; nothing was changed."
        ) from None
    if integrity != ["ok"] or cipher:
        conn.close()
        raise StoreError("The re-keyed copy failed its check; nothing was changed.")
    engine = make_engine(temp, new_passphrase, first=conn)
    try:
        with store_errors(), engine.execution_options(immediate=True).begin() as db:
            device = db.execute(
                META.select().with_only_columns(META.c.value).where(META.c.key == META_DEVICE_ID)
            ).scalar_one()
            writes.put_setting(db, PASSPHRASE_CHANGED_AT.key, at.isoformat())
            writes.append_audit(
                db,
                at=at,
                device_id=str(device),
                actor=actor,
                action="passphrase-change",
                case_id=None,
                detail="the store's passphrase was changed",
            )
    finally:
        engine.dispose()  # the last connection checkpoints and removes the WAL


def change_passphrase(
    path: Path,
    old_passphrase: str,
    new_passphrase: str,
    *,
    at: datetime,
    actor: str,
    step: Callable[[str], None] = lambda _: None,
) -> None:
    """Re-key the (closed) store at PATH from OLD_PASSPHRASE to NEW_PASSPHRASE, recording
    the change AT by ACTOR; STEP hears each stage's name. Raises StoreError."""
    for leftover in _leftovers(path):
        discard(leftover)
    guard = _take_alone(path, old_passphrase)
    try:
        step("exclusive")
        temp = path.with_name(f".{path.name}{REKEY_PREFIX}{os.urandom(4).hex()}")
        make_private_file(temp)
        try:
            _export(guard, temp, new_passphrase)
            step("exported")
            _check_and_record(temp, new_passphrase, at, actor)
            fsync_path(temp)
            step("checked")
            os.replace(temp, path)
            fsync_path(path.parent)
            step("renamed")
        finally:
            discard(temp)
    finally:
        guard.close()


def backup_path_before_change(path: Path) -> Path:
    """A new name beside the store at PATH for the backup taken before a change."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}-before-passphrase-change-{stamp}.db")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-before-passphrase-change-{stamp}-{number}.db")
    return candidate


def change_store_passphrase(
    store: Store, old_passphrase: str, new_passphrase: str, *, at: datetime, actor: str
) -> BackupResult:
    """Change the open STORE's passphrase: OLD_PASSPHRASE must be the one it was opened
    with and NEW_PASSPHRASE must meet the rule for a store's passphrase; a checked backup
    is made beside it first. STORE is closed on the way (open it again with the passphrase
    that now opens it); returns the backup. Raises StoreError, naming what stopped it."""
    problem = new_passphrase_problem(new_passphrase)
    if problem is not None:
        raise StoreError(f"{problem}; nothing was changed.")
    if not hmac.compare_digest(old_passphrase.encode(), store._passphrase.encode()):
        raise WrongPassphrase(store.path)
    if new_passphrase == old_passphrase:
        raise StoreError("The new passphrase is the current one; nothing was changed.")
    backup = store.backup(backup_path_before_change(store.path))
    store.close()
    change_passphrase(store.path, old_passphrase, new_passphrase, at=at, actor=actor)
    return backup
