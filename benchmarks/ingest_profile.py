"""Where ingest's CPU goes, part by part, in one process (issue 20).

    python benchmarks/ingest_profile.py --n 10000 --mix 25 --repeat 3
    python benchmarks/ingest_profile.py --n 10000 --mix 5 --repeat 3

Builds the same corpus as ``trials_ingest.py`` (same seed, mix and code-only trials), then
runs the pipeline's steps on every study by hand, each timed on its own with the process's
CPU clock (``time.process_time``: the machine is shared, wall time is waiting), ``--repeat``
times in turns, each study's (and each batch's) fastest kept:

- the floor's parts: walking the zip (``iter_items``), unzip (inflate + CRC), the typed
  decode (``decode_study``), the store's writes (``write_batch``, a fresh store each round,
  and closing it: the last checkpoint, since session 10);
- the classifier (``apply`` with the atlas's terms), split by kind of study as
  ``--classifier-split`` splits it (the early exit, a stem inside another word, the rest);
- linking to the atlas's products;
- what ``process_item`` adds: the row (``trial_row``, which serialises the JSON columns), its
  content hash (sorted orjson + blake2b), the raw fields;
- ``ingest_items`` itself on the same items (each round a fresh store, closed: since session
  10 the last checkpoint is counted on both sides); what it takes beyond
  the sum of the parts is "the rest" (batching, the glue, the garbage collector), split since
  session 14 by one more run traced from inside (:func:`_inside`);
- the whole process, as the command runs it, in fresh processes: the ingest's wall and CPU
  seconds (user, system), then the same ingest again in that process: what a process pays
  once (the patterns compiled on first use), and what is waiting rather than CPU.

Start-up (imports, the atlas's store, its names and codes) is timed in fresh processes.

Since session 11 it also prints the figures issue 20 is decided on, every part measured in
the same run: the bound's decode (``orjson.loads`` of each whole study, beside the unzip);
the classifier's minimum (the early exit as measured; for each study whose stems all sit
inside other words, ``classify``'s own steps up to the point where no window can hold a
mention: fields, stem scan, atlas terms, field hits, windows and masks, the gate, and since
rules 16.18 the wording model's gate and score, see :func:`_no_mention`; the labelled studies
whole); and the command itself
(``ctatlas trials ingest ZIP -q``) and its start-up (the same on an empty folder) in fresh
processes, in turns, wall and CPU. Every ratio is CPU to CPU.

Since session 15 the denominator is measured a second way too, the way the command is timed:
floor + minimum + linking as whole passes over the corpus (read = walk + unzip + typed decode,
the classifier's minimum, linking, the store's writes), each timed as a whole in a fresh
process, in turns with the command and its start-up, medians of ``--repeat``
(:func:`whole_passes`). The command's ratio is printed against both denominators, side by
side: the per-study one sums each study's fastest of the rounds, which a whole run never
matches (``perf5``: 0.7-1.3 s of a run's "rest" is that spread). ``--whole-only`` measures only
the command, its start-up and the whole passes (no per-study parts: a few minutes):

    python benchmarks/ingest_profile.py --n 10000 --mix 5 --repeat 3 --whole-only

Prints one table; ``--json`` writes it too. No time is asserted anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trials_ingest import COMMAND, _atlas_url, corpus_parser, prepare_corpus  # noqa: E402


def _startup(work: Path, repeat: int) -> dict[str, float]:
    """CPU seconds of fresh processes: bare interpreter, the imports of the ingest path, and
    those plus the atlas's store, names and codes (fastest of ``repeat``)."""
    atlas = _atlas_url(work)
    steps = {
        "python": "pass",
        "imports": "import ctatlas.trials.ingest, ctatlas.trials.store, ctatlas.store, "
                   "ctatlas.trials.link, ctatlas.trials.atlas_terms",
        "imports + atlas terms": (
            "from ctatlas.store import ensure_store\n"
            "from ctatlas.trials.atlas_terms import cell_terms\n"
            "from ctatlas.trials.link import product_specs\n"
            "from ctatlas.trials.store import TrialStore\n"
            "from ctatlas.trials.ingest import ingest\n"
            f"a = ensure_store({atlas!r}); cell_terms(a); product_specs(a)\n"
            f"TrialStore('sqlite:///{work / 'startup.sqlite'}')"
        ),
    }
    out = {}
    for name, code in steps.items():
        best = float("inf")
        for _ in range(repeat):
            res = subprocess.run(
                [sys.executable, "-c", code + "\nimport os, sys; t = os.times(); "
                 "sys.stdout.write(str(t.user + t.system))"],
                capture_output=True, text=True, check=True)
            best = min(best, float(res.stdout.strip().splitlines()[-1]))
        out[name] = best
    return out


