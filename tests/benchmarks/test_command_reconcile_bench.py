"""Smoke run of ``benchmarks/command_reconcile.py`` on a tiny corpus (no timings asserted: the
figures live in benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_tiny


def test_every_step_from_the_command_to_ingest_items_stores_the_same_records(
    tmp_path: Path,
) -> None:
    res, stdout = run_tiny("command_reconcile.py", tmp_path)
    # the command and every step of the ladder stored every study of the corpus
    assert res["records"]["command"] == [30]
    steps = [k for k in res["records"] if k != "command"]
    assert len(steps) == 6 and all(res["records"][k] == [30] for k in steps)
    med = res["median"]
    for k in ("command", "startup", "phases: ingest proper", *steps,
              "5 fastest of the three step-4 runs", "command without start-up"):
        wall, cpu = med[k]
        assert wall > 0 and cpu >= 0, k
    # the ingest proper is part of the command, and start-up is part of the command too
    assert med["phases: ingest proper"][0] < med["phases: total"][0]
    assert med["startup"][1] < med["command"][1] + 0.05
    assert "command without start-up" in stdout and "waiting" in stdout
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # its work folder is removed
