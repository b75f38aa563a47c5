"""Benchmark: ingest + classify a corpus shaped like the ClinicalTrials.gov bulk download.

    python benchmarks/trials_ingest.py --n 60000 --repeat 3          # medians of 3
    python benchmarks/trials_ingest.py --n 600000 --repeat 1
    python benchmarks/trials_ingest.py --n 2000 --repeat 1           # smoke run

It builds a zip of one JSON file per study (in folders, like ``ctg-studies.json.zip``) by
varying the 62 real API v2 study records in ``tests/fixtures/trials`` (new NCT ids, dates,
countries; one study in five gets the title and interventions of a real cell-therapy trial
from the labelled fixtures), then times, on the same corpus, single process and with
``--cores`` processes:

- ``ctatlas``: the real pipeline (``ctatlas.trials.ingest``: stream, inflate, decode,
  normalise, classify, write to a fresh SQLite trials store);
- ``baseline``: the plain approach an analyst writes (``baseline_analyst`` below, shipped as
  exact code): ``json.load`` of each member, fields flattened into a pandas DataFrame, regex
  over the text;
- ``bound``: only unzipping and decoding every study with the fastest decoder (orjson).

Each run is a fresh subprocess; peak memory is the largest total RSS of its process tree
(sampled every 50 ms). Free disk is checked before the corpus is written, and the corpus and
stores are deleted afterwards (``--keep`` keeps them).
"""

from __future__ import annotations

import argparse
import gzip
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


def build_corpus(path: Path, n: int, seed: int = 42, level: int = 6) -> int:
    """Write the zip; returns the uncompressed bytes of all studies."""
    import orjson

    rng = random.Random(seed)
    bases = [orjson.dumps(b) for b in _real_studies()]
    cells = _cell_rows()
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
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
            if i % 5 == 0:  # a real cell-therapy trial's words
                row = cells[rng.randrange(len(cells))]
                ps["identificationModule"]["briefTitle"] = row["BriefTitle"]
                ps.setdefault("descriptionModule", {})["briefSummary"] = row["BriefSummary"]
                ps.setdefault("armsInterventionsModule", {})["interventions"] = [
                    {"type": "BIOLOGICAL", "name": name} for name in row["Interventions"].split("|")
                ]
            data = orjson.dumps(s)
            total += len(data)
            zf.writestr(f"ctg-studies/{nct[:8]}/{nct}.json", data)
    return total


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


def _atlas_url(work: Path) -> str:
    return f"sqlite:///{work / 'atlas.sqlite'}"


def ours(zip_path: str, db_path: str, cores: int = 1) -> int:
    from ctatlas.store import ensure_store
    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.link import product_specs
    from ctatlas.trials.store import TrialStore

    store = TrialStore(f"sqlite:///{db_path}")
    # as ``ctatlas trials ingest`` does: link every trial to the atlas's products (the atlas
    # store is built by the harness before the timed runs, so this only checks it is fresh)
    atlas = ensure_store(_atlas_url(Path(db_path).parent))
    summary = ingest([zip_path], store, workers=cores, products=product_specs(atlas))
    if summary.problems:
        raise SystemExit(f"problems: {summary.problems[:3]}")
    return summary.records


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