_WHOLE = """
import os, sys, time
from pathlib import Path
from ctatlas.store import ensure_store
from ctatlas.trials.atlas_terms import cell_terms
from ctatlas.trials.ingest import ingest
from ctatlas.trials.link import product_specs
from ctatlas.trials.store import TrialStore

def now():
    t = os.times()
    return time.perf_counter(), t.user, t.system

zip_path, work, atlas_url = sys.argv[1:4]
a = ensure_store(atlas_url)
terms, specs = cell_terms(a), product_specs(a)
out = {"startup_cpu": sum(os.times()[:2])}
for r in ("first", "again"):
    db = Path(work) / f"whole-{os.getpid()}-{r}.sqlite"
    w0, u0, s0 = now()
    store = TrialStore(f"sqlite:///{db}")
    ingest([zip_path], store, products=specs, terms=terms)
    store.close()  # the last checkpoint of the WAL into the file
    w1, u1, s1 = now()
    out[r] = {"wall": w1 - w0, "user": u1 - u0, "sys": s1 - s0}
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
print(repr(out))
"""


def _whole(zip_path: Path, work: Path, repeat: int) -> dict:
    """The whole process, as ``ctatlas trials ingest`` runs it, in fresh processes: start-up's
    CPU, then the ingest (a fresh store, ``ingest()`` with its run record, the store closed)
    timed by wall clock and CPU (user, system), then the same ingest again in that process
    into another fresh store. The first run less the second is what a process pays once
    (compiling each pattern, its branch subsets and the gates on first use); wall less CPU
    is waiting (disk, or the machine's other processes). Medians of ``repeat`` processes."""
    import ast
    import statistics

    runs = []
    for _ in range(repeat):
        res = subprocess.run(
            [sys.executable, "-c", _WHOLE, str(zip_path), str(work), _atlas_url(work)],
            capture_output=True, text=True, check=True)
        runs.append(ast.literal_eval(res.stdout.strip().splitlines()[-1]))
    out: dict = {"startup_cpu": statistics.median(r["startup_cpu"] for r in runs)}
    for r in ("first", "again"):
        out[r] = {k: statistics.median(x[r][k] for x in runs) for k in ("wall", "user", "sys")}
    return out


#: The parts of the denominator, each a whole pass over the corpus (:func:`whole_passes`).
PASSES = ("read", "minimum", "link", "write")


