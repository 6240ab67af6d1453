"""The SQLCipher connection itself, through sqlcipher3 alone: key, pragmas, version checks
and driver errors in plain words.

No SQLAlchemy here, so that start-up can open the store and read the case list before
SQLAlchemy is imported (store/opening.py); the engine (store/engine.py) is built on this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import sqlcipher3

from court_tui.store.errors import DiskFull, StoreError, StoreTooOld

# SQLite 3.51.3 fixed the WAL-reset corruption race; SQLCipher 4 is the file format we write.
MIN_SQLITE_VERSION = (3, 51, 3)
MIN_CIPHER_MAJOR = 4
BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 32_000

SQLITE_HEADER = b"SQLite format 3\x00"

# Primary SQLite result codes (the low byte of extended codes).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_NOTADB = 26


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
