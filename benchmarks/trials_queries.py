"""Benchmark: queries on a full registry (issue 20): a trials store of 600,000 studies.

Prints figures; asserts nothing. Run (SQLite, and PostgreSQL when ``--pg`` names a database):

    .venv/bin/python benchmarks/trials_queries.py
    .venv/bin/python benchmarks/trials_queries.py --pg postgresql://postgres@127.0.0.1:55432/perfstore
    .venv/bin/python benchmarks/trials_queries.py --studies 2000 --runs 1   # a smoke run

The store is built once per size and backend (kept in ``--workdir`` for SQLite, in the
``ctatlas_trials`` schema of the ``--pg`` database; ``--rebuild`` makes it again) and filled
with generated rows written directly (no ingest): a spread like the real registry's: about one
study in 25 a cell therapy, countries led by the US, China and Europe with Japan and Korea, up
to four countries a study, phases, statuses, start years 1995-2026, cell families, and some
trials listed in two registries (a ClinicalTrials.gov record and a jRCT or CRIS one sharing
the trial). About 1,500 records are linked to atlas products.

Timed, for each backend:

- ``trials list`` in-process: the count and the first page (50) of each typical filter set
  (country, phase, family, label, years, product; :data:`FILTERS`), as ``TrialStore.
  count_trials`` + ``TrialStore.query(limit=50)`` (what ``/trials`` and the API read);
  median of ``--runs`` passes, the p95 over the filter sets;
- ``/trials`` and ``GET /api/v1/trials`` over HTTP against a warm server (``ctatlas serve``,
  one worker, started and sent one request first): every filter set once (the first time a
  server sees it), then again (answers kept per store version); p95 of each;
- ``trials stats --by region,cell_class,year`` in-process (the stats the CLI prints).

Targets: p95 < 100 ms for the list query and both HTTP routes; stats < 1 s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]

#: The typical filter sets (``trials list`` options / API query parameters).
FILTERS: list[dict[str, Any]] = [
    {},
    {"country": "JP"},
    {"country": "KR"},
    {"country": "JP", "phase": "2"},
    {"country": "US", "phase": "1"},
    {"family": "CAR_T"},
    {"family": "MSC", "start_year_from": 2015, "start_year_to": 2020},
    {"family": "NK", "country": "CN"},
    {"phase": "3", "start_year_from": 2020},
    {"cell_class": "stem", "origin": "allogeneic"},
    {"product": "tisagenlecleucel", "label": "all"},
    {"product": "temcell"},
    {"label": "hsct_procedure"},
    {"label": "all"},
    {"label": "all", "country": "JP"},
    {"label": "all", "phase": "2", "start_year_from": 2010, "start_year_to": 2015},
    {"label": "all", "country": "DE", "status": "recruiting"},
    {"offset": 1000},
    {"label": "all", "offset": 5000},
]

COUNTRIES = [  # (code, weight): where registry studies have sites, roughly
    ("US", 32), ("CN", 12), ("FR", 5), ("DE", 5), ("GB", 5), ("CA", 4), ("JP", 4),
    ("KR", 4), ("IT", 3), ("ES", 3), ("EG", 3), ("NL", 2), ("AU", 2), ("BE", 2),
    ("BR", 2), ("TR", 2), ("IR", 2), ("IN", 2), ("TW", 2), ("DK", 1), ("SE", 1),
    ("CH", 1), ("IL", 1), ("PL", 1), ("RU", 1), ("MX", 1), ("SG", 1), ("TH", 1),
]
PHASE_SETS = [
    ([], 30), (["na"], 20), (["1"], 12), (["2"], 14), (["3"], 8), (["4"], 7),
    (["1", "2"], 5), (["2", "3"], 2), (["early_1"], 2),
]
STATUSES = [
    ("completed", 45), ("unknown", 16), ("recruiting", 12), ("terminated", 6),
    ("active_not_recruiting", 6), ("not_yet_recruiting", 5), ("withdrawn", 3),
    ("enrolling_by_invitation", 1), ("suspended", 1),
]
LABELS = [("not_cell", 93.5), ("cell_therapy", 4.0), ("hsct_procedure", 1.8),
          ("acellular_cell_derived", 0.7)]
FAMILIES = [
    ("CAR_T", 30, "somatic"), ("MSC", 22, "stem"), ("NK", 6, "somatic"),
    ("T_cell_other", 8, "somatic"), ("dendritic", 6, "somatic"), ("TIL", 3, "somatic"),
    ("CAR_NK", 2, "somatic"), ("iPSC_derived", 2, "stem"), ("ESC_derived", 1, "stem"),
    ("HSC", 5, "stem"), ("chondrocyte", 2, "somatic"), ("keratinocyte_or_epithelial", 2,
    "somatic"), ("islet", 1, "somatic"), ("SVF_or_BMMNC", 5, "stem"), ("other", 5, None),
]
ORIGINS = [("autologous", 45), ("allogeneic", 40), ("unknown", 12), ("mixed", 3)]
SPONSORS = [("academic", 55), ("industry", 30), ("other", 8), ("government", 5),
            ("unknown", 2)]
PRODUCTS = [
    "tisagenlecleucel", "axicabtagene-ciloleucel", "lisocabtagene-maraleucel",
    "idecabtagene-vicleucel", "ciltacabtagene-autoleucel", "brexucabtagene-autoleucel",
    "temcell", "cartistem", "stempeucel", "alofisel", "heartsheet", "jace", "jack",
    "stemirac", "collategene", "holoclar", "strimvelis", "zolgensma",
]


def _pick(rng: random.Random, table: list[tuple[Any, float]]) -> Any:
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights)[0]


def generate(n: int, seed: int = 20) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """``n`` trials-table rows (with their alias ids), deterministic for a seed: about one
    record in 50 is a second registry's record of a trial already given."""
    import orjson

    rng = random.Random(seed)
    countries = [(c, w) for c, w in COUNTRIES]
    fams = [((f, k), w) for f, w, k in FAMILIES]
    stamp = "2026-12-01T00:00:00+00:00"
    i = 0
    nct = 0
    while i < n:
        nct += 1
        trial_id = f"NCT{10000000 + nct * 7:08d}"
        label = _pick(rng, LABELS)
        k = rng.choices([1, 1, 1, 1, 1, 1, 2, 2, 3, 4])[0]
        cs: list[str] = []
        while len(cs) < k:
            c = _pick(rng, countries)
            if c not in cs:
                cs.append(c)
        phases = _pick(rng, PHASE_SETS)
        year = min(2026, max(1995, int(rng.triangular(1995, 2027, 2022))))
        start = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.02:
            start, year = None, None
        family = cell_class = origin = stem = None
        if label == "cell_therapy":
            family, cell_class = _pick(rng, fams)
            origin = _pick(rng, ORIGINS)
            stem = "MSC" if family == "MSC" else None
        slugs: list[str] = []
        if label != "not_cell" and rng.random() < 0.05:
            slugs = [rng.choice(PRODUCTS)]
        elif label == "not_cell" and rng.random() < 0.001:
            slugs = [rng.choice(PRODUCTS[:6])]  # gene therapies' and combination trials
        records = [("ctgov", "ctgov", trial_id, 0)]
        if rng.random() < 0.02:  # the same trial in a second registry
            if "JP" in cs or "KR" in cs:
                other = ("ictrp", "jrct", f"jRCT{2030000000 + nct}", 2)
            else:
                other = ("cris", "cris", f"KCT{1000000 + nct:07d}", 1)
            records.append(other)
        ids = [r[2] for r in records]
        for source, registry, rid, rank in records:
            if i >= n:
                break
            i += 1
            secondary = [x for x in ids if x != rid]
            row = {
                "source": source,
                "source_id": rid,
                "trial_uid": trial_id,
                "source_rank": rank,
                "registry": registry,
                "trial_id": rid,
                "secondary_ids": orjson.dumps(secondary).decode(),
                "title": f"Study {nct} of {family or 'an intervention'} in condition {nct % 997}",
                "phases": orjson.dumps(phases).decode(),
                "phases_key": "|" + "|".join(phases) + "|",
                "status": _pick(rng, STATUSES),
                "study_type": "interventional",
                "start_date": start,
                "start_year": year,
                "countries": orjson.dumps(cs).decode(),
                "countries_key": "|" + "|".join(cs) + "|",
                "sponsor": f"Sponsor {nct % 5003}",
                "sponsor_class": _pick(rng, SPONSORS),
                "conditions": orjson.dumps([f"condition {nct % 997}"]).decode(),
                "interventions": orjson.dumps(
                    [{"type": "biological", "name": f"product {nct % 311}"}]
                ).decode(),
                "label": label,
                "cell_class": cell_class,
                "cell_family": family,
                "stem_type": stem,
                "origin": origin,
                "evidence": "[]",
                "product_slugs": orjson.dumps(slugs).decode(),
                "last_updated": "2026-11-01",
                "url": f"https://clinicaltrials.gov/study/{trial_id}",
                "content_hash": hashlib.sha1(rid.encode()).hexdigest(),
                "first_seen": stamp,
                "updated_at": stamp,
                "is_best": int(rid == ids[0]),  # the ClinicalTrials.gov record ranks first
            }
            yield row, ids