def whole_passes(zip_path: str, work: str, kinds_file: str) -> dict[str, float]:
    """The parts of floor + minimum + linking, each run as one whole pass over the corpus and
    timed as a whole (session 15), in the fresh process this is called in, as the command is
    timed (a fresh process, its patterns compiled on first use, one clock read at each end of a
    pass, no per-study fastest): CPU seconds (``time.process_time``: every thread's) of

    - ``read``: walking the zip, unzip (inflate + CRC) and the typed decode of every study;
    - ``minimum``: the classifier's minimum, study by study as :func:`_resolve` counts it (the
      whole classification of a study with no stem and of a labelled one; of a middle-row study
      :func:`_no_mention`, or its whole classification when a window held a mention); each
      study's kind is read from ``kinds_file`` (found by the parent, so no pattern is warm here
      that the command would compile);
    - ``link``: linking every study to the atlas's products;
    - ``write``: the store's writes of the rows, 400 at a time, and closing the store (the last
      checkpoint).

    What runs between the passes (the middle row's whole classification, so that every row
    written is the real one; the rows, their hashes and raw bodies) is not timed."""
    import orjson

    from ctatlas.store import ensure_store
    from ctatlas.trials import ingest as ing
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.ctgov import decode_study
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.sources import iter_items
    from ctatlas.trials.store import TrialStore, trial_row

    kinds, judged = json.loads(Path(kinds_file).read_text())
    atlas = ensure_store(_atlas_url(Path(work)))
    specs, terms = product_specs(atlas), cell_terms(atlas)
    ing._set_linker(specs)
    ing._set_terms(terms)
    store = TrialStore(f"sqlite:///{Path(work) / f'passes-{os.getpid()}.sqlite'}")
    clock = time.process_time
    out: dict[str, float] = {}
    with ing._few_gc_passes():
        c0 = clock()
        read = []
        for item in iter_items([zip_path]):
            data, body, raw_enc = ing._data(item)
            read.append((item, body, raw_enc, decode_study(data)))
        out["read"] = clock() - c0
        if len(read) != len(kinds):
            raise SystemExit(f"{len(read)} studies read, {len(kinds)} kinds given")
        c0 = clock()
        for (_, _, _, trial), kind, held in zip(read, kinds, judged, strict=True):
            if kind == MIDDLE and not held:
                _no_mention(trial, terms)
            else:
                ing.apply(trial, terms)
        out["minimum"] = clock() - c0
        for (_, _, _, trial), kind, held in zip(read, kinds, judged, strict=True):
            if kind == MIDDLE and not held:  # untimed: the row written is the real one
                ing.apply(trial, terms)
        c0 = clock()
        for _, _, _, trial in read:
            trial.product_slugs = ing._LINKER.link(trial)
        out["link"] = clock() - c0
        rows = []
        for item, body, raw_enc, trial in read:  # untimed, as process_item makes them
            row = trial_row(trial)
            row["content_hash"] = hashlib.blake2b(
                orjson.dumps(row, option=orjson.OPT_SORT_KEYS)
                + (trial.last_updated or "").encode(), digest_size=20).hexdigest()
            row.update(raw_body=bytes(item.payload) if body is None else body,
                       raw_encoding=raw_enc, raw_origin=item.name)
            rows.append(row)
        del read
        c0 = clock()
        for i in range(0, len(rows), 400):
            store.write_batch(rows[i:i + 400])
        store.close()
        out["write"] = clock() - c0
    return out


def _kinds(zip_path: Path, work: Path) -> tuple[list[str], list[bool]]:
    """Each study's kind as :func:`profile` finds it (the early exit, the middle row, the
    labelled) and, for a middle-row study, whether a window held a mention the rules judged
    (``--whole-only``, where :func:`profile` does not run)."""
    from ctatlas.store import ensure_store
    from ctatlas.trials import ingest as ing
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.classify import ACELL_ANCHORS, ANCHORS, _fields, _scan
    from ctatlas.trials.ctgov import decode_study
    from ctatlas.trials.sources import iter_items

    terms = cell_terms(ensure_store(_atlas_url(work)))
    stems = ANCHORS | ACELL_ANCHORS
    kinds: list[str] = []
    judged: list[bool] = []
    for item in iter_items([zip_path]):
        trial = decode_study(ing._data(item)[0])
        ing.apply(trial, terms)
        low = " ".join(t for _, t in _fields(trial)).lower()
        if trial.label == "not_cell" and not any(h[2] in stems for h in _scan(low)):
            kinds.append("no stem (early exit)")
        elif trial.label == "not_cell":
            kinds.append(MIDDLE)
        else:
            kinds.append("labelled a cell therapy / HSCT / acellular")
        judged.append(kinds[-1] == MIDDLE and _no_mention(trial, terms))
    return kinds, judged


_PASSES_RUN = """
import json, sys
sys.path.insert(0, {here!r})
from ingest_profile import whole_passes
print(json.dumps(whole_passes(*sys.argv[1:4])))
"""


