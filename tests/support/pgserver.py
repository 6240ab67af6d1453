"""A throwaway PostgreSQL server for tests and benchmarks: start, connect, stop.

The server listens only on a Unix socket in its own temporary folder, so two of them (one
per pytest-xdist worker) never fight over a port. Run as root, the data folder belongs to
the `postgres` user and every server program runs as that user through `runuser`.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

PG_BIN = Path(os.environ.get("COURT_TUI_PG_BIN", "/usr/lib/postgresql/15/bin"))
PORT = 5432  # only names the socket file: the server opens no TCP port
SERVICE_USER = "postgres"

# For tests: crash safety of the test server itself buys nothing and costs seconds.
FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed here."""


def postgres_available() -> bool:
    """Whether initdb and pg_ctl are installed where PG_BIN says."""
    return (PG_BIN / "initdb").is_file() and (PG_BIN / "pg_ctl").is_file()


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder; `start()` then `stop()`."""

    def __init__(self, *, durable: bool = False, prefix: str = "court-tui-pg-") -> None:
        if not postgres_available():
            raise PostgresUnavailable(
                f"PostgreSQL 15 is not installed ({PG_BIN}/initdb is missing); "
                "install postgresql-15 or set COURT_TUI_PG_BIN"
            )
        self.durable = durable
        self.base = Path(tempfile.mkdtemp(prefix=prefix))
        self.data_dir = self.base / "data"
        self.socket_dir = self.base / "socket"
        self.log_file = self.base / "server.log"
        self.running = False
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", SERVICE_USER, "--", *command]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        for name in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGDATA"):
            env.pop(name, None)
        return subprocess.run(command, check=True, capture_output=True, text=True, env=env)

    def start(self) -> PostgresServer:
        """Make the cluster and start the server; returns self."""
        self.socket_dir.mkdir()
        if self._as_root:
            entry = pwd.getpwnam(SERVICE_USER)
            for path in (self.base, self.socket_dir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.base.chmod(0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SERVICE_USER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
            "--no-sync",  # a throwaway cluster: no need to flush it to disk
        )
        settings = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{self.socket_dir}'",
            "port": str(PORT),
            "max_connections": "40",
            "shared_buffers": "64MB",
        }
        if not self.durable:
            settings.update(FAST_SETTINGS)
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        try:
            self._run(
                "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-o", options,
                "-w", "-t", "60", "start",
            )  # fmt: skip
        except subprocess.CalledProcessError as exc:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{log}") from None
        self.running = True
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the server and delete its folder (safe to call twice)."""
        if self.running:
            self.running = False
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
            except subprocess.CalledProcessError:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, user: str = SERVICE_USER, database: str = "postgres") -> str:
        """A SQLAlchemy URL for USER on DATABASE over the socket."""
        return f"postgresql+psycopg://{user}@/{database}?host={self.socket_dir}&port={PORT}"

    def conninfo(self, user: str = SERVICE_USER, database: str = "postgres") -> str:
        """A libpq connection string for USER on DATABASE over the socket."""
        return f"host={self.socket_dir} port={PORT} user={user} dbname={database}"

    def create_database(self, name: str) -> str:
        """Create database NAME (owned by the superuser); returns its URL."""
        import psycopg

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(database=name)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def waits_on(conn: psycopg.Connection, pid: int, holder_pid: int) -> bool:
    """Whether backend PID is waiting for a lock that backend HOLDER_PID holds, looked up
    afresh on CONN (autocommit: in a transaction pg_stat_activity would not change)."""
    row = conn.execute(
        "SELECT wait_event_type = 'Lock' AND %s = ANY(pg_blocking_pids(pid))"
        " FROM pg_stat_activity WHERE pid = %s",
        (holder_pid, pid),
    ).fetchone()
    return bool(row and row[0])
