"""Where the shipped forms and reference data live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # A wheel carries forms/ and data/ inside the package; a checkout keeps them at the top.
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def forms_dir() -> Path:
    """The folder of form files."""
    return _shipped("forms")


def data_dir() -> Path:
    """The folder of shipped reference data and demo cases."""
    return _shipped("data")


SHARED_OFFENCE_MAPPING = "offence-codes-actuarial.json"


def shared_offence_mapping() -> Path:
    """Where a checkout's neighbouring shared data keeps the offence mapping (../shared/data
    beside the project); not shipped in the package, so it may not be there."""
    return _PACKAGE.parent.parent / "shared" / "data" / SHARED_OFFENCE_MAPPING
