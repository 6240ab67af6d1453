"""Whether a store is open in another court-tui: every open store holds a shared lock on a
small file beside it, and a restore needs that lock alone, so it never puts a backup in
place while another process (the app, a command, a sync) is still saving to the store."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from court_tui.store.errors import StoreError
from court_tui.store.paths import PRIVATE_FILE_MODE

LOCK_SUFFIX = ".lock"
# A restore holds the lock only while it copies and renames: an opener waits that long.
OPEN_WAIT_SECONDS = 30.0
_RETRY_SECONDS = 0.05


class StoreInUse(StoreError):
    """Another process has the store open, so it cannot be replaced now."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The store at {path} is open in another court-tui (the app, a sync or another "
            "command): close it, then restore again. Nothing was changed."
        )
        self.path = path


def lock_path(path: Path) -> Path:
    """The lock file beside the store at PATH."""
    return path.with_name(path.name + LOCK_SUFFIX)


def _open_lock(path: Path) -> int | None:
    try:
        return os.open(lock_path(path), os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    except OSError:
        return None  # a read-only folder: no restore can replace the store there either


class OpenHold:
    """A shared hold on a store's lock file, kept while the store is open."""

    def __init__(self, fd: int | None) -> None:
        self._fd = fd

    def release(self) -> None:
        """Let go of the hold (closing the file releases the lock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def hold_open(path: Path, wait: float = OPEN_WAIT_SECONDS) -> OpenHold:
    """A shared hold on the store at PATH; waits up to WAIT seconds while a restore has it,
    then raises StoreError."""
    fd = _open_lock(path)
    if fd is None:
        return OpenHold(None)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return OpenHold(fd)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError(
                    f"The store at {path} is being restored from a backup by another "
                    "court-tui: try again when it has finished."
                ) from None
            time.sleep(_RETRY_SECONDS)


@contextmanager
def sole_use(path: Path) -> Iterator[None]:
    """Hold the store at PATH alone for the block; raises StoreInUse when any process has
    it open."""
    fd = _open_lock(path)
    if fd is None:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreInUse(path) from None
        yield
    finally:
        os.close(fd)
