"""A full disk during a save: a clear message, nothing corrupted, saving works again once
there is room. Two ways: RLIMIT_FSIZE, and a real 4 MB tmpfs mounted in a user namespace
(skipped where the system does not allow that)."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from court_tui.domain.forms import FormSet
from court_tui.store import DiskFull, open_store

WORKER = Path(__file__).with_name("disk_full_worker.py")
PASSPHRASE = "disk full passphrase"


def _run(command: list[str]) -> dict[str, Any]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _check(result: dict[str, Any], db: Path, forms: FormSet, message: str) -> None:
    assert result["error"] == message
    assert result["second_error"] == message
    assert result["readable_while_full"]
    assert result["saved_before_full"] >= 3
    with open_store(db, PASSPHRASE, forms=forms) as store:
        report = store.doctor()
        assert report.ok, report.problems
        revisions = store.repository.revisions()
        assert all(case_id in revisions for case_id in result["acknowledged"])
        assert store.repository.outbox_sequences() == list(range(1, len(revisions) + 1))


def test_file_size_limit_is_a_clear_message_and_recoverable(
    tmp_path: Path, forms: FormSet
) -> None:
    db = tmp_path / "store" / "court-tui.db"
    result = _run([sys.executable, str(WORKER), str(db), "rlimit"])
    _check(result, db, forms, DiskFull.IO_ERROR)


def _can_mount_tmpfs(folder: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(folder))}"
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", probe], capture_output=True, timeout=30, check=False
    )
    return done.returncode == 0


def test_full_filesystem_is_a_clear_message_and_recoverable(
    tmp_path: Path, forms: FormSet
) -> None:
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if not _can_mount_tmpfs(mount_point):
        pytest.skip("this system does not allow a tmpfs in a user namespace")
    copy = tmp_path / "copy" / "court-tui.db"
    copy.parent.mkdir(mode=0o700)
    script = (
        f"mount -t tmpfs -o size=4m tmpfs {shlex.quote(str(mount_point))} && "
        f"{shlex.quote(sys.executable)} {shlex.quote(str(WORKER))} "
        f"{shlex.quote(str(mount_point / 'store' / 'court-tui.db'))} tmpfs "
        f"{shlex.quote(str(copy))}"
    )
    result = _run(["unshare", "-rm", "sh", "-c", script])
    _check(result, copy, forms, DiskFull.FULL)
