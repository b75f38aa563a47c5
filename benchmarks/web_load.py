"""Load benchmark of the web atlas on loopback (a benchmark, never a timed test).

Starts ``ctatlas serve`` (uvicorn, one worker) on 127.0.0.1 in its own process over a SQLite
store built from ``data/`` (or ``--db``), then drives it from the same machine with 50
concurrent clients for 30 s, every request sending ``Accept-Encoding: gzip``, over a few
hundred distinct URLs covering every page type in three languages (``--langs``): product
searches with varied filters (API and page), product pages (API and page), the classifier
(POST /api/v1/classify and the /classify page), jurisdictions, diseases, definitions, the
pipeline, conditional approvals, the analysis page, stats; with ``--trials-db`` (e.g. the
600,000-study store of ``benchmarks/trials_queries.py``) the ``/trials`` listing with the
typical filter sets, ``/trials/{id}`` and their API. Every distinct request is sent once
first (a warm server; ``--no-warmup`` to skip: the first-request times per type are printed).
Prints requests/s, p50/p99 latency, p99 per page type, errors and the machine's core count.
Target (issue 20): p99 < 20 ms with zero errors; the /trials pages on the 600,000-study
store within 100 ms.

The load generator is wrk (Debian package ``wrk``, a Lua script rotating over the URLs) when
installed, else an asyncio/httpx generator in this process (slower: it then measures itself
as much as the server, and shares the machine's cores with it).

    python benchmarks/web_load.py                      # 50 clients, 30 s, en/ja/ko
    python benchmarks/web_load.py --duration 10 --generator python
    python benchmarks/web_load.py --trials-db sqlite:////tmp/ctatlas-bench-trials/trials-600000.sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]

PROFILES = [
    {"origin": "autologous", "manipulation": "minimal", "homologous_use": True},
    {"origin": "autologous", "manipulation": "more_than_minimal", "genetically_modified": True},
    {"origin": "allogeneic", "manipulation": "more_than_minimal", "stem_cell": True},
    {"origin": "allogeneic", "manipulation": "minimal", "homologous_use": False},
    {"origin": "xenogeneic", "viable_cells": True},
    {"origin": "autologous", "processing_steps": ["culture_expansion"], "viable_cells": True},
    {"origin": "allogeneic", "pluripotent": True, "stem_cell": True},
    {"origin": "autologous", "manipulation": "minimal", "same_surgical_procedure": True},
    {"origin": "none", "manipulation": "not_applicable"},
    {"origin": "allogeneic", "combined_with_device_or_drug": True, "viable_cells": True},
    {"intended_function": "structural_repair", "origin": "autologous"},
    {"intended_function": "cosmetic_augmentation", "origin": "autologous"},
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def build_requests(slugs: list[str], codes: list[str], langs: tuple[str, ...] = ("en",),
                   trial_ids: tuple[str, ...] = (), trial_filters: tuple[dict, ...] = (),
                   ) -> list[tuple[str, str, str | None]]:
    """(method, path, JSON body) for at least 100 distinct requests: every page in each of
    ``langs`` (``?lang=``; the API answers in codes, one language), and with ``trial_ids``
    / ``trial_filters`` the trials pages and API as well."""
    out: list[tuple[str, str, str | None]] = []
    pages: list[str] = []
    filters: list[dict[str, object]] = [{}]
    filters += [{"jurisdiction": c} for c in codes]
    filters += [{"jurisdiction": [a, b]} for a, b in itertools.combinations(codes[:5], 2)]
    modalities = ("cell_therapy", "tissue_engineered", "gene_modified_cell")
    filters += [{"modality": m} for m in modalities]
    filters += [{"cell_class": c} for c in ("somatic", "stem")]
    filters += [{"origin": o} for o in ("autologous", "allogeneic")]
    filters += [{"status": s} for s in ("authorized", "withdrawn", "expired")]
    filters += [{"pathway": "conditional_time_limited"}, {"approved_from": "2015"}]
    filters += [{"approved_from": f"{y}", "approved_to": f"{y + 4}"} for y in (2000, 2005, 2010)]
    filters += [{"q": q} for q in ("テムセル", "카티스템", "temcell", "car-t", "cartilage", "gvhd")]
    filters += [{"jurisdiction": "JP", "cell_class": "stem", "sort": "-approval_date"}]
    filters += [{"sort": s} for s in ("name", "-approval_date", "brand_name")]
    for flt in filters:
        query = urlencode(flt, doseq=True)
        out.append(("GET", f"/api/v1/products?{query}", None))
        pages.append(f"/products?{query}")
    out.append(("GET", "/api/v1/authorizations?limit=100", None))
    out.append(("GET", "/api/v1/products?limit=10&offset=20", None))
    for slug in slugs[:40]:
        out.append(("GET", f"/api/v1/products/{slug}", None))
        pages.append(f"/products/{slug}")
    for profile in PROFILES:
        out.append(("POST", "/api/v1/classify", json.dumps(profile)))
        query = urlencode({"classify": 1, **{k: v for k, v in profile.items()
                                             if not isinstance(v, list)}})
        pages.append(f"/classify?{query}".replace("True", "true").replace("False", "false"))
    pages += ["/", "/definitions", "/analysis", "/analysis/report.html", "/classify",
              "/conditional", "/pipeline"]
    out += [("GET", p, None) for p in ("/api/v1/stats", "/api/v1/jurisdictions",
                                       "/api/v1/diseases", "/api/v1/conditional",
                                       "/api/v1/pipeline")]
    out += [("GET", f"/api/v1/jurisdictions/{c}", None) for c in codes]
    if trial_ids or trial_filters:
        for flt in trial_filters:
            query = urlencode(flt)
            out.append(("GET", f"/api/v1/trials?{query}", None))
            pages.append(f"/trials?{query}" if query else "/trials")
        for tid in trial_ids:
            out.append(("GET", f"/api/v1/trials/{tid}", None))
            pages.append(f"/trials/{tid}")
    for page in pages:
        out += [("GET", _with_lang(page, lang) if lang != "en" or len(langs) > 1 else page, None)
                for lang in langs]
    return out


def kind(path: str) -> str:
    """The page type of a request path (for figures per type)."""
    bare = path.split("?", 1)[0]
    parts = [p for p in bare.split("/") if p]
    api = parts[:2] == ["api", "v1"]
    parts = parts[2:] if api else parts
    name = parts[0] if parts else "home"
    if len(parts) > 1:
        name += "/{id}"
    return ("api " if api else "") + name


LUA = r"""
local reqs = {}
%s
local counter = 0
request = function()
  counter = counter + 1
  local r = reqs[(counter %% #reqs) + 1]
  return wrk.format(r[1], r[2], r[3], r[4])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, '
    .. '"max_us": %%d, "mean_us": %%.1f, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def run_wrk(base: str, reqs: list[tuple[str, str, str | None]], clients: int, seconds: int,
            threads: int) -> dict[str, float]:
    lines = []
    for method, path, body in reqs:
        headers = ("{['Content-Type']='application/json', ['Accept-Encoding']='gzip'}" if body
                   else "{['Accept-Encoding']='gzip'}")
        lines.append(
            f"table.insert(reqs, {{{_lua_string(method)}, {_lua_string(path)}, {headers}, "
            f"{_lua_string(body) if body else 'nil'}}})"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as fh:
        fh.write(LUA % "\n".join(lines))
        script = fh.name
    try:
        proc = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "5s",
             "-s", script, base],
            capture_output=True, text=True, check=True,
        )
    finally:
        os.unlink(script)
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT "))
    raw = json.loads(line[len("RESULT "):])
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["status"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
    }


