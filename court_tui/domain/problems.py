"""A problem with a case record, anchored to a field id, and how much it matters.

Errors are answers missing or malformed; blockers are rules the inspection found broken
(a 'not known' with no follow-up, an oral report at very high RoSH, ...); warnings are
worth a second look but do not stop the officer. Only errors and blockers stop a task
being completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a problem matters."""

    ERROR = "error"
    BLOCKER = "blocker"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the record, anchored to a field id."""

    field: str
    section: str
    message: str
    severity: Severity
    missing: bool = False
