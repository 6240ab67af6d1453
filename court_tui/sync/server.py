"""Setting up the central PostgreSQL store: the schema, and a login for each person.

These run as a database administrator (a superuser, or a role with CREATEROLE that may
create schemas), never as an officer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL

from court_tui.domain.dates import describe_moment
from court_tui.domain.device_contact import revoke_reason
from court_tui.sync.errors import SyncError, translate
from court_tui.sync.server_schema import (
    CENTRAL,
    GROUP_ROLES,
    LOGIN_SETTINGS,
    OWNER_ROLE,
    SCHEMA,
)

CONNECT_TIMEOUT_SECONDS = 5
Role = Literal["officer", "supervisor"]
# Login names become PostgreSQL role names: keep them plain so nobody has to quote them.
LOGIN_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,62}$")


def server_url(text: str) -> URL:
    """TEXT as a SQLAlchemy URL for the psycopg 3 driver; raises SyncError when it is not
    a PostgreSQL address."""
    try:
        url = sa.make_url(text.strip())
    except sa.exc.ArgumentError:
        raise SyncError(
            "That is not a central store address: give one like postgresql://NAME@HOST/DATABASE"
        ) from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        raise SyncError(
            f"The central store must be PostgreSQL (postgresql://...), not {url.drivername}."
        )
    return url.set(drivername="postgresql+psycopg")


def display_url(url: URL | str) -> str:
    """URL as text with any password hidden, for messages and settings."""
    parsed = server_url(url) if isinstance(url, str) else url
    return parsed.render_as_string(hide_password=True)


# TCP keepalives: a server or network gone silent is noticed within about a minute even
# when no call is waiting on it.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}


def make_engine(
    url: URL | str, *, pool_size: int = 1, settings: dict[str, str] | None = None
) -> sa.Engine:
    """An engine on the central store that fails fast when it cannot be reached, with
    SETTINGS (e.g. timeouts) for each session.

    No pre-ping: a connection that went stale fails as a transport error, the pool drops
    it, and the retry opens a new one.
    """
    parsed = server_url(url) if isinstance(url, str) else url
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": "court-tui",
        **KEEPALIVES,
    }
    if settings:
        connect_args["options"] = " ".join(f"-c {key}={value}" for key, value in settings.items())
    return sa.create_engine(parsed, pool_size=pool_size, max_overflow=1, connect_args=connect_args)


@contextmanager
def _admin(url: URL | str) -> Iterator[sa.Connection]:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            yield conn
    except SyncError:
        raise
    except (sa.exc.SQLAlchemyError, psycopg.Error) as exc:
        problem = translate(exc)
        reason = getattr(problem, "reason", problem.message)
        raise SyncError(f"The central store could not do that: {reason}.") from None
    finally:
        engine.dispose()


def head_revision() -> str:
    """The newest central schema revision this build knows."""
    return CENTRAL.head()


def current_revision(conn: sa.Connection) -> str | None:
    """The central schema revision recorded in the database, or None."""
    return CENTRAL.current(conn)


@dataclass(frozen=True)
class InitResult:
    """What `server init` did: the schema revision before and after."""

    before: str | None
    after: str

    def lines(self) -> list[str]:
        """The result in plain words."""
        if self.before == self.after:
            return [f"The central store is already set up (schema {self.after})."]
        if self.before is None:
            return [
                f"The central store is set up (schema {self.after}).",
                "Next: add each person with `court-tui server add-user NAME --team TEAM "
                "--role officer` (or --role supervisor).",
            ]
        return [f"The central store schema was upgraded from {self.before} to {self.after}."]


def init_server(url: URL | str, *, target: str = "head") -> InitResult:
    """Create or upgrade the central schema, its roles, security policies and functions
    (to TARGET, a revision: the newest unless told)."""
    with _admin(url) as conn:
        exists = conn.exec_driver_sql(
            f"SELECT to_regclass('{SCHEMA}.alembic_version') IS NOT NULL"
        ).scalar_one()
        before = current_revision(conn) if exists else None
        if before is not None and before not in CENTRAL.known():
            raise SyncError(
                f"The central store was set up by a newer court-tui (schema {before}); "
                "update court-tui before running `server init`."
            )
        CENTRAL.upgrade(conn, target)
        after = current_revision(conn)
    return InitResult(before=before, after=after or head_revision())


@dataclass(frozen=True)
class AddUserResult:
    """What `server add-user` did."""

    name: str
    role: Role
    teams: tuple[str, ...]
    created: bool
    password_set: bool
    disabled: bool = False

    def lines(self) -> list[str]:
        """The result in plain words."""
        teams = ", ".join(self.teams)
        verb = "Added" if self.created else "Updated"
        lines = [f"{verb} {self.role} {self.name} on team(s): {teams}."]
        if self.disabled:
            lines.append(
                f"{self.name}'s login stays disabled: `court-tui server add-user {self.name} "
                "--enable` lets them in again."
            )
        if not self.password_set and self.created:
            lines.append(
                "No password was set: the server's own login rules (certificate, LDAP or "
                "peer) must let them in, or set one with --password-stdin."
            )
        return lines


def add_user(
    url: URL | str,
    name: str,
    *,
    teams: Sequence[str],
    role: Role,
    display_name: str | None = None,
    password: str | None = None,
) -> AddUserResult:
    """Create (or update) the login role NAME as an officer or supervisor of TEAMS."""
    if not LOGIN_NAME.match(name):
        raise SyncError(
            f"{name!r} cannot be a login name: use lower-case letters, digits, '.', '_' or "
            "'-', starting with a letter (at most 63)."
        )
    wanted = tuple(dict.fromkeys(team.strip() for team in teams if team.strip()))
    if not wanted:
        raise SyncError("Give at least one team with --team TEAM.")
    if role not in GROUP_ROLES:
        raise SyncError("The role must be officer or supervisor.")
    with _admin(url) as conn:
        if not _schema_ready(conn):
            raise SyncError("The central store is not set up yet: run `court-tui server init`.")
        quoted = conn.dialect.identifier_preparer.quote(name)
        row = conn.execute(
            sa.text("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = :name"),
            {"name": name},
        ).first()
        if row is not None and row.rolsuper:
            raise SyncError(
                f"{name} is a database superuser, which row-level security cannot hold to "
                "a team: court-tui users must be ordinary logins."
            )
        created = row is None
        disabled = not created and _disabled_at(conn, name) is not None
        if created:
            conn.exec_driver_sql(f"CREATE ROLE {quoted} LOGIN")
        elif row is not None and not row.rolcanlogin and not disabled:
            conn.exec_driver_sql(f"ALTER ROLE {quoted} LOGIN")
        for setting, value in LOGIN_SETTINGS.items():
            conn.exec_driver_sql(f"ALTER ROLE {quoted} SET {setting} = '{value}'")
        if password:
            verifier = _scram_verifier(conn, name, password)
            conn.exec_driver_sql(f"ALTER ROLE {quoted} PASSWORD '{verifier}'")
        for other_role, group in GROUP_ROLES.items():
            if other_role == role:
                conn.exec_driver_sql(f"GRANT {group} TO {quoted}")
            else:
                conn.exec_driver_sql(f"REVOKE {group} FROM {quoted}")
        conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
        conn.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.staff (login_name, display_name, role) "
                "VALUES (:name, :display, :role) ON CONFLICT (login_name) DO UPDATE "
                "SET display_name = EXCLUDED.display_name, role = EXCLUDED.role"
            ),
            {"name": name, "display": (display_name or name).strip(), "role": role},
        )
        conn.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.staff_teams (login_name, team) VALUES (:name, :team) "
                "ON CONFLICT DO NOTHING"
            ),
            [{"name": name, "team": team} for team in wanted],
        )
        conn.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.audit_log (action, detail) VALUES ('add-user', :detail)"
            ),
            {"detail": f"{name} as {role} on {', '.join(wanted)}"},
        )
        teams_now = tuple(
            conn.execute(
                sa.text(
                    f"SELECT team FROM {SCHEMA}.staff_teams WHERE login_name = :name ORDER BY team"
                ),
                {"name": name},
            ).scalars()
        )
    return AddUserResult(name, role, teams_now, created, bool(password), disabled)


def _scram_verifier(conn: sa.Connection, name: str, password: str) -> str:
    # libpq hashes the password here, so the plain text never reaches the server's logs.
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    verifier = raw.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
    return verifier.decode()


def _schema_ready(conn: sa.Connection) -> bool:
    return bool(
        conn.exec_driver_sql(f"SELECT to_regclass('{SCHEMA}.staff') IS NOT NULL").scalar_one()
    )


def put_reference_data(url: URL | str, kind: str, payload: Any) -> None:
    """Publish reference data of KIND (courts, teams, offence lists) to every laptop."""
    text = json.dumps(payload, ensure_ascii=False)
    with _admin(url) as conn:
        if not _schema_ready(conn):
            raise SyncError("The central store is not set up yet: run `court-tui server init`.")
        conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
        conn.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.reference_data (kind, payload, change_seq) "
                "VALUES (:kind, :payload, 0) ON CONFLICT (kind) DO UPDATE "
                "SET payload = EXCLUDED.payload, updated_at = now()"
            ),
            {"kind": kind, "payload": text},
        )
        conn.execute(
            sa.text(
                f"INSERT INTO {SCHEMA}.audit_log (action, detail) VALUES ('reference-data', :kind)"
            ),
            {"kind": kind},
        )


def _disabled_at(conn: sa.Connection, name: str) -> datetime | None:
    """When NAME's login was disabled by `add-user --disable` (None: it was not, or the
    central store predates disabling)."""
    has_column = conn.exec_driver_sql(
        f"SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = '{SCHEMA}.staff'::regclass "
        "AND attname = 'disabled_at' AND NOT attisdropped)"
    ).scalar_one()
    if not has_column:
        return None
    # The staff table is the owner's: read it as the owner, then act as the administrator.
    conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
    found = conn.execute(
        sa.text(f"SELECT disabled_at FROM {SCHEMA}.staff WHERE login_name = :name"),
        {"name": name},
    ).scalar_one_or_none()
    conn.exec_driver_sql("RESET ROLE")
    return found if isinstance(found, datetime) else None


@dataclass(frozen=True)
class LoginResult:
    """What `server add-user --disable` or `--enable` did."""

    name: str
    enabled: bool
    changed: bool
    sessions_ended: int
    sessions_problem: str | None = None

    def lines(self) -> list[str]:
        """The result in plain words."""
        if not self.changed:
            state = "enabled" if self.enabled else "disabled"
            return [f"{self.name}'s login was already {state}: nothing changed."]
        if self.enabled:
            return [f"Enabled {self.name}'s login: the central store lets them sign in again."]
        lines = [
            f"Disabled {self.name}'s login: the central store refuses it from now on "
            f"(ended {self.sessions_ended} open session(s)). `court-tui server add-user "
            f"{self.name} --enable` lets them in again."
        ]
        if self.sessions_problem:
            lines.append(f"Its open sessions could not be ended: {self.sessions_problem}.")
        return lines


def set_login_enabled(url: URL | str, name: str, *, enabled: bool) -> LoginResult:
    """Let court-tui's login NAME sign in to the central store, or not (NOLOGIN, its open
    sessions ended); audited. Its teams, role and laptops are kept."""
    if not LOGIN_NAME.match(name):
        raise SyncError(f"{name!r} cannot be a login name.")
    with _admin(url) as conn:
        if not _schema_ready(conn):
            raise SyncError("The central store is not set up yet: run `court-tui server init`.")
        row = conn.execute(
            sa.text("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = :name"),
            {"name": name},
        ).first()
        conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
        staff = conn.execute(
            sa.text(f"SELECT 1 FROM {SCHEMA}.staff WHERE login_name = :name"), {"name": name}
        ).first()
        conn.exec_driver_sql("RESET ROLE")
        if row is None or staff is None:
            raise SyncError(
                f"There is no court-tui login {name} on the central store "
                "(`court-tui server add-user` makes one)."
            )
        if row.rolsuper:
            raise SyncError(f"{name} is a database superuser, not a court-tui login.")
        if bool(row.rolcanlogin) == enabled:
            return LoginResult(name, enabled, changed=False, sessions_ended=0)
        quoted = conn.dialect.identifier_preparer.quote(name)
        conn.exec_driver_sql(f"ALTER ROLE {quoted} {'LOGIN' if enabled else 'NOLOGIN'}")
        ended, problem = (0, None) if enabled else _end_sessions(conn, name)
        conn.exec_driver_sql(f"SET LOCAL ROLE {OWNER_ROLE}")
        conn.execute(
            sa.text(
                f"UPDATE {SCHEMA}.staff SET disabled_at = CASE WHEN :enabled THEN NULL "
                "ELSE now() END, disabled_by = CASE WHEN :enabled THEN NULL "
                "ELSE session_user END WHERE login_name = :name"
            ),
            {"name": name, "enabled": enabled},
        )
        action = "login-enable" if enabled else "login-disable"
        detail = name if enabled else f"{name}; {ended} open session(s) ended"
        conn.execute(
            sa.text(f"INSERT INTO {SCHEMA}.audit_log (action, detail) VALUES (:action, :detail)"),
            {"action": action, "detail": detail},
        )
    return LoginResult(name, enabled, changed=True, sessions_ended=ended, sessions_problem=problem)


def _end_sessions(conn: sa.Connection, name: str) -> tuple[int, str | None]:
    """End NAME's open sessions; how many, and why not when the administrator may not."""
    try:
        with conn.begin_nested():
            ended = conn.execute(
                sa.text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                    "FROM pg_stat_activity WHERE usename = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar_one()
    except (sa.exc.SQLAlchemyError, psycopg.Error) as exc:
        return 0, str(getattr(translate(exc), "reason", "not allowed"))
    return int(ended), None


# The laptops' revocation, through the functions that check who may (migration 0005).
REVOKE_DEVICE = sa.text(
    "SELECT device_id, login_name, display_name, revoked_at, revoked_by, revoked_reason, "
    f"already FROM {SCHEMA}.revoke_device(:device, :reason)"
)
RESTORE_DEVICE = sa.text(
    "SELECT device_id, login_name, display_name, revoked_at, revoked_by, revoked_reason, "
    f"already FROM {SCHEMA}.restore_device(:device, :reason)"
)


@dataclass(frozen=True)
class DeviceResult:
    """What `server revoke-device` or `restore-device` did to one laptop."""

    device_id: str
    login: str
    owner: str
    revoked_at: datetime | None
    revoked_by: str
    reason: str
    already: bool
    restoring: bool

    @property
    def laptop(self) -> str:
        """'Sam Patel's laptop (sam, device 3f2a...)'."""
        return f"{self.owner}'s laptop ({self.login}, device {self.device_id})"

    def lines(self) -> list[str]:
        """The result in plain words."""
        if self.restoring:
            if self.already:
                return [f"{self.laptop} was not cut off: nothing changed."]
            return [
                f"Let {self.laptop} back: its next sync sends the work it kept and takes "
                "what changed meanwhile."
            ]
        when = describe_moment(self.revoked_at) if self.revoked_at else "earlier"
        if self.already:
            return [f"{self.laptop} was already cut off, on {when} by {self.revoked_by}."]
        why = f" Reason: {self.reason}" if self.reason else ""
        return [
            f"Cut off {self.laptop} from the central store on {when}: it is refused from "
            f"now on.{why}",
            "If it syncs again it is told so, and keeps its unsynced work for its owner to "
            "export. `court-tui server restore-device` lets it back.",
            f"The login {self.login} can still sign in elsewhere: if its password may be on "
            f"that laptop, change it, or disable it with `court-tui server add-user "
            f"{self.login} --disable`.",
        ]


def device_result(row: Any, *, restoring: bool) -> DeviceResult:
    """A row of revoke_device or restore_device as a DeviceResult."""
    return DeviceResult(
        device_id=str(row.device_id),
        login=str(row.login_name),
        owner=str(row.display_name or row.login_name),
        revoked_at=row.revoked_at,
        revoked_by=str(row.revoked_by or ""),
        reason=str(row.revoked_reason or ""),
        already=bool(row.already),
        restoring=restoring,
    )


def checked_reason(reason: str | None) -> str:
    """REASON as kept (domain's revoke_reason); raises SyncError when it is too long."""
    try:
        return revoke_reason(reason)
    except ValueError as error:
        raise SyncError(str(error)) from None


def revoke_device(url: URL | str, device: str, *, reason: str | None = None) -> DeviceResult:
    """Cut the laptop DEVICE (its id, or 8 or more of its first characters) off the central
    store: refused from now on, audited. The login in URL must be an administrator's, or a
    supervisor's of the laptop owner's team; the central store checks."""
    why = checked_reason(reason)
    with _admin(url) as conn:
        row = conn.execute(REVOKE_DEVICE, {"device": device.strip(), "reason": why}).one()
    return device_result(row, restoring=False)


def restore_device(url: URL | str, device: str, *, reason: str | None = None) -> DeviceResult:
    """Let the laptop DEVICE sync again (an administrator only); audited."""
    why = checked_reason(reason)
    with _admin(url) as conn:
        row = conn.execute(RESTORE_DEVICE, {"device": device.strip(), "reason": why}).one()
    return device_result(row, restoring=True)
