"""Opening, creating, backing up and examining the encrypted local store.

Opening never changes a file it refuses: the checks (plaintext header, size, key, quick
check, schema revision) all run before anything is written.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
import sqlcipher3

from court_tui import __version__
from court_tui.domain.forms import FormSet, load_forms
from court_tui.store import migrate
from court_tui.store.engine import (
    SQLITE_CORRUPT,
    SQLITE_HEADER,
    SQLITE_NOTADB,
    WriteLock,
    check_library_versions,
    configure,
    connect_keyed,
    library_versions,
    make_engine,
    raise_store_error,
    sqlite_code,
    store_errors,
)
from court_tui.store.errors import (
    CorruptStore,
    NewerStore,
    NotEncrypted,
    StoreError,
    StoreNotFound,
    WrongPassphrase,
)
from court_tui.store.paths import (
    NETWORK_FILESYSTEMS,
    companion_files,
    filesystem_type,
    fsync_dir,
    make_private_dir,
    make_private_file,
    mode_of,
    store_exists,
    tighten_file_modes,
)
from court_tui.store.repository import Repository
from court_tui.store.tables import META, META_DEVICE_ID, META_NEXT_SEQ

# SQLCipher 4 pages: every valid store is a whole number of these.
PAGE_SIZE = 4096


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


@dataclass(frozen=True)
class DoctorReport:
    """What `court-tui doctor` found."""

    path: Path
    sqlite_version: str
    cipher_version: str
    integrity: list[str]
    cipher_integrity: list[str]
    schema_revision: str | None
    head_revision: str
    outbox_depth: int
    outbox_gaps: list[int]
    cases: int
    device_id: str
    journal_mode: str
    size_bytes: int
    folder_mode: int | None
    file_modes: dict[str, int | None] = field(default_factory=dict)
    filesystem: str = ""

    @property
    def problems(self) -> list[str]:
        """Everything that needs attention, in plain words (empty when all is well)."""
        problems = []
        if self.integrity != ["ok"]:
            problems.append("The integrity check failed: " + "; ".join(self.integrity[:5]))
        if self.cipher_integrity:
            problems.append("The encryption check failed: " + "; ".join(self.cipher_integrity[:5]))
        if self.schema_revision != self.head_revision:
            problems.append(
                f"The schema is at {self.schema_revision}, this court-tui expects "
                f"{self.head_revision}."
            )
        if self.outbox_gaps:
            problems.append(f"The outbox is missing sequence numbers {self.outbox_gaps[:10]}.")
        if self.filesystem in NETWORK_FILESYSTEMS:
            problems.append(
                f"The store is on a network share ({self.filesystem}); keep it on the "
                "laptop's own disk (the default place), where locking and syncing to disk "
                "can be trusted."
            )
        if self.journal_mode.lower() != "wal":
            problems.append(f"The journal mode is {self.journal_mode}, not WAL.")
        if self.folder_mode is not None and self.folder_mode & 0o077:
            problems.append(
                f"The store's folder {self.path.parent} can be opened by other users "
                f"(mode {self.folder_mode:o}); run: chmod 700 '{self.path.parent}'"
            )
        for name, mode in self.file_modes.items():
            if mode is not None and mode & 0o077:
                problems.append(
                    f"{name} can be read by other users (mode {mode:o}); "
                    f"run: chmod 600 '{self.path.parent / name}'"
                )
        return problems

    @property
    def ok(self) -> bool:
        """Whether nothing needs attention."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report in plain words, one fact a line."""

        def mode(value: int | None) -> str:
            return "missing" if value is None else f"{value:o}"

        lines = [
            f"Store: {self.path}",
            f"Size: {self.size_bytes:,} bytes",
            f"Folder permissions: {mode(self.folder_mode)}",
            f"Filesystem: {self.filesystem or 'unknown'}",
        ]
        lines += [f"File permissions: {name} {mode(m)}" for name, m in self.file_modes.items()]
        lines += [
            f"SQLite: {self.sqlite_version}",
            f"SQLCipher: {self.cipher_version}",
            f"Journal mode: {self.journal_mode}",
            f"Schema version: {self.schema_revision} (this court-tui: {self.head_revision})",
            f"Integrity check: {'ok' if self.integrity == ['ok'] else 'FAILED'}",
            f"Encryption check: {'ok' if not self.cipher_integrity else 'FAILED'}",
            f"Device id: {self.device_id}",
            f"Cases: {self.cases}",
            f"Changes not yet synced (outbox): {self.outbox_depth}",
        ]
        problems = self.problems
        if problems:
            lines.append(f"Problems ({len(problems)}):")
            lines += [f"  - {problem}" for problem in problems]
        else:
            lines.append("No problems found.")
        return lines


