"""Sync with the central PostgreSQL store: the outbox relay, oversight notes written on
this laptop, the pull, conflicts.

No Textual here. The UI calls these from worker threads:

- `sync_status(store) -> SyncStatus` for the status line (`.describe()`);
- `try_sync(store)` for the background attempt (None when no server is configured),
  `sync_with_server(store, url)` for an explicit one; both return a `SyncReport`;
- `list_conflicts(store, actor=...)` and `resolve_conflict(store, case_id, keep, actor=...)`
  to show the officer both versions of a case and record their choice.

`court_tui.sync.server` sets up the central store (administrators).
"""

from court_tui.sync.client import (
    RetryPolicy,
    SyncReport,
    SyncStatus,
    configured_server,
    sync_once,
    sync_status,
    sync_with_server,
    try_sync,
)
from court_tui.sync.conflicts import (
    ConflictView,
    Difference,
    conflicted_case_ids,
    list_conflicts,
    resolve_conflict,
)
from court_tui.sync.errors import CannotReach, ServerProblem, ServerRefused, SyncError
from court_tui.sync.transport import PostgresTransport, Transport

__all__ = [
    "CannotReach",
    "ConflictView",
    "Difference",
    "PostgresTransport",
    "RetryPolicy",
    "ServerProblem",
    "ServerRefused",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "Transport",
    "configured_server",
    "conflicted_case_ids",
    "list_conflicts",
    "resolve_conflict",
    "sync_once",
    "sync_status",
    "sync_with_server",
    "try_sync",
]
