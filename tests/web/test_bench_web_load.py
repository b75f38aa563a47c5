"""A small run of ``benchmarks/web_load.py``: a real ``ctatlas serve`` over the fixture atlas
and a small generated trials store, every page type in two languages with gzip, for one
second; no error, every answer worth compressing compressed. Nothing here asserts a time."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_web_load_benchmark_runs_small(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import trials_queries
        import web_load
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    trials = f"sqlite:///{tmp_path / 'trials.sqlite'}"
    trials_queries.build(trials, 300)
    result = web_load.main([
        "--data", str(ROOT / "tests" / "fixtures" / "data"), "--duration", "1", "--clients", "4",
        "--generator", "python", "--langs", "en,ja", "--trials-db", trials,
    ])
    out = capsys.readouterr().out
    assert result["errors"] == 0 and result["distinct"] >= 100
    assert result["uncompressed"] == []
    kinds = set(result["cold_kind"])
    assert {"home", "products", "products/{id}", "trials", "trials/{id}", "api trials",
            "api trials/{id}", "classify", "api jurisdictions/{id}", "definitions", "pipeline",
            "conditional", "analysis", "analysis/{id}"} <= kinds
    assert "p99 per page type" in out and "languages: en, ja" in out
