"""Writing a command's output."""

from __future__ import annotations

import os
import sys


def write_stdout(text: str) -> None:
    """Print TEXT; a reader that stops early (such as `head`) is not an error."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at nothing so Python's own flush at exit does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
