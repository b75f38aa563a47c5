"""Benchmark: ingest + classify a corpus shaped like the ClinicalTrials.gov bulk download.

    python benchmarks/trials_ingest.py --n 60000 --repeat 3          # medians of 3
    python benchmarks/trials_ingest.py --n 600000 --repeat 1
    python benchmarks/trials_ingest.py --n 2000 --repeat 1           # smoke run
    python benchmarks/trials_ingest.py --n 60000 --mix 25            # registry-like mix
    python benchmarks/trials_ingest.py --n 60000 --check-only        # same records as the
                                                                     # unoptimised pipeline?
    python benchmarks/trials_ingest.py --stream-gb 2                 # a 2 GB JSON export

It builds a zip of one JSON file per study (in folders, like ``ctg-studies.json.zip``) by
varying the 62 real API v2 study records in ``tests/fixtures/trials`` (new NCT ids, dates,
countries; one study in ``--mix`` (default 5; the registry is more like 1 in 20-30) gets the
title and interventions of a real cell-therapy trial from the labelled fixtures), then times,
on the same corpus, single process and with ``--cores`` processes:

- ``ctatlas``: the command itself, ``ctatlas trials ingest -q`` into a fresh SQLite trials
  store (stream, inflate, decode, normalise, classify, link, write; the process's end);
- ``baseline``: the plain approach an analyst writes (``baseline_analyst`` below, shipped as
  exact code): ``json.load`` of each member, fields flattened into a pandas DataFrame, regex
  over the text;
- ``bound``: only unzipping and decoding every study with the fastest decoder (orjson);
- ``startup``: the command with nothing to ingest (an empty folder: imports, stores, the
  atlas's names and codes, the run record);
- ``floor``: what any pipeline that stores every study pays, each part timed on its own in
  one process: unzip (inflate + CRC), the cheapest decode of the fields used (typed msgspec
  structs, :func:`ctatlas.trials.ctgov.decode_study`) and the store's writes of the rows
  (closing the store included: SQLite's last checkpoint).

Each run is a fresh subprocess; peak memory is the largest total RSS of its process tree
(sampled every 50 ms); CPU is the process tree's user + system time to the process's end
(steadier than wall time on a busy machine). Free disk is checked before the corpus is
written, and the corpus and stores are deleted afterwards (``--keep`` keeps them).

``--before DIR`` also times the ingest of an earlier commit (``git archive <commit> | tar -x
-C DIR``) on the same corpus, as ``before``, and prints before -> after.

``--check`` (after the timings) or ``--check-only`` compares every stored record with the
unoptimised pipeline run here (whole orjson decode, ``normalise_study``, ``classify.apply``
with the atlas's terms, the linker, on every study): same row (labels, families, origins,
evidence, links, all columns: the content hash) or the differences are listed.

``--stream-gb G`` writes one JSON export of about G GB (``--stream-form``: a top-level
array, an API page ``{"studies": [...]}`` or a data.go.kr-shaped envelope) in the work
folder, ingests it, prints time and the process tree's peak memory, and deletes it.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

FIX = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "trials"

COUNTRIES = ["Japan", "Korea, Republic of", "United States", "China", "Germany", "France",
             "United Kingdom", "Spain", "Italy", "Canada", "Australia", "Taiwan"]


# --------------------------------------------------------------------------- the corpus


def _real_studies() -> list[dict]:
    out = [json.loads(p.read_text()) for p in sorted((FIX / "ctgov").glob("*.json"))]
    out += json.loads((FIX / "ctgov_export" / "ctg-studies_10.json").read_text())
    with gzip.open(FIX / "ctgov_export" / "ctg-studies_50_rest.jsonl.gz", "rt") as fh:
        out += [json.loads(line) for line in fh]
    return [s for s in out if "statusModule" in s.get("protocolSection", {})]


def _cell_rows() -> list[dict]:
    import csv

    with open(FIX / "ctgov_flat" / "car_t_trials_labelled_subset.csv", newline="") as fh:
        return list(csv.DictReader(fh))


def atlas_codes() -> list[str]:
    """The development codes of the atlas's therapies (from the curated data)."""
    from ctatlas.dataset import load_dataset
    from ctatlas.trials.link import product_specs

    return sorted({c for _, _, codes, _ in product_specs(load_dataset()) for c in codes})