def build(url: str, n: int, *, seed: int = 20) -> float:
    """Fill an empty trials store at ``url`` with ``n`` generated records (and their aliases,
    and one finished run so the store has a state); the seconds it took."""
    from ctatlas.trials.store import TrialStore

    t0 = time.perf_counter()
    store = TrialStore(url)
    cols_t, sql_t = store._bulk["trials"]
    _cols, sql_a = store._bulk["aliases"]  # (alias, trial_uid)
    batch: list[tuple[Any, ...]] = []
    aliases: dict[str, str] = {}
    with store.engine.begin() as conn:
        for row, ids in generate(n, seed):
            batch.append(tuple(row[c] for c in cols_t))
            for a in ids:
                aliases[a] = row["trial_uid"]
            if len(batch) >= 20_000:
                conn.exec_driver_sql(sql_t, batch)
                batch = []
        if batch:
            conn.exec_driver_sql(sql_t, batch)
        pairs = list(aliases.items())
        for k in range(0, len(pairs), 20_000):
            conn.exec_driver_sql(sql_a, pairs[k : k + 20_000])
    run = store.start_run(["generated"])
    store.finish_run(run, {"generated": n})
    if store.dialect == "postgresql":
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE ctatlas_trials.trials")
            conn.exec_driver_sql("ANALYZE ctatlas_trials.trial_aliases")
    else:
        with store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    store.close()
    return time.perf_counter() - t0


