"""The schema revisions shipped with this build, read from the migration files themselves.

Reading a store's revision and comparing it with these needs neither Alembic nor
SQLAlchemy, so that a store that is up to date opens without either (store/opening.py);
the runner that upgrades one is store/migrate.py.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# The folder of the store's own migrations (the sync's and the central store's live with
# the sync).
STORE_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Where every set of migrations keeps its revision (Alembic's default table).
VERSION_TABLE = "alembic_version"

# How every shipped migration names itself and the one it follows (see script.py.mako).
_REVISION = re.compile(r"^revision(?:\s*:[^=\n]*)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"^down_revision(?:\s*:[^=\n]*)?\s*=\s*(?:None|['\"]([^'\"]+)['\"])", re.MULTILINE
)


@functools.cache
def shipped_revisions(folder: Path) -> tuple[str, ...]:
    """The revisions shipped in FOLDER/versions, oldest first, read from each file's own
    `revision` and `down_revision` lines (read once per process: they do not change while
    it runs). One line of revisions, as Alembic keeps them; anything else is refused."""
    follows: dict[str | None, str] = {}
    for script in sorted((folder / "versions").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            continue  # not a migration (the package's __init__)
        if down.group(1) in follows:
            raise RuntimeError(f"two migrations follow {down.group(1)} in {folder}")
        follows[down.group(1)] = revision.group(1)
    order: list[str] = []
    step = follows.get(None)
    while step is not None:
        order.append(step)
        step = follows.get(step)
    if len(order) != len(follows):
        raise RuntimeError(f"the migrations in {folder} are not one line of revisions")
    return tuple(order)


def revision_query(version_table: str = VERSION_TABLE) -> str:
    """The one query that reads a SQLite database's revision from VERSION_TABLE."""
    return f'SELECT version_num FROM "{version_table}"'


def one_revision(rows: list[tuple[object, ...]]) -> str | None:
    """The revision in the version table's ROWS (None when empty); more than one head is
    refused with ValueError."""
    if len(rows) > 1:
        raise ValueError("more than one head")
    return str(rows[0][0]) if rows else None