def iter_corpus(n: int, seed: int = 42, mix: int = 5, codes: list[str] | None = None,
                code_every: int = 0):
    """(NCT id, study JSON bytes) of the corpus: the real studies varied; one in ``mix``
    gets a real cell-therapy trial's words; one in ``code_every`` (when ``codes``) names an
    atlas therapy only by its development code, as its one intervention (a code-only trial:
    the title and summary stay the base study's)."""
    import orjson

    rng = random.Random(seed)
    bases = [orjson.dumps(b) for b in _real_studies()]
    cells = _cell_rows()
    for i in range(n):
        s = orjson.loads(bases[i % len(bases)])
        ps = s["protocolSection"]
        nct = f"NCT{10_000_000 + i:08d}"
        ps["identificationModule"]["nctId"] = nct
        year = rng.randint(2005, 2026)
        ps["statusModule"]["startDateStruct"] = {"date": f"{year}-{rng.randint(1, 12):02d}",
                                                 "type": "ACTUAL"}
        locs = ps.setdefault("contactsLocationsModule", {}).setdefault("locations", [])
        for loc in locs[:3]:
            loc["country"] = rng.choice(COUNTRIES)
        if i % mix == 0:  # a real cell-therapy trial's words
            row = cells[rng.randrange(len(cells))]
            ps["identificationModule"]["briefTitle"] = row["BriefTitle"]
            ps.setdefault("descriptionModule", {})["briefSummary"] = row["BriefSummary"]
            ps.setdefault("armsInterventionsModule", {})["interventions"] = [
                {"type": "BIOLOGICAL", "name": name} for name in row["Interventions"].split("|")
            ]
        elif codes and code_every and i % code_every == 1:
            ps.setdefault("armsInterventionsModule", {})["interventions"] = [
                {"type": "BIOLOGICAL", "name": codes[rng.randrange(len(codes))]}
            ]
        yield nct, orjson.dumps(s)


def build_corpus(path: Path, n: int, seed: int = 42, level: int = 6, mix: int = 5,
                 code_every: int = 0) -> int:
    """Write the zip; returns the uncompressed bytes of all studies."""
    total = 0
    codes = atlas_codes() if code_every else None
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for nct, data in iter_corpus(n, seed, mix, codes, code_every):
            total += len(data)
            zf.writestr(f"ctg-studies/{nct[:8]}/{nct}.json", data)
    return total


def build_export(path: Path, gb: float, form: str = "array", mix: int = 5) -> tuple[int, int]:
    """Write one JSON export of about ``gb`` GB, streamed to disk; (studies, bytes)."""
    head, tail = {
        "array": (b"[", b"]"),
        "page": (b'{"totalCount": null, "studies": [', b'], "nextPageToken": null}'),
        "gov": (b'{"response": {"header": {"resultCode": "00"}, "body": {"items": {"item": [',
                b']}, "numOfRows": 0}}}'),
    }[form]
    limit = int(gb * 1e9)
    n = size = 0
    with open(path, "wb") as fh:
        fh.write(head)
        for _nct, data in iter_corpus(10**9, mix=mix):
            if size >= limit:
                break
            if n:
                fh.write(b",\n")
            fh.write(data)
            size += len(data)
            n += 1
        fh.write(tail)
    return n, size


# --------------------------------------------------------------------------- baseline (exact code)

BASELINE_CELL = re.compile(
    r"cell therap|CAR[- ]?T|chimeric antigen receptor|stem cell|mesenchymal|\bMSCs?\b|NK cells?"
    r"|natural killer cells?|dendritic cell|tumou?r[- ]infiltrating lymphocyte|iPSC|cord blood"
    r"|chondrocyte|keratinocyte|islet",
    re.I,
)
BASELINE_NEG = re.compile(r"stem cell transplant|stem cell mobili|exosome|platelet[- ]rich", re.I)


def _baseline_rows(zip_path: str, names: list[str]) -> list[dict]:
    rows = []
    with zipfile.ZipFile(zip_path) as zf:
        for name in names:
            with zf.open(name) as fh:
                study = json.load(fh)
            ps = study.get("protocolSection", {})
            ident = ps.get("identificationModule", {})
            status = ps.get("statusModule", {})
            design = ps.get("designModule", {})
            arms = ps.get("armsInterventionsModule", {})
            locs = ps.get("contactsLocationsModule", {}).get("locations", [])
            sponsor = ps.get("sponsorCollaboratorsModule", {}).get("leadSponsor", {})
            rows.append({
                "nct_id": ident.get("nctId"),
                "title": ident.get("briefTitle", ""),
                "summary": ps.get("descriptionModule", {}).get("briefSummary", ""),
                "conditions": "|".join(ps.get("conditionsModule", {}).get("conditions", [])),
                "interventions": "|".join(i.get("name", "") for i in arms.get("interventions", [])),
                "phases": "|".join(design.get("phases", [])),
                "status": status.get("overallStatus"),
                "start_date": status.get("startDateStruct", {}).get("date"),
                "countries": "|".join(sorted({loc.get("country", "") for loc in locs})),
                "sponsor": sponsor.get("name"),
                "sponsor_class": sponsor.get("class"),
            })
    return rows