def _pg_count(url: str) -> int | None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM ctatlas_trials.trials")
                       .scalar_one())
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def ensure(url: str, n: int, rebuild: bool) -> str:
    """The store at ``url`` with ``n`` records, built when it is missing (or ``rebuild``);
    a kept store is opened for writing once (what migrates a store made by an earlier
    version: timed)."""
    import sqlalchemy as sa

    from ctatlas.trials.store import TrialStore

    if url.startswith("sqlite"):
        path = Path(url.split(":///", 1)[1])
        fresh = rebuild or not path.exists()
        if fresh:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
    else:
        fresh = rebuild or _pg_count(url) != n
        if fresh:
            engine = sa.create_engine(url)
            with engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA IF EXISTS ctatlas_trials CASCADE")
            engine.dispose()
    if fresh:
        return f"built in {build(url, n):.0f} s" + _vacuum(url)
    t0 = time.perf_counter()
    TrialStore(url).close()
    how = f"kept from an earlier run, opened for writing in {time.perf_counter() - t0:.1f} s"
    return how + _vacuum(url)


def _vacuum(url: str) -> str:
    """PostgreSQL: ``VACUUM ANALYZE`` the trials table, as autovacuum does to a store soon
    after a large write (index-only scans need the visibility map it sets)."""
    if not url.startswith("postgresql"):
        return ""
    import sqlalchemy as sa

    t0 = time.perf_counter()
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE ctatlas_trials.trials")
    engine.dispose()
    return f", vacuumed in {time.perf_counter() - t0:.0f} s"


def _filters(flt: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in flt.items() if k != "offset"}
    label = out.pop("label", "cell_therapy")
    out["label"] = None if label == "all" else label
    return out


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def time_list(url: str, runs: int) -> dict[str, Any]:
    """Count + first page of every filter set, in-process; median over ``runs`` per set (the
    first pass, on a fresh store object, included)."""
    from ctatlas.trials.store import TrialStore

    store = TrialStore(url, readonly=True)
    summary = None
    if hasattr(store, "_summary_for"):  # the summary of the best records, made once a state
        t0 = time.perf_counter()
        store._summary_for({})
        summary = time.perf_counter() - t0
        store.close()
        store = TrialStore(url, readonly=True)  # the first pass below makes it again
    per: list[float] = []
    first: list[float] = []
    for flt in FILTERS:
        times = []
        for _ in range(runs):
            store._memo = None  # every run counts afresh (answers are kept per store state)
            t0 = time.perf_counter()
            store.count_trials(**_filters(flt))
            list(store.query(**_filters(flt), limit=50, offset=flt.get("offset", 0)))
            times.append(time.perf_counter() - t0)
        first.append(times[0])
        per.append(statistics.median(times))
    store.close()
    return {"p95": _p95(per), "max": max(per), "median": statistics.median(per),
            "first_p95": _p95(first), "per": per, "first": first, "summary": summary}


