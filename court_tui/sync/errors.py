"""What can go wrong talking to the central store, in words an officer can act on.

Only `CannotReach` and `CentralBusy` are worth retrying: the network or the server went
away, or the server is full for now. A refusal
(login, permission) or a server that is not set up will say the same thing next time.
Messages never contain a password or SQL text.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import psycopg
import sqlalchemy as sa
from pydantic import ValidationError

from court_tui.domain.dates import describe_moment, to_local
from court_tui.domain.device_contact import MAX_REVOKE_REASON
from court_tui.store.errors import PlainError

SAVED_LOCALLY = "Your work is saved on this laptop."
# The SQLSTATE the central store refuses a revoked laptop with (migration 0005).
DEVICE_REVOKED_SQLSTATE = "CTR01"


class SyncError(PlainError):
    """A sync problem, with a message in plain words."""


class CannotReach(SyncError):
    """The central store could not be reached, or the connection was lost: try again."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Cannot reach the central store ({reason}). {SAVED_LOCALLY}")
        self.reason = reason


class NotAnswering(SyncError):
    """The central store took the connection but did not answer in time (stopped, or
    held up by someone's open transaction). WORTH_RETRYING when it said so itself (a lock
    or statement timed out there), not when this laptop gave up waiting."""

    def __init__(self, reason: str, *, worth_retrying: bool = False) -> None:
        super().__init__(f"The central store is not answering ({reason}). {SAVED_LOCALLY}")
        self.reason = reason
        self.worth_retrying = worth_retrying


class CentralBusy(SyncError):
    """The central store is full (every connection it allows is taken, or this login's
    are): nothing is wrong, so the sync waits and tries again. RETRY_AT, when known, is
    when this laptop will next try."""

    PREFIX = "The central store is busy"

    def __init__(self, reason: str, retry_at: datetime | None = None) -> None:
        when = f"at {to_local(retry_at):%H:%M}" if retry_at is not None else "in a moment"
        super().__init__(f"{self.PREFIX}, trying again {when}. {SAVED_LOCALLY}")
        self.reason = reason
        self.retry_at = retry_at

    def at(self, retry_at: datetime) -> CentralBusy:
        """The same, saying when this laptop tries again."""
        return CentralBusy(self.reason, retry_at)


class ServerRefused(SyncError):
    """The central store answered but would not do it: a login or permission problem."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The central store refused the sync ({reason}). {SAVED_LOCALLY}")
        self.reason = reason


class ServerProblem(SyncError):
    """The central store failed in a way retrying will not fix."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The central store could not sync ({reason}). {SAVED_LOCALLY}")
        self.reason = reason


