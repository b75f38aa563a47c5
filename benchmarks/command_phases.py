"""Where ``ctatlas trials ingest`` spends its time as a whole process, phase by phase (issue 20).

    python benchmarks/command_phases.py --n 10000 --mix 25 --repeat 5
    python benchmarks/command_phases.py --n 10000 --mix 25 --repeat 5 --before /tmp/before

Builds the same corpus as ``trials_ingest.py`` (same seed, mix and code-only trials), then
runs the command itself (``ctatlas trials ingest ZIP --db NEW -q``) in fresh processes, with
marks at the edges of its phases (the functions are wrapped; nothing in them changes):

- ``interpreter``: the interpreter's own start, to the first line of the driver;
- ``imports, app``: the command line's imports and its app (Typer), up to the command;
- ``atlas``: the atlas's store (checked fresh), its products as link specs and its
  cell-therapy names and codes;
- ``trials store``: opening (creating) the trials store: its tables and indexes;
- ``run record, bar``: the run record, and what comes before the first record (the bar);
- ``first batch``: from the first record to the first batch written (the patterns' first
  use falls here, and in later batches as new texts need new branch subsets);
- ``the other batches``: the rest of the ingest;
- ``finish, close``: the run record finished, the store closed (SQLite's last checkpoint);
- ``report``: the summary printed;
- ``end``: from there to the process's end (the interpreter's teardown, or none).

Each phase's wall and CPU (user + system, ``os.times``) seconds; the process's total CPU
comes from its resource usage, so the end is counted whole. ``--before DIR`` runs an earlier
tree (``git archive <commit> src data | tar -x -C DIR``) in turns with this one; phases it
does not have are left empty. Medians of ``--repeat``. No time is asserted anywhere.
"""

from __future__ import annotations

import ast
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

PHASES = ("interpreter", "imports, app", "atlas", "trials store", "run record, bar",
          "first batch", "the other batches", "finish, close", "report", "end")

#: The driver: the console script with marks (name, wall, CPU) written to MARKS at the end.
DRIVER = r'''
import os, sys, time
def _now():
    t = os.times()
    return time.perf_counter(), t.user + t.system
MARKS = [("driver", *_now())]
def mark(name):
    MARKS.append((name, *_now()))
def dump():
    mark("end")
    with open(os.environ["PHASES_OUT"], "w") as fh:
        fh.write(repr(MARKS))
import atexit
atexit.register(dump)  # a tree without the fast end: its teardown follows this mark
import ctatlas.cli.trials as ct
import ctatlas.trials.ingest as ing
import ctatlas.trials.store as ts
def around(owner, name, before=None, after=None):
    f = getattr(owner, name, None)
    if f is None:
        return
    def g(*a, **k):
        if before:
            mark(before)
        try:
            return f(*a, **k)
        finally:
            if after:
                mark(after)
    setattr(owner, name, g)
around(ct, "_atlas_products", before="imports, app")
around(ct, "_store", before="atlas", after="trials store")
around(ts.TrialStore, "finish_run", before="ingest")
around(ct, "_report", before="finish, close", after="report")
_process, _write, _seen = ing.process_item, ts.TrialStore.write_batch, []
def process_item(item):
    if not _seen:
        _seen.append(1)
        mark("run record, bar")
    return _process(item)
def write_batch(self, records):
    out = _write(self, records)
    if len(_seen) == 1:
        _seen.append(1)
        mark("first batch")
    return out
ing.process_item, ts.TrialStore.write_batch = process_item, write_batch
try:
    import ctatlas.cli.common as cc
    _exit_now = cc.exit_now
    def exit_now(code):
        atexit.unregister(dump)
        dump()
        _exit_now(code)
    cc.exit_now = exit_now
except AttributeError:  # an earlier tree: no fast end
    pass
sys.argv = ["ctatlas", *sys.argv[1:]]
from ctatlas.cli import main
main()
'''


def one_run(src: Path | None, zip_path: Path, work: Path) -> dict[str, tuple[float, float]]:
    """Phase -> (wall, CPU) seconds of one fresh process running the command."""
    import resource

    db = work / "phases.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    marks_file = work / "marks.txt"
    env = {**os.environ, "PHASES_OUT": str(marks_file)}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    cmd = [sys.executable, "-c", DRIVER, "--db", _atlas_url(work), "trials", "ingest",
           str(zip_path), "--db", str(db), "-q"]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    t1 = time.perf_counter()
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    marks = {name: (wall, cpu) for name, wall, cpu in ast.literal_eval(marks_file.read_text())}
    # each phase ends at its mark; "the other batches" end where the run is finished
    ends = {"interpreter": "driver", "imports, app": "imports, app", "atlas": "atlas",
            "trials store": "trials store", "run record, bar": "run record, bar",
            "first batch": "first batch", "the other batches": "ingest",
            "finish, close": "finish, close", "report": "report"}
    out: dict[str, tuple[float, float]] = {}
    prev_wall, prev_cpu = t0, 0.0
    for phase in PHASES[:-1]:
        mark = marks.get(ends[phase])
        if mark is None:  # not in this tree, or no record: its time falls in the next phase
            continue
        out[phase] = (mark[0] - prev_wall, mark[1] - prev_cpu)
        prev_wall, prev_cpu = mark
    out["end"] = (t1 - prev_wall, total_cpu - prev_cpu)  # to the process's very end
    out["total"] = (t1 - t0, total_cpu)
    return out


def main() -> None:
    ap = corpus_parser(__doc__, mix=25, repeat=5)
    ap.add_argument("--before", default=None, help="an earlier source tree, timed in turns")
    args = ap.parse_args()
    trees: dict[str, Path | None] = {"after": None}
    if args.before:
        trees = {"before": Path(args.before) / "src", "after": None}
    runs: dict[str, list[dict]] = {k: [] for k in trees}
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        zip_path = prepare_corpus(args, work)
        for _ in range(args.repeat):
            for name, src in trees.items():  # in turns: the machine's windows fall alike
                runs[name].append(one_run(src, zip_path, work))
        load = os.getloadavg()[0]
    res = {name: {phase: [statistics.median(r[phase][i] for r in rs if phase in r)
                          for i in (0, 1)]
                  for phase in (*PHASES, "total") if any(phase in r for r in rs)}
           for name, rs in runs.items()}
    print(f"ctatlas trials ingest, mix 1 in {args.mix}, medians of {args.repeat} fresh "
          f"processes (load average at the end {load:.1f}); seconds, wall / CPU")
    names = list(res)
    print(f"  {'phase':22}" + "".join(f"{n:>22}" for n in names))
    for phase in (*PHASES, "total"):
        cells = []
        for n in names:
            v = res[n].get(phase)
            cells.append(f"{v[0]:9.3f} / {v[1]:7.3f}  " if v else f"{'-':>20}  ")
        print(f"  {phase:22}" + "".join(cells))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(
            {"n": args.n, "mix": args.mix, "load": load, "phases": res}, indent=2))


if __name__ == "__main__":
    main()