class Store:
    """An open store: owns the engine; use as a context manager or call close()."""

    def __init__(self, path: Path, engine: sa.Engine, repository: Repository) -> None:
        self.path = path
        self._engine = engine
        self.repository = repository

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
        """Close every connection (the last one checkpoints the WAL into the file)."""
        self._engine.dispose()

    @property
    def device_id(self) -> str:
        """This store's device id, made when it was created."""
        return self.repository.device_id

    @contextmanager
    def _raw(self) -> Iterator[Any]:
        with store_errors(), self._engine.connect() as conn:
            yield conn.connection.driver_connection

    def schema_revision(self) -> str | None:
        """The schema revision recorded in the store."""
        with store_errors(), self._engine.connect() as conn:
            return migrate.current_revision(conn)

    def backup(self, dest: Path) -> BackupResult:
        """Copy the store to DEST with SQLite's online backup, encrypted with the same key,
        and check the copy before putting it in place. DEST must not exist yet."""
        started = time.perf_counter()
        dest = Path(dest).expanduser().absolute()
        if dest.is_dir():
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            dest = dest / f"court-tui-backup-{stamp}.db"
        if dest.exists():
            raise StoreError(f"{dest} already exists: choose a new name for the backup.")
        if not dest.parent.is_dir():
            raise StoreError(f"The folder {dest.parent} does not exist.")
        temp = dest.with_name(f".{dest.name}.partial-{uuid.uuid4().hex[:8]}")
        try:
            make_private_file(temp)
            self._copy_to(temp)
            result = verify_backup(temp, self._passphrase, started)
            os.link(temp, dest)
        except FileExistsError:
            raise StoreError(f"{dest} already exists: choose a new name for the backup.") from None
        except OSError as exc:
            raise StoreError(
                f"The backup could not be written to {dest}: {exc.strerror}."
            ) from None
        finally:
            for leftover in [temp, *companion_files(temp)]:
                leftover.unlink(missing_ok=True)
        fsync_dir(dest.parent)
        return BackupResult(**{**result.__dict__, "path": dest})

    def _copy_to(self, temp: Path) -> None:
        with self._raw() as source:
            online_copy(source, temp, self._passphrase)

    # Set by open_store; kept out of repr and never logged.
    _passphrase: str = ""

    def doctor(self) -> DoctorReport:
        """Versions, integrity, schema, outbox and the file's place and permissions."""
        versions = library_versions()
        with self._raw() as raw:
            integrity = [str(row[0]) for row in raw.execute("PRAGMA integrity_check")]
            cipher_integrity = [
                str(row[0]) for row in raw.execute("PRAGMA cipher_integrity_check")
            ]
            journal_mode = str(raw.execute("PRAGMA journal_mode").fetchone()[0])
        sequences = self.repository.outbox_sequences()
        expected = range(1, (sequences[-1] if sequences else 0) + 1)
        gaps = sorted(set(expected) - set(sequences))
        file_modes = {self.path.name: mode_of(self.path)}
        for companion in companion_files(self.path):
            if companion.exists():
                file_modes[companion.name] = mode_of(companion)
        return DoctorReport(
            path=self.path,
            sqlite_version=versions.sqlite,
            cipher_version=versions.cipher,
            integrity=integrity,
            cipher_integrity=cipher_integrity,
            schema_revision=self.schema_revision(),
            head_revision=migrate.head_revision(),
            outbox_depth=self.repository.outbox_depth(),
            outbox_gaps=gaps,
            cases=self.repository.count_cases(),
            device_id=self.device_id,
            journal_mode=journal_mode,
            size_bytes=self.path.stat().st_size,
            folder_mode=mode_of(self.path.parent),
            file_modes=file_modes,
            filesystem=filesystem_type(self.path),
        )


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
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _backup_before_upgrade(path: Path, engine: sa.Engine, passphrase: str, revision: str) -> Path:
    """Keep a checked copy of the store as it was before a schema upgrade, beside it."""
    dest = path.with_name(f"{path.name}.before-upgrade-from-{revision}")
    if store_exists(dest):
        return dest  # made by an earlier attempt that stopped before committing
    temp = dest.with_name(f".{dest.name}.partial-{uuid.uuid4().hex[:8]}")
    try:
        make_private_file(temp)
        with store_errors(), engine.connect() as conn:
            online_copy(conn.connection.driver_connection, temp, passphrase)
        verify_backup(temp, passphrase)
        os.replace(temp, dest)
    except OSError as exc:
        raise StoreError(
            f"court-tui could not keep a copy of the store before upgrading it "
            f"({exc.strerror}); the store has not been changed."
        ) from None
    finally:
        for leftover in [temp, *companion_files(temp)]:
            leftover.unlink(missing_ok=True)
    fsync_dir(path.parent)
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


