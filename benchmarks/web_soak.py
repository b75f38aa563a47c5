"""Soak benchmark of the web atlas under load, with a rebuild in the middle (issue 21).

Starts ``ctatlas serve`` on 127.0.0.1 (loopback only) over a SQLite store built from
``data/`` and a trials store ingested from the registry fixtures, then drives it with 50
concurrent clients for 30 s over a few hundred distinct URLs: the requests of
``benchmarks/web_load.py`` plus trials lists (filters, pages), single trials by id, and
exports in every format with filters, after one warm-up pass over every URL. A quarter
of the way through, the store is rebuilt with changed data (``build_store`` in another process,
swapped atomically under the server). Every
answer must be a 200; the server's resident memory is sampled every second.

Prints requests, errors by status, requests/s, p50/p99 latency and the server's memory at
the start, at its peak and at the end. Asserts nothing.

    python benchmarks/web_soak.py [--clients 50] [--duration 30]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from web_load import _free_port, build_requests  # noqa: E402

REBUILD = """
import sys
from ctatlas.dataset import load_dataset
from ctatlas.store import build_store
dataset = load_dataset(sys.argv[1])
product = next(p for p in dataset.products if p.slug == sys.argv[4])
product.notes = (product.notes or "") + " (rebuilt under load)"
dataset.data_hash = dataset.data_hash[:-8] + sys.argv[3].rjust(8, "0")
build_store(dataset, sys.argv[2])
"""


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def trial_requests(trials_url: str) -> list[tuple[str, str, str | None]]:
    from ctatlas.trials.store import TrialStore

    store = TrialStore(trials_url, readonly=True)
    rows = list(store.query(label=None))
    store.close()
    out: list[tuple[str, str, str | None]] = []
    filters: list[dict[str, object]] = [{}, {"label": "all"}]
    filters += [{"label": "all", "country": c} for c in ("US", "JP", "KR", "CN", "DE")]
    filters += [{"label": "all", "phase": p} for p in ("1", "2", "3")]
    filters += [{"family": f} for f in ("MSC", "CAR_T", "NK")]
    filters += [{"label": "all", "start_year_from": y} for y in (2005, 2010, 2015, 2020)]
    filters += [{"label": "all", "condition": c} for c in ("arthritis", "lymphoma", "stroke")]
    for flt in filters:
        for offset in (0, 10, 20):
            query = urlencode({**flt, "limit": 10, "offset": offset})
            out.append(("GET", f"/api/v1/trials?{query}", None))
    for row in rows[:40]:
        out.append(("GET", f"/api/v1/trials/{row['trial_id']}", None))
    return out


def export_requests(codes: list[str]) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    for fmt in ("csv", "json", "xlsx", "datapackage"):
        out.append(("GET", f"/api/v1/export/{fmt}", None))
        for code in codes[:4]:
            out.append(("GET", f"/api/v1/export/{fmt}?jurisdiction={code}", None))
    return out


async def _load(
    base: str, reqs: list[tuple[str, str, str | None]], clients: int, seconds: int
) -> tuple[list[float], Counter[str]]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    stop = time.perf_counter() + seconds
    cycle = itertools.count()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while time.perf_counter() < stop:
                method, path, body = reqs[next(cycle) % len(reqs)]
                started = time.perf_counter()
                try:
                    r = await client.request(
                        method,
                        path,
                        content=body,
                        headers={"content-type": "application/json"} if body else None,
                    )
                    if r.status_code != 200:
                        errors[f"{r.status_code} {path.split('?')[0]}"] += 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(REPO / "data"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument(
        "--rebuilds", type=int, default=1, help="rebuilds, evenly spread (the first at 1/4)"
    )
    args = parser.parse_args()
    rebuild_at = [
        args.duration / 4 + i * (args.duration / 2) / max(args.rebuilds, 1)
        for i in range(args.rebuilds)
    ]

    from ctatlas.store import ensure_store
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore

    tmp = Path(tempfile.mkdtemp(prefix="ctatlas-soak-"))
    url = f"sqlite:///{tmp / 'atlas.sqlite'}"
    store = ensure_store(url, args.data)
    trials_url = f"sqlite:///{tmp / 'trials.sqlite'}"
    trials = TrialStore(trials_url)
    fixtures = REPO / "tests" / "fixtures" / "trials"
    ingest([fixtures / "ctgov", fixtures / "ctgov_legacy", fixtures / "cris"], trials)
    trials.close()
    slugs = [p["slug"] for p in store.products()]
    codes = sorted(store.jurisdictions())
    reqs = build_requests(slugs, codes) + trial_requests(trials_url) + export_requests(codes)
    distinct = len(set(reqs))

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cli = Path(sys.executable).parent / "ctatlas"
    server = subprocess.Popen(
        [str(cli), "--db", url, "--data", args.data, "serve", "--host", "127.0.0.1"]
        + ["--port", str(port), "--log-level", "warning", "--trials-db", trials_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    memory: list[tuple[float, int]] = []
    stop = threading.Event()
    rebuild: dict[str, float] = {}
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/api/v1/stats", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {server.stderr.read()}")  # type: ignore[union-attr]
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=60) as client:  # every request once: steady state
            for method, path, body in reqs:
                r = client.request(
                    method,
                    path,
                    content=body,
                    headers={"content-type": "application/json"} if body else None,
                )
                if r.status_code != 200:
                    raise SystemExit(f"warm-up: {method} {path}: {r.status_code} {r.text[:200]}")
        start = time.monotonic()

        def sample() -> None:
            while not stop.is_set():
                memory.append((time.monotonic() - start, _rss_kib(server.pid)))
                stop.wait(1.0)

        def rebuild_later() -> None:
            for n, at in enumerate(rebuild_at):
                if stop.wait(max(0.0, at - (time.monotonic() - start))):
                    return
                t0 = time.monotonic()
                subprocess.run(
                    [sys.executable, "-c", REBUILD, args.data, url, str(n), slugs[0]],
                    check=True,
                    capture_output=True,
                )
                rebuild.setdefault("at", t0 - start)
                rebuild["took"] = time.monotonic() - t0

        threads = [threading.Thread(target=sample), threading.Thread(target=rebuild_later)]
        for t in threads:
            t.start()
        started = time.perf_counter()
        latencies, errors = asyncio.run(_load(base, reqs, args.clients, args.duration))
        elapsed = time.perf_counter() - started
        stop.set()
        for t in threads:
            t.join()
        seen: dict[str, object] = {}
        for _ in range(30):  # the server looks for a rebuilt store every 10 s
            seen = httpx.get(f"{base}/api/v1/products/{slugs[0]}", timeout=10).json()
            if "rebuilt under load" in json.dumps(seen):
                rebuild["seen"] = time.monotonic() - start
                break
            time.sleep(0.5)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=20)

    cuts = statistics.quantiles(latencies, n=100)
    rss = [kib for _, kib in memory]
    first = statistics.median(rss[:5]) / 1024
    last = statistics.median(rss[-5:]) / 1024
    print(
        f"web soak: {args.clients} clients x {args.duration} s on loopback, {distinct} distinct "
        f"requests (trials and exports included), 1 uvicorn worker, generator in-process"
    )
    if rebuild:
        picked = "rebuilt under load" in json.dumps(seen)
        when = f" from {rebuild['seen']:.0f} s" if "seen" in rebuild else ""
        print(
            f"rebuilds:   {args.rebuilds}, the first at {rebuild['at']:.0f} s, the last took "
            f"{rebuild['took']:.1f} s; the server "
            f"{'serves' if picked else 'does NOT serve'} the new data{when}"
        )
    print(f"requests:   {len(latencies)} ({len(latencies) / elapsed:.0f}/s)")
    print(f"latency:    p50 {cuts[49] * 1000:.1f} ms, p99 {cuts[98] * 1000:.1f} ms")
    print(f"errors:     {sum(errors.values())} {dict(errors) if errors else ''}")
    print(
        f"server RSS: {first:.0f} MiB over the first 5 s (after a warm-up pass), "
        f"peak {max(rss) / 1024:.0f} MiB, "
        f"{last:.0f} MiB at the end ({(last - first) / max(first, 1) * 100:+.0f}%)"
    )
    marks = [f"{t:.0f}s {kib / 1024:.0f}" for t, kib in memory[:: max(1, len(memory) // 10)]]
    print(f"RSS MiB:    {', '.join(marks)}")


if __name__ == "__main__":
    main()
