"""Smoke run of ``benchmarks/middle_row.py`` on a tiny corpus (no timings asserted: the figures
live in benchmarks/README.md, "Session 15 (`perf7`)")."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import BENCHMARKS


def test_middle_row_is_found_timed_and_its_answers_listed() -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / "middle_row.py"), "--n", "60", "--mix", "5",
         "--repeat", "1"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    found = re.search(r"60 studies, mix 1 in 5: (\d+) in the middle row", out)
    assert found and int(found.group(1)) > 0  # the corpus's base studies hold such studies
    for step in ("to the gate", "+ mentions + setting", "whole rules"):
        assert re.search(rf"{re.escape(step)}\s+median \d+\.\d{{3}} s", out), step
    assert re.search(r"after the gate: -?\d+\.\d{3} s, -?\d+ us a study", out)
    # every middle-row study is counted once among the answers, all of them not_cell
    answers = [int(k) for k, label in re.findall(r"^\s+(\d+)\s+(\w+)\s", out, re.M)
               if label in ("not_cell", "cell_therapy")]
    assert sum(answers) == int(found.group(1))
    assert "cell_therapy" not in out.split("answered")[-1]