def baseline_analyst(zip_path: str, out_csv: str, cores: int = 1) -> int:
    """The plain approach: json.load each file, flatten to pandas, regex over the text."""
    import pandas as pd

    with zipfile.ZipFile(zip_path) as zf:
        names = [n for n in zf.namelist() if n.endswith(".json")]
    if cores <= 1:
        rows = _baseline_rows(zip_path, names)
    else:
        from multiprocessing import Pool

        chunks = [names[i::cores] for i in range(cores)]
        with Pool(cores) as pool:
            parts = pool.starmap(_baseline_rows, [(zip_path, c) for c in chunks])
        rows = [r for part in parts for r in part]
    df = pd.DataFrame(rows)
    text = df["title"] + " " + df["interventions"] + " " + df["summary"]
    df["cell_therapy"] = text.str.contains(BASELINE_CELL) & ~text.str.contains(BASELINE_NEG)
    df.to_csv(out_csv, index=False)
    return len(df)


# --------------------------------------------------------------------------- the bound


def _bound_part(zip_path: str, names: list[str], decode: bool) -> int:
    import orjson

    n = 0
    with zipfile.ZipFile(zip_path) as zf:
        for name in names:
            data = zf.read(name)
            if decode:
                orjson.loads(data)
            n += 1
    return n


def bound(zip_path: str, cores: int = 1, decode: bool = True) -> int:
    """Unzip and decode every study, nothing else. ``decode=False``: the floor under the
    bound, inflating every member (and checking its CRC) without decoding it — what any
    pipeline that looks at every study pays at least."""
    with zipfile.ZipFile(zip_path) as zf:
        names = [n for n in zf.namelist() if n.endswith(".json")]
    if cores <= 1:
        return _bound_part(zip_path, names, decode)
    from multiprocessing import Pool

    chunks = [names[i::cores] for i in range(cores)]
    with Pool(cores) as pool:
        return sum(pool.starmap(_bound_part, [(zip_path, c, decode) for c in chunks]))


# --------------------------------------------------------------------------- ours


