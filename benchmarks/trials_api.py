"""Benchmark: ``GET /api/v1/trials`` on a store of N studies (issue 21, item 4).

Prints figures; asserts nothing. Run:

    .venv/bin/python benchmarks/trials_api.py [--studies 20000]

The store holds the real ClinicalTrials.gov studies of the fixtures, copied under new ids
until it has N. Timed: reading every match (what the route did before it paged in SQL), one
page in SQL with its count (a first, uncached request), and the same request again through
the app (served from the cache of the trials-store version).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "trials"


def _studies() -> list[dict]:
    out = [json.loads(p.read_text()) for p in sorted((FIX / "ctgov").glob("*.json"))]
    out += json.loads((FIX / "ctgov_export" / "ctg-studies_10.json").read_text())
    with gzip.open(FIX / "ctgov_export" / "ctg-studies_50_rest.jsonl.gz", "rt") as fh:
        out += [json.loads(line) for line in fh]
    return out


def _median(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=20_000)
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    tmp = Path(tempfile.mkdtemp(prefix="ctatlas-trials-api-"))
    base = _studies()
    lines = []
    for i in range(args.studies):
        s = json.loads(json.dumps(base[i % len(base)]))
        s["protocolSection"]["identificationModule"]["nctId"] = f"NCT{90000000 + i}"
        lines.append(json.dumps(s))
    records = tmp / "studies.jsonl"
    records.write_text("\n".join(lines) + "\n")
    url = f"sqlite:///{tmp / 'trials.sqlite'}"
    store = TrialStore(url)
    t0 = time.perf_counter()
    ingest([records], store, workers=2)
    print(f"store: {store.count()} studies (ingested in {time.perf_counter() - t0:.0f} s)")

    every = _median(lambda: list(store.query(label=None)), runs=3)
    page = _median(lambda: list(store.query(label=None, limit=50, offset=1000)))
    count = _median(lambda: store.count_trials(label=None))
    print(f"reading every match (before):        {every * 1000:8.1f} ms")
    print(f"one page of 50 in SQL (offset 1000): {page * 1000:8.1f} ms")
    print(f"the count, in SQL:                   {count * 1000:8.1f} ms")
    store.close()

    from ctatlas.store import ensure_store

    atlas = ensure_store(f"sqlite:///{tmp / 'atlas.sqlite'}", ROOT / "tests" / "fixtures" / "data")
    app = create_app(store=atlas, trials_db=url, refresh_seconds=10)
    with TestClient(app) as client:
        query = "/api/v1/trials?label=all&limit=50&offset=1000"
        t0 = time.perf_counter()
        first = client.get(query)
        cold = time.perf_counter() - t0
        warm = _median(lambda: client.get(query), runs=50)
    print(f"API, first request:                  {cold * 1000:8.1f} ms ({first.status_code})")
    print(f"API, again (cached per version):     {warm * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
