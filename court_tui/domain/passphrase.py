"""What a passphrase for a new store must be: one rule for the app's setup and the command line."""

from __future__ import annotations

MIN_NEW_PASSPHRASE = 10


def new_passphrase_problem(passphrase: str) -> str | None:
    """Why PASSPHRASE cannot lock a new store, in words for the officer; None when it can."""
    if not passphrase:
        return "Enter a passphrase"
    if len(passphrase) < MIN_NEW_PASSPHRASE:
        return f"Passphrase must be {MIN_NEW_PASSPHRASE} characters or more"
    return None