def time_stats(url: str, runs: int) -> float:
    from ctatlas.trials.stats import pipeline_stats
    from ctatlas.trials.store import TrialStore

    store = TrialStore(url, readonly=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        by = ("region", "cell_class", "year")
        rows = (store.stats_counts(by, label="cell_therapy") if hasattr(store, "stats_counts")
                else store.query(label="cell_therapy"))  # before issue 20
        pipeline_stats(rows, by)
        times.append(time.perf_counter() - t0)
    store.close()
    return statistics.median(times)


def time_http(url: str, workdir: Path, http_timeout: float = 60) -> dict[str, float]:
    """``/trials`` and ``/api/v1/trials`` over HTTP, one uvicorn worker: each filter set the
    first time, then again."""
    import httpx

    from ctatlas.store import ensure_store

    atlas = f"sqlite:///{workdir / 'atlas.sqlite'}"
    ensure_store(atlas, ROOT / "data")
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    cli = Path(sys.executable).parent / "ctatlas"
    server = subprocess.Popen(
        [str(cli), "--db", atlas, "--data", str(ROOT / "data"), "serve", "--port", str(port),
         "--log-level", "warning", "--trials-db", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CTATLAS_TRIALS_DB": url},
    )
    out: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 120
        with httpx.Client(base_url=base, timeout=http_timeout,
                          headers={"Accept-Encoding": "gzip"}) as client:
            while True:
                try:
                    if client.get("/api/v1/stats").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"server did not start: {server.stderr.read()}")
                time.sleep(0.2)
            t0 = time.perf_counter()  # a warm server (this makes the store's summary)
            client.get("/trials?label=acellular_cell_derived&limit=1")
            out["warm-up request"] = time.perf_counter() - t0
            for route in ("/trials", "/api/v1/trials"):
                for attempt in ("first", "again"):
                    times = []
                    for flt in FILTERS:
                        query = urlencode({**flt, "limit": 50})
                        t0 = time.perf_counter()
                        try:
                            r = client.get(f"{route}?{query}")
                        except httpx.TimeoutException:  # counted as the time waited
                            times.append(time.perf_counter() - t0)
                            out[f"{route} {attempt} timeouts"] = (
                                out.get(f"{route} {attempt} timeouts", 0) + 1
                            )
                            continue
                        times.append(time.perf_counter() - t0)
                        if r.status_code != 200:
                            raise SystemExit(f"{route}?{query}: {r.status_code} {r.text[:300]}")
                    out[f"{route} {attempt}"] = _p95(times)
                    out[f"{route} {attempt} max"] = max(times)
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stderr:
            server.stderr.close()
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=600_000)
    parser.add_argument("--pg", help="a PostgreSQL database URL (its ctatlas_trials schema is "
                        "replaced when it does not hold --studies records)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) /
                                                 "ctatlas-bench-trials"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--http-timeout", type=float, default=60)
    args = parser.parse_args(argv)

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    backends = []
    if not args.no_sqlite:
        backends.append(("sqlite", f"sqlite:///{workdir / f'trials-{args.studies}.sqlite'}"))
    if args.pg:
        backends.append(("postgresql", args.pg))
    results: dict[str, Any] = {}
    print(f"trials queries: {args.studies:,} studies, {len(FILTERS)} filter sets, "
          f"{args.runs} runs each, {os.cpu_count()} cores")
    for name, url in backends:
        how = ensure(url, args.studies, args.rebuild)
        res: dict[str, Any] = {"store": how}
        res["list"] = time_list(url, args.runs)
        res["stats"] = time_stats(url, args.runs)
        print(f"\n{name}: store {how}", flush=True)
        results[name] = res
        lst = res["list"]
        print(f"  trials list (count + page of 50), in-process: p95 {lst['p95'] * 1000:7.1f} ms"
              f" (median {lst['median'] * 1000:.1f} ms, slowest {lst['max'] * 1000:.1f} ms;"
              f" first pass p95 {lst['first_p95'] * 1000:.1f} ms)")
        if lst["summary"] is not None:
            print(f"  the summary of the best records, made once per store state: "
                  f"{lst['summary'] * 1000:.0f} ms (in the first pass's first set)")
        print("    median  first pass  filters")
        for flt, t, t1 in zip(FILTERS, lst["per"], lst["first"], strict=True):
            print(f"    {t * 1000:8.1f} ms {t1 * 1000:8.1f} ms  {urlencode(flt) or '(defaults)'}")
        print(f"  trials stats region x cell class x year:      {res['stats'] * 1000:7.1f} ms",
              flush=True)
        if not args.no_http:
            res["http"] = time_http(url, workdir, args.http_timeout)
        for key, value in res.get("http", {}).items():
            if key.endswith("timeouts"):
                print(f"  {key}: {value} (each counted as {args.http_timeout:.0f} s)")
            elif key == "warm-up request":
                print(f"  {key:<28} {value * 1000:7.1f} ms")
            elif not key.endswith("max"):
                print(f"  {key:<24} p95 {value * 1000:7.1f} ms "
                      f"(slowest {res['http'][key + ' max'] * 1000:.1f} ms)")
    return results


if __name__ == "__main__":
    main()
