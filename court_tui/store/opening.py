"""Opening the store file with sqlcipher3 alone: every check made before anything is
written, and what the first screen reads (the settings and the case list).

Start-up draws the case list from here before SQLAlchemy is imported; the full store
(store/store.py) is then built on the same keyed connection, so the key is derived once.
Every open goes through `open_file`, so the checks are made in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlcipher3

from court_tui.domain.checks import CHECK_OUTSTANDING
from court_tui.store.entries import CaseSummary
from court_tui.store.errors import (
    CorruptStore,
    NewerStore,
    NotEncrypted,
    StoreError,
    StoreNotFound,
    WrongPassphrase,
)
from court_tui.store.in_use import OpenHold, hold_open
from court_tui.store.keyed import (
    SQLITE_CORRUPT,
    SQLITE_HEADER,
    SQLITE_NOTADB,
    check_library_versions,
    configure,
    connect_keyed,
    raise_store_error,
    sqlite_code,
)
from court_tui.store.paths import store_exists
from court_tui.store.revisions import (
    STORE_MIGRATIONS,
    one_revision,
    revision_query,
    shipped_revisions,
)

_log = logging.getLogger(__name__)
T = TypeVar("T")

# SQLCipher 4 pages: every valid store is a whole number of these.
PAGE_SIZE = 4096

# The facts about a store kept in its `meta` table: without both it is not whole.
META_DEVICE_ID = "device_id"
META_NEXT_SEQ = "outbox_next_seq"

# An outstanding check, as the partial index of them is written: a query must repeat it
# as a literal (a bound parameter would not match the index).
CHECK_IS_OUTSTANDING = f"status = '{CHECK_OUTSTANDING}'"

# The case list: the summary columns, and the soonest "reply expected by" of the case's
# outstanding checks, so the list can say a pending check is overdue. The one statement
# both this module and the repository read the list with.
_CASE_LIST = (
    "SELECT id, name, crn, pnc, court, courtroom, hearing_date, pending_checks, status, "
    "updated_at, (SELECT min(checks.expected_by) FROM checks WHERE checks.case_id = cases.id "
    f"AND checks.{CHECK_IS_OUTSTANDING}) AS next_check_due FROM cases"
)
_CASE_LIST_ORDER = " ORDER BY cases.hearing_date IS NULL, cases.hearing_date, cases.name"


def case_list_query(on: date | None) -> tuple[str, tuple[str, ...]]:
    """The SQL and its parameters for the cases heard ON a day (every case when None)."""
    if on is None:
        return _CASE_LIST + _CASE_LIST_ORDER, ()
    return f"{_CASE_LIST} WHERE cases.hearing_date = ?{_CASE_LIST_ORDER}", (on.isoformat(),)


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def _utc(value: object) -> datetime:
    moment = datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# What the case list says of a line whose stored values cannot all be read: the case is
# still listed, with what could be read, so one damaged row never hides the others.
UNREADABLE_STATUS = "Damaged: run court-tui doctor"


def _or_none(read: Callable[[object], T], value: object) -> T | None:
    try:
        return read(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _count(value: object) -> int:
    return int(str(value))


def _summary(row: Any) -> CaseSummary:
    case_id, name, crn, pnc, court, room, hearing, pending, status, updated, due = row
    hearing_date = _or_none(_day, hearing)
    pending_checks = _or_none(_count, pending)
    updated_at = _or_none(_utc, updated)
    next_check_due = _or_none(_day, due)
    readable = (
        (hearing is None or hearing_date is not None)
        and pending_checks is not None
        and updated_at is not None
        and (due is None or next_check_due is not None)
    )
    if not readable:
        _log.warning("case %s: a case list value cannot be read; listed as damaged", case_id)
    return CaseSummary(
        id=str(case_id),
        name=str(name or ""),
        crn=str(crn or ""),
        pnc=str(pnc or ""),
        court=str(court or ""),
        courtroom=str(room or ""),
        hearing_date=hearing_date,
        pending_checks=pending_checks or 0,
        status=str(status) if readable else UNREADABLE_STATUS,
        updated_at=updated_at or datetime.min.replace(tzinfo=UTC),
        next_check_due=next_check_due,
    )


def case_summaries(rows: Any) -> list[CaseSummary]:
    """The rows of `case_list_query` as case list lines (dates as the store writes them:
    ISO days, and UTC times without their zone). A row with a value that cannot be read is
    still listed, with what can be read and the status `UNREADABLE_STATUS`, and logged by
    its id alone."""
    return [_summary(row) for row in rows]


def precheck_file(path: Path) -> None:
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


def probe(path: Path, passphrase: str) -> Any:
    """Read the store with the key and run the quick check, changing nothing.

    Returns the keyed connection, so that nothing derives the key again (a deliberate
    fraction of a second each time).
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


