"""Opening, creating, backing up and examining the encrypted local store.

Opening never changes a file it refuses: the checks (plaintext header, size, key, quick
check, schema revision, device record) all run in store/opening.py before anything is
written, and the full store is built on the connection they keyed.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import sqlalchemy as sa
import sqlcipher3

from court_tui import __version__
from court_tui.domain.forms import FormSet, load_forms
from court_tui.store import migrate
from court_tui.store.backup import (
    BackupResult,
    backup_store,
    discard,
    keep_copy_before_upgrade,
    verify_backup,
)
from court_tui.store.doctor import DoctorReport, examine
from court_tui.store.engine import (
    WriteLock,
    configure,
    connect_keyed,
    make_engine,
    raise_store_error,
    store_errors,
)
from court_tui.store.errors import StoreError
from court_tui.store.in_use import OpenHold, sole_use
from court_tui.store.opening import OpenedFile, open_file, precheck_file, probe
from court_tui.store.paths import (
    companion_files,
    fsync_path,
    make_private_dir,
    make_private_file,
    store_exists,
    tighten_file_modes,
)
from court_tui.store.repository import Repository
from court_tui.store.tables import META, META_DEVICE_ID, META_NEXT_SEQ


class Store:
    """An open store: owns the engine; use as a context manager or call close()."""

    def __init__(
        self,
        path: Path,
        engine: sa.Engine,
        repository: Repository,
        hold: OpenHold | None = None,
    ) -> None:
        self.path = path
        self._engine = engine
        self.repository = repository
        self._hold = hold or OpenHold(None)

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every connection (the last one checkpoints the WAL into the file), then
        let a restore have the file."""
        self._engine.dispose()
        self._hold.release()

    @property
    def device_id(self) -> str:
        """This store's device id, made when it was created."""
        return self.repository.device_id

    def schema_revision(self) -> str | None:
        """The schema revision recorded in the store."""
        with store_errors(), self._engine.connect() as conn:
            return migrate.current_revision(conn)

    def backup(self, dest: Path) -> BackupResult:
        """Copy the store to DEST with SQLite's online backup, encrypted with the same key,
        and check the copy before putting it in place. DEST must not exist yet."""
        return backup_store(self._engine, self._passphrase, dest)

    # Set by open_store; kept out of repr and never logged.
    _passphrase: str = ""

    def doctor(self) -> DoctorReport:
        """Versions, integrity, schema, outbox and the file's place and permissions."""
        return examine(self)

    def keep_copy_before_upgrade(self, revision: str) -> Path:
        """Keep a checked copy of the store as it is, before an upgrade from REVISION."""
        return keep_copy_before_upgrade(self.path, self._engine, self._passphrase, revision)


def _create(path: Path, passphrase: str, device_id: str | None) -> None:
    """Make a new store at PATH atomically: built beside it, then linked into place."""
    make_private_dir(path.parent)
    temp = path.with_name(f".{path.name}.creating-{uuid.uuid4().hex[:8]}")
    make_private_file(temp)
    try:
        engine = make_engine(temp, passphrase)
        try:
            migrate.upgrade(engine)
            now = datetime.now(UTC).isoformat()
            with store_errors(), engine.execution_options(immediate=True).begin() as conn:
                conn.execute(
                    META.insert(),
                    [
                        {"key": META_DEVICE_ID, "value": device_id or str(uuid.uuid4())},
                        {"key": META_NEXT_SEQ, "value": "1"},
                        {"key": "created_at", "value": now},
                        {"key": "created_with", "value": f"court-tui {__version__}"},
                    ],
                )
        finally:
            engine.dispose()
        fsync_path(temp)
        try:
            os.link(temp, path)
        except FileExistsError:
            if path.stat().st_size:
                raise StoreError(
                    f"Another court-tui created a store at {path} at the same time; open it again."
                ) from None
            os.replace(temp, path)  # an empty file left by an interrupted start
        fsync_path(path.parent)
    finally:
        discard(temp)


def open_store(
    path: Path,
    passphrase: str,
    *,
    create: bool = False,
    device_id: str | None = None,
    forms: FormSet | None = None,
) -> Store:
    """Open the store at PATH with PASSPHRASE (creating it when CREATE and it is missing).

    Raises WrongPassphrase, CorruptStore, NotEncrypted, NewerStore, StoreNotFound or
    another StoreError, each having left the file as it was.
    """
    path = Path(path).expanduser().absolute()

    def make() -> None:
        _create(path, passphrase, device_id)

    return open_opened(open_file(path, passphrase, create=make if create else None), forms)


def open_opened(opened: OpenedFile, forms: FormSet | None = None) -> Store:
    """The full store on a file `open_file` has checked and keyed, upgraded first (with a
    copy kept) when it is behind; OPENED's connection and hold are the store's after."""
    path, passphrase = opened.path, opened.passphrase
    connection, hold = opened.take()
    try:
        engine = make_engine(path, passphrase, first=connection)
    except BaseException:
        connection.close()
        hold.release()
        raise
    try:
        # Into the pool now, so that closing the store closes it (and checkpoints the WAL).
        with store_errors():
            engine.connect().close()
    except BaseException:
        engine.dispose()
        hold.release()
        raise
    try:
        if not opened.up_to_date:
            migrate.upgrade_file(
                migrate.STORE,
                engine,
                keep_copy=lambda old: keep_copy_before_upgrade(path, engine, passphrase, old),
            )
        tighten_file_modes(path)
        repository = Repository(
            engine, device_id=opened.device_id, forms=forms or load_forms(), write_lock=WriteLock()
        )
    except BaseException:
        engine.dispose()
        hold.release()
        raise
    store = Store(path, engine, repository, hold)
    store._passphrase = passphrase
    return store


def restore_backup(backup: Path, path: Path, passphrase: str) -> tuple[BackupResult, Path | None]:
    """Put the backup at BACKUP in place of the store at PATH, keeping the old file aside.

    The backup is checked with PASSPHRASE first. Returns the check and where the old store
    was moved (None when there was none). Nothing is deleted.
    """
    backup = Path(backup).expanduser().absolute()
    path = Path(path).expanduser().absolute()
    if not store_exists(backup):
        raise StoreError(f"There is no backup at {backup}.")
    precheck_file(backup)
    probe(backup, passphrase).close()
    checked = verify_backup(backup, passphrase)
    make_private_dir(path.parent)
    with sole_use(path):
        return checked, _put_in_place(backup, path, passphrase)


def _put_in_place(backup: Path, path: Path, passphrase: str) -> Path | None:
    """Copy BACKUP to PATH, moving any store there aside; returns where it was moved."""
    temp = path.with_name(f".{path.name}.restoring-{uuid.uuid4().hex[:8]}")
    make_private_file(temp)
    try:
        source = connect_keyed(backup, passphrase)
        target = connect_keyed(temp, passphrase)
        try:
            source.backup(target)
            configure(target)
        except sqlcipher3.Error as exc:
            raise_store_error(exc)
        finally:
            source.close()
            target.close()
        verify_backup(temp, passphrase)
        moved: Path | None = None
        if path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            moved = path.with_name(f"{path.name}.replaced-{stamp}")
            os.rename(path, moved)
            for companion in companion_files(path):
                if companion.exists():
                    os.rename(
                        companion,
                        companion.with_name(f"{moved.name}{companion.name[len(path.name) :]}"),
                    )
        os.rename(temp, path)
        fsync_path(path.parent)
    finally:
        discard(temp)
    return moved
