"""Numbered schema migrations (Alembic, shipped in the package), run by court-tui itself.

Three sets use this one runner: the store's tables, the sync's tables in the same
SQLCipher file, and the central PostgreSQL store. Each is a `Migrations`; its `env.py`
is one call to `run_env`, which reads everything it needs from the `Migrations` that
started it. Upgrades of the laptop's file go through `upgrade_file`, which keeps a
checked copy of the store first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import court_tui.store.tables  # noqa: F401  (registers the store's tables on the metadata)
from court_tui.store.engine import WriteLock, store_errors

_ATTRIBUTE = "court_tui_migrations"


@dataclass(frozen=True)
class Migrations:
    """One set of shipped migrations: its folder, the tables it makes and where it keeps
    its revision. PREPARE runs in the migration's transaction before any of them and
    returns the schema of the version table (the central store makes its roles there)."""

    folder: Path
    target_metadata: sa.MetaData | None = None
    version_table: str = "alembic_version"
    version_table_schema: str | None = None
    prepare: Callable[[sa.Connection], str | None] | None = None

    def config(self) -> Config:
        """An Alembic config pointing at the shipped folder; no alembic.ini needed."""
        config = Config()
        config.set_main_option("script_location", str(self.folder).replace("%", "%%"))
        config.attributes[_ATTRIBUTE] = self
        return config

    def head(self) -> str:
        """The newest revision this build knows."""
        head = _scripts(self.folder).get_current_head()
        if head is None:
            raise RuntimeError(f"no migrations shipped in {self.folder}")
        return head

    def known(self) -> tuple[str, ...]:
        """Every revision this build knows, oldest first."""
        return _known(self.folder)

    def current(self, conn: sa.Connection) -> str | None:
        """The revision recorded on CONN's database, or None before the first upgrade."""
        opts = {
            "version_table": self.version_table,
            "version_table_schema": self.version_table_schema,
        }
        return MigrationContext.configure(conn, opts=opts).get_current_revision()

    def upgrade(self, conn: sa.Connection, target: str = "head") -> None:
        """Upgrade to TARGET inside CONN's transaction (all of it or none of it)."""
        config = self.config()
        config.attributes["connection"] = conn
        command.upgrade(config, target)


@functools.cache
def _scripts(folder: Path) -> ScriptDirectory:
    # Read once per process: the shipped migrations do not change while it runs.
    config = Config()
    config.set_main_option("script_location", str(folder).replace("%", "%%"))
    return ScriptDirectory.from_config(config)


@functools.cache
def _known(folder: Path) -> tuple[str, ...]:
    return tuple(script.revision for script in reversed(list(_scripts(folder).walk_revisions())))


def run_env() -> None:
    """The body of every env.py: run the migrations on the connection court-tui holds."""
    from alembic import context

    attributes = context.config.attributes
    migrations = attributes.get(_ATTRIBUTE)
    connection = attributes.get("connection")
    if not isinstance(migrations, Migrations) or not isinstance(connection, sa.Connection):
        raise RuntimeError("court-tui runs its migrations itself; use `court-tui doctor`")
    schema = migrations.prepare(connection) if migrations.prepare else None
    context.configure(
        connection=connection,
        target_metadata=migrations.target_metadata,
        version_table=migrations.version_table,
        version_table_schema=schema,
        # SQLite alters a table by copying it; PostgreSQL alters it in place.
        render_as_batch=connection.dialect.name == "sqlite",
        # DDL is transactional on both: the whole upgrade commits or none of it does.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def upgrade_file(
    migrations: Migrations,
    engine: sa.Engine,
    *,
    keep_copy: Callable[[str], object] | None,
    lock: WriteLock | None = None,
    target: str = "head",
) -> None:
    """Upgrade the laptop's store behind ENGINE to TARGET in one write transaction, after
    KEEP_COPY (given the revision upgraded from) has kept a checked copy of the file when
    there was a revision to upgrade from.

    The upgrade is one transaction already; the copy is for an upgrade that commits and
    turns out wrong. Both the store's tables and the sync's live in that one file.
    """
    with store_errors(), engine.connect() as conn:
        revision = migrations.current(conn)
    # Tables made for the first time change nothing already in the file: no copy.
    if keep_copy is not None and revision is not None:
        keep_copy(revision)
    with (
        lock or WriteLock(),
        store_errors(),
        engine.execution_options(immediate=True).begin() as conn,
    ):
        migrations.upgrade(conn, target)


STORE = Migrations(Path(__file__).resolve().parent / "migrations", SQLModel.metadata)


def head_revision() -> str:
    """The newest store schema revision this build knows."""
    return STORE.head()


def known_revisions() -> list[str]:
    """Every store schema revision this build knows, oldest first."""
    return list(STORE.known())


def current_revision(conn: sa.Connection) -> str | None:
    """The schema revision recorded in the store, or None for an empty database."""
    return STORE.current(conn)


def upgrade(engine: sa.Engine, target: str = "head") -> None:
    """Upgrade a store that has nothing to keep a copy of (one being made, or a test's)."""
    upgrade_file(STORE, engine, keep_copy=None, target=target)