def _command(zip_path: Path, work: Path, repeat: int, kinds_file: Path | None = None) -> dict:
    """``ctatlas trials ingest ZIP --db NEW -q --json`` and the same on an empty folder
    (start-up), in fresh processes, in turns: wall and CPU (the children's resource usage, to
    each process's end); medians and fastest of ``repeat``. With ``kinds_file`` (session 15),
    in the same turns a third fresh process runs floor + minimum + linking as whole passes
    (:func:`whole_passes`): ``passes`` holds each run's parts and their sum, its median and
    fastest."""
    import resource
    import statistics

    empty = work / "nothing"
    empty.mkdir(exist_ok=True)
    runs: dict[str, list[tuple[float, float]]] = {"command": [], "startup": []}
    passes: list[dict[str, float]] = []
    for _ in range(repeat):
        if kinds_file is not None:
            res = subprocess.run(
                [sys.executable, "-c", _PASSES_RUN.format(here=str(Path(__file__).parent)),
                 str(zip_path), str(work), str(kinds_file)],
                capture_output=True, text=True, check=True)
            got = json.loads(res.stdout.strip().splitlines()[-1])
            got["sum"] = sum(got[p] for p in PASSES)
            passes.append(got)
            for f in work.glob("passes-*.sqlite*"):
                f.unlink()
        for kind, source in (("command", zip_path), ("startup", empty)):
            db = work / f"command-{kind}.sqlite"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", COMMAND, "--db", _atlas_url(work), "trials",
                            "ingest", str(source), "--db", str(db), "-q", "--json"],
                           capture_output=True, text=True, check=True)
            wall = time.perf_counter() - t0
            ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            runs[kind].append((wall, (ru1.ru_utime - ru0.ru_utime)
                               + (ru1.ru_stime - ru0.ru_stime)))
    out: dict = {kind: {"wall": statistics.median(w for w, _ in rs),
                        "cpu": statistics.median(c for _, c in rs),
                        "fastest_wall": min(w for w, _ in rs),
                        "fastest_cpu": min(c for _, c in rs)}
                 for kind, rs in runs.items()}
    if passes:
        out["passes"] = {"runs": passes, "fastest_sum": min(p["sum"] for p in passes),
                         **{k: statistics.median(p[k] for p in passes) for k in (*PASSES, "sum")}}
    return out


MIDDLE = "stem inside another word"


def _to_gate(trial, terms) -> tuple[list, str, str, list, bool]:
    """``classify``'s own steps on a study, in its order, up to the gate's answer: the fields
    read and joined, the stem scan, the atlas's names and codes, each field's hits, the windows
    around them with the disease names masked, and the gate's test of each window. Returns the
    fields, the joined text, its lower case, the atlas's mentions and whether a window may hold
    a cell-product mention (``middle_row.py`` goes on from here)."""
    from ctatlas.trials.classify_text import (
        _atlas_mentions,
        _field_hits,
        _fields,
        _masked_windows,
        _may_mention,
        _scan,
    )

    fields = _fields(trial)
    alltext = " ".join(t for _, t in fields)
    low_all = alltext.lower()
    atlas = _atlas_mentions(terms, fields)
    windows = _masked_windows(fields, _field_hits(fields, alltext, low_all, _scan(low_all)))
    held = any(_may_mention(masked, present) for _, wins in windows
               for _, _, present, masked in wins)
    return fields, alltext, low_all, atlas, held


def _no_mention(trial, terms) -> bool:
    """What a correct classifier cannot skip on a study whose stems all sit inside other
    words, up to the point where it knows no window holds a cell-product mention
    (:func:`_to_gate`: nothing after the decision), then the wording model's step (rules
    16.18: its gate, and its score where the gate admits the study; the model is not read
    from disk here, it is loaded once per process)."""
    from ctatlas.trials.wording import gate
    from ctatlas.trials.wording_rule import model

    held = _to_gate(trial, terms)[4]
    # rules 16.18: the wording model may still make the study a cell therapy, so its gate
    # runs on every study and its score on every study the gate admits (wording_rule.combine)
    if gate(trial):
        model().probability(trial)
    return held


