"""The encrypted local store: SQLCipher through SQLAlchemy Core, audited, with a sync outbox.

No Textual here: the UI and the commands call `open_store` and use `Store.repository`.
"""

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