def _classify_unreadable(path: Path, passphrase: str) -> StoreError:
    """Why a file the key cannot read is refused: wrong passphrase or damage.

    With the right key every undamaged page passes its HMAC; with a wrong key none do. So
    a file where some pages pass is damaged, and one where none pass has the wrong key.
    """
    try:
        conn = connect_keyed(path, passphrase)
        try:
            failures = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        finally:
            conn.close()
    except (sqlcipher3.Error, StoreError):
        return WrongPassphrase(path)
    pages = max(1, path.stat().st_size // PAGE_SIZE)
    if pages > 1 and len(failures) < pages:
        return CorruptStore(path, "its first page cannot be read")
    return WrongPassphrase(path)


def _precheck_file(path: Path) -> None:
    """Refuse a plaintext SQLite file or a truncated one before any key is tried."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
        size = path.stat().st_size
    except OSError as exc:
        raise StoreError(f"The store at {path} cannot be read: {exc.strerror}.") from None
    if header == SQLITE_HEADER:
        raise NotEncrypted(path)
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise CorruptStore(path, f"its size, {size} bytes, is not whole pages")


def _probe(path: Path, passphrase: str) -> Any:
    """Read the store with the key and run the quick check, changing nothing.

    Returns the keyed connection, so the engine can use it instead of deriving the key
    again (a deliberate fraction of a second each time).
    """
    conn = connect_keyed(path, passphrase)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.Error as exc:
            if sqlite_code(exc) == SQLITE_NOTADB:
                raise _classify_unreadable(path, passphrase) from None
            raise CorruptStore(path, _reason(exc)) from None
        try:
            result = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
        except sqlcipher3.Error as exc:
            raise CorruptStore(path, _reason(exc)) from None
        if result != ["ok"]:
            raise CorruptStore(path, f"the quick check found: {result[0]}")
    except BaseException:
        conn.close()
        raise
    return conn


def _reason(exc: BaseException) -> str:
    if sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return "the database file is malformed"
    return str(exc.args[0]) if exc.args else type(exc).__name__


def _read_meta(engine: sa.Engine, key: str) -> str | None:
    with store_errors(), engine.connect() as conn:
        value = conn.execute(sa.select(META.c.value).where(META.c.key == key)).scalar_one_or_none()
    return None if value is None else str(value)


def _check_schema(path: Path, engine: sa.Engine) -> str | None:
    with store_errors(), engine.connect() as conn:
        try:
            revision = migrate.current_revision(conn)
        except sa.exc.DBAPIError:
            raise CorruptStore(path, "its schema version cannot be read") from None
    if revision is not None and revision not in migrate.known_revisions():
        raise NewerStore(path, revision)
    return revision


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
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, path)
        except FileExistsError:
            if path.stat().st_size:
                raise StoreError(
                    f"Another court-tui created a store at {path} at the same time; open it again."
                ) from None
            os.replace(temp, path)  # an empty file left by an interrupted start
        fsync_dir(path.parent)
    finally:
        for leftover in [temp, *companion_files(temp)]:
            leftover.unlink(missing_ok=True)


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
    check_library_versions()
    if not passphrase:
        raise StoreError("Enter the passphrase for the store.")
    if not store_exists(path):
        if not create:
            raise StoreNotFound(path)
        _create(path, passphrase, device_id)
    _precheck_file(path)
    probed = _probe(path, passphrase)
    engine = make_engine(path, passphrase, first=probed)
    try:
        revision = _check_schema(path, engine)
        if revision is None:
            raise CorruptStore(path, "it has no court-tui schema")
        if revision != migrate.head_revision():
            # The upgrade is one transaction, and a checked copy is kept first anyway.
            _backup_before_upgrade(path, engine, passphrase, revision)
            with store_errors():
                migrate.upgrade(engine)
        stored_device = _read_meta(engine, META_DEVICE_ID)
        if stored_device is None or _read_meta(engine, META_NEXT_SEQ) is None:
            raise CorruptStore(path, "its device record is missing")
        tighten_file_modes(path)
        repository = Repository(
            engine, device_id=stored_device, forms=forms or load_forms(), write_lock=WriteLock()
        )
    except BaseException:
        engine.dispose()
        raise
    store = Store(path, engine, repository)
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
    _precheck_file(backup)
    _probe(backup, passphrase).close()
    checked = verify_backup(backup, passphrase)
    make_private_dir(path.parent)
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
        fsync_dir(path.parent)
    finally:
        for leftover in [temp, *companion_files(temp)]:
            leftover.unlink(missing_ok=True)
    return checked, moved
