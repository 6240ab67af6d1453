"""Numbered schema migrations (Alembic, shipped in the package), run by court-tui itself.

Three sets use this one runner: the store's tables, the sync's tables in the same
SQLCipher file, and the central PostgreSQL store. Each is a `Migrations`; its `env.py`
is one call to `run_env`, which reads everything it needs from the `Migrations` that
started it. Upgrades of the laptop's file go through `upgrade_file`, which keeps a
checked copy of the store first.

Alembic is imported only to upgrade (or by tools that ask it for more): opening a store
that is up to date reads its revision with one query and compares it with the revisions
named in the shipped files, so that start-up does not pay for Alembic and its templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from court_tui.store.engine import WriteLock, store_errors
from court_tui.store.revisions import (
    STORE_MIGRATIONS,
    VERSION_TABLE,
    one_revision,
    revision_query,
    shipped_revisions,
)
from court_tui.store.tables import METADATA

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

_ATTRIBUTE = "court_tui_migrations"


@dataclass(frozen=True)
class Migrations:
    """One set of shipped migrations: its folder, the tables it makes and where it keeps
    its revision. PREPARE runs in the migration's transaction before any of them and
    returns the schema of the version table (the central store makes its roles there)."""

    folder: Path
    target_metadata: sa.MetaData | None = None
    version_table: str = VERSION_TABLE
    version_table_schema: str | None = None
    prepare: Callable[[sa.Connection], str | None] | None = None

    def config(self) -> Config:
        """An Alembic config pointing at the shipped folder; no alembic.ini needed."""
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(self.folder).replace("%", "%%"))
        config.attributes[_ATTRIBUTE] = self
        return config

    def head(self) -> str:
        """The newest revision this build knows."""
        known = self.known()
        if not known:
            raise RuntimeError(f"no migrations shipped in {self.folder}")
        return known[-1]

    def known(self) -> tuple[str, ...]:
        """Every revision this build knows, oldest first."""
        return shipped_revisions(self.folder)

    def current(self, conn: sa.Connection) -> str | None:
        """The revision recorded on CONN's database, or None before the first upgrade.

        On SQLite this is one query of the version table; elsewhere Alembic reads it."""
        if conn.dialect.name == "sqlite" and self.version_table_schema is None:
            return _sqlite_revision(conn, self.version_table)
        from alembic.runtime.migration import MigrationContext

        opts = {
            "version_table": self.version_table,
            "version_table_schema": self.version_table_schema,
        }
        return MigrationContext.configure(conn, opts=opts).get_current_revision()

    def upgrade(self, conn: sa.Connection, target: str = "head") -> None:
        """Upgrade to TARGET inside CONN's transaction (all of it or none of it)."""
        from alembic import command

        config = self.config()
        config.attributes["connection"] = conn
        command.upgrade(config, target)


def _sqlite_revision(conn: sa.Connection, version_table: str) -> str | None:
    """The one revision in VERSION_TABLE, None when there is none or no such table yet
    (a failed SELECT leaves a SQLite transaction as it was)."""
    query = revision_query(version_table)
    try:
        rows = conn.exec_driver_sql(query).all()
    except sa.exc.OperationalError as exc:
        if f"no such table: {version_table}" in str(exc.orig):
            return None
        raise
    try:
        return one_revision([tuple(row) for row in rows])
    except ValueError as exc:
        raise sa.exc.DatabaseError(query, None, exc) from None


def scripts(folder: Path) -> ScriptDirectory:
    """Alembic's view of the migrations shipped in FOLDER (imports Alembic)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(folder).replace("%", "%%"))
    return ScriptDirectory.from_config(config)


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


STORE = Migrations(STORE_MIGRATIONS, METADATA)


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
