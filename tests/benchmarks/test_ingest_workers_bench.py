"""Smoke run of ``benchmarks/ingest_workers.py`` on a tiny corpus (no timings asserted: the
figures live in benchmarks/README.md)."""

from __future__ import annotations

import sys
from pathlib import Path

from .conftest import run_tiny


def test_both_configurations_are_traced_from_inside(tmp_path: Path) -> None:
    result, stdout = run_tiny("ingest_workers.py", tmp_path)
    one, two = result["1"], result["2"]
    assert len(one) == len(two) == 1
    # one process classifies its own batches; with two, the workers do and the parent only
    # reads and writes (30 studies: one batch, so one worker may have had nothing)
    assert one[0]["workers"] and one[0]["workers"][0]["batches"] >= 1
    assert sum(w["batches"] for w in two[0]["workers"]) >= 1
    for run in (one[0], two[0]):
        assert run["tree_cpu"] >= run["parent_cpu"] > 0 and run["writes_cpu"] > 0
    if sys.platform.startswith("linux"):  # the kernel's scheduler figures
        assert all(w["blocked"] is not None for w in two[0]["workers"] if w["batches"])
    assert "workers=2" in stdout and "blocked" in stdout
    # the store's checkpoints are counted by the thread they ran in (none in the reader's)
    assert two[0]["checkpoints"]["reader"] == 0.0
    # and the time the reader slept inside its writes, in one process and with workers
    # (session 14: SQLite's own checkpoints sync the disk inside a commit)
    if sys.platform.startswith("linux"):
        assert all(run["writes_blocked"] >= -0.05 for run in (one[0], two[0]))
    assert "asleep inside its writes" in stdout
    assert "checkpoints during the run" in stdout
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # its work folder is removed
