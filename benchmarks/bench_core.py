"""Core rows: how much the rules cost on top of reading a case file."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from benchmarks.timing import median_seconds
from court_tui.domain.assessment import assess
from court_tui.domain.casefile import loads
from court_tui.domain.forms import load_forms
from court_tui.resources import data_dir


def check_full_case() -> dict[str, Any]:
    """Load and assess a complete case vs parsing the same JSON alone."""
    text = (data_dir() / "demo" / "check-outstanding-at-sentence.json").read_text()
    forms = load_forms()
    today = date(2026, 3, 2)

    def subject() -> None:
        assess(loads(text, forms), forms, today)

    subject_seconds = median_seconds(subject, number=50)
    baseline_seconds = median_seconds(lambda: json.loads(text), number=50)
    return {
        "name": "check a full case (load + every rule)",
        "subject_seconds": subject_seconds,
        "baseline_seconds": baseline_seconds,
        "baseline": "json.loads of the same case file",
        "note": f"{subject_seconds * 1e3:.2f} ms a case",
    }


ROWS = [check_full_case]