def _inside(items: list, work: Path, specs: list, terms) -> dict:
    """One more ``ingest_items`` run on the same items, traced from inside (session 14): the
    CPU of every ``process_item`` and every ``write_batch`` call summed in the run itself, the
    garbage collector's passes by generation with their CPU (``gc.callbacks``), and what is
    left, the glue (batching, the writer's loop, the raw bodies' copies). The run is slower
    than an untraced one by the tracing's own clock reads (two per study and per batch); its
    figures split *that* run, so they do not depend on how the parts' per-study fastest compare
    with a whole run (the spread "the rest" also holds)."""
    import gc

    from ctatlas.trials import ingest as ing
    from ctatlas.trials.store import TrialStore

    clock = time.process_time
    acc = {"process_item": 0.0, "write_batch": 0.0}
    passes: dict[int, list] = {}
    began = [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = clock()
            return
        entry = passes.setdefault(info["generation"], [0, 0.0])
        entry[0] += 1
        entry[1] += clock() - began[0]

    untraced = ing.process_item

    def traced(item):  # noqa: ANN001, ANN202 - the module's own function, timed
        c0 = clock()
        res = untraced(item)
        acc["process_item"] += clock() - c0
        return res

    store = TrialStore(f"sqlite:///{work / 'inside.sqlite'}")
    write = store.write_batch

    def traced_write(records):  # noqa: ANN001, ANN202
        c0 = clock()
        res = write(records)
        acc["write_batch"] += clock() - c0
        return res

    store.write_batch = traced_write
    ing.process_item = traced
    gc.callbacks.append(on_gc)
    try:
        c0 = clock()
        ing.ingest_items(iter(items), store, products=specs, terms=terms)
        c1 = clock()
        store.close()
        closing = clock() - c1
    finally:
        gc.callbacks.remove(on_gc)
        ing.process_item = untraced
    run = c1 - c0
    collector = sum(t for _, t in passes.values())
    return {"run": run, "closing": closing, **acc,
            "gc": {str(g): {"passes": k, "cpu": t} for g, (k, t) in sorted(passes.items())},
            "gc_cpu": collector,
            "glue": run - acc["process_item"] - acc["write_batch"] - collector}


def profile(zip_path: Path, work: Path, repeat: int, batch_size: int = 400) -> dict:
    import orjson

    from ctatlas.store import ensure_store
    from ctatlas.trials import ingest as ing
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.classify import ACELL_ANCHORS, ANCHORS, _fields, _scan
    from ctatlas.trials.ctgov import decode_study
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.sources import iter_items
    from ctatlas.trials.store import TrialStore, trial_row

    atlas = ensure_store(_atlas_url(work))
    specs = product_specs(atlas)
    terms = cell_terms(atlas)
    ing._set_linker(specs)
    ing._set_terms(terms)
    clock = time.process_time
    walk = float("inf")
    items = []
    for _ in range(repeat):
        c0 = clock()
        items = list(iter_items([zip_path]))
        walk = min(walk, clock() - c0)
    n = len(items)
    parts = ("unzip", "decode", "classify", "link", "row", "hash", "raw")
    best = {p: [float("inf")] * n for p in (*parts, "orjson", "minimum")}
    writes: list[float] = []
    kinds: list[str] = []
    judged: list[bool] = []  # a middle-row study in which a window may hold a mention
    stems = ANCHORS | ACELL_ANCHORS
    total = closing = float("inf")
    with ing._few_gc_passes():
        for r in range(repeat):
            store = TrialStore(f"sqlite:///{work / f'parts{r}.sqlite'}")
            batch: list[dict] = []
            w = 0
            for i, item in enumerate(items):
                b = best
                c0 = clock()
                data, body, raw_enc = ing._data(item)
                c1 = clock()
                trial = decode_study(data)
                c2 = clock()
                ing.apply(trial, terms)
                c3 = clock()
                trial.product_slugs = ing._LINKER.link(trial)
                c4 = clock()
                row = trial_row(trial)
                c5 = clock()
                version = trial.last_updated or ""
                row["content_hash"] = hashlib.blake2b(
                    orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + version.encode(),
                    digest_size=20).hexdigest()
                c6 = clock()
                row["raw_body"] = bytes(item.payload) if body is None else body
                row["raw_encoding"] = raw_enc
                row["raw_origin"] = item.name
                c7 = clock()
                for p, took in zip(parts, (c1 - c0, c2 - c1, c3 - c2, c4 - c3, c5 - c4,
                                           c6 - c5, c7 - c6), strict=True):
                    if took < b[p][i]:
                        b[p][i] = took
                c0 = clock()
                orjson.loads(data)  # the bound's decode: the whole study, every field
                took = clock() - c0
                if took < b["orjson"][i]:
                    b["orjson"][i] = took
                if r > 0 and kinds[i] == MIDDLE:
                    c0 = clock()
                    _no_mention(trial, terms)
                    took = clock() - c0
                    if took < b["minimum"][i]:
                        b["minimum"][i] = took
                if r == 0:
                    low = " ".join(t for _, t in _fields(trial)).lower()
                    if trial.label == "not_cell" and not any(h[2] in stems for h in _scan(low)):
                        kinds.append("no stem (early exit)")
                    elif trial.label == "not_cell":
                        kinds.append(MIDDLE)
                        c0 = clock()
                        judged.append(_no_mention(trial, terms))
                        b["minimum"][i] = clock() - c0
                    else:
                        kinds.append("labelled a cell therapy / HSCT / acellular")
                    if kinds[-1] != MIDDLE:
                        judged.append(False)
                batch.append(row)
                if len(batch) >= batch_size or i == n - 1:
                    c0 = clock()
                    store.write_batch(batch)
                    took = clock() - c0
                    if r == 0:
                        writes.append(took)
                    else:
                        writes[w] = min(writes[w], took)
                    w += 1
                    batch = []
            c0 = clock()
            store.close()  # part of the writes: SQLite's last checkpoint (since session 10)
            closing = min(closing, clock() - c0)
            # the real thing, on the same items, in turns with the parts
            store = TrialStore(f"sqlite:///{work / f'whole{r}.sqlite'}")
            c0 = clock()
            summary = ing.ingest_items(iter(items), store, products=specs, terms=terms)
            store.close()
            total = min(total, clock() - c0)
            assert summary.records == n, summary.problems[:3]
    out: dict = {"studies": n, "walk": walk, "write": sum(writes) + closing,
                 "ingest_items": total, "inside": _inside(items, work, specs, terms)}
    for p in (*parts, "orjson"):
        out[p] = sum(best[p])
    # a middle-row study whose windows may hold a mention had that mention judged (and
    # dismissed) by the rules: its minimum is its whole classification
    out["minimum_middle"] = sum(
        (c if j else m) for k, j, m, c in zip(kinds, judged, best["minimum"], best["classify"],
                                             strict=True) if k == MIDDLE)
    out["middle_judged"] = sum(judged)
    out["_kinds"] = [kinds, judged]  # for the whole passes (not written with the figures)
    by_kind: dict[str, list] = {}
    for k, took in zip(kinds, best["classify"], strict=True):
        e = by_kind.setdefault(k, [0, 0.0])
        e[0] += 1
        e[1] += took
    out["classify_by_kind"] = by_kind
    return out


def main() -> None:
    ap = corpus_parser(__doc__, mix=5, repeat=3)
    ap.add_argument("--whole-only", action="store_true",
                    help="only the command, its start-up and floor + minimum + linking as whole "
                         "passes, in turns (the whole-pass ratio; no per-study parts)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        zip_path = prepare_corpus(args, work)
        kinds_file = work / "kinds.json"
        if args.whole_only:
            kinds_file.write_text(json.dumps(_kinds(zip_path, work)))
            res = {"command": _command(zip_path, work, args.repeat, kinds_file),
                   "load": os.getloadavg()[0]}
            res["resolve"] = _resolve_whole(res)
            if args.json_out:
                Path(args.json_out).write_text(json.dumps(res, indent=2))
            return
        start = _startup(work, args.repeat)
        res = profile(zip_path, work, args.repeat)
        kinds_file.write_text(json.dumps(res.pop("_kinds")))
        res["whole"] = _whole(zip_path, work, args.repeat)
        res["command"] = _command(zip_path, work, args.repeat, kinds_file)
        res["load"] = os.getloadavg()[0]
    res["startup"] = start
    floor = res["walk"] + res["unzip"] + res["decode"] + res["write"]
    parts = floor + sum(res[p] for p in ("classify", "link", "row", "hash", "raw"))
    rest = res["ingest_items"] - parts
    line = "  {:44} {:6.2f} s  {:5.1f}%"
    whole = res["ingest_items"]
    print(f"{res['studies']} studies, mix 1 in {args.mix}, one in {args.code_only} code-only; "
          f"CPU seconds, fastest of {args.repeat} per study / batch; ingest_items "
          f"{whole:.2f} s")
    for name, v in (("walk the zip (iter_items)", res["walk"]), ("unzip (inflate + CRC)",
                    res["unzip"]), ("decode (typed structs)", res["decode"]),
                    ("store writes (write_batch)", res["write"])):
        print(line.format(name, v, 100 * v / whole))
    print(line.format("= the floor", floor, 100 * floor / whole))
    for kind, (count, took) in sorted(res["classify_by_kind"].items(), key=lambda kv: kv[0]):
        print(line.format(f"classify: {kind} ({count})", took, 100 * took / whole)
              + f"  {took / count * 1e6:5.0f} us each")
    for name in ("link", "row", "hash", "raw"):
        print(line.format(name, res[name], 100 * res[name] / whole))
    print(line.format("the rest (batching, glue, gc)", rest, 100 * rest / whole))
    ins = res["inside"]
    spread = rest - ins["glue"] - ins["gc_cpu"]
    print(f"  the rest, split inside one more (traced) run of {ins['run']:.2f} s: process_item "
          f"{ins['process_item']:.2f}, write_batch {ins['write_batch']:.2f}, the collector "
          f"{ins['gc_cpu']:.3f} s (" + ", ".join(
              f"gen {g}: {v['passes']} passes" for g, v in ins["gc"].items())
          + f"), the glue {ins['glue']:.2f}; so {spread:.2f} s of the rest is the spread "
          "between the parts' per-study fastest and a whole run")
    print("start-up (fresh processes, CPU): " + ", ".join(
        f"{k} {v:.2f} s" for k, v in start.items()))
    wh = res["whole"]
    first, again = wh["first"], wh["again"]
    cpu1, cpu2 = first["user"] + first["sys"], again["user"] + again["sys"]
    print(f"the whole process (fresh processes, medians of {args.repeat}): start-up CPU "
          f"{wh['startup_cpu']:.2f} s; ingest {first['wall']:.2f} s wall, CPU {cpu1:.2f} s "
          f"(user {first['user']:.2f} + system {first['sys']:.2f}); the same again in that "
          f"process {again['wall']:.2f} s wall, CPU {cpu2:.2f} s")
    print(f"  paid once per process (first use of the patterns): {cpu1 - cpu2:.2f} s CPU; "
          f"waiting (wall - CPU): {first['wall'] - cpu1:.2f} s; a warm whole ingest's CPU "
          f"beyond ingest_items' fastest: {cpu2 - whole:.2f} s (the zip's walk, the store's "
          "creation and run record, the last checkpoint, the rounds the minima leave out)")
    res["resolve"] = _resolve(res, floor)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2))


