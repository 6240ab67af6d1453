"""The encrypted local store: SQLCipher through SQLAlchemy Core, audited, with a sync outbox.

No Textual here: the UI and the commands call `open_store` and use `Store.repository`.
Each name below is imported when first used, so that start-up can open the store with
sqlcipher3 alone (store/opening.py) without importing SQLAlchemy through this package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from court_tui.store.backup import BackupResult, verify_backup
    from court_tui.store.doctor import DoctorReport
    from court_tui.store.entries import (
        AuditEntry,
        CaseSummary,
        ImportConflict,
        ImportResult,
        PendingItem,
        SupervisorNoteEntry,
    )
    from court_tui.store.errors import (
        CaseChanged,
        CaseNotFound,
        CorruptStore,
        DiskFull,
        FollowUpIdTaken,
        NewerStore,
        NoRevisionLeft,
        NotEncrypted,
        StoreError,
        StoreNotFound,
        StoreTooOld,
        WrongPassphrase,
    )
    from court_tui.store.paths import default_db_path, store_exists
    from court_tui.store.repository import Repository
    from court_tui.store.store import Store, open_store, restore_backup

# Where each name lives.
_HOMES = {
    "court_tui.store.backup": ("BackupResult", "verify_backup"),
    "court_tui.store.doctor": ("DoctorReport",),
    "court_tui.store.entries": (
        "AuditEntry",
        "CaseSummary",
        "ImportConflict",
        "ImportResult",
        "PendingItem",
        "SupervisorNoteEntry",
    ),
    "court_tui.store.errors": (
        "CaseChanged",
        "CaseNotFound",
        "CorruptStore",
        "DiskFull",
        "FollowUpIdTaken",
        "NewerStore",
        "NoRevisionLeft",
        "NotEncrypted",
        "StoreError",
        "StoreNotFound",
        "StoreTooOld",
        "WrongPassphrase",
    ),
    "court_tui.store.paths": ("default_db_path", "store_exists"),
    "court_tui.store.repository": ("Repository",),
    "court_tui.store.store": ("Store", "open_store", "restore_backup"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "AuditEntry",
    "BackupResult",
    "CaseChanged",
    "CaseNotFound",
    "CaseSummary",
    "CorruptStore",
    "DiskFull",
    "DoctorReport",
    "FollowUpIdTaken",
    "ImportConflict",
    "ImportResult",
    "NewerStore",
    "NoRevisionLeft",
    "NotEncrypted",
    "PendingItem",
    "Repository",
    "Store",
    "StoreError",
    "StoreNotFound",
    "StoreTooOld",
    "SupervisorNoteEntry",
    "WrongPassphrase",
    "default_db_path",
    "open_store",
    "restore_backup",
    "store_exists",
    "verify_backup",
]


def __getattr__(name: str) -> object:
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
