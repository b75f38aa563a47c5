"""A small run of ``benchmarks/trials_queries.py`` (the 600,000-study query benchmark) at a
few hundred studies: it builds its store, times every filter set in-process and over HTTP,
and prints; nothing here asserts a time."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def _bench():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import trials_queries
    finally:
        sys.path.remove(str(BENCH))
    return trials_queries


def test_the_query_benchmark_runs_small(any_db_url: str, tmp_path: Path, empty_trials, capsys):  # type: ignore[no-untyped-def]
    bench = _bench()
    if any_db_url.startswith("sqlite"):
        argv = ["--studies", "400", "--runs", "1", "--workdir", str(tmp_path)]
        name = "sqlite"
    else:
        url = empty_trials.url(any_db_url, tmp_path)
        argv = ["--studies", "400", "--runs", "1", "--workdir", str(tmp_path), "--pg", url,
                "--no-sqlite", "--no-http"]
        name = "postgresql"
    try:
        results = bench.main(argv)
        again = bench.main(argv)  # the store is kept, and opened for writing once
    finally:
        if name == "postgresql":
            empty_trials.drop(url)
    out = capsys.readouterr().out
    assert "built in" in results[name]["store"] and "kept" in again[name]["store"]
    assert len(results[name]["list"]["per"]) == len(bench.FILTERS)
    assert results[name]["stats"] > 0 and "trials stats region x cell class x year" in out
    if name == "sqlite":
        assert {"/trials first", "/api/v1/trials again"} <= set(results[name]["http"])
    if name == "sqlite":  # the generated store: two registries for some trials
        from ctatlas.trials.store import TrialStore

        store = TrialStore(f"sqlite:///{tmp_path / 'trials-400.sqlite'}", readonly=True)
        assert store.count() == 400 and store.overview()["trials"] < 400
        assert store.count_trials(label=None) == store.overview()["trials"]
        store.close()