def corpus_parser(doc: str | None, mix: int, repeat: int) -> argparse.ArgumentParser:
    """The arguments every single-corpus benchmark of the ingest command shares (the corpus's
    size, mix and code-only share, the runs, where to write, an existing corpus, a JSON copy);
    each script adds its own."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--mix", type=int, default=mix)
    ap.add_argument("--code-only", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=repeat)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--corpus", default=None, help="an existing corpus zip (not rebuilt)")
    ap.add_argument("--json", dest="json_out", default=None)
    return ap


def prepare_corpus(args: argparse.Namespace, work: Path) -> Path:
    """The atlas store in ``work`` (outside the timed runs, as a user's atlas already is) and the
    corpus zip: ``--corpus`` as given, or one built there from ``--n``, ``--mix`` and
    ``--code-only`` (the arguments of :func:`corpus_parser`)."""
    from ctatlas.store import ensure_store

    ensure_store(_atlas_url(work))
    if args.corpus:
        return Path(args.corpus)
    zip_path = work / "ctg-studies.json.zip"
    build_corpus(zip_path, args.n, mix=args.mix, code_every=args.code_only)
    return zip_path


def _atlas_url(work: Path) -> str:
    return f"sqlite:///{work / 'atlas.sqlite'}"


def ours(zip_path: str | None, db_path: str, cores: int = 1, registry: str | None = None) -> int:
    """The real pipeline in this process (the check's ingest; the timed runs run the command
    itself, :func:`_command`); ``zip_path=None``: nothing to ingest."""
    from ctatlas.store import ensure_store
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.store import TrialStore

    store = TrialStore(f"sqlite:///{db_path}")
    # as ``ctatlas trials ingest`` does: link every trial to the atlas's products (the atlas
    # store is built by the harness before the timed runs, so this only checks it is fresh)
    atlas = ensure_store(_atlas_url(Path(db_path).parent))
    paths = [zip_path] if zip_path else []
    extra = {}
    try:  # the classifier reads the atlas's cell-therapy names and codes (since issue 16)
        from ctatlas.trials.atlas_terms import cell_terms

        extra["terms"] = cell_terms(atlas)
    except ImportError:  # an earlier tree (--before) without them
        pass
    summary = ingest(paths, store, workers=cores, products=product_specs(atlas),
                     registry=registry, **extra)
    if summary.problems:
        raise SystemExit(f"problems: {summary.problems[:3]}")
    return summary.records


# --------------------------------------------------------------------------- the floor


def floor(zip_path: str, db_path: str) -> dict[str, float]:
    """Unzip, the cheapest decode of the fields used, and the store's writes (closing it
    included: the last checkpoint), each timed on its own over the whole corpus (what runs
    between them, classifying and linking, is not counted). Returns seconds per part."""
    import hashlib

    import orjson

    from ctatlas.store import ensure_store
    from ctatlas.trials import ingest as ing
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.ctgov import decode_study
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.sources import iter_items
    from ctatlas.trials.store import TrialStore, trial_row
    from ctatlas.trials.zipstream import inflate_bounded

    store = TrialStore(f"sqlite:///{db_path}")
    atlas = ensure_store(_atlas_url(Path(db_path).parent))
    ing._set_linker(product_specs(atlas))
    terms = cell_terms(atlas)
    # wall seconds, and CPU seconds of this process (steadier on a shared machine)
    t = {"unzip": 0.0, "decode": 0.0, "write": 0.0}
    cpu = {"unzip": 0.0, "decode": 0.0, "write": 0.0}
    clock, cpu_clock = time.perf_counter, time.process_time
    batch: list[dict] = []

    def flush() -> None:
        t0, c0 = clock(), cpu_clock()
        store.write_batch(batch)
        t["write"] += clock() - t0
        cpu["write"] += cpu_clock() - c0
        batch.clear()

    with ing._few_gc_passes():
        for item in iter_items([zip_path]):
            t0, c0 = clock(), cpu_clock()
            data = inflate_bounded(item.payload)
            zlib.crc32(data)
            t1, c1 = clock(), cpu_clock()
            trial = decode_study(data)
            t["decode"] += clock() - t1
            cpu["decode"] += cpu_clock() - c1
            t["unzip"] += t1 - t0
            cpu["unzip"] += c1 - c0
            # untimed: the rest of the pipeline, so the rows written are the real ones
            ing.apply(trial, terms)
            trial.product_slugs = ing._LINKER.link(trial)
            row = trial_row(trial)
            row["content_hash"] = hashlib.blake2b(
                orjson.dumps(row, option=orjson.OPT_SORT_KEYS), digest_size=20).hexdigest()
            row.update(raw_body=item.payload, raw_encoding="deflate", raw_origin=item.name)
            batch.append(row)
            if len(batch) >= 400:
                flush()
        flush()
        # closing the store is part of writing it: SQLite's last checkpoint copies what is
        # left in the WAL into the database file (the command closes its store; until session
        # 10 the floor left this to the process's end, outside the timing)
        t0, c0 = clock(), cpu_clock()
        store.close()
        t["write"] += clock() - t0
        cpu["write"] += cpu_clock() - c0
    t.update({f"{k}_cpu": v for k, v in cpu.items()})
    return t


def classifier_split(n: int, mix: int, code_every: int, work: Path, repeat: int = 3) -> dict:
    """The classifier's CPU seconds on the corpus, split by what each study is: one with no
    stem of a cell product (the early exit), one with a stem but labelled ``not_cell`` (a
    stem inside another word: the rules run to find no mention), and the rest (cell
    therapies and the other labels: the rules must run). Each study is classified ``repeat``
    times in turn, the fastest kept (the machine is shared). The last part is the
    classifier's own floor: no prefilter can spare a study that carries a mention."""
    from ctatlas.store import ensure_store
    from ctatlas.trials import ingest as ing
    from ctatlas.trials.atlas_terms import cell_terms
    from ctatlas.trials.classify import ACELL_ANCHORS, ANCHORS, _fields, _scan
    from ctatlas.trials.ctgov import decode_study
    from ctatlas.trials.link import product_specs

    atlas = ensure_store(_atlas_url(work))
    ing._set_linker(product_specs(atlas))
    terms = cell_terms(atlas)
    codes = atlas_codes() if code_every else None
    trials = [decode_study(data) for _, data in iter_corpus(n, 42, mix, codes, code_every)]
    texts = []
    for t in trials:  # warm every pattern, and learn each study's kind
        ing.apply(t, terms)
        texts.append(" ".join(text for _, text in _fields(t)).lower())  # what it scans
    stems = ANCHORS | ACELL_ANCHORS
    kinds = []
    for t, low in zip(trials, texts, strict=True):
        if t.label == "not_cell" and not any(h[2] in stems for h in _scan(low)):
            kinds.append("no stem (early exit)")
        elif t.label == "not_cell":
            kinds.append("stem, not a cell therapy")
        else:
            kinds.append(f"labelled {t.label}")
    try:  # the positional gate and the terms' quick test (session 7): timed with and without
        from ctatlas.trials.prefilter import without_prefilters as ungated
    except ImportError:
        ungated = None
    best = [float("inf")] * len(trials)
    bare = [float("inf")] * len(trials)
    link = [float("inf")] * len(trials)
    clock = time.process_time
    with ing._few_gc_passes():
        for _ in range(repeat):
            for i, t in enumerate(trials):
                c0 = clock()
                ing.apply(t, terms)
                c1 = clock()
                ing._LINKER.link(t)
                c2 = clock()
                best[i] = min(best[i], c1 - c0)
                link[i] = min(link[i], c2 - c1)
            if ungated is not None:  # in turns: the same windows of the machine
                with ungated():
                    for i, t in enumerate(trials):
                        c0 = clock()
                        ing.apply(t, terms)
                        bare[i] = min(bare[i], clock() - c0)
    out: dict[str, dict] = {}
    for kind, took, untested, linked in zip(kinds, best, bare, link, strict=True):
        part = out.setdefault(kind, {"studies": 0, "classify_cpu": 0.0, "link_cpu": 0.0,
                                     "without_prefilters_cpu": 0.0})
        part["studies"] += 1
        part["classify_cpu"] += took
        part["link_cpu"] += linked
        part["without_prefilters_cpu"] += untested if ungated is not None else took
    return out


