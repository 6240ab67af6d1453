"""What the officer's app hears from its workers about the open case and the sync."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: the case list is drawn before the case model loads
    from court_tui.domain.case import CaseRecord
    from court_tui.domain.offences import OffenceCatalogue
    from court_tui.sync import SyncReport


@dataclass
class CaseLoaded(Message):
    """A case read (or created) by a worker, ready to open."""

    record: CaseRecord
    catalogue: OffenceCatalogue
    oversight: tuple[str, ...] = ()


@dataclass
class CaseSaved(Message):
    """A save finished: the saved revision and the sync state in words."""

    record: CaseRecord
    sync_state: str


@dataclass
class SyncDone(Message):
    """A sync finished (REPORT None: no central store is set up) and the sync state now."""

    report: SyncReport | None
    sync_state: str
    explicit: bool


@dataclass
class CaseReloaded(Message):
    """The open case read again after it changed elsewhere or a conflict was settled."""

    record: CaseRecord


@dataclass
class Exported(Message):
    """A written record of the open case was exported."""

    path: Path


@dataclass
class StoreFailed(Message):
    """A store call failed; the message is for the officer."""

    message: str


@dataclass
class PassphraseChanged(Message):
    """The store's passphrase was changed; the backup made first is at BACKUP."""

    backup: Path


@dataclass
class PassphraseNotChanged(Message):
    """The passphrase was not changed; the message says why, for the officer."""

    message: str
