"""Small statistics helpers: nearest-rank percentiles, medians, a noise-robust summary."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan when there are no samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """p50, p90, p99, mean and max in milliseconds, with the sample count."""
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1e3, 4),
        "p90_ms": round(percentile(seconds, 90) * 1e3, 4),
        "p99_ms": round(percentile(seconds, 99) * 1e3, 4),
        "mean_ms": round(statistics.fmean(seconds) * 1e3, 4) if seconds else math.nan,
        "max_ms": round(max(seconds) * 1e3, 4) if seconds else math.nan,
    }
