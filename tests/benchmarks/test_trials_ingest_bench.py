"""Smoke runs of every mode of ``benchmarks/trials_ingest.py`` on tiny inputs (no timings
asserted: the figures live in benchmarks/README.md)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "trials_ingest.py"


def _run(tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--workdir", str(tmp_path), "--json", str(out), *args],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("ctatlas-bench-")]
    return json.loads(out.read_text())


def test_timings_floor_and_check_on_a_tiny_corpus(tmp_path: Path) -> None:
    # --before: an earlier tree's ingest on the same corpus (here this tree itself)
    got = _run(tmp_path, "--n", "40", "--mix", "4", "--repeat", "1", "--check",
               "--skip", "baseline", "--before", str(BENCH.parents[1]))
    kinds = {(r["kind"], r["cores"]) for r in got["results"]}
    assert {("startup", 1), ("unzip", 1), ("bound", 2), ("floor", 1), ("ours", 1),
            ("ours", 2), ("before", 1), ("before", 2)} <= kinds
    ours = [r for r in got["results"] if r["kind"] in ("ours", "before")]
    assert {r["n"] for r in ours} == {40}
    floor = next(r for r in got["results"] if r["kind"] == "floor")
    parts = {"unzip", "decode", "write"}
    assert set(floor["parts"]) == parts | {f"{p}_cpu" for p in parts}
    # the optimised pipeline stores every study as the unoptimised one classifies it
    assert got["check"]["studies"] == got["check"]["same"] == 40


@pytest.mark.parametrize("form", ["array", "page", "gov"])
def test_a_single_file_export_is_streamed(tmp_path: Path, form: str) -> None:
    got = _run(tmp_path, "--stream-gb", "0.001", "--stream-form", form, "--cores", "1")
    (run,) = got["stream"]
    assert run["form"] == form and run["n"] >= 30 and run["peak_rss_mb"] > 0


def test_the_classifier_split_counts_every_study(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--workdir", str(tmp_path), "--classifier-split",
         "--n", "60", "--mix", "3", "--repeat", "1"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    counts = [int(n) for n in re.findall(r"(\d+) studies  classify", proc.stdout)]
    assert sum(counts) == 60, proc.stdout
    assert "no stem (early exit)" in proc.stdout and "labelled cell_therapy" in proc.stdout
    assert not list(tmp_path.iterdir())  # its atlas store went with its folder
