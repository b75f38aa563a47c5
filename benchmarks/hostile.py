"""Benchmark: work on hostile input grows linearly (issue 21, items 1, 2 and 6).

Prints figures and the ratios that matter; asserts nothing. Run:

    .venv/bin/python benchmarks/hostile.py

* classification of a study whose summary is "mesenchymal stem cell lorem ipsum " repeated,
  without full stops and with them, at 16 KB, 128 KB and 1 MB (the audit: 16-20 s at 128 KB
  without stops, over 10 minutes at 1 MB);
* ``validate`` of one product file with 250, 500 and 1,000 problems (the audit: 30, 80 and
  249 s);
* reading a zip holding a 2 GB member of zeros between real studies, written to a pipe
  (sizes after the data): time and the reader's peak memory (the audit: 4 GB).

The records are the real fixture records, blown up here.
"""

from __future__ import annotations

import copy
import io
import json
import shutil
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
UNIT = "mesenchymal stem cell lorem ipsum "


def _studies() -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((FIX / "trials" / "ctgov").glob("*.json"))]


def classification() -> None:
    from ctatlas.trials.classify import classify
    from ctatlas.trials.ctgov import normalise_study

    base = next(s for s in _studies() if "descriptionModule" in s["protocolSection"])
    base["protocolSection"]["armsInterventionsModule"]["interventions"] = [
        {"type": "BIOLOGICAL", "name": "Allogeneic mesenchymal stem cells"}
    ]
    print("classification (seconds): size, no full stops, with full stops, ratio")
    per_kb = []
    for size in (16 * 1024, 128 * 1024, 1024 * 1024):
        times = []
        for unit in (UNIT, UNIT + ". "):
            study = copy.deepcopy(base)
            study["protocolSection"]["descriptionModule"]["briefSummary"] = unit * (
                size // len(unit)
            )
            trial = normalise_study(study)
            t0 = time.perf_counter()
            classify(trial)
            times.append(time.perf_counter() - t0)
        per_kb.append(times[0] / (size / 1024))
        print(f"  {size // 1024:5d} KB  {times[0]:.3f}  {times[1]:.3f}  {times[0] / times[1]:.2f}")
    print(f"  time per KB, 1 MB vs 16 KB: {per_kb[2] / per_kb[0]:.2f} (below 1: bounded)")


def validation() -> None:
    from ctatlas import yamlio
    from ctatlas.dataset import validate_dataset

    print("validate, one file with N problems (seconds)")
    results = []
    for n in (250, 500, 1000):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "data"
            shutil.copytree(FIX / "data", root)
            path = root / "products" / "maci.yaml"
            doc = yamlio.load_text(path.read_text(encoding="utf-8"))
            auth = doc["authorizations"][0]
            doc["authorizations"] = [{**auth, "status": "live"} for _ in range(n)]
            path.write_text(yamlio.dump_canonical(doc), encoding="utf-8")
            t0 = time.perf_counter()
            _, problems = validate_dataset(root)
            results.append(time.perf_counter() - t0)
            print(f"  {n:5d} asked, {len(problems):5d} problems: {results[-1]:.2f}")
    print(f"  1,000 vs 250: {results[2] / results[0]:.1f}x (4x: linear)")


class _Pipe(io.RawIOBase):
    def __init__(self, sink: io.BufferedWriter) -> None:
        self.sink = sink

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def]
        return self.sink.write(b)


def zip_bomb(gigabytes: float = 2.0) -> None:
    from ctatlas.trials.sources import Item, iter_items

    studies = _studies()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.zip"
        with open(path, "wb") as out, zipfile.ZipFile(_Pipe(out), "w", zipfile.ZIP_DEFLATED) as zf:
            for s in studies[:3]:
                zf.writestr(f"a/{s['protocolSection']['identificationModule']['nctId']}.json",
                            json.dumps(s))
            with zf.open("a/NCT99999999.json", "w", force_zip64=True) as fh:
                block = b"\0" * (16 << 20)
                for _ in range(int(gigabytes * 1024 / 16)):
                    fh.write(block)
            for s in studies[3:6]:
                zf.writestr(f"a/{s['protocolSection']['identificationModule']['nctId']}.json",
                            json.dumps(s))
        tracemalloc.start()
        t0 = time.perf_counter()
        items = list(iter_items([path]))
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        kept = sum(isinstance(i, Item) for i in items)
        print(f"zip bomb: {path.stat().st_size / 1e6:.1f} MB zip, {gigabytes:.0f} GB member: "
              f"{kept} studies read, {len(items) - kept} refused, {elapsed:.1f} s, "
              f"peak {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    classification()
    validation()
    zip_bomb(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)
