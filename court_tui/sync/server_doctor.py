"""`court-tui server doctor`: what on the central store stands in anyone's way, in words.

Cases the laptops cannot take (stored before the central store checked what it takes),
changes it refused lately and why, sessions holding a transaction open or waiting on a
lock, and laptops gone quiet or logins at their limit of laptops. Runs as an
administrator; reads only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import URL

from court_tui.sync.errors import SyncError
from court_tui.sync.server import _admin, _schema_ready, current_revision, head_revision
from court_tui.sync.server_schema import SCHEMA

REFUSED_DAYS = 7
QUIET_DAYS = 14
STUCK_SECONDS = 10
MAX_DEVICES = 10  # as migration 0003 holds each login to

_SET_ASIDE = sa.text(
    f"SELECT c.id, c.team, {SCHEMA}.case_problem(c.id, c.revision, c.case_json) AS problem "
    f"FROM {SCHEMA}.cases c "
    f"WHERE {SCHEMA}.case_problem(c.id, c.revision, c.case_json) IS NOT NULL ORDER BY c.id"
)
_REFUSED = sa.text(
    f"SELECT a.at, a.actor, a.device_id, a.case_id, a.detail FROM {SCHEMA}.audit_log a "
    "WHERE a.action IN ('sync-reject', 'sync-refused') "
    "AND a.at > now() - make_interval(days => :days) ORDER BY a.at DESC LIMIT 50"
)
_STUCK = sa.text(
    "SELECT s.usename, s.state, s.wait_event_type, "
    "extract(epoch FROM now() - coalesce(s.state_change, s.xact_start))::bigint AS seconds "
    "FROM pg_stat_activity s "
    "WHERE s.datname = current_database() AND s.pid <> pg_backend_pid() "
    "AND s.usename IN (SELECT login_name FROM " + SCHEMA + ".staff) "
    "AND (s.state LIKE 'idle in transaction%' OR s.wait_event_type = 'Lock') "
    "AND now() - coalesce(s.state_change, s.xact_start) > make_interval(secs => :secs) "
    "ORDER BY seconds DESC"
)
_QUIET = sa.text(
    f"SELECT d.device_id, d.login_name, d.last_contact FROM {SCHEMA}.devices d "
    "WHERE d.last_contact < now() - make_interval(days => :days) AND d.revoked_at IS NULL "
    "ORDER BY d.last_contact"
)
_CUT_OFF = sa.text(
    f"SELECT d.device_id, d.login_name, d.revoked_at, d.revoked_by, d.revoked_reason "
    f"FROM {SCHEMA}.devices d WHERE d.revoked_at IS NOT NULL ORDER BY d.revoked_at"
)
_FULL = sa.text(
    f"SELECT d.login_name, count(*) AS laptops FROM {SCHEMA}.devices d "
    "GROUP BY d.login_name HAVING count(*) >= :most ORDER BY d.login_name"
)


@dataclass
class ServerDoctorReport:
    """What `court-tui server doctor` found."""

    schema: str | None
    head: str
    set_aside: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether nothing stands in anyone's way (refusals are history, not a fault)."""
        return self.schema == self.head and not self.set_aside and not self.stuck

    def lines(self) -> list[str]:
        """The report in plain words."""
        lines = [f"Central schema: {self.schema} (this court-tui: {self.head})"]
        if self.schema != self.head:
            lines.append("  Run `court-tui server init` to upgrade it.")
        sections = (
            ("Cases the laptops set aside", self.set_aside),
            (f"Changes refused in the last {REFUSED_DAYS} days", self.refused),
            ("Stuck sessions and laptops", self.stuck),
            ("Laptops cut off (revoked)", self.cut_off),
        )
        for title, items in sections:
            lines.append(f"{title}: {len(items) or 'none'}")
            lines += [f"  - {item}" for item in items]
        lines.append("No problems found." if self.ok else "Needs attention: see above.")
        return lines


def examine_server(url: URL | str) -> ServerDoctorReport:
    """Look over the central store at URL (as an administrator)."""
    with _admin(url) as conn:
        if not _schema_ready(conn):
            raise SyncError("The central store is not set up yet: run `court-tui server init`.")
        report = ServerDoctorReport(schema=current_revision(conn), head=head_revision())
        if report.schema != report.head:
            return report
        for row in conn.execute(_SET_ASIDE):
            report.set_aside.append(
                f"case {row.id} (team {row.team}): {row.problem} Laptops set it aside "
                "until a readable revision arrives."
            )
        for row in conn.execute(_REFUSED, {"days": REFUSED_DAYS}):
            case = f"case {row.case_id}" if row.case_id else "every change"
            report.refused.append(
                f"{row.at:%Y-%m-%d %H:%M} {row.actor} (laptop {row.device_id or '?'}), "
                f"{case}: {row.detail}"
            )
        for row in conn.execute(_STUCK, {"secs": STUCK_SECONDS}):
            doing = "waiting for a lock" if row.wait_event_type == "Lock" else row.state
            report.stuck.append(
                f"login {row.usename}: {doing} for {row.seconds} s (its team's syncs wait "
                "until it ends or times out)"
            )
        for row in conn.execute(_QUIET, {"days": QUIET_DAYS}):
            report.stuck.append(
                f"laptop {row.device_id} of {row.login_name}: no contact since "
                f"{row.last_contact:%Y-%m-%d} (unsent work may be on it)"
            )
        for row in conn.execute(_CUT_OFF):
            report.cut_off.append(
                f"laptop {row.device_id} of {row.login_name}: cut off "
                f"{row.revoked_at:%Y-%m-%d %H:%M} by {row.revoked_by}: "
                f"{row.revoked_reason or 'no reason given'} (`server restore-device` lets it back)"
            )
        for row in conn.execute(_FULL, {"most": MAX_DEVICES}):
            report.stuck.append(
                f"login {row.login_name} has {row.laptops} laptops, the most allowed: a new "
                "or restored laptop of theirs cannot sync"
            )
    return report
