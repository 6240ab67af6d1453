"""Where the store lives, and keeping its folder and files private to the officer."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "court-tui"
DB_FILENAME = "court-tui.db"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
# SQLite keeps these beside the database while it is open (WAL mode).
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


def default_db_path(configured: str | None = None) -> Path:
    """CONFIGURED (the store $COURT_TUI_DB names) when given, else court-tui.db in the
    officer's user data folder."""
    if configured:
        return Path(configured).expanduser()
    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def store_exists(path: Path) -> bool:
    """Whether a (non-empty) file is at PATH: the store, or something in its place."""
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def companion_files(path: Path) -> list[Path]:
    """The WAL, shared-memory and journal files SQLite may keep beside PATH."""
    return [path.with_name(path.name + suffix) for suffix in COMPANION_SUFFIXES]


def make_private_dir(folder: Path) -> None:
    """Create FOLDER (and parents) for the store; a folder made here is 0700.

    An existing folder is left as it is (it may be shared, like /tmp); `doctor` reports
    one that others can read.
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for new in reversed(missing):
        new.mkdir(mode=PRIVATE_DIR_MODE, exist_ok=True)
        os.chmod(new, PRIVATE_DIR_MODE)


def make_private_file(path: Path) -> None:
    """Create PATH empty with mode 0600 so SQLite (and its WAL) inherit private modes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE_MODE)


def write_private_file(path: Path, data: bytes) -> None:
    """Write DATA to PATH with mode 0600 (only this user may read it: an export holds
    personal data) through a temporary file, so a failed write leaves any earlier file as
    it was, and a file that was there before is replaced, not loosened to its old mode."""
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def tighten_file_modes(path: Path) -> None:
    """Make the store and its companion files 0600 when they are ours and looser."""
    for file in [path, *companion_files(path)]:
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            if mode & 0o077:
                os.chmod(file, mode & 0o700)
        except OSError:
            continue


def mode_of(path: Path) -> int | None:
    """The permission bits of PATH, or None when it is not there."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return None


def fsync_path(path: Path) -> None:
    """Make the file at PATH, or a rename or a new file in the folder PATH, durable: on the
    disk, not only in the page cache."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "afs", "ceph", "glusterfs"}
)


def filesystem_type(path: Path) -> str:
    """The type of the filesystem holding PATH (from /proc/mounts), or "" when unknown."""
    try:
        target = path.resolve()
        mounts = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    best, kind = "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == Path(point) or Path(point) in target.parents
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind
