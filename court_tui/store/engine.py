"""The SQLCipher connection: key, pragmas, version checks, and errors in plain words.

The key goes in with `PRAGMA key` from a creator function, never a URL: the stock
pysqlcipher dialect would send `PRAGMA key` again from the URL's (empty) password, so a
subclass drops that one step and keeps the rest of the dialect.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa
import sqlcipher3
from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import QueuePool

from court_tui.store.errors import DiskFull, StoreError, StoreTooOld

# SQLite 3.51.3 fixed the WAL-reset corruption race; SQLCipher 4 is the file format we write.
MIN_SQLITE_VERSION = (3, 51, 3)
MIN_CIPHER_MAJOR = 4
BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 4
CACHE_KIB = 32_000

SQLITE_HEADER = b"SQLite format 3\x00"

# Primary SQLite result codes (the low byte of extended codes).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26


class CourtTuiCipherDialect(SQLiteDialect_pysqlcipher):
    """The pysqlcipher dialect, keyed by our creator instead of the URL."""

    supports_statement_cache = True

    def on_connect_url(self, url: URL) -> Callable[[Any], None] | None:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)


registry.register("sqlite.courttui_sqlcipher", __name__, "CourtTuiCipherDialect")
ENGINE_URL = "sqlite+courttui_sqlcipher://"


@dataclass(frozen=True)
class LibraryVersions:
    """The SQLite and SQLCipher inside this build."""

    sqlite: str
    cipher: str


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split()[0].split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def library_versions() -> LibraryVersions:
    """The versions of SQLite and SQLCipher this build links."""
    conn = sqlcipher3.connect(":memory:")
    try:
        sqlite_version = str(conn.execute("SELECT sqlite_version()").fetchone()[0])
        row = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    return LibraryVersions(sqlite=sqlite_version, cipher=str(row[0]) if row else "")


def check_library_versions() -> LibraryVersions:
    """The library versions; raises StoreTooOld when they cannot keep the store safe."""
    versions = library_versions()
    if not versions.cipher:
        raise StoreTooOld("This court-tui build has no SQLCipher, so it cannot encrypt the store.")
    if _version_tuple(versions.sqlite) < MIN_SQLITE_VERSION:
        wanted = ".".join(map(str, MIN_SQLITE_VERSION))
        raise StoreTooOld(
            f"This court-tui build has SQLite {versions.sqlite}; the store needs {wanted} or "
            "newer (a WAL corruption fix). Reinstall court-tui."
        )
    if _version_tuple(versions.cipher)[0] < MIN_CIPHER_MAJOR:
        raise StoreTooOld(
            f"This court-tui build has SQLCipher {versions.cipher}; the store needs version "
            f"{MIN_CIPHER_MAJOR}. Reinstall court-tui."
        )
    return versions


def _quoted(passphrase: str) -> str:
    if not passphrase:
        raise StoreError("The passphrase is empty.")
    if "\x00" in passphrase:
        raise StoreError("The passphrase cannot contain a NUL character.")
    return "'" + passphrase.replace("'", "''") + "'"


def connect_keyed(path: Path, passphrase: str) -> Any:
    """A raw sqlcipher3 connection to PATH with the key set and nothing read yet.

    Autocommit at the driver level: transactions are begun explicitly (see `make_engine`).
    """
    key_sql = f"PRAGMA key = {_quoted(passphrase)}"
    conn = sqlcipher3.connect(
        str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
    )
    try:
        # SQLCipher logs decryption failures to stderr; our own message says it better.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(key_sql)
    except sqlcipher3.Error:
        conn.close()
        raise StoreError("court-tui could not set the store's key.") from None
    return conn


def configure(conn: Any) -> None:
    """The pragmas every connection runs with (after the key, which reads page 1)."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
    if not mode or str(mode[0]).lower() != "wal":
        raise StoreError("court-tui could not switch the store to write-ahead logging.")
    # A temporary file must not leak plaintext: keep temp tables and sorts in memory.
    conn.execute("PRAGMA temp_store = MEMORY")
    # Every page read is decrypted and checked; a larger cache keeps the lists' pages.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def make_engine(path: Path, passphrase: str, *, first: Any = None) -> Engine:
    """An engine on PATH whose every connection is keyed and configured.

    FIRST, a connection already keyed by `connect_keyed`, is used before any new one.
    Writes use `BEGIN IMMEDIATE` (the `immediate` execution option), so a writer takes
    the lock before reading and never fails half-way with SQLITE_BUSY on upgrade.
    """
    spare = [first] if first is not None else []

    def creator() -> Any:
        conn = spare.pop() if spare else connect_keyed(path, passphrase)
        try:
            configure(conn)
        except sqlcipher3.Error as exc:
            conn.close()
            raise_store_error(exc)
        return conn

    engine = sa.create_engine(
        ENGINE_URL,
        creator=creator,
        poolclass=QueuePool,
        pool_size=POOL_SIZE,
        max_overflow=0,
        # The connection used last is taken first: its page cache holds the pages it
        # read and wrote, where another would decrypt them again from the file.
        pool_use_lifo=True,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code behind EXC, when there is one."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(orig).lower()
    if "database or disk is full" in text:
        return SQLITE_FULL
    if "disk i/o error" in text:
        return SQLITE_IOERR
    return None


def raise_store_error(exc: BaseException) -> NoReturn:
    """Raise the StoreError for a driver error EXC, with no SQL text and no key in it."""
    code = sqlite_code(exc)
    if code == SQLITE_FULL:
        raise DiskFull(DiskFull.FULL) from None
    if code == SQLITE_IOERR:
        raise DiskFull(DiskFull.IO_ERROR) from None
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        raise StoreError(
            "The store is busy: another court-tui on this laptop is saving. Try again."
        ) from None
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        raise StoreError(
            "The store is damaged: court-tui stopped without saving. Run `court-tui doctor`."
        ) from None
    raise StoreError(f"The store could not do that ({_safe_reason(exc)}).") from None


def _safe_reason(exc: BaseException) -> str:
    # The driver's own message, never the statement or its parameters.
    orig = getattr(exc, "orig", exc)
    return str(orig.args[0]) if getattr(orig, "args", None) else type(orig).__name__


DRIVER_ERRORS: tuple[type[BaseException], ...] = (sa.exc.DBAPIError, sqlcipher3.Error)


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn driver errors inside the block into StoreError."""
    try:
        yield
    except StoreError:
        raise
    except DRIVER_ERRORS as exc:
        raise_store_error(exc)


class WriteLock:
    """One writer in this process: threads take turns before SQLite's own lock."""

    def __init__(self) -> None:
        self._lock = threading.RLock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
