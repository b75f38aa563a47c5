"""Pipeline counts: trials by country x phase x cell class x start year (and any subset)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import product
from typing import Any

__all__ = ["DIMENSIONS", "pipeline_stats"]

DIMENSIONS = (
    "region",
    "country",
    "phase",
    "cell_class",
    "family",
    "origin",
    "year",
    "status",
    "sponsor_class",
    "label",
)


def _values(trial: dict[str, Any], dim: str) -> list[Any]:
    if dim == "region":  # Japan vs Korea vs the world: every trial counts in "world"
        countries = trial.get("countries") or []
        return [c for c in ("JP", "KR") if c in countries] + ["world"]
    if dim == "country":
        return list(trial.get("countries") or []) or ["unknown"]
    if dim == "phase":
        return list(trial.get("phases") or []) or ["unknown"]
    if dim == "year":
        start = trial.get("start_date") or ""
        return [int(start[:4])] if start[:4].isdigit() else ["unknown"]
    key = {"family": "cell_family"}.get(dim, dim)
    return [trial.get(key) or "unknown"]


def pipeline_stats(
    trials: Iterable[dict[str, Any]],
    by: Sequence[str] = ("country", "phase", "cell_class", "year"),
) -> list[dict[str, Any]]:
    """One row per combination with ``trials`` = the number of distinct trials in it.

    A trial with sites in Japan and Korea counts once under each country (and a phase 1/2
    trial once under each phase); totals over a dimension can therefore exceed the number
    of trials, which is what a per-country view needs.
    """
    for d in by:
        if d not in DIMENSIONS:
            raise ValueError(f"unknown dimension {d!r}; choose from {', '.join(DIMENSIONS)}")
    counts: Counter[tuple[Any, ...]] = Counter()
    for t in trials:
        n = t.get("weight", 1)  # a row of TrialStore.chart_counts stands for n trials
        for combo in product(*(_values(t, d) for d in by)):
            counts[combo] += n

    def sort_key(item: tuple[tuple[Any, ...], int]) -> tuple[Any, ...]:
        return tuple((0, v) if isinstance(v, int) else (1, str(v)) for v in item[0])

    return [
        dict(zip(by, combo, strict=True), trials=n)
        for combo, n in sorted(counts.items(), key=sort_key)
    ]
