"""Load benchmark of the web atlas on loopback (a benchmark, never a timed test).

Starts ``ctatlas serve`` (uvicorn, one worker) on 127.0.0.1 in its own process over a SQLite
store built from ``data/`` (or ``--db``), then drives it from the same machine with 50
concurrent clients for 30 s over at least 100 distinct URLs: product searches with varied
filters (API and page), product pages (API and page), the classifier (POST /api/v1/classify
and the /classify page), jurisdictions, diseases, stats. Prints requests/s, p50/p99 latency,
errors and the machine's core count. Target: p99 < 50 ms with zero errors on SQLite.

The load generator is wrk (Debian package ``wrk``, a Lua script rotating over the URLs) when
installed, else an asyncio/httpx generator in this process (slower: it then measures itself
as much as the server).

    python benchmarks/web_load.py                      # 50 clients, 30 s
    python benchmarks/web_load.py --duration 10 --generator python
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


def build_requests(slugs: list[str], codes: list[str]) -> list[tuple[str, str, str | None]]:
    """(method, path, JSON body) for at least 100 distinct requests."""
    out: list[tuple[str, str, str | None]] = []
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
        out.append(("GET", f"/products?{query}", None))
    out.append(("GET", "/api/v1/authorizations?limit=100", None))
    out.append(("GET", "/api/v1/products?limit=10&offset=20", None))
    for slug in slugs[:40]:
        out.append(("GET", f"/api/v1/products/{slug}", None))
        out.append(("GET", f"/products/{slug}", None))
    for profile in PROFILES:
        out.append(("POST", "/api/v1/classify", json.dumps(profile)))
        query = urlencode({"classify": 1, **{k: v for k, v in profile.items()
                                             if not isinstance(v, list)}})
        out.append(("GET", f"/classify?{query}".replace("True", "true").replace("False", "false"),
                    None))
    out += [("GET", p, None) for p in ("/", "/definitions", "/analysis", "/api/v1/stats",
                                       "/api/v1/jurisdictions", "/api/v1/diseases")]
    out += [("GET", f"/api/v1/jurisdictions/{c}", None) for c in codes]
    return out


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
        headers = "{['Content-Type']='application/json'}" if body else "{}"
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
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=5) as client:

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
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="store URL (default: a fresh SQLite built from --data)")
    parser.add_argument("--data", default=str(REPO / "data"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--no-warmup", action="store_true",
                        help="measure from a cold cache (no pass over every URL first)")
    args = parser.parse_args()

    from ctatlas.store import ensure_store

    tmp = tempfile.mkdtemp(prefix="ctatlas-bench-")
    url = args.db or f"sqlite:///{Path(tmp) / 'atlas.sqlite'}"
    store = ensure_store(url, args.data)
    slugs = [p["slug"] for p in store.products()]
    codes = list(store.jurisdictions())
    reqs = build_requests(slugs, codes)
    distinct = len({(m, p, b) for m, p, b in reqs})
    assert distinct >= 100, distinct

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cli = Path(sys.executable).parent / "ctatlas"
    server = subprocess.Popen(
        [str(cli), "--db", url, "--data", args.data, "serve", "--port", str(port),
         "--log-level", "warning"],
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
        sizes: list[int] = []
        if not args.no_warmup:  # every distinct request once: the steady state of a server
            with httpx.Client(base_url=base, timeout=30) as client:
                for method, path, body in reqs:
                    started = time.perf_counter()
                    r = client.request(method, path, content=body, headers=(
                        {"content-type": "application/json"} if body else None))
                    cold.append(time.perf_counter() - started)
                    sizes.append(len(r.content))
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
    verdict = "met" if result["p99_ms"] < 50 and result["errors"] == 0 else "NOT met"
    print(f"target p99 < 50 ms with zero errors: {verdict}")


if __name__ == "__main__":
    main()
