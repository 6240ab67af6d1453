"""Copies of the encrypted store: a backup the officer asks for, the copy kept before a
schema upgrade, and checking a copy (`store.restore_backup` puts one back in place).

Every copy is SQLite's online backup into a new private file beside its destination,
encrypted with the same key and checked before it is put in place; nothing is deleted.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlcipher3

from court_tui.store.engine import connect_keyed, raise_store_error, store_errors
from court_tui.store.errors import StoreError
from court_tui.store.paths import (
    companion_files,
    fsync_path,
    make_private_file,
    store_exists,
)


@dataclass(frozen=True)
class BackupResult:
    """A verified backup: where, how big, what it holds."""

    path: Path
    size_bytes: int
    cases: int
    outbox_depth: int
    schema_revision: str
    integrity: str
    seconds: float

    def lines(self) -> list[str]:
        """The backup in plain words."""
        return [
            f"Backup written to {self.path} ({self.size_bytes:,} bytes, encrypted).",
            f"It holds {self.cases} case(s); {self.outbox_depth} change(s) not yet synced.",
            f"Checked after writing: integrity {self.integrity}, schema {self.schema_revision}.",
        ]


def discard(temp: Path) -> None:
    """Remove the temporary file TEMP and any journal SQLite left beside it (on a read-only
    folder there is nothing to remove, and the error that stopped the copy is the one to
    tell)."""
    for leftover in [temp, *companion_files(temp)]:
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue


def online_copy(source: Any, temp: Path, passphrase: str) -> None:
    """Copy the open SOURCE connection into the new file TEMP with SQLite's backup API,
    keyed with PASSPHRASE, as one self-contained file (no WAL), synced to disk."""
    target = connect_keyed(temp, passphrase)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
        target.execute("PRAGMA synchronous = FULL")
    except sqlcipher3.Error as exc:
        raise_store_error(exc)
    finally:
        target.close()
    fsync_path(temp)


def _checked_copy(engine: sa.Engine, passphrase: str, temp: Path, started: float) -> BackupResult:
    """Copy the store behind ENGINE into the new private file TEMP and check the copy."""
    make_private_file(temp)
    with store_errors(), engine.connect() as conn:
        online_copy(conn.connection.driver_connection, temp, passphrase)
    return verify_backup(temp, passphrase, started)


def _partial(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.partial-{uuid.uuid4().hex[:8]}")


def backup_store(engine: sa.Engine, passphrase: str, dest: Path) -> BackupResult:
    """Copy the store behind ENGINE to DEST (a new file, or a folder to put one in)."""
    started = time.perf_counter()
    dest = Path(dest).expanduser().absolute()
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"court-tui-backup-{stamp}.db"
    if dest.exists():
        raise StoreError(f"{dest} already exists: choose a new name for the backup.")
    if not dest.parent.is_dir():
        raise StoreError(f"The folder {dest.parent} does not exist.")
    temp = _partial(dest)
    try:
        result = _checked_copy(engine, passphrase, temp, started)
        os.link(temp, dest)
    except FileExistsError:
        raise StoreError(f"{dest} already exists: choose a new name for the backup.") from None
    except OSError as exc:
        raise StoreError(f"The backup could not be written to {dest}: {exc.strerror}.") from None
    finally:
        discard(temp)
    fsync_path(dest.parent)
    return BackupResult(**{**result.__dict__, "path": dest})


def keep_copy_before_upgrade(
    path: Path, engine: sa.Engine, passphrase: str, revision: str
) -> Path:
    """Keep a checked copy of the store at PATH as it was before a schema upgrade from
    REVISION, beside it."""
    dest = path.with_name(f"{path.name}.before-upgrade-from-{revision}")
    if store_exists(dest):
        return dest  # made by an earlier attempt that stopped before committing
    temp = _partial(dest)
    try:
        _checked_copy(engine, passphrase, temp, time.perf_counter())
        os.replace(temp, dest)
    except OSError as exc:
        raise StoreError(
            f"court-tui could not keep a copy of the store before upgrading it "
            f"({exc.strerror}); the store has not been changed."
        ) from None
    finally:
        discard(temp)
    fsync_path(path.parent)
    return dest


def verify_backup(path: Path, passphrase: str, started: float | None = None) -> BackupResult:
    """Open the backup at PATH with PASSPHRASE and check it fully; raises StoreError."""
    started = time.perf_counter() if started is None else started
    conn = connect_keyed(path, passphrase)
    try:
        integrity = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise StoreError(
                f"The backup at {path} failed its check after writing ({integrity[0]}); "
                "it was not kept. Try another disk."
            )
        cases = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
        depth = int(
            conn.execute("SELECT count(*) FROM outbox WHERE acknowledged_at IS NULL").fetchone()[0]
        )
        revision = str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    except sqlcipher3.Error:
        raise StoreError(
            f"The backup at {path} could not be read back after writing; it was not kept."
        ) from None
    finally:
        conn.close()
    return BackupResult(
        path=path,
        size_bytes=path.stat().st_size,
        cases=cases,
        outbox_depth=depth,
        schema_revision=revision,
        integrity="ok",
        seconds=time.perf_counter() - started,
    )