# --------------------------------------------------------------------------- the check


def reference_rows(zip_path: str, linker, terms=None) -> dict[str, dict]:
    """trial id -> the row the unoptimised pipeline gives each study (whole decode, the
    dict normaliser, the classifier and linker on every study), with its content hash."""
    import hashlib

    import orjson

    from ctatlas.trials.classify import apply
    from ctatlas.trials.ctgov import normalise_study

    try:
        from ctatlas.trials.fastre import without_literal_tests as unfiltered
    except ImportError:  # a tree from before the literal tests
        unfiltered = contextlib.nullcontext
    try:
        from ctatlas.trials.prefilter import without_prefilters as ungated
    except ImportError:  # a tree from before the positional gate (session 7)
        ungated = contextlib.nullcontext
    from ctatlas.trials.sources import iter_items
    from ctatlas.trials.store import trial_row
    from ctatlas.trials.zipstream import inflate_bounded

    out = {}
    for item in iter_items([zip_path]):
        trial = normalise_study(orjson.loads(inflate_bounded(item.payload)))
        with unfiltered(), ungated():  # every rule's regex runs, nothing tested before it
            apply(trial, terms)
        trial.product_slugs = linker.link(trial)
        row = trial_row(trial)
        row["content_hash"] = hashlib.blake2b(
            orjson.dumps(row, option=orjson.OPT_SORT_KEYS) + (trial.last_updated or "").encode(),
            digest_size=20,
        ).hexdigest()
        out[trial.trial_id] = row
    return out


CHECKED = ("label", "cell_class", "cell_family", "stem_type", "origin", "evidence",
           "product_slugs")


def check(zip_path: str, db_path: str) -> dict:
    """Ingest with the real (optimised) pipeline, then compare every stored record with the
    unoptimised pipeline's row: {"studies", "same", "differ": [first few differences]}."""
    import orjson

    from ctatlas.trials.link import Linker, product_specs
    from ctatlas.trials.store import TrialStore

    ours(zip_path, db_path, cores=1)
    from ctatlas.store import ensure_store
    from ctatlas.trials.atlas_terms import cell_terms

    atlas = ensure_store(_atlas_url(Path(db_path).parent))
    want = reference_rows(zip_path, Linker(product_specs(atlas)), cell_terms(atlas))
    store = TrialStore(f"sqlite:///{db_path}")
    same = 0
    differ = []
    seen = set()
    for rows in store.iter_batches(columns=["trial_id", "content_hash", *CHECKED]):
        for r in rows:
            seen.add(r["trial_id"])
            ref = want.get(r["trial_id"])
            if ref is not None and ref["content_hash"] == r["content_hash"]:
                same += 1
                continue
            fields = [k for k in CHECKED if ref is None or (
                orjson.loads(ref[k]) if isinstance(ref[k], str) and ref[k][:1] in "[{"
                else ref[k]) != r[k]]
            differ.append({"trial_id": r["trial_id"], "fields": fields or ["other columns"]})
    missing = sorted(set(want) - seen)
    return {"studies": len(want), "same": same, "differ": differ[:20],
            "n_differ": len(differ), "missing": missing[:20], "n_missing": len(missing)}


# --------------------------------------------------------------------------- harness


def _tree_rss(pid: int) -> int:
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


#: ``--before DIR``: a source tree of the code to compare with (``kind == "before"``)
BEFORE: str | None = None


#: The console script's entry, run by the interpreter (``before``: the earlier tree's)
COMMAND = "from ctatlas.cli import main; main()"


def _command(kind: str, zip_path: Path, out: Path, work: Path, cores: int,
             registry: str | None) -> list[str]:
    """``ctatlas trials ingest`` as a user runs it, quiet, its summary as JSON; ``startup``:
    the same command on an empty folder (imports, the atlas's store, names and codes, the
    trials store and its run record: everything but the records)."""
    source = str(zip_path)
    if kind == "startup":
        source = str(work / "nothing")
        Path(source).mkdir(exist_ok=True)
    return ([sys.executable, "-c", COMMAND, "--db", _atlas_url(work), "trials", "ingest", source,
             "--db", str(out), "--workers", str(cores), "-q", "--json"]
            + (["--registry", registry] if registry else []))


