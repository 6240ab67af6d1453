"""Schema migrations (Alembic, shipped in the package) run on the store's own connection."""

from __future__ import annotations

import functools
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations; no alembic.ini needed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    # Read once per process: the shipped migrations do not change while it runs.
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision this build knows."""
    head = _scripts().get_current_head()
    if head is None:
        raise RuntimeError("no migrations shipped")
    return head


@functools.cache
def _known_revisions() -> tuple[str, ...]:
    return tuple(script.revision for script in reversed(list(_scripts().walk_revisions())))


def known_revisions() -> list[str]:
    """Every schema revision this build knows, oldest first."""
    return list(_known_revisions())


def current_revision(conn: sa.Connection) -> str | None:
    """The schema revision recorded in the store, or None for an empty database."""
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine, target: str = "head") -> None:
    """Upgrade the store to TARGET in one write transaction (all of it or none of it)."""
    config = alembic_config()
    with engine.execution_options(immediate=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, target)
