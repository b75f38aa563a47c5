"""What the benchmarks' smoke runs share: one benchmark script run on a tiny corpus."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_tiny(script: str, tmp_path: Path, *extra: str, repeat: int = 1) -> tuple[dict, str]:
    """Run ``benchmarks/<script>`` (with ``extra`` arguments) on 30 studies (one in five a cell
    therapy), ``repeat`` times, in ``tmp_path``, and return the JSON it writes and what it
    prints; a failed run fails with its stderr's tail."""
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--n", "30", "--mix", "5", "--repeat",
         str(repeat), "--workdir", str(tmp_path), "--json", str(out), *extra],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(out.read_text()), proc.stdout
