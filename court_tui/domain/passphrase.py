"""What a passphrase for a store must be: one rule for the app's setup, the command line
and a change of passphrase."""

from __future__ import annotations

from typing import Any

MIN_NEW_PASSPHRASE = 10
# zxcvbn's scores run 0-4; 3 is "safely unguessable: moderate protection from an offline
# slow-hash attack", which is the attack a lost laptop's encrypted store faces.
MIN_STRENGTH_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); a passphrase whose first 72
# characters are strong is strong.
STRENGTH_CHECKED_CHARS = 72


def _strength(passphrase: str) -> dict[str, Any]:
    # Imported here: its word lists take a twentieth of a second, which opening the app
    # does not need.
    from zxcvbn import zxcvbn

    result: dict[str, Any] = zxcvbn(passphrase[:STRENGTH_CHECKED_CHARS])
    return result


def new_passphrase_problem(passphrase: str) -> str | None:
    """Why PASSPHRASE cannot lock a store, in words for the officer; None when it can."""
    if not passphrase:
        return "Enter a passphrase"
    if len(passphrase) < MIN_NEW_PASSPHRASE:
        return f"Passphrase must be {MIN_NEW_PASSPHRASE} characters or more"
    estimate = _strength(passphrase)
    if int(estimate["score"]) < MIN_STRENGTH_SCORE:
        warning = str(estimate["feedback"].get("warning") or "").strip().rstrip(".")
        why = f" ({warning})" if warning else ""
        return (
            f"Passphrase is too easy to guess{why}: use three or four words that do not "
            "belong together"
        )
    return None