async def _python_load(base: str, reqs: list[tuple[str, str, str | None]], clients: int,
                       seconds: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    cycle = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    per_kind: dict[str, list[float]] = {}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=5,
                                 headers={"Accept-Encoding": "gzip"}) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                method, path, body = reqs[next(cycle) % len(reqs)]
                started = time.perf_counter()
                try:
                    r = await client.request(
                        method, path, content=body,
                        headers={"content-type": "application/json"} if body else None,
                    )
                    if r.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
                per_kind.setdefault(kind(path), []).append(latencies[-1])

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p90_ms": cuts[89] * 1000,
        "p99_ms": cuts[98] * 1000,
        "max_ms": max(latencies) * 1000,
        "errors": errors,
        "per_kind": {k: _pct(v, 99) * 1000 for k, v in per_kind.items()},
    }


def _pct(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="store URL (default: a fresh SQLite built from --data)")
    parser.add_argument("--data", default=str(REPO / "data"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--no-warmup", action="store_true",
                        help="measure from a cold cache (no pass over every URL first)")
    parser.add_argument("--langs", default="en,ja,ko",
                        help="the pages' languages, comma-separated (each page in each)")
    parser.add_argument("--trials-db", help="a trials store to serve (e.g. the 600,000-study "
                        "store of benchmarks/trials_queries.py): /trials pages and API too")
    args = parser.parse_args(argv)

    from ctatlas.store import ensure_store

    tmp = tempfile.mkdtemp(prefix="ctatlas-bench-")
    url = args.db or f"sqlite:///{Path(tmp) / 'atlas.sqlite'}"
    store = ensure_store(url, args.data)
    slugs = [p["slug"] for p in store.products()]
    codes = list(store.jurisdictions())
    trial_ids: tuple[str, ...] = ()
    trial_filters: tuple[dict[str, Any], ...] = ()
    if args.trials_db:
        from ctatlas.trials.store import TrialStore

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from trials_queries import FILTERS

        trials = TrialStore(args.trials_db, readonly=True)
        trial_ids = tuple(t["trial_id"] for t in trials.query(label=None, limit=10))
        trials.close()
        trial_filters = tuple(FILTERS)
    langs = tuple(x.strip() for x in args.langs.split(",") if x.strip())
    reqs = build_requests(slugs, codes, langs, trial_ids, trial_filters)
    distinct = len({(m, p, b) for m, p, b in reqs})
    assert distinct >= 100, distinct

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cli = Path(sys.executable).parent / "ctatlas"
    server = subprocess.Popen(
        [str(cli), "--db", url, "--data", args.data, "serve", "--port", str(port),
         "--log-level", "warning", *(["--trials-db", args.trials_db] if args.trials_db else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/v1/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                detail = server.stderr.read() if server.stderr else ""
                raise SystemExit(f"server did not start: {detail}")
            time.sleep(0.2)
        cold: list[float] = []
        cold_kind: dict[str, list[float]] = {}
        plain: list[str] = []  # answers of 2 KiB or more sent uncompressed
        sizes: list[int] = []
        if not args.no_warmup:  # every distinct request once: the steady state of a server
            with httpx.Client(base_url=base, timeout=120,
                              headers={"Accept-Encoding": "gzip"}) as client:
                for method, path, body in reqs:
                    started = time.perf_counter()
                    r = client.request(method, path, content=body, headers=(
                        {"content-type": "application/json"} if body else None))
                    if len(r.content) >= 2048 and r.headers.get("content-encoding") != "gzip":
                        plain.append(path)
                    cold.append(time.perf_counter() - started)
                    cold_kind.setdefault(kind(path), []).append(cold[-1])
                    sizes.append(int(r.headers.get("content-length", len(r.content))))
                    if r.status_code != 200:
                        raise SystemExit(f"{method} {path}: {r.status_code} {r.text[:200]}")
        generator = args.generator
        if generator == "auto":
            generator = "wrk" if shutil.which("wrk") else "python"
        if generator == "wrk":
            result = run_wrk(base, reqs, args.clients, args.duration, args.wrk_threads)
        else:
            result = asyncio.run(_python_load(base, reqs, args.clients, args.duration))
    finally:
        server.terminate()
        server.wait(timeout=20)
        if server.stderr:
            server.stderr.close()
        shutil.rmtree(tmp, ignore_errors=True)

    backend = url.split(":", 1)[0]
    print(f"web load benchmark: {args.clients} clients x {args.duration} s, {distinct} distinct "
          f"requests, {backend}, {len(slugs)} products, generator {generator}, "
          f"{os.cpu_count()} cores (server: 1 uvicorn worker; generator on the same machine)")
    if cold:
        cold.sort()
        median_ms = statistics.median(cold) * 1000
        print(f"warm-up:    each request once, sequentially: median {median_ms:.1f} ms, "
              f"slowest {cold[-1] * 1000:.0f} ms; median body "
              f"{statistics.median(sizes) / 1024:.0f} KiB, largest {max(sizes) / 1024:.0f} KiB")
    print(f"requests:   {result['requests']:.0f}")
    print(f"requests/s: {result['rps']:.0f}")
    print(f"latency:    p50 {result['p50_ms']:.2f} ms, p90 {result['p90_ms']:.2f} ms, "
          f"p99 {result['p99_ms']:.2f} ms, max {result['max_ms']:.1f} ms")
    print(f"errors:     {result['errors']:.0f}")
    verdict = "met" if result["p99_ms"] < 20 and result["errors"] == 0 else "NOT met"
    print(f"target p99 < 20 ms with zero errors: {verdict} (languages: {', '.join(langs)}; "
          f"Accept-Encoding: gzip)")
    if result.get("per_kind"):
        print("p99 per page type under load (first request of each URL, sequential, after):")
        for k, v in sorted(result["per_kind"].items()):
            first = cold_kind.get(k) or [0.0]
            print(f"  {k:<26} {v:7.1f} ms   (first: median {statistics.median(first) * 1000:.0f}"
                  f" ms, slowest {max(first) * 1000:.0f} ms)")
    if cold:
        print(f"uncompressed answers of 2 KiB or more: {len(plain)}"
              + (f" (e.g. {', '.join(sorted({kind(p) for p in plain}))})" if plain else ""))
    result["distinct"] = distinct
    result["uncompressed"] = plain
    result["cold_kind"] = {k: max(v) * 1000 for k, v in cold_kind.items()}
    return result


if __name__ == "__main__":
    main()
