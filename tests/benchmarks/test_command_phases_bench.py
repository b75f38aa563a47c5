"""Smoke run of ``benchmarks/command_phases.py`` on a tiny corpus (no timings asserted: the
figures live in benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

from .conftest import run_tiny


def test_every_phase_of_the_command_is_timed(tmp_path: Path) -> None:
    result, stdout = run_tiny("command_phases.py", tmp_path)
    phases = result["phases"]["after"]
    # 30 studies make one batch: "the other batches" is then only the finished run's mark
    for phase in ("interpreter", "imports, app", "atlas", "trials store", "run record, bar",
                  "first batch", "finish, close", "report", "end", "total"):
        wall, cpu = phases[phase]
        assert wall >= 0 and cpu >= 0, phase
    total_wall, total_cpu = phases["total"]
    assert total_cpu > 0
    # the phases are consecutive: together they are the process, to its very end
    parts = [v for k, v in phases.items() if k != "total"]
    assert abs(sum(w for w, _ in parts) - total_wall) < 1e-6
    assert "first batch" in stdout and "finish, close" in stdout
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # its work folder is removed
