"""Smoke run of ``benchmarks/command_phases.py`` on a tiny corpus (no timings asserted: the
figures live in benchmarks/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "command_phases.py"


def test_every_phase_of_the_command_is_timed(tmp_path: Path) -> None:
    out = tmp_path / "phases.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--n", "30", "--mix", "5", "--repeat", "1",
         "--workdir", str(tmp_path), "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    phases = json.loads(out.read_text())["phases"]["after"]
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
    assert "first batch" in proc.stdout and "finish, close" in proc.stdout
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]  # its work folder is removed