def timed_run(kind: str, zip_path: Path, work: Path, cores: int,
              registry: str | None = None) -> tuple[float, int, int, float, str]:
    """(seconds, peak tree RSS bytes, studies, CPU seconds of the tree, extra output) of one
    run in a fresh subprocess. ``ours``, ``before`` and ``startup`` run the command itself
    (``before``: with the package of :data:`BEFORE`); the other kinds this script's
    functions. CPU is the process tree's user + system time to its very end (the
    interpreter's teardown included), from the children's resource usage."""
    import resource

    env = None
    if kind == "before":
        env = {**os.environ, "PYTHONPATH": str(Path(BEFORE) / "src")}
    out = work / f"out-{kind}-{cores}"
    if out.exists():
        out.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    if kind in ("ours", "before", "startup"):
        cmd = _command(kind, zip_path, out, work, cores, registry)
    else:
        cmd = [sys.executable, __file__, "--_run", kind, "--_zip", str(zip_path),
               "--_out", str(out), "--cores", str(cores)]
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    peak = 0
    done = threading.Event()

    def poll() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=poll, daemon=True)
    th.start()
    stdout, _ = proc.communicate()
    elapsed = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    done.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed ({proc.returncode})")
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if cmd[2] == COMMAND:
        return elapsed, peak, json.loads(stdout)["records"], cpu, ""
    lines = stdout.strip().splitlines()
    n = lines[-1].split()[0]
    return elapsed, peak, int(n), cpu, "\n".join(lines[:-1])


def _median_runs(kind, zip_path, work, cores, repeat, raw_bytes, registry=None) -> dict:
    runs = [timed_run(kind, zip_path, work, cores, registry) for _ in range(repeat)]
    return _summary(kind, cores, runs, raw_bytes)


def _interleaved(kinds, zip_path, work, cores, repeat, raw_bytes) -> list[dict]:
    """Each kind ``repeat`` times, in turns (a, b, c, a, b, c…): a slow window of the shared
    machine falls on every kind alike."""
    runs: dict[str, list] = {k: [] for k in kinds}
    for _ in range(repeat):
        for kind in kinds:
            runs[kind].append(timed_run(kind, zip_path, work, cores))
    return [_summary(kind, cores, runs[kind], raw_bytes) for kind in kinds]


def _summary(kind, cores, runs, raw_bytes) -> dict:
    secs = statistics.median(r[0] for r in runs)
    n = runs[0][2]
    res = {"kind": kind, "cores": cores, "n": n, "seconds": round(secs, 2),
           "runs": [round(r[0], 2) for r in runs],
           "cpu_s": round(statistics.median(r[3] for r in runs), 2),
           "studies_per_s": round(n / secs) if n else None,
           "mb_per_s": round(raw_bytes / 1e6 / secs, 1),
           "peak_rss_mb": round(max(r[1] for r in runs) / 1e6)}
    if kind == "floor":
        parts = [json.loads(r[4]) for r in runs]
        res["parts"] = {k: round(statistics.median(p[k] for p in parts), 2) for k in parts[0]}
        res["floor_s"] = round(sum(v for k, v in res["parts"].items() if "cpu" not in k), 2)
        res["floor_cpu_s"] = round(sum(v for k, v in res["parts"].items() if "cpu" in k), 2)
    return res


