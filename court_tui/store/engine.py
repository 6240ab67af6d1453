"""The SQLAlchemy engine on the SQLCipher connection (store/keyed.py), and driver errors
in plain words.

The key goes in with `PRAGMA key` from a creator function, never a URL: the stock
pysqlcipher dialect would send `PRAGMA key` again from the URL's (empty) password, so a
subclass drops that one step and keeps the rest of the dialect.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import sqlcipher3
from sqlalchemy import event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, Engine
from sqlalchemy.pool import QueuePool

from court_tui.store.errors import StoreError

# The connection's own parts, named here too for the modules built on the engine.
from court_tui.store.keyed import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from court_tui.store.keyed import CACHE_KIB as CACHE_KIB
from court_tui.store.keyed import MIN_CIPHER_MAJOR as MIN_CIPHER_MAJOR
from court_tui.store.keyed import MIN_SQLITE_VERSION as MIN_SQLITE_VERSION
from court_tui.store.keyed import SQLITE_BUSY as SQLITE_BUSY
from court_tui.store.keyed import SQLITE_CORRUPT as SQLITE_CORRUPT
from court_tui.store.keyed import SQLITE_FULL as SQLITE_FULL
from court_tui.store.keyed import SQLITE_HEADER as SQLITE_HEADER
from court_tui.store.keyed import SQLITE_IOERR as SQLITE_IOERR
from court_tui.store.keyed import SQLITE_LOCKED as SQLITE_LOCKED
from court_tui.store.keyed import SQLITE_NOTADB as SQLITE_NOTADB
from court_tui.store.keyed import LibraryVersions as LibraryVersions
from court_tui.store.keyed import _quoted as _quoted
from court_tui.store.keyed import check_library_versions as check_library_versions
from court_tui.store.keyed import configure as configure
from court_tui.store.keyed import connect_keyed as connect_keyed
from court_tui.store.keyed import library_versions as library_versions
from court_tui.store.keyed import raise_store_error as raise_store_error
from court_tui.store.keyed import sqlite_code as sqlite_code

POOL_SIZE = 4


class CourtTuiCipherDialect(SQLiteDialect_pysqlcipher):
    """The pysqlcipher dialect, keyed by our creator instead of the URL."""

    supports_statement_cache = True

    def on_connect_url(self, url: URL) -> Callable[[Any], None] | None:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)


registry.register("sqlite.courttui_sqlcipher", __name__, "CourtTuiCipherDialect")
ENGINE_URL = "sqlite+courttui_sqlcipher://"


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
