"""A fork server for the crash test: imports once, then forks one saving child per kill.

Commands on stdin, one per line:
  run DB SEED   fork a child that opens DB and saves cases until killed; replies "pid N"
  reap PID      wait for that (killed) child; replies "reaped PID STATUS"
The child writes "ready" once the store is open, then "saved ID REVISION" after each
commit returns, with one os.write per line so a kill never leaves half a line behind.
Starting a fresh interpreter per kill would spend most of the test importing.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import load_forms
from court_tui.store import open_store

PASSPHRASE = sys.argv[1] if len(sys.argv) > 1 else "crash test passphrase"
FORMS = load_forms()


def emit(line: str) -> None:
    os.write(1, (line + "\n").encode())


def saving_child(db: Path, seed: int) -> None:
    rng = random.Random(seed)
    store = open_store(db, PASSPHRASE, create=True, forms=FORMS)
    repository = store.repository
    known = [summary.id for summary in repository.list_cases()]
    emit("ready")
    while True:
        if known and rng.random() < 0.3:
            record = repository.get_case(rng.choice(known), actor="crash test")
            record.answers["offence_analysis"] = f"edited {rng.random()}" * rng.randint(1, 40)
        else:
            record = CaseRecord.model_validate(
                {
                    "officer": "Sam Patel",
                    "team": "Leeds court team",
                    "answers": {
                        "name": f"Person {rng.randint(1, 10**6)}",
                        "crn": f"X{rng.randint(0, 999999):06d}",
                        "hearing_date": "2026-03-02",
                        "offence_analysis": "text " * rng.randint(1, 400),
                    },
                }
            )
        saved = repository.save_case(record, actor="crash test")
        emit(f"saved {saved.id} {saved.revision}")
        if saved.revision == 1:
            known.append(saved.id)


def warm_up() -> None:
    """Save and read one case in a throwaway store, so that forked children start with
    SQLAlchemy's statement cache filled, like a long-running app; closed before any fork."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "warm.db", PASSPHRASE, create=True, forms=FORMS)
        record = CaseRecord.model_validate({"answers": {"name": "Warm Up"}})
        saved = store.repository.save_case(record, actor="crash test")
        saved = store.repository.get_case(saved.id, actor="crash test")
        store.repository.save_case(saved, actor="crash test")
        store.repository.list_cases()
        store.close()


def main() -> None:
    warm_up()
    emit("started")
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "run":
            pid = os.fork()
            if pid == 0:
                try:
                    saving_child(Path(parts[1]), int(parts[2]))
                except BaseException as exc:  # report, never fall back into the server loop
                    emit(f"error {type(exc).__name__}: {exc}")
                finally:
                    os._exit(3)
            emit(f"pid {pid}")
        elif parts[0] == "reap":
            _, status = os.waitpid(int(parts[1]), 0)
            emit(f"reaped {parts[1]} {status}")
        elif parts[0] == "quit":
            break


if __name__ == "__main__":
    main()
