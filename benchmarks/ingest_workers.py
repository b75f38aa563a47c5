"""Benchmark: where a two-process ingest's time goes (issue 20: two processes <= 0.55x one).

    python benchmarks/ingest_workers.py --n 10000 --mix 25 --repeat 3
    python benchmarks/ingest_workers.py --corpus /tmp/c25.zip --repeat 5

Runs ``ctatlas trials ingest -q --json`` (the command itself, in a fresh process, into a fresh
SQLite store) with one process and with ``--workers`` processes, in turns, and traces each
run from inside (this script is the process: it wraps the ingest's own functions and then
calls the console script's ``main``). Printed per configuration, medians of the runs:

- wall and CPU (user + system) of the process tree, the parent's own CPU and its store writes;
- per worker: batches, CPU in batches, the first batch's CPU (the first use of the patterns),
  and the time it was **blocked** (asleep: waiting for a batch or for the parent to take a
  result), from the kernel's ``/proc/self/schedstat`` (on the CPU, waiting for a CPU). Time
  spent waiting for a CPU is the machine's load and is not counted, so this figure holds on a
  busy machine too; wall time does not;
- how far apart the workers' last batches end (the tail one worker waits alone) and the time
  from the last batch's end to the run's end (the parent's last write, the run record, closing);
- the store's checkpoints during the run (since session 13 in a thread of their own, before in
  the reader's thread, where each one's wait for the disk held up results and batches alike;
  since session 14 in one process too): how many, their wall time in each thread, and the
  time the reader slept inside its writes (from ``schedstat``: SQLite's own checkpoints, which
  sync the disk inside a commit). ``--workers 1`` traces one process only.

The extra CPU of N processes over one (``cpu(N) - cpu(1)``) is what the ideal
``start-up + (one - start-up) / N`` leaves out; the blocked time is the waiting it leaves out.
The atlas store is built in the work folder before the timed runs (as a user's already is).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trials_ingest import _atlas_url, corpus_parser, prepare_corpus  # noqa: E402


def _sched() -> tuple[float, float] | None:
    """(seconds on a CPU, seconds waiting for one) of this thread, or None off Linux."""
    try:
        run, wait, _ = (int(x) / 1e9 for x in Path("/proc/self/schedstat").read_text().split())
    except OSError:
        return None
    return run, wait


def traced(zip_path: str, db: str, atlas_url: str, workers: int, log_dir: str) -> None:
    """Inside the traced process: wrap the ingest's functions, run the console script."""
    import resource

    t0 = time.perf_counter()
    sys.argv = ["ctatlas", "--db", atlas_url, "trials", "ingest", zip_path, "--db", db, "-q",
                "--json", "--workers", str(workers)]
    import ctatlas.cli.common as common
    import ctatlas.trials.ingest as ing
    import ctatlas.trials.store.writes as writes

    def log(line: dict) -> None:
        with open(Path(log_dir) / f"{os.getpid()}.jsonl", "a") as fh:
            fh.write(json.dumps(line) + "\n")

    real_batch, real_init = ing._process_batch, ing._init_worker

    def batch(items):
        start, cpu = time.perf_counter() - t0, time.process_time()
        out = real_batch(items)
        log({"batch": len(items), "start": start, "end": time.perf_counter() - t0,
             "cpu": time.process_time() - cpu, "sched": _sched()})
        return out

    def init(*args):
        log({"fork": time.perf_counter() - t0, "sched": _sched()})
        real_init(*args)

    # sent to the workers by name: the wrapper stands under the wrapped one's
    batch.__module__, batch.__qualname__ = ing.__name__, real_batch.__qualname__
    ing._process_batch, ing._init_worker = batch, init
    real_write = writes.StoreWrites.write_batch
    spent = [0.0, 0.0]

    def write(self, records):
        cpu, sched, start = time.process_time(), _sched(), time.perf_counter()
        out = real_write(self, records)
        spent[0] += time.process_time() - cpu
        after = _sched()
        if sched and after:  # asleep inside the write: SQLite's own checkpoints' disk syncs
            wall = time.perf_counter() - start
            spent[1] += wall - (after[0] - sched[0]) - (after[1] - sched[1])
        return out

    writes.StoreWrites.write_batch = write
    import threading

    import ctatlas.trials.store as tstore

    real_checkpoint = tstore.TrialStore.checkpoint
    checkpoints = {"reader": 0.0, "own thread": 0.0, "count": 0}

    def checkpoint(self):
        start = time.perf_counter()
        real_checkpoint(self)
        where = "reader" if threading.current_thread() is threading.main_thread() else "own thread"
        checkpoints[where] += time.perf_counter() - start
        checkpoints["count"] += 1

    tstore.TrialStore.checkpoint = checkpoint
    real_exit = common.exit_now

    def exit_now(code):
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        log({"parent": True, "end": time.perf_counter() - t0,
             "cpu": own.ru_utime + own.ru_stime, "children_cpu": kids.ru_utime + kids.ru_stime,
             "writes_cpu": spent[0], "writes_blocked": spent[1], "checkpoints": checkpoints})
        real_exit(code)

    common.exit_now = exit_now
    from ctatlas.cli import main

    main()


