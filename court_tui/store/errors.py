"""What can go wrong with the local store, in words an officer can act on.

Messages never contain the passphrase or the key; the exceptions are raised `from None`
where the driver's own error could carry SQL text.
"""

from __future__ import annotations

from pathlib import Path

RESTORE_HINT = (
    "Restore your latest backup with `court-tui restore BACKUP` (this file is kept aside, "
    "not deleted), or ask IT support."
)


class PlainError(Exception):
    """A problem with a message in plain words, for the officer to read as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreError(PlainError):
    """A problem with the local store, with a message in plain words."""


class StoreNotFound(StoreError):
    """There is no store at the path and creating one was not asked for."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"There is no court-tui store at {path}. Run court-tui to create one, or give "
            "the right place with --db PATH or COURT_TUI_DB."
        )


class WrongPassphrase(StoreError):
    """The passphrase does not open the store."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"That passphrase does not open the store at {path}. Check it and try again; "
            "the store has not been changed."
        )


class CorruptStore(StoreError):
    """The file is damaged: refused, never overwritten."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The store at {path} is damaged ({detail}), so court-tui will not use it. "
            f"Nothing in it has been changed. {RESTORE_HINT}"
        )
        self.detail = detail


class NotEncrypted(StoreError):
    """An ordinary, unencrypted SQLite file where the encrypted store should be."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The file at {path} is an ordinary unencrypted SQLite database, not a "
            "court-tui store, so court-tui will not use it. It has not been changed. Move "
            "it elsewhere, or give the right store with --db PATH or COURT_TUI_DB."
        )


class NewerStore(StoreError):
    """The store was last changed by a newer court-tui than this one."""

    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"The store at {path} was made by a newer version of court-tui (schema "
            f"{revision}). Update court-tui to open it; the store has not been changed."
        )
        self.revision = revision


class DiskFull(StoreError):
    """The disk filled up (or refused the write) during a save."""

    FULL = (
        "The laptop's disk is full: court-tui could not save. Your last saved work is safe; "
        "free some space and save again."
    )
    IO_ERROR = (
        "court-tui could not write to the laptop's disk: the change was not saved. Your last "
        "saved work is safe; check the disk has space and save again."
    )

    def __init__(self, message: str = FULL) -> None:
        super().__init__(message)


class CaseNotFound(StoreError):
    """No case with that id (or CRN) is in the store."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"There is no case {case_id} in the store.")
        self.case_id = case_id


class CaseChanged(StoreError):
    """The case was saved elsewhere since it was opened: nothing is silently overwritten."""

    def __init__(self, case_id: str, expected: int, stored: int) -> None:
        super().__init__(
            f"Case {case_id} was changed since it was opened (it is at revision {stored}, "
            f"this copy is based on revision {expected}). Nothing was overwritten: reopen "
            "the case and make the change again."
        )
        self.expected = expected
        self.stored = stored


class FollowUpIdTaken(StoreError):
    """A follow-up of an imported case has the id of another case's follow-up."""

    def __init__(self, follow_up_id: str) -> None:
        super().__init__(
            f"A follow-up in it (id {follow_up_id}) has the id of another case's follow-up "
            "in the store; nothing was imported from this file."
        )
        self.follow_up_id = follow_up_id


class NoRevisionLeft(StoreError):
    """The case is at the last revision the central store can keep: it cannot be saved."""


class StoreTooOld(StoreError):
    """The SQLite or SQLCipher inside this build is older than the store needs."""