def _schema_revision(path: Path, conn: Any) -> str:
    """The store's schema revision, read with one query; a store with none, or with one
    this build does not know (made by a newer court-tui), is refused."""
    try:
        revision = one_revision(conn.execute(revision_query()).fetchall())
    except sqlcipher3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise CorruptStore(path, "its schema version cannot be read") from None
        revision = None
    except (sqlcipher3.Error, ValueError):
        raise CorruptStore(path, "its schema version cannot be read") from None
    if revision is None:
        raise CorruptStore(path, "it has no court-tui schema")
    if revision not in shipped_revisions(STORE_MIGRATIONS):
        raise NewerStore(path, revision)
    return revision


def _device_id(path: Path, conn: Any) -> str:
    """The store's device id; a store without its device record is refused."""
    try:
        rows = conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (META_DEVICE_ID, META_NEXT_SEQ)
        ).fetchall()
    except sqlcipher3.Error as exc:
        raise_store_error(exc)
    meta = {str(key): value for key, value in rows}
    if meta.get(META_DEVICE_ID) is None or meta.get(META_NEXT_SEQ) is None:
        raise CorruptStore(path, "its device record is missing")
    return str(meta[META_DEVICE_ID])


class OpenedFile:
    """A store file that passed every check, open on its keyed connection, with the shared
    hold that keeps a restore from replacing it. Owns both until `take` hands them on or
    `close` ends them; use it from one thread at a time."""

    def __init__(
        self,
        path: Path,
        passphrase: str,
        connection: Any,
        hold: OpenHold,
        revision: str,
        device_id: str,
    ) -> None:
        self.path = path
        self.passphrase = passphrase
        self.revision = revision
        self.device_id = device_id
        self._connection = connection
        self._hold = hold
        self._settings: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"OpenedFile({str(self.path)!r})"

    @property
    def up_to_date(self) -> bool:
        """Whether the store is at the newest revision this build knows (else the full
        store upgrades it, keeping a copy first)."""
        return self.revision == shipped_revisions(STORE_MIGRATIONS)[-1]

    def _conn(self) -> Any:
        if self._connection is None:
            raise StoreError("The store was closed.")
        return self._connection

    def settings(self) -> dict[str, str]:
        """Every setting as the store held it when first asked (read once, in one query:
        start-up asks for several)."""
        return dict(self._read_settings())

    def _read_settings(self) -> dict[str, str]:
        if self._settings is None:
            try:
                rows = self._conn().execute("SELECT key, value FROM settings").fetchall()
            except sqlcipher3.Error as exc:
                raise_store_error(exc)
            self._settings = {str(key): str(value) for key, value in rows}
        return self._settings

    def get_setting(self, key: str) -> str | None:
        """The setting KEY as the store held it when first asked."""
        return self._read_settings().get(key)

    def list_cases(self, on: date | None) -> list[CaseSummary]:
        """The cases heard ON a day (every case when ON is None)."""
        sql, params = case_list_query(on)
        try:
            rows = self._conn().execute(sql, params).fetchall()
        except sqlcipher3.Error as exc:
            raise_store_error(exc)
        return case_summaries(rows)

    def take(self) -> tuple[Any, OpenHold]:
        """Hand the keyed connection and the hold to the full store; this is closed after."""
        taken = (self._conn(), self._hold)
        self._connection = None
        self._hold = OpenHold(None)
        return taken

    def close(self) -> None:
        """Close the connection and let go of the hold."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._hold.release()


def open_file(
    path: Path, passphrase: str, *, create: Callable[[], None] | None = None
) -> OpenedFile:
    """Open the store at PATH with PASSPHRASE, making every check before anything is
    written: the libraries, the plaintext header and size, the key and the quick check,
    the schema revision and the device record. CREATE, when given, is called to make a
    store that is missing.

    Raises WrongPassphrase, CorruptStore, NotEncrypted, NewerStore, StoreNotFound or
    another StoreError, each having left the file as it was.
    """
    path = Path(path).expanduser().absolute()
    check_library_versions()
    if not passphrase:
        raise StoreError("Enter the passphrase for the store.")
    if not store_exists(path):
        if create is None:
            raise StoreNotFound(path)
        create()
    hold = hold_open(path)
    try:
        precheck_file(path)
        conn = probe(path, passphrase)
        try:
            try:
                configure(conn)
            except sqlcipher3.Error as exc:
                raise_store_error(exc)
            revision = _schema_revision(path, conn)
            device_id = _device_id(path, conn)
        except BaseException:
            conn.close()
            raise
    except BaseException:
        hold.release()
        raise
    return OpenedFile(path, passphrase, conn, hold, revision, device_id)
