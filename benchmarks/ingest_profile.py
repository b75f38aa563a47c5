"""Where ingest's CPU goes, part by part, in one process (issue 20).

    python benchmarks/ingest_profile.py --n 10000 --mix 25 --repeat 3
    python benchmarks/ingest_profile.py --n 10000 --mix 5 --repeat 3

Builds the same corpus as ``trials_ingest.py`` (same seed, mix and code-only trials), then
runs the pipeline's steps on every study by hand, each timed on its own with the process's
CPU clock (``time.process_time``: the machine is shared, wall time is waiting), ``--repeat``
times in turns, each study's (and each batch's) fastest kept:

- the floor's parts: walking the zip (``iter_items``), unzip (inflate + CRC), the typed
  decode (``decode_study``), the store's writes (``write_batch``, a fresh store each round);
- the classifier (``apply`` with the atlas's terms), split by kind of study as
  ``--classifier-split`` splits it (the early exit, a stem inside another word, the rest);
- linking to the atlas's products;
- what ``process_item`` adds: the row (``trial_row``, which serialises the JSON columns), its
  content hash (sorted orjson + blake2b), the raw fields;
- ``ingest_items`` itself on the same items (each round a fresh store); what it takes beyond
  the sum of the parts is "the rest" (batching, the glue, the garbage collector).

Start-up (imports, the atlas's store, its names and codes) is timed in fresh processes.
Prints one table; ``--json`` writes it too. No time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trials_ingest import _atlas_url, build_corpus  # noqa: E402


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
    best = {p: [float("inf")] * n for p in parts}
    writes: list[float] = []
    kinds: list[str] = []
    stems = ANCHORS | ACELL_ANCHORS
    total = float("inf")
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
                if r == 0:
                    low = " ".join(t for _, t in _fields(trial)).lower()
                    if trial.label == "not_cell" and not any(h[2] in stems for h in _scan(low)):
                        kinds.append("no stem (early exit)")
                    elif trial.label == "not_cell":
                        kinds.append("stem inside another word")
                    else:
                        kinds.append("labelled a cell therapy / HSCT / acellular")
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
            store.engine.dispose()
            # the real thing, on the same items, in turns with the parts
            store = TrialStore(f"sqlite:///{work / f'whole{r}.sqlite'}")
            c0 = clock()
            summary = ing.ingest_items(iter(items), store, products=specs, terms=terms)
            total = min(total, clock() - c0)
            store.engine.dispose()
            assert summary.records == n, summary.problems[:3]
    out: dict = {"studies": n, "walk": walk, "write": sum(writes), "ingest_items": total}
    for p in parts:
        out[p] = sum(best[p])
    by_kind: dict[str, list] = {}
    for k, took in zip(kinds, best["classify"], strict=True):
        e = by_kind.setdefault(k, [0, 0.0])
        e[0] += 1
        e[1] += took
    out["classify_by_kind"] = by_kind
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--mix", type=int, default=5)
    ap.add_argument("--code-only", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--corpus", default=None, help="an existing corpus zip (not rebuilt)")
    ap.add_argument("--json", dest="json_out", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        work = Path(tmp)
        from ctatlas.store import ensure_store

        ensure_store(_atlas_url(work))
        if args.corpus:
            zip_path = Path(args.corpus)
        else:
            zip_path = work / "ctg-studies.json.zip"
            build_corpus(zip_path, args.n, mix=args.mix, code_every=args.code_only)
        start = _startup(work, args.repeat)
        res = profile(zip_path, work, args.repeat)
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
    print("start-up (fresh processes, CPU): " + ", ".join(
        f"{k} {v:.2f} s" for k, v in start.items()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
