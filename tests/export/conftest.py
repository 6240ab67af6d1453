"""Fixtures for the export tests."""

from __future__ import annotations

import pytest
from export_helpers import rich_case

from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet


@pytest.fixture
def rich(forms: FormSet) -> CaseRecord:
    return rich_case(forms)
