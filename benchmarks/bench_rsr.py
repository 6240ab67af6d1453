"""RSR rows: a supervisor's batch re-check of 10,000 scores in one `court-tui rsr` call."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks.timing import median_seconds
from court_tui.domain.rsr import OFFENCE_CATEGORIES, VIOLENCE_SUBTYPES, parse_rsr_inputs
from court_tui.domain.rsr.javatime import period_years

BATCH_SIZE = 10_000
SEXUAL_COUNTS = (
    "contact_adult_sanctions",
    "contact_child_sanctions",
    "non_contact_sanctions",
    "indecent_image_sanctions",
)


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def generated_inputs(rng: random.Random) -> dict[str, Any]:
    """One valid set of calculator inputs, shaped like the cases seen at court."""
    gender = "male" if rng.random() < 0.85 else "female"
    assessed = _day(rng, date(2024, 1, 1), date(2026, 12, 31))
    born = _day(rng, date(1950, 1, 1), assessed - timedelta(days=366 * 18))
    convicted = _day(rng, assessed - timedelta(days=120), assessed)
    followup = assessed if rng.random() < 0.8 else _day(rng, convicted, assessed)
    total = rng.randint(1, 40)
    category = rng.choice(OFFENCE_CATEGORIES)
    sexual_history = rng.random() < 0.1
    raw: dict[str, Any] = {
        "gender": gender,
        "date_of_birth": born.isoformat(),
        "assessment_date": assessed.isoformat(),
        "conviction_date": convicted.isoformat(),
        "followup_start_date": followup.isoformat(),
        "offence_category": category,
        "violence_subtype": (
            rng.choice(VIOLENCE_SUBTYPES) if category == "violence_against_the_person" else None
        ),
        "total_sanctions": total,
        "age_at_first_sanction": rng.randint(10, period_years(born, convicted)),
        "violent_sanctions": rng.randint(0, total),
        "sexual_history": sexual_history,
        "current_offence_sexually_motivated": None,
        **dict.fromkeys(SEXUAL_COUNTS),
        "date_of_most_recent_sexual_sanction": None,
        "stranger_victim": rng.choice([None, False, True]),
        "supervision_status": rng.choice(["community", "community", "custody", "remand"]),
    }
    if gender == "male" and sexual_history:
        counts = [rng.randint(0, 3) for _ in SEXUAL_COUNTS]
        counts[rng.randrange(4)] = rng.randint(1, 3)
        raw.update(zip(SEXUAL_COUNTS, counts, strict=True))
        raw["current_offence_sexually_motivated"] = rng.random() < 0.5
        raw["date_of_most_recent_sexual_sanction"] = convicted.isoformat()
    parse_rsr_inputs(raw)  # a row of refusals would time the wrong thing
    return raw


def batch_of_scores() -> dict[str, Any]:
    """10,000 scores in one `court-tui rsr` process vs starting Python to round-trip the file."""
    rng = random.Random(20260302)
    batch = [generated_inputs(rng) for _ in range(BATCH_SIZE)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inputs.json"
        path.write_text(json.dumps(batch), encoding="utf-8")
        subject_command = [sys.executable, "-m", "court_tui", "rsr", str(path)]
        baseline_command = [
            sys.executable,
            "-c",
            "import json, sys; json.dump(json.load(open(sys.argv[1])), sys.stdout)",
            str(path),
        ]

        def subject() -> None:
            done = subprocess.run(subject_command, capture_output=True, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"court-tui rsr failed: {done.stderr.decode()[-500:]}")

        def baseline() -> None:
            subprocess.run(baseline_command, capture_output=True, check=True)

        subject_seconds = median_seconds(subject, repeat=5)
        baseline_seconds = median_seconds(baseline, repeat=5)
    return {
        "name": f"rsr: {BATCH_SIZE:,} scores in one `court-tui rsr` call",
        "subject_seconds": subject_seconds,
        "baseline_seconds": baseline_seconds,
        "baseline": "python -c round-tripping the same JSON file (start-up + parse)",
        "note": (
            f"{subject_seconds:.3f} s for {BATCH_SIZE:,} scores, "
            f"{subject_seconds / BATCH_SIZE * 1e6:.0f} us a score including start-up"
        ),
    }


ROWS = [batch_of_scores]