def one_run(zip_path: Path, work: Path, workers: int) -> dict:
    logs = Path(tempfile.mkdtemp(dir=work))
    db = work / f"out-{workers}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--_trace", str(zip_path), str(db), _atlas_url(work),
                    str(workers), str(logs)], check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    parent, per_worker = None, []
    for f in logs.glob("*.jsonl"):
        lines = [json.loads(x) for x in f.read_text().splitlines()]
        if any(x.get("parent") for x in lines):
            parent = next(x for x in lines if x.get("parent"))
            own = [x for x in lines if "batch" in x]  # one process: its own batches
            if own:
                per_worker.append(_worker(None, own))
            continue
        fork = next((x for x in lines if "fork" in x), None)
        per_worker.append(_worker(fork, [x for x in lines if "batch" in x]))
        f.unlink()
    assert parent is not None
    ends = [w["last_end"] for w in per_worker if w["batches"]]
    return {
        "wall": wall, "tree_cpu": parent["cpu"] + parent["children_cpu"],
        "parent_cpu": parent["cpu"], "writes_cpu": parent["writes_cpu"], "workers": per_worker,
        "writes_blocked": parent.get("writes_blocked", 0.0),
        "checkpoints": parent.get("checkpoints") or {"reader": 0.0, "own thread": 0.0, "count": 0},
        "ends_apart": max(ends) - min(ends) if ends else 0.0,
        "after_last_batch": parent["end"] - max(ends) if ends else 0.0,
    }


def _worker(fork: dict | None, batches: list[dict]) -> dict:
    batches.sort(key=lambda x: x["start"])
    out = {"batches": len(batches), "cpu": sum(b["cpu"] for b in batches),
           "first_cpu": batches[0]["cpu"] if batches else 0.0,
           "last_end": batches[-1]["end"] if batches else 0.0, "blocked": None}
    if fork and batches and fork["sched"] and batches[-1]["sched"]:
        (run0, wait0), (run1, wait1) = fork["sched"], batches[-1]["sched"]
        lived = batches[-1]["end"] - fork["fork"]
        out["blocked"] = lived - (run1 - run0) - (wait1 - wait0)
    return out


def _median(runs: list[dict], key) -> float:
    return statistics.median(key(r) for r in runs)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_trace":
        traced(*sys.argv[2:5], int(sys.argv[5]), sys.argv[6])
        return
    ap = corpus_parser(__doc__, mix=25, repeat=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ctatlas-workers-", dir=args.workdir) as tmp:
        work = Path(tmp)
        zip_path = prepare_corpus(args, work)
        runs: dict[int, list[dict]] = {1: [], args.workers: []}  # --workers 1: one only
        for _ in range(args.repeat):  # in turns: a slow window falls on both alike
            for w in runs:
                runs[w].append(one_run(zip_path, work, w))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.corpus or f'{args.n} studies, 1 in {args.mix}'}; medians of {args.repeat} "
          f"runs in turns; load average now {load:.1f}")
    one = runs[1]
    for w, rs in runs.items():
        print(f"workers={w}: wall {_median(rs, lambda r: r['wall']):.2f} s, tree CPU "
              f"{_median(rs, lambda r: r['tree_cpu']):.2f} s (parent "
              f"{_median(rs, lambda r: r['parent_cpu']):.2f}, its writes "
              f"{_median(rs, lambda r: r['writes_cpu']):.2f})")
        cps = [r["checkpoints"] for r in rs]
        print(f"  checkpoints during the run: {statistics.median(c['count'] for c in cps):.0f}, "
              f"{_median(rs, lambda r: r['checkpoints']['reader']):.2f} s (wall) of them in the "
              f"reader's thread, {_median(rs, lambda r: r['checkpoints']['own thread']):.2f} s in "
              "a thread of their own; the reader asleep inside its writes (SQLite's own "
              f"checkpoints' syncs) {_median(rs, lambda r: r['writes_blocked']):.2f} s")
        if w == 1:
            continue
        extra = _median(rs, lambda r: r["tree_cpu"]) - _median(one, lambda r: r["tree_cpu"])
        for i in range(w):
            def pick(r, key, i=i):
                ws = sorted(r["workers"], key=lambda x: -x["cpu"])
                return ws[i][key] if i < len(ws) and ws[i][key] is not None else float("nan")
            print(f"  worker {i + 1}: {_median(rs, lambda r: pick(r, 'batches')):.0f} batches, "
                  f"CPU {_median(rs, lambda r: pick(r, 'cpu')):.2f} s (first batch "
                  f"{_median(rs, lambda r: pick(r, 'first_cpu')):.2f}), blocked "
                  f"{_median(rs, lambda r: pick(r, 'blocked')):.2f} s")
        print(f"  the workers' last batches end {_median(rs, lambda r: r['ends_apart']):.2f} s "
              f"apart; the run ends {_median(rs, lambda r: r['after_last_batch']):.2f} s after "
              f"the last; CPU beyond one process: {extra:+.2f} s")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
