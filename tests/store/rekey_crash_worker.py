"""A fork server for the passphrase-change crash test: imports once, forks one child per
kill. Key derivation is one round here (see tests/support/keys.py): the kills are meant
to land in the change's file work, not in PBKDF2's arithmetic, which writes nothing.

Commands on stdin, one per line:
  setup DB PASSPHRASE    make a store with a few cases; replies "ready CASES"
  run DB OLD NEW MODE    fork a child changing the passphrase from OLD to NEW, through the
                         command line (MODE cli: backup first) or the store's re-key alone
                         (MODE rekey); replies "pid N"; the child writes "done" at the end
  reap PID               wait for that child; replies "reaped PID STATUS"
Passphrases are sent as hex, so spaces survive.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.keys import quick_key_derivation  # noqa: E402

from court_tui import cli  # noqa: E402
from court_tui.domain.case import CaseRecord  # noqa: E402
from court_tui.domain.forms import load_forms  # noqa: E402
from court_tui.store import open_store  # noqa: E402
from court_tui.store.rekey import change_passphrase  # noqa: E402

FORMS = load_forms()


def emit(line: str) -> None:
    os.write(1, (line + "\n").encode())


def setup(db: Path, passphrase: str) -> int:
    with open_store(db, passphrase, create=True, forms=FORMS) as store:
        for number in range(12):
            record = CaseRecord.model_validate(
                {
                    "officer": "Sam Patel",
                    "answers": {
                        "name": f"Person {number}",
                        "offence_analysis": "text " * (50 * number + 1),
                    },
                }
            )
            store.repository.save_case(record, actor="crash test")
        return store.repository.count_cases()


def child(db: Path, old: str, new: str, mode: str) -> None:
    if mode == "cli":
        os.environ["COURT_TUI_PASSPHRASE"] = old
        os.environ["COURT_TUI_NEW_PASSPHRASE"] = new
        said = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
            code = cli.main(["passphrase", "--db", str(db)])
        if code != 0:
            emit(f"error exit {code}: {said.getvalue().strip()}")
            return
    else:
        change_passphrase(db, old, new, at=datetime.now(UTC), actor="crash test")
    emit("done")


def main() -> None:
    cli.build_parser()  # imports every command's module once, before any fork
    with quick_key_derivation():
        emit("started")
        for line in sys.stdin:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "setup":
                emit(f"ready {setup(Path(parts[1]), bytes.fromhex(parts[2]).decode())}")
            elif parts[0] == "run":
                pid = os.fork()
                if pid == 0:
                    try:
                        old, new = (bytes.fromhex(p).decode() for p in parts[2:4])
                        child(Path(parts[1]), old, new, parts[4])
                    except BaseException as exc:  # report, never fall back into the loop
                        emit(f"error {type(exc).__name__}: {exc}")
                    finally:
                        os._exit(0)
                emit(f"pid {pid}")
            elif parts[0] == "reap":
                _, status = os.waitpid(int(parts[1]), 0)
                emit(f"reaped {parts[1]} {status}")
            elif parts[0] == "quit":
                break


if __name__ == "__main__":
    main()
