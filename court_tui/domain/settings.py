"""Every setting the store keeps and every environment variable court-tui reads, named once.

A stored setting is text in the store's `settings` table; its `Setting` here says what the
key is, what the text means and what holds when it is missing. The environment is read once,
by the entry point, into a `Config` that is handed down: nothing else looks at it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from court_tui.domain.allocation import AllocationLabels, Provider, labels_from

T = TypeVar("T")


def _text(stored: str) -> str:
    return stored


def _minutes(stored: str) -> float:
    return float(stored)


# An office team or a place, as the officer sets it once: one line of plain text.
OFFICE_TEXT_MAX = 200


def office_text(stored: str) -> str:
    """STORED (an office team or a place) with its spacing made even; raises ValueError
    saying what is wrong with it (too long, or not plain text)."""
    if any(not (ch.isprintable() or ch in " \t") for ch in stored):
        raise ValueError("must be one line of plain text")
    text = " ".join(stored.split())
    if len(text) > OFFICE_TEXT_MAX:
        raise ValueError(f"must be {OFFICE_TEXT_MAX} characters or fewer")
    return text


def _utc_time(stored: str) -> datetime:
    moment = datetime.fromisoformat(stored)
    if moment.tzinfo is None:
        raise ValueError("a time without its zone")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One key of the store's settings: what it holds, how its text reads, its default."""

    key: str
    meaning: str
    default: T
    parse: Callable[[str], T]

    def value(self, stored: str | None) -> T:
        """STORED (the text kept under the key, None when there is none) as its type; the
        default when it is missing or cannot be read."""
        if stored is None:
            return self.default
        try:
            return self.parse(stored)
        except ValueError:
            return self.default

    def read(self, get_setting: Callable[[str], str | None]) -> T:
        """The setting as kept by a store whose lookup is GET_SETTING."""
        return self.value(get_setting(self.key))

    def problem(self, stored: str | None) -> str | None:
        """Why STORED cannot be read as this setting (so its default holds), or None."""
        if stored is None:
            return None
        try:
            self.parse(stored)
        except ValueError as error:
            return str(error)
        return None


# The officer's profile, written by the app's setup and read by the command line's audit.
OFFICER: Setting[str] = Setting("officer", "the officer's name, as on their records", "", _text)
TEAM: Setting[str] = Setting("team", "the officer's team", "", _text)
COURT: Setting[str] = Setting("court", "the court new cases start with", "", _text)
PROFILE: tuple[Setting[str], ...] = (OFFICER, TEAM, COURT)

# Where a case goes, by the allocation it is given, set once by the officer (Settings) and
# pre-filled, changeable, in every case: the office team its handover is sent to, and the
# place of its first appointment. Blank: nothing is pre-filled.
HANDOVER_TEAMS: dict[Provider, Setting[str]] = {
    provider: Setting(
        f"handover_team_{provider.value}",
        f"the office team {provider.value.upper()} cases are sent to on handover",
        "",
        office_text,
    )
    for provider in Provider
}
FIRST_APPOINTMENT_PLACES: dict[Provider, Setting[str]] = {
    provider: Setting(
        f"first_appointment_place_{provider.value}",
        f"the place of the first appointment of {provider.value.upper()} cases",
        "",
        office_text,
    )
    for provider in Provider
}
OFFICES: tuple[Setting[str], ...] = (
    *HANDOVER_TEAMS.values(),
    *FIRST_APPOINTMENT_PLACES.values(),
)

THEME: Setting[str | None] = Setting("theme", "the app's theme, by name", None, _text)
LOCK_MINUTES: Setting[float] = Setting(
    "lock_minutes", "minutes without input before the app locks (0 never locks)", 10.0, _minutes
)
EXPORT_FOLDER: Setting[str] = Setting(
    "export_folder", "where the app writes exports (blank: Documents/court-tui)", "", _text
)
LAST_CASE: Setting[str | None] = Setting(
    "last_case", "the case opened last, to go back to", None, _text
)
SYNC_SERVER: Setting[str] = Setting(
    "sync_server", "the central store saved by `court-tui sync --remember`", "", _text
)

PASSPHRASE_CHANGED_AT: Setting[datetime | None] = Setting(
    "passphrase_changed_at",
    "when the store's passphrase was last changed (UTC, ISO 8601); none: never changed",
    None,
    _utc_time,
)

SETTINGS: tuple[Setting[Any], ...] = (
    *PROFILE,
    *OFFICES,
    THEME,
    LOCK_MINUTES,
    EXPORT_FOLDER,
    LAST_CASE,
    SYNC_SERVER,
    PASSPHRASE_CHANGED_AT,
)


@dataclass(frozen=True)
class EnvironmentVariable:
    """One environment variable: its name, the `Config` field it fills and what it means."""

    name: str
    field: str
    meaning: str
    # Paths and addresses lose stray spaces; a passphrase is taken exactly as set.
    strip: bool

    def read(self, environ: Mapping[str, str]) -> str | None:
        """The variable's value in ENVIRON, None when it is unset or empty."""
        value = environ.get(self.name, "")
        if self.strip:
            value = value.strip()
        return value or None


DB_ENV = EnvironmentVariable(
    "COURT_TUI_DB", "db", "the store to use when --db is not given", strip=True
)
PASSPHRASE_ENV = EnvironmentVariable(
    "COURT_TUI_PASSPHRASE", "passphrase", "unlocks the store without asking", strip=False
)
NEW_PASSPHRASE_ENV = EnvironmentVariable(
    "COURT_TUI_NEW_PASSPHRASE",
    "new_passphrase",
    "the new passphrase for `court-tui passphrase`, without asking",
    strip=False,
)
SERVER_ENV = EnvironmentVariable(
    "COURT_TUI_SERVER", "server", "the central store when --server is not given", strip=True
)
LABELS_ENV = EnvironmentVariable(
    "COURT_TUI_ALLOCATION_LABELS",
    "allocation_labels",
    "the names shown for the two providers",
    strip=False,
)
ENVIRONMENT: tuple[EnvironmentVariable, ...] = (
    DB_ENV,
    PASSPHRASE_ENV,
    NEW_PASSPHRASE_ENV,
    SERVER_ENV,
    LABELS_ENV,
)


@dataclass(frozen=True)
class Config:
    """What the environment says, read once at start-up; None where it says nothing."""

    db: str | None = None
    passphrase: str | None = None
    new_passphrase: str | None = None
    server: str | None = None
    allocation_labels: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Config:
        """The configuration ENVIRON (the process environment, at the entry point) gives."""
        return cls(**{variable.field: variable.read(environ) for variable in ENVIRONMENT})

    def labels(self, name: str | None = None) -> AllocationLabels:
        """The label set called NAME, else the configured one, else the default; raises
        ValueError naming the known sets when the name is unknown."""
        return labels_from(name or self.allocation_labels)
