"""Fill the disk under a saving store, then give the room back; prints what happened.

Two ways to fill it: `rlimit` (RLIMIT_FSIZE: writes past the limit fail with EFBIG, which
SQLite reports as an I/O error) and `tmpfs` (a real, tiny filesystem, made with
`unshare -rm` by the test, which fails with ENOSPC: SQLite's "database or disk is full").
Run as a child process so the limit or the mount touches nothing else.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from court_tui.domain.case import CaseRecord
from court_tui.store import DiskFull, open_store

PASSPHRASE = "disk full passphrase"


def big_case(n: int) -> CaseRecord:
    return CaseRecord.model_validate(
        {"answers": {"name": f"Person {n}", "offence_analysis": f"case {n} " * 6000}}
    )


def fill_with_rlimit(db: Path) -> Callable[[], None]:
    # Past the limit the kernel would send SIGXFSZ; ignored, the write fails with EFBIG.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sizes = [p.stat().st_size for p in db.parent.iterdir() if p.name.startswith(db.name)]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max(sizes) + 300_000, hard))
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))


def fill_with_ballast(db: Path) -> Callable[[], None]:
    ballast = db.parent / "ballast"
    stats = os.statvfs(db.parent)
    free = stats.f_bavail * stats.f_frsize
    with ballast.open("wb") as file:
        file.write(b"\0" * max(0, free - 300_000))
    return ballast.unlink


def main(db: Path, mode: str, copy_to: Path | None) -> None:
    store = open_store(db, PASSPHRASE, create=True)
    repository = store.repository
    acknowledged = [repository.save_case(big_case(n), actor="test").id for n in range(3)]
    make_room = fill_with_rlimit(db) if mode == "rlimit" else fill_with_ballast(db)
    error = None
    for n in range(3, 500):
        try:
            acknowledged.append(repository.save_case(big_case(n), actor="test").id)
        except DiskFull as exc:
            error = exc.message
            break
    readable_while_full = repository.get_case(acknowledged[0], actor="test").id
    second_error = None
    try:
        repository.save_case(big_case(999), actor="test")
    except DiskFull as exc:
        second_error = exc.message
    make_room()
    after = repository.save_case(big_case(1000), actor="test")
    acknowledged.append(after.id)
    store.close()
    if copy_to is not None:
        shutil.copyfile(db, copy_to)
    print(
        json.dumps(
            {
                "error": error,
                "second_error": second_error,
                "saved_before_full": len(acknowledged) - 1,
                "readable_while_full": readable_while_full == acknowledged[0],
                "acknowledged": acknowledged,
            }
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]) if len(sys.argv) > 3 else None)
