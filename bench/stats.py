"""Small helpers for latency figures."""

from __future__ import annotations

import statistics


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def describe_ms(values_s: list[float]) -> str:
    """'p50 1.23 ms, p95 4.56 ms (n=200)' from durations in seconds."""
    ms = [v * 1000 for v in values_s]
    return f"p50 {statistics.median(ms):8.2f} ms   p95 {percentile(ms, 95):8.2f} ms   (n={len(ms)})"
