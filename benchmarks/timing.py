"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], *, repeat: int = 7, number: int = 1) -> float:
    """The median wall time of NUMBER calls of ACTION, over REPEAT rounds, per call."""
    action()  # warm caches and imports so both sides are timed alike
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            action()
        times.append((time.perf_counter() - start) / number)
    return statistics.median(times)


def paired_medians(
    subject: Callable[[], object],
    baseline: Callable[[], object],
    *,
    rounds: int = 3,
    repeat: int = 7,
    number: int = 1,
) -> tuple[float, float]:
    """The median seconds a call of SUBJECT and of BASELINE, timed in turn for ROUNDS
    rounds, so that both see the same load on a shared machine."""
    subjects, baselines = [], []
    for _ in range(rounds):
        subjects.append(median_seconds(subject, repeat=repeat, number=number))
        baselines.append(median_seconds(baseline, repeat=repeat, number=number))
    return statistics.median(subjects), statistics.median(baselines)
