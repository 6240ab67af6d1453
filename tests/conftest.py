"""Settings and fixtures shared by the whole suite: the shipped forms here, and from
tests/support/fixtures.py the PostgreSQL server, central stores and quick key derivation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from court_tui.domain.forms import FormSet, load_forms

pytest_plugins = ["support.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Long fault and load runs are opt-in: COURT_TUI_SLOW=1.
SLOW = os.environ.get("COURT_TUI_SLOW") == "1"

settings.register_profile("court-tui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("court-tui")


@pytest.fixture(scope="session")
def forms() -> FormSet:
    """The shipped forms, loaded once per worker."""
    return load_forms()
