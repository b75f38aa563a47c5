"""The ingest command against the in-process figure, step by step, in one window (issue 20).

    python benchmarks/command_reconcile.py --n 10000 --mix 25 --repeat 5
    python benchmarks/command_reconcile.py --corpus ZIP --repeat 5

Session 10 compared the command without start-up (wall, median of fresh processes) with
``ingest_profile.py``'s ``ingest_items`` (CPU, fastest of three rounds in one process, the
items read beforehand) and found 1.6 s between them. This script walks from one to the other
one difference at a time, every step timed as wall AND CPU seconds, on the same corpus and
atlas, the kinds in turns (each round runs every kind once, so a slow window of the shared
machine falls on all of them alike):

- ``command``: ``ctatlas trials ingest ZIP --db NEW -q --json`` in a fresh process (wall; CPU
  from the children's resource usage, to the process's very end), as ``trials_ingest.py``
  times it;
- ``startup``: the same command on an empty folder;
- ``phases``: the command again, with marks (``command_phases.py``'s driver): the ingest
  proper, from the first record to the store closed;
- ``ladder``: one fresh process that starts as the command does (the atlas's store, link
  specs, names and codes), then, each into a fresh store closed at its end:
  1. ``ingest()`` on the zip: the first use of the patterns is in it;
  2. ``ingest()`` again: the patterns warm;
  3. ``ingest_items(iter_items(zip))``: no run record;
  4. ``ingest_items`` of the items read beforehand (a list in memory), as
     ``ingest_profile.py`` times it: the zip's walk and reads left out;
  5. step 4 twice more: its fastest of three is ``ingest_profile.py``'s figure.

Medians of ``--repeat`` rounds. Prints a table (wall, CPU, wall - CPU = waiting) and the
differences between neighbouring steps. No time is asserted anywhere.
"""

from __future__ import annotations

import ast
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from command_phases import one_run  # noqa: E402
from trials_ingest import COMMAND, _atlas_url, corpus_parser, prepare_corpus  # noqa: E402

LADDER = r'''
import os, sys, time
from pathlib import Path
def now():
    t = os.times()
    return time.perf_counter(), t.user + t.system
zip_path, work, atlas_url = sys.argv[1:4]
from ctatlas.store import ensure_store
from ctatlas.trials.atlas_terms import cell_terms
from ctatlas.trials.ingest import ingest, ingest_items
from ctatlas.trials.link import product_specs
from ctatlas.trials.sources import iter_items
from ctatlas.trials.store import TrialStore
a = ensure_store(atlas_url)
specs, terms = product_specs(a), cell_terms(a)
out, counts = {}, {}
def fresh(name):
    db = Path(work) / f"ladder-{os.getpid()}-{name}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return db, TrialStore(f"sqlite:///{db}")
def drop(db):
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
def step(name, run):
    db, store = fresh(name)
    w0, c0 = now()
    n = run(store)
    store.close()  # the last checkpoint, as the command closes its store
    w1, c1 = now()
    out[name] = (w1 - w0, c1 - c0)
    counts[name] = n
    drop(db)
step("1 ingest(), first in the process",
     lambda s: ingest([zip_path], s, products=specs, terms=terms).records)
step("2 ingest() again",
     lambda s: ingest([zip_path], s, products=specs, terms=terms).records)
step("3 ingest_items(iter_items), no run record",
     lambda s: ingest_items(iter_items([zip_path]), s, products=specs, terms=terms).records)
items = list(iter_items([zip_path]))
for r in ("4", "4b", "4c"):
    step(f"{r} ingest_items(items read beforehand)",
         lambda s: ingest_items(iter(items), s, products=specs, terms=terms).records)
print(repr((out, counts)))
'''


def _run(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """(wall, CPU of the process to its end, stdout) of one fresh process."""
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed ({res.returncode}): {res.stderr[-2000:]}")
    return wall, (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime), res.stdout


def one_round(zip_path: Path, work: Path) -> dict[str, tuple[float, float]]:
    """Every kind once, in a fixed order; name -> (wall, CPU) seconds."""
    atlas = _atlas_url(work)
    out: dict[str, tuple[float, float]] = {}
    db = work / "cmd.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    wall, cpu, stdout = _run([sys.executable, "-c", COMMAND, "--db", atlas, "trials", "ingest",
                              str(zip_path), "--db", str(db), "-q", "--json"])
    out["command"] = (wall, cpu)
    out["records"] = (json.loads(stdout)["records"], 0.0)
    empty = work / "nothing"
    empty.mkdir(exist_ok=True)
    db2 = work / "startup.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db2}{suffix}").unlink(missing_ok=True)
    out["startup"] = _run([sys.executable, "-c", COMMAND, "--db", atlas, "trials", "ingest",
                           str(empty), "--db", str(db2), "-q", "--json"])[:2]
    ph = one_run(None, zip_path, work)
    out["phases: total"] = ph["total"]
    proper = [ph.get(k, (0.0, 0.0)) for k in ("first batch", "the other batches",
                                              "finish, close")]
    out["phases: ingest proper"] = (sum(p[0] for p in proper), sum(p[1] for p in proper))
    out["phases: before the first record"] = tuple(
        sum(ph[k][i] for k in ("interpreter", "imports, app", "atlas", "trials store",
                               "run record, bar") if k in ph) for i in (0, 1))
    _, _, stdout = _run([sys.executable, "-c", LADDER, str(zip_path), str(work), atlas])
    ladder, counts = ast.literal_eval(stdout.strip().splitlines()[-1])
    out.update(ladder)
    out["ladder records"] = counts
    return out


def main() -> None:
    ap = corpus_parser(__doc__, mix=25, repeat=5)
    args = ap.parse_args()
    rounds: list[dict] = []
    loads = []
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        zip_path = prepare_corpus(args, work)
        for _ in range(args.repeat):
            loads.append(os.getloadavg()[0])
            rounds.append(one_round(zip_path, work))
    loads.append(os.getloadavg()[0])
    records = {"command": [r.pop("records")[0] for r in rounds]}
    for r in rounds:
        for k, n in r.pop("ladder records").items():
            records.setdefault(k, []).append(n)
    med = {k: tuple(statistics.median(r[k][i] for r in rounds) for i in (0, 1))
           for k in rounds[0]}
    ladder4 = [k for k in med if k.startswith("4")]
    fastest4 = tuple(statistics.median(min(r[k][i] for k in ladder4) for r in rounds)
                     for i in (0, 1))
    med["5 fastest of the three step-4 runs"] = fastest4
    med["command without start-up"] = tuple(
        med["command"][i] - med["startup"][i] for i in (0, 1))
    print(f"{records['command'][0]} studies; medians of {args.repeat} rounds in turns; "
          f"load average {min(loads):.1f}-{max(loads):.1f}; seconds")
    print(f"  {'':48} {'wall':>7} {'CPU':>7} {'waiting':>8}")
    order = ["command", "startup", "command without start-up", "phases: total",
             "phases: before the first record", "phases: ingest proper",
             *[k for k in med if k[:1].isdigit()]]
    for k in order:
        w, c = med[k]
        print(f"  {k:48} {w:7.2f} {c:7.2f} {w - c:8.2f}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"mix": args.mix, "loads": loads, "records": records, "median": med,
             "rounds": rounds}, indent=2))


if __name__ == "__main__":
    main()
