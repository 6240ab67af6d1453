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
