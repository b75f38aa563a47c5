"""Bounded work per record (issue 21, item 1): classification is linear in a record's size and
reads at most MAX_FIELD_CHARS per field; a record over the size cap is skipped, named and
counted while the rest lands. The hostile records are real fixture studies with a field
blown up here; the size cap is lowered for the test so the records stay small."""

from __future__ import annotations

import csv
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from ctatlas.trials import classify as classify_mod
from ctatlas.trials import classify_mentions, sources, zipstream
from ctatlas.trials import ingest as ingest_mod
from ctatlas.trials.ctgov import normalise_study
from ctatlas.trials.ingest import ingest

from .conftest import FIX, real_studies

UNIT = "mesenchymal stem cell lorem ipsum "  # the audit's record: mentions, no full stops


def _described() -> list[dict[str, Any]]:
    return [s for s in real_studies() if "descriptionModule" in s["protocolSection"]]


def _msc_study() -> dict[str, Any]:
    """A real study whose intervention is made a cell product."""
    study = json.loads(json.dumps(_described()[0]))
    study["protocolSection"]["armsInterventionsModule"]["interventions"] = [
        {"type": "BIOLOGICAL", "name": "Allogeneic mesenchymal stem cells"}
    ]
    return study


class _Counting:
    """Wraps a compiled pattern; counts the characters its ``search`` is given."""

    def __init__(self, rx: re.Pattern[str]) -> None:
        self.rx, self.calls, self.chars = rx, 0, 0

    def search(self, text: str, *args: Any) -> Any:
        self.calls += 1
        self.chars += len(text)
        return self.rx.search(text, *args)


@pytest.mark.parametrize("repeats", [400, 4000, 40000])
def test_classification_examines_bounded_text(
    repeats: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    study = _msc_study()
    study["protocolSection"]["descriptionModule"]["briefSummary"] = UNIT * repeats
    trial = normalise_study(study)
    # (the sentence around each mention is checked in the mention loop)
    counter = _Counting(classify_mentions.IN_VIVO_CAR)
    monkeypatch.setattr(classify_mentions, "IN_VIVO_CAR", counter)
    # the rules' bounded work: the wording model (which reads each field up to the same cut)
    # would take this made-up record's label away, its words are unlike any real study's
    result = classify_mod.classify(trial, wording=False)
    assert result.label == "cell_therapy"
    # one sentence check per mention, each on at most 2 x SENTENCE_REACH (+ the mention) ...
    assert counter.chars <= counter.calls * (2 * classify_mentions.SENTENCE_REACH + 200)
    # ... and only mentions within MAX_FIELD_CHARS of each field's start
    per_field = classify_mod.MAX_FIELD_CHARS // len(UNIT) + 1
    assert counter.calls <= 3 * per_field


def test_a_field_past_the_cap_is_read_up_to_it() -> None:
    study = _msc_study()
    summary = "A study of allogeneic cells. " + "Nothing to see here. " * 5000
    study["protocolSection"]["descriptionModule"]["briefSummary"] = summary
    whole = classify_mod.classify(normalise_study(study))
    study["protocolSection"]["descriptionModule"]["briefSummary"] = summary[
        : classify_mod.MAX_FIELD_CHARS
    ]
    cut = classify_mod.classify(normalise_study(study))
    assert (whole.label, whole.cell_family, whole.origin, whole.evidence) == (
        cut.label,
        cut.cell_family,
        cut.origin,
        cut.evidence,
    )


CAP = 256 * 1024  # over every fixture study, under the blown-up one


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    for module in (sources, ingest_mod, zipstream):
        monkeypatch.setattr(module, "MAX_RECORD_BYTES", CAP)
    return CAP


def _big(study: dict[str, Any]) -> dict[str, Any]:
    big = json.loads(json.dumps(study))
    big["protocolSection"]["descriptionModule"]["briefSummary"] = UNIT * (CAP // len(UNIT) + 10)
    big["protocolSection"]["identificationModule"]["nctId"] = "NCT99999998"
    return big


@pytest.mark.parametrize("form", ["jsonl", "jsonl.gz", "array", "file", "csv"])
def test_a_record_over_the_cap_is_skipped_named_counted(
    tmp_path: Path, store, small_cap: int, form: str
) -> None:
    studies = _described()[:6]
    assert max(len(json.dumps(s)) for s in studies) < CAP
    records = [*studies[:3], _big(studies[0]), *studies[3:]]
    if form in ("jsonl", "jsonl.gz"):
        path = tmp_path / f"studies.{form}"
        text = "".join(json.dumps(s) + "\n" for s in records).encode()
        path.write_bytes(gzip.compress(text) if form.endswith(".gz") else text)
        where = f"{path}:4"
    elif form == "array":
        path = tmp_path / "export.json"
        path.write_text(json.dumps(records))
        where = f"{path}[3]"
    elif form == "file":  # one study per file, in a folder
        path = tmp_path / "folder"
        path.mkdir()
        for s in records:
            nct = s["protocolSection"]["identificationModule"]["nctId"]
            (path / f"{nct}.json").write_text(json.dumps(s))
        where = str(path / "NCT99999998.json")
    else:  # a flattened ClinicalTrials.gov CSV with one giant cell
        source = FIX / "ctgov_legacy" / "mesenchymal_Cartistem.csv"
        with source.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        rows.insert(2, {**rows[0], "Conditions": "x" * (CAP + 10), "NCT Number": "NCT99999998"})
        path = tmp_path / "flat.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        where = f"{path}:4"
        records = rows
    summary = ingest([path], store)
    assert summary.records == len(records) - 1
    assert summary.skipped == 1
    (problem,) = summary.problems
    assert problem["name"] == where
    assert problem["reason"].startswith("record too large")
    assert "NCT99999998" not in {r["trial_id"] for r in store.query(label=None)}


@pytest.mark.parametrize("shape", ["one long line", "many cells", "quoted lines"])
def test_a_csv_row_over_the_cap_is_never_read_whole(
    tmp_path: Path, small_cap: int, shape: str
) -> None:
    """The csv module reads a whole line before it checks a field's size, and checks no row's
    total: a 16 MB row (64 times the cap here) must be dropped having held about one cap."""
    import tracemalloc

    source = FIX / "ctgov_legacy" / "mesenchymal_Cartistem.csv"
    with source.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    huge = 64 * small_cap
    giant = {**rows[0], "NCT Number": "NCT99999998"}
    cells = [c for c in giant if c != "NCT Number"]
    if shape == "one long line":
        giant["Conditions"] = "x" * huge
    elif shape == "many cells":  # every cell under the cap, the row far over it
        for c in cells:
            giant[c] = "y" * (huge // len(cells))
    else:  # one quoted cell over many lines
        giant["Conditions"] = ("z" * 1023 + "\n") * (huge // 1024)
    path = tmp_path / "flat.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([rows[0], giant, *rows[1:]])

    tracemalloc.start()
    try:
        out = list(sources._iter_csv(path, None))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    problems = [o for o in out if isinstance(o, sources.Problem)]
    items = [o for o in out if isinstance(o, sources.Item)]
    assert [p.name for p in problems] == [f"{path}:3"]
    assert problems[0].reason.startswith("record too large")
    assert len(items) == len(rows)  # the rows after it are all read
    lines_of_giant = 1 if shape != "quoted lines" else huge // 1024 + 1
    assert items[1].name == f"{path}:{2 + lines_of_giant + 1}"
    bound = 4 * small_cap + 4 * sources.READ_CHUNK  # the skip reads 1 MB chunks
    assert peak < bound < huge, f"held {peak} bytes for a cap of {small_cap}"