def stream_run(args, work: Path) -> None:
    """Write one large JSON export, ingest it (one process, then --cores), print time and
    peak memory of the process tree, delete it."""
    path = work / f"export-{args.stream_form}.json"
    t0 = time.perf_counter()
    n, size = build_export(path, args.stream_gb, args.stream_form, args.mix)
    print(f"export: {args.stream_form}, {n} studies, {size / 1e9:.2f} GB, written in "
          f"{time.perf_counter() - t0:.0f}s", flush=True)
    registry = "ctgov" if args.stream_form == "gov" else None  # ctgov studies in the envelope
    results = []
    for cores in sorted({1, args.cores}):
        r = _median_runs("ours", path, work, cores, 1, size, registry)
        r["form"] = args.stream_form
        print(json.dumps(r), flush=True)
        results.append(r)
        for f in work.glob("out-*"):
            f.unlink()
    path.unlink()
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"stream": results}, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=60_000, help="studies in the corpus")
    ap.add_argument("--mix", type=int, default=5,
                    help="one study in MIX has a cell-therapy trial's words (registry: 20-30)")
    ap.add_argument("--code-only", type=int, default=50,
                    help="one study in this many names an atlas therapy only by its code (0: none)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration (median)")
    ap.add_argument("--cores", type=int, default=2, help="processes for the multi-core runs")
    ap.add_argument("--workdir", default=None, help="where to write the corpus (default: tmp)")
    ap.add_argument("--skip", default="",
                    help="comma list of kinds to skip: startup,unzip,bound,floor,ours,baseline")
    ap.add_argument("--only-multicore", action="store_true",
                    help="time only the --cores configuration (for the large corpus)")
    ap.add_argument("--level", type=int, default=6, help="deflate level of the corpus zip")
    ap.add_argument("--corpus", default=None,
                    help="time an existing corpus zip (built by an earlier --keep run) instead "
                         "of building one; it is not deleted")
    ap.add_argument("--check", action="store_true",
                    help="after the timings, compare every record with the unoptimised pipeline")
    ap.add_argument("--check-only", action="store_true", help="only that comparison")
    ap.add_argument("--stream-gb", type=float, default=None,
                    help="ingest one JSON export of this many GB instead (memory flat?)")
    ap.add_argument("--stream-form", default="array", choices=["array", "page", "gov"])
    ap.add_argument("--before", default=None,
                    help="a source tree (git archive of an earlier commit) whose ingest is timed "
                         "too, as 'before', on the same corpus")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and stores")
    ap.add_argument("--classifier-split", action="store_true",
                    help="only the classifier's and linker's CPU seconds by kind of study "
                         "(the part of the classifier no prefilter can spare)")
    ap.add_argument("--json", dest="json_out", default=None, help="also write results here")
    ap.add_argument("--_run", help=argparse.SUPPRESS)
    ap.add_argument("--_zip", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    ap.add_argument("--_registry", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.classifier_split:
        with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
            split = classifier_split(args.n, args.mix, args.code_only, Path(tmp), args.repeat)
        total = sum(p["classify_cpu"] for p in split.values())
        bare = sum(p["without_prefilters_cpu"] for p in split.values())
        print(f"classifier by kind of study, {args.n} studies, mix 1 in {args.mix}, "
              f"fastest of {args.repeat} (CPU s): classify {total:.2f} s (without the "
              f"prefilters {bare:.2f} s), link "
              f"{sum(p['link_cpu'] for p in split.values()):.2f} s")
        for kind, p in sorted(split.items(), key=lambda kv: -kv[1]["classify_cpu"]):
            print(f"  {kind:28} {p['studies']:6} studies  classify {p['classify_cpu']:6.2f} s "
                  f"({p['classify_cpu'] / p['studies'] * 1e6:5.0f} us each; without the "
                  f"prefilters {p['without_prefilters_cpu']:6.2f} s, "
                  f"{p['without_prefilters_cpu'] / p['studies'] * 1e6:5.0f} us)  "
                  f"link {p['link_cpu']:5.2f} s")
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(split, indent=2))
        return
    if args._run:  # inside a timed subprocess
        if args._run == "floor":
            print(json.dumps(floor(args._zip, args._out)))
            n = -1
        else:
            n = {"baseline": lambda: baseline_analyst(args._zip, args._out, args.cores),
                 "bound": lambda: bound(args._zip, args.cores),
                 "unzip": lambda: bound(args._zip, args.cores, decode=False)}[args._run]()
        print(n)
        return

    work = Path(tempfile.mkdtemp(prefix="ctatlas-bench-", dir=args.workdir))
    if args.stream_gb:
        need = int(args.stream_gb * 2.5e9)  # the export, and the store keeps each record
    else:
        need = args.n * 60_000  # generous: ~30 KB per study unzipped, zip + store + CSV
    free = shutil.disk_usage(work).free
    if free < need:
        shutil.rmtree(work)
        raise SystemExit(f"not enough free disk in {work.parent}: {free / 1e9:.1f} GB free, "
                         f"~{need / 1e9:.1f} GB needed")
    try:
        from ctatlas.store import ensure_store

        ensure_store(_atlas_url(work))  # outside the timed runs, as a user's atlas already is
        if args.stream_gb:
            stream_run(args, work)
            return
        if args.corpus:
            zip_path = Path(args.corpus)
            with zipfile.ZipFile(zip_path) as zf:
                raw_bytes = sum(i.file_size for i in zf.infolist())
            print(f"corpus: {zip_path} ({raw_bytes / 1e6:.0f} MB of JSON)", flush=True)
        else:
            zip_path = work / "ctg-studies.json.zip"
            t0 = time.perf_counter()
            raw_bytes = build_corpus(zip_path, args.n, level=args.level, mix=args.mix,
                                     code_every=args.code_only)
            print(f"corpus: {args.n} studies, one in {args.mix} with a cell-therapy trial's "
                  f"words, one in {args.code_only} naming a therapy only by its code, "
                  f"{raw_bytes / 1e6:.0f} MB of JSON, zip "
                  f"{zip_path.stat().st_size / 1e6:.0f} MB, built in "
                  f"{time.perf_counter() - t0:.0f}s; free disk before: {free / 1e9:.0f} GB",
                  flush=True)
        results = []
        checked = None
        if not args.check_only:
            skip = {s for s in args.skip.split(",") if s}
            if "baseline" not in skip and importlib.util.find_spec("pandas") is None:
                print("baseline skipped: pandas is not installed (pip install -e '.[bench]')")
                skip.add("baseline")
            global BEFORE
            BEFORE = args.before
            kinds = [k for k in ("startup", "unzip", "bound", "floor", "before", "ours",
                                 "baseline") if k not in skip and (k != "before" or BEFORE)]
            all_cores = [args.cores] if args.only_multicore else sorted({1, args.cores})
            for cores in all_cores:
                # in turns, so before, after and the bound share the machine's windows alike
                these = [k for k in kinds if cores == 1 or k not in ("floor", "startup")]
                for res in _interleaved(these, zip_path, work, cores, args.repeat, raw_bytes):
                    results.append(res)
                    print(json.dumps(res), flush=True)
            report(results)
        if args.check or args.check_only:
            checked = check(str(zip_path), str(work / "check.sqlite"))
            print("check against the unoptimised pipeline: "
                  f"{checked['same']} of {checked['studies']} records the same, "
                  f"{checked['n_differ']} differ, {checked['n_missing']} missing"
                  + (f"; first differences: {checked['differ'][:5]}" if checked["n_differ"]
                     else ""))
        if args.json_out:
            Path(args.json_out).write_text(json.dumps(
                {"n": args.n, "mix": args.mix, "code_only": args.code_only, "bytes": raw_bytes,
                 "results": results,
                 "check": checked}, indent=2))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _x(a: float, b: float) -> str:
    """``a / b`` as a ratio ("n/a" when ``b`` rounds to nothing, as on a tiny corpus)."""
    return f"{a / b:.2f}x" if b > 0 else "n/a"


def report(results: list[dict]) -> None:
    """The ratios, side by side."""
    by = {(r["kind"], r["cores"]): r for r in results}
    st = by.get(("startup", 1))
    if st:
        print(f"start-up (ctatlas with nothing to ingest): {st['seconds']:.2f}s")
    fl = by.get(("floor", 1))
    if fl:
        p = fl["parts"]
        print(f"floor (in one process): unzip {p['unzip']:.2f}s + decode of the fields used "
              f"{p['decode']:.2f}s + store writes {p['write']:.2f}s = {fl['floor_s']:.2f}s; "
              f"CPU {p['unzip_cpu']:.2f} + {p['decode_cpu']:.2f} + {p['write_cpu']:.2f} = "
              f"{fl['floor_cpu_s']:.2f}s")
    for cores in sorted({c for _, c in by}):
        o = by.get(("ours", cores))
        if not o:
            continue
        b = by.get(("baseline", cores))
        u = by.get(("bound", cores))
        z = by.get(("unzip", cores))
        line = f"cores={cores}: ctatlas {o['studies_per_s']}/s ({o['seconds']:.2f}s, " \
               f"CPU {o['cpu_s']:.2f}s)"
        if b:
            line += f", {_x(b['seconds'], o['seconds'])} the baseline's speed"
        if u:
            line += (f", {_x(o['seconds'], u['seconds'])} the bound's time "
                     f"({_x(o['cpu_s'], u['cpu_s'])} its CPU)")
        if st and u:
            line += f"; {_x(o['seconds'] - st['seconds'], u['seconds'])} without start-up"
        print(line)
        if fl and cores == 1:
            net = o["seconds"] - (st["seconds"] if st else 0)
            net_cpu = o["cpu_s"] - (st["cpu_s"] if st else 0)
            print(f"  ctatlas{' without start-up' if st else ''} is {_x(net, fl['floor_s'])} "
                  f"the floor's time, {_x(net_cpu, fl['floor_cpu_s'])} its CPU"
                  + (f" (the bound is {_x(u['seconds'], fl['floor_s'])} / "
                     f"{_x(u['cpu_s'], fl['floor_cpu_s'])} it)" if u else ""))
        if b and u:
            print(f"  ceiling: the bound itself is {_x(b['seconds'], u['seconds'])} the "
                  "baseline's speed" + (f", unzipping alone {_x(b['seconds'], z['seconds'])}"
                                        if z else ""))
    for cores in sorted({c for _, c in by}):
        o, b4 = by.get(("ours", cores)), by.get(("before", cores))
        u = by.get(("bound", cores))
        if o and b4:
            print(f"before -> after, cores={cores}: {b4['seconds']:.2f}s -> {o['seconds']:.2f}s "
                  f"({_x(o['seconds'], b4['seconds'])} the time), CPU {b4['cpu_s']:.2f}s -> "
                  f"{o['cpu_s']:.2f}s ({_x(o['cpu_s'], b4['cpu_s'])})"
                  + (f"; before: {_x(b4['seconds'], u['seconds'])} the bound's time, "
                     f"{_x(b4['cpu_s'], u['cpu_s'])} its CPU" if u else ""))
    o1, o2 = by.get(("ours", 1)), [by[k] for k in by if k[0] == "ours" and k[1] > 1]
    if o1 and o2:
        n = o2[0]["cores"]
        print(f"{n} processes take {_x(o2[0]['seconds'], o1['seconds'])} the "
              f"single-process time (CPU {o1['cpu_s']:.2f}s -> {o2[0]['cpu_s']:.2f}s)")
        if st:
            # start-up runs before any worker exists; the rest at best splits evenly
            ideal = st["seconds"] + (o1["seconds"] - st["seconds"]) / n
            print(f"  ideal with {n} processes (start-up {st['seconds']:.2f}s alone, the "
                  f"single process's rest split evenly, no added CPU): {ideal:.2f}s = "
                  f"{_x(ideal, o1['seconds'])} the single-process time; measured is "
                  f"{_x(o2[0]['seconds'], ideal)} that ideal")


if __name__ == "__main__":
    main()