def _resolve(res: dict, floor: float) -> dict:
    """The figures issue 20 is decided on, each part measured in this run, printed and
    returned: CPU seconds throughout (the machine is shared; the command's wall is shown
    beside its CPU, wall - CPU being waiting)."""
    kinds = res["classify_by_kind"]
    early = kinds.get("no stem (early exit)", [0, 0.0])[1]
    cells = kinds.get("labelled a cell therapy / HSCT / acellular", [0, 0.0])[1]
    middle_n, middle = kinds.get(MIDDLE, [0, 0.0])
    minimum = early + res["minimum_middle"] + cells
    with_min = floor + minimum + res["link"]
    bound = res["walk"] + res["unzip"] + res["orjson"]
    items = res["ingest_items"]
    cmd, st = res["command"]["command"], res["command"]["startup"]
    net_cpu, net_wall = cmd["cpu"] - st["cpu"], cmd["wall"] - st["wall"]
    net_fast = cmd["fastest_cpu"] - st["fastest_cpu"]

    def x(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b > 0 else "n/a"

    print(f"to resolve on (CPU seconds; load average at the end {res['load']:.1f}):")
    print(f"  start-up (the command on an empty folder)    {st['cpu']:6.2f}  "
          f"(wall {st['wall']:.2f})")
    print(f"  bound: walk + unzip + orjson                 {bound:6.2f}  = {res['walk']:.2f} + "
          f"{res['unzip']:.2f} + {res['orjson']:.2f}")
    print(f"  floor: walk + unzip + typed decode + writes  {floor:6.2f}  = {res['walk']:.2f} + "
          f"{res['unzip']:.2f} + {res['decode']:.2f} + {res['write']:.2f}")
    print(f"  classifier's minimum                         {minimum:6.2f}  = early exit "
          f"{early:.2f} + the middle row to its decision {res['minimum_middle']:.2f} "
          f"({middle_n} studies, {res['minimum_middle'] / max(middle_n, 1) * 1e6:.0f} us "
          f"each, against {middle / max(middle_n, 1) * 1e6:.0f} us classified; "
          f"{res['middle_judged']} with a mention judged, counted whole) + labelled {cells:.2f}")
    print(f"  linking                                      {res['link']:6.2f}")
    print(f"  floor + minimum + linking                    {with_min:6.2f}")
    print(f"  ingest_items in process                      {items:6.2f}  {x(items, bound)} the "
          f"bound, {x(items, floor)} the floor, {x(items, with_min)} floor + minimum + linking")
    print(f"  the command without start-up (median)        {net_cpu:6.2f}  {x(net_cpu, bound)} "
          f"the bound, {x(net_cpu, floor)} the floor, {x(net_cpu, with_min)} floor + minimum "
          f"+ linking (wall {net_wall:.2f}; fastest CPU {net_fast:.2f}: "
          f"{x(net_fast, with_min)})")
    out = {"startup": st, "bound": bound, "floor": floor, "minimum": minimum,
           "with_minimum": with_min, "ingest_items": items, "command_net_cpu": net_cpu,
           "command_net_wall": net_wall, "command_net_fastest_cpu": net_fast}
    out.update(_resolve_whole(res, with_min))
    return out


def _resolve_whole(res: dict, per_study: float | None = None) -> dict:
    """The same ratio with a whole-run denominator (session 15): floor + minimum + linking as
    whole passes in fresh processes (:func:`whole_passes`), medians of as many runs as the
    command, in turns with it, beside the per-study one (``per_study``: the parts' per-study
    fastest of the rounds, summed) when it was measured."""
    cmd, st = res["command"]["command"], res["command"]["startup"]
    ps = res["command"]["passes"]
    net_cpu = cmd["cpu"] - st["cpu"]
    net_fast = cmd["fastest_cpu"] - st["fastest_cpu"]

    def x(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b > 0 else "n/a"

    n = len(ps["runs"])
    print(f"the denominator as whole passes (fresh processes in turns with the command, CPU "
          f"seconds, medians of {n}; load average at the end {res['load']:.1f}):")
    print(f"  read: walk + unzip + typed decode             {ps['read']:6.2f}")
    print(f"  store writes (and closing the store)         {ps['write']:6.2f}")
    print(f"  classifier's minimum                         {ps['minimum']:6.2f}")
    print(f"  linking                                      {ps['link']:6.2f}")
    print(f"  floor + minimum + linking, whole passes      {ps['sum']:6.2f}  (median of the "
          f"runs' sums; fastest {ps['fastest_sum']:.2f})")
    line = (f"  the command without start-up (median)        {net_cpu:6.2f}  "
            f"{x(net_cpu, ps['sum'])} the whole passes")
    if per_study is not None:
        line += f", {x(net_cpu, per_study)} the per-study fastest (above)"
    print(line + f"; fastest {net_fast:.2f}: {x(net_fast, ps['fastest_sum'])} the fastest "
          "whole passes")
    return {"with_minimum_whole": ps["sum"], "with_minimum_whole_fastest": ps["fastest_sum"],
            "command_net_cpu": net_cpu, "command_net_fastest_cpu": net_fast,
            "ratio_whole": net_cpu / ps["sum"] if ps["sum"] > 0 else None,
            "ratio_per_study": (net_cpu / per_study if per_study else None)}


if __name__ == "__main__":
    main()