class DeviceRevoked(SyncError):
    """The central store has cut this laptop off (revoked it): not a passing fault, so
    never retried. Its unsynced work stays on the laptop for its owner to export."""

    def __init__(
        self,
        *,
        revoked_at: datetime | None = None,
        revoked_by: str = "",
        reason: str = "",
        device_id: str = "",
    ) -> None:
        self.revoked_at = revoked_at
        self.revoked_by = _plain(revoked_by, 200)
        self.reason = _plain(reason, MAX_REVOKE_REASON)
        self.device_id = _plain(device_id, 100)
        super().__init__(f"{self.cut_off_words()} {KEPT_FOR_EXPORT}")

    def cut_off_words(self, lead: str = "This laptop was cut off from the central store") -> str:
        """'LEAD on ... by ...: REASON.' (LEAD: 'This laptop was cut off from the central
        store')."""
        words = lead
        if self.revoked_at is not None:
            words += f" on {describe_moment(self.revoked_at)}"
        if self.revoked_by:
            words += f" by {self.revoked_by}"
        return f"{words}: {self.reason.rstrip('.')}." if self.reason else f"{words}."

    def as_json(self) -> str:
        """The refusal as kept on the laptop (see `from_json`)."""
        return json.dumps(
            {
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
                "revoked_by": self.revoked_by,
                "reason": self.reason,
                "device_id": self.device_id,
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> DeviceRevoked:
        """The refusal the central store described in TEXT (its error's detail, or what
        `as_json` kept); whatever in it cannot be read is left out, never trusted."""
        found: Any = None
        if text and len(text) <= 4_000:
            try:
                found = json.loads(text)
            except ValueError:
                found = None
        if not isinstance(found, dict):
            return cls()
        by, name = _field(found, "revoked_by"), _field(found, "revoked_by_name")
        return cls(
            revoked_at=_moment(found.get("revoked_at")),
            revoked_by=f"{name} ({by})" if name and by and name != by else name or by,
            reason=_field(found, "reason"),
            device_id=_field(found, "device_id"),
        )


# What a cut-off laptop's owner does with the work it holds.
KEPT_FOR_EXPORT = (
    "Your unsynced work is kept on this laptop: export each case with `court-tui export "
    "CASE --out FILE` (or copy the whole store with `court-tui backup DEST`) and give it to "
    "your supervisor."
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _plain(text: str, limit: int) -> str:
    """TEXT from the central store on one line, without control characters, bounded."""
    return _CONTROL.sub(" ", text).strip()[:limit]


def _field(found: dict[str, Any], key: str) -> str:
    value = found.get(key)
    return value if isinstance(value, str) else ""


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class CentralTooOld(SyncError):
    """The central store's court-tui is older than this laptop's and lacks what it needs."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"The central store's court-tui is older than this laptop's, so {what} wait "
            "here until an administrator runs `court-tui server init` to upgrade it."
        )


# A server that is full says so with SQLSTATE 53300 (too_many_connections: the server's,
# a database's or a login's limit) or 57P03 (cannot_connect_now: starting up); libpq
# reports a refused login by text, so the words are matched too.
_BUSY_STATES = ("53300", "57P03")
_BUSY_PHRASES = (
    "too many clients already",
    "remaining connection slots are reserved",
    "too many connections for",
    "the database system is starting up",
)

# Connection failures come from libpq as text only; these phrases say what happened.
_REASONS = (
    ("connection refused", "connection refused"),
    ("timeout expired", "no answer in time"),
    ("timed out", "no answer in time"),
    ("no such file or directory", "no server at that address"),
    ("could not translate host name", "unknown server name"),
    ("name or service not known", "unknown server name"),
    ("network is unreachable", "no network"),
    ("no route to host", "no network"),
    ("server closed the connection unexpectedly", "the connection was lost"),
    ("terminating connection", "the server closed the connection"),
    ("connection is lost", "the connection was lost"),
    ("the connection is closed", "the connection was lost"),
    ("consuming input failed", "the connection was lost"),
    ("ssl", "a secure connection could not be made"),
)
_LOGIN_PHRASES = (
    "password authentication failed",
    "no password supplied",
    "does not exist",
    "no pg_hba.conf entry",
    "peer authentication failed",
    "certificate",
)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def short_reason(exc: BaseException) -> str:
    """A few words saying why a connection failed, for the status line."""
    text = str(exc).lower()
    for phrase, reason in _REASONS:
        if phrase in text:
            return reason
    line = _first_line(exc).rsplit(": ", 1)[-1].strip().rstrip(".")
    return line[:80] or "no reason given"


def _is_busy(exc: BaseException) -> bool:
    if getattr(exc, "sqlstate", None) in _BUSY_STATES:
        return True
    text = str(exc).lower()
    return isinstance(exc, psycopg.Error) and any(phrase in text for phrase in _BUSY_PHRASES)


def translate(exc: BaseException) -> SyncError:
    """The SyncError for a driver or SQLAlchemy error EXC."""
    if isinstance(exc, SyncError):
        return exc
    if isinstance(exc, sa.exc.TimeoutError):
        return CannotReach("no connection free in time")
    orig: BaseException = exc
    if isinstance(exc, sa.exc.DBAPIError) and exc.orig is not None:
        orig = exc.orig
    if isinstance(orig, psycopg.Error) and orig.sqlstate == DEVICE_REVOKED_SQLSTATE:
        return DeviceRevoked.from_json(orig.diag.message_detail)
    if _is_busy(orig):
        return CentralBusy(_first_line(orig)[-120:])
    if isinstance(exc, sa.exc.DBAPIError) and exc.connection_invalidated:
        return CannotReach(short_reason(orig))
    if isinstance(orig, psycopg.errors.LockNotAvailable | psycopg.errors.DeadlockDetected):
        return NotAnswering("another sync holds the cases it needs", worth_retrying=True)
    if isinstance(orig, psycopg.errors.QueryCanceled):
        return NotAnswering("it stopped a call that ran too long", worth_retrying=True)
    if isinstance(orig, psycopg.errors.IdleInTransactionSessionTimeout):
        return NotAnswering("it ended a call left waiting", worth_retrying=True)
    if isinstance(orig, psycopg.errors.InsufficientPrivilege):
        return ServerRefused(_first_line(orig))
    if isinstance(
        orig, psycopg.errors.InvalidAuthorizationSpecification | psycopg.errors.InvalidPassword
    ):
        return ServerRefused("your login was not accepted")
    if isinstance(orig, psycopg.errors.UndefinedFunction | psycopg.errors.InvalidSchemaName):
        return ServerProblem("it is not set up for court-tui: run `court-tui server init`")
    if isinstance(orig, psycopg.OperationalError | psycopg.InterfaceError):
        text = str(orig).lower()
        if "is not permitted to log in" in text:
            return ServerRefused(
                "your login is disabled on the central store: ask its administrator"
            )
        if any(phrase in text for phrase in _LOGIN_PHRASES) and "connection" in text:
            return ServerRefused("your login was not accepted: " + _first_line(orig)[-120:])
        return CannotReach(short_reason(orig))
    if isinstance(orig, psycopg.Error):
        return ServerProblem(_first_line(orig)[:160])
    return ServerProblem(type(orig).__name__)


def is_transport_error(exc: BaseException) -> bool:
    """Whether EXC is worth retrying (a lost or refused connection, a lock the central
    store gave up on; never a refusal, nor a central store this laptop gave up waiting for)."""
    if isinstance(exc, NotAnswering):
        return exc.worth_retrying
    return isinstance(exc, CannotReach | CentralBusy)


def describe_invalid(invalid: ValidationError) -> str:
    """The first thing the domain model could not read in a case, e.g. 'answers.rsr:
    Input should be a valid number'."""
    errors = invalid.errors()
    if not errors:
        return "not readable"
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}"[:200] if where else str(first["msg"])[:200]
