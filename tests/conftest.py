"""Settings shared by the whole suite, and its shared fixtures (tests/support/fixtures.py:
the PostgreSQL server, central stores, quick key derivation)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

pytest_plugins = ["support.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

# Long fault and load runs are opt-in: COURT_TUI_SLOW=1.
SLOW = os.environ.get("COURT_TUI_SLOW") == "1"

settings.register_profile("court-tui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("court-tui")