def timed_run(kind: str, zip_path: Path, work: Path, cores: int) -> tuple[float, int, int]:
    """(seconds, peak tree RSS bytes, studies) of one run in a fresh subprocess."""
    out = work / f"out-{kind}-{cores}"
    if out.exists():
        out.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    cmd = [sys.executable, __file__, "--_run", kind, "--_zip", str(zip_path), "--_out", str(out),
           "--cores", str(cores)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
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
    done.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed ({proc.returncode})")
    return elapsed, peak, int(stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=60_000, help="studies in the corpus")
    ap.add_argument("--repeat", type=int, default=3, help="runs per configuration (median)")
    ap.add_argument("--cores", type=int, default=2, help="processes for the multi-core runs")
    ap.add_argument("--workdir", default=None, help="where to write the corpus (default: tmp)")
    ap.add_argument("--skip", default="",
                    help="comma list of kinds to skip: unzip,bound,ours,baseline")
    ap.add_argument("--only-multicore", action="store_true",
                    help="time only the --cores configuration (for the large corpus)")
    ap.add_argument("--level", type=int, default=6, help="deflate level of the corpus zip")
    ap.add_argument("--corpus", default=None,
                    help="time an existing corpus zip (built by an earlier --keep run) instead "
                         "of building one; it is not deleted")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and stores")
    ap.add_argument("--json", dest="json_out", default=None, help="also write results here")
    ap.add_argument("--_run", help=argparse.SUPPRESS)
    ap.add_argument("--_zip", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._run:  # inside a timed subprocess
        fn = {"ours": lambda: ours(args._zip, args._out, args.cores),
              "baseline": lambda: baseline_analyst(args._zip, args._out, args.cores),
              "bound": lambda: bound(args._zip, args.cores),
              "unzip": lambda: bound(args._zip, args.cores, decode=False)}[args._run]
        print(fn())
        return

    work = Path(tempfile.mkdtemp(prefix="ctatlas-bench-", dir=args.workdir))
    need = args.n * 60_000  # generous: ~30 KB per study unzipped, zip + store + CSV
    free = shutil.disk_usage(work).free
    if free < need:
        shutil.rmtree(work)
        raise SystemExit(f"not enough free disk in {work.parent}: {free / 1e9:.1f} GB free, "
                         f"~{need / 1e9:.1f} GB needed")
    try:
        if args.corpus:
            zip_path = Path(args.corpus)
            with zipfile.ZipFile(zip_path) as zf:
                raw_bytes = sum(i.file_size for i in zf.infolist())
            print(f"corpus: {zip_path} ({raw_bytes / 1e6:.0f} MB of JSON)", flush=True)
        else:
            zip_path = work / "ctg-studies.json.zip"
            t0 = time.perf_counter()
            raw_bytes = build_corpus(zip_path, args.n, level=args.level)
            print(f"corpus: {args.n} studies, {raw_bytes / 1e6:.0f} MB of JSON, zip "
                  f"{zip_path.stat().st_size / 1e6:.0f} MB, built in "
                  f"{time.perf_counter() - t0:.0f}s; free disk before: {free / 1e9:.0f} GB",
                  flush=True)
        skip = {s for s in args.skip.split(",") if s}
        from ctatlas.store import ensure_store

        ensure_store(_atlas_url(work))  # outside the timed runs, as a user's atlas already is
        results = []
        for kind in ("unzip", "bound", "ours", "baseline"):
            if kind in skip:
                continue
            for cores in [args.cores] if args.only_multicore else sorted({1, args.cores}):
                runs = [timed_run(kind, zip_path, work, cores) for _ in range(args.repeat)]
                secs = statistics.median(r[0] for r in runs)
                peak = max(r[1] for r in runs)
                n = runs[0][2]
                res = {"kind": kind, "cores": cores, "n": n, "seconds": round(secs, 2),
                       "runs": [round(r[0], 2) for r in runs],
                       "studies_per_s": round(n / secs),
                       "mb_per_s": round(raw_bytes / 1e6 / secs, 1),
                       "peak_rss_mb": round(peak / 1e6)}
                results.append(res)
                print(json.dumps(res), flush=True)
        by = {(r["kind"], r["cores"]): r for r in results}
        for cores in sorted({1, args.cores}):
            o = by.get(("ours", cores))
            if not o:
                continue
            b = by.get(("baseline", cores))
            u = by.get(("bound", cores))
            z = by.get(("unzip", cores))
            line = f"cores={cores}: ctatlas {o['studies_per_s']}/s"
            if b:
                line += f", {b['seconds'] / o['seconds']:.2f}x the baseline's speed"
            if u:
                line += f", {o['seconds'] / u['seconds']:.2f}x the bound's time"
            print(line)
            if b and u:
                print(f"  ceiling: the bound itself is {b['seconds'] / u['seconds']:.2f}x the "
                      "baseline's speed" + (f", unzipping alone {b['seconds'] / z['seconds']:.2f}x"
                                            if z else ""))
        if args.json_out:
            Path(args.json_out).write_text(json.dumps({"n": args.n, "bytes": raw_bytes,
                                                       "results": results}, indent=2))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
