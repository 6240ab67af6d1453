"""A fork server for crash tests, spoken to over pipes: a script that imports court-tui
once and forks one child per kill, answering one line per command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


class ForkServer:
    """The fork server SCRIPT (run with ARGS), started and waited for ("started")."""

    def __init__(self, script: Path, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert self.readline() == "started"

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def readline(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError("the crash worker stopped")
        return line.rstrip("\n")

    def close(self) -> None:
        try:
            self.send("quit")
            self.proc.wait(timeout=10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
