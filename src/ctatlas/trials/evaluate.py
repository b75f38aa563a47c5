"""Precision and recall of the ``cell_therapy`` label on a labelled set.

The labelled set is ``labelled_trials.csv`` beside the real records it names (the layout of
``tests/fixtures/trials``). Used by the test that holds the targets and by
``benchmarks/trials_accuracy.py``, which prints the figures.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from .classify import apply
from .ctgov import normalise_flat_row, normalise_legacy_row, normalise_study
from .record import Trial
from .registries import normalise_cris, normalise_ictrp

__all__ = ["Evaluation", "evaluate", "load_fixture_trials"]


def load_fixture_trials(folder: Path) -> dict[tuple[str, str], Trial]:
    """Every fixture record as a Trial, keyed by (labelled-set source, trial id)."""
    out: dict[tuple[str, str], Trial] = {}
    for f in sorted((folder / "ctgov").glob("*.json")):
        t = normalise_study(json.loads(f.read_text()))
        out[("ctgov_json", t.trial_id)] = t
    for s in json.loads((folder / "ctgov_export" / "ctg-studies_10.json").read_text()):
        t = normalise_study(s)
        out[("ctgov_json", t.trial_id)] = t
    with gzip.open(folder / "ctgov_export" / "ctg-studies_50_rest.jsonl.gz", "rt") as fh:
        for line in fh:
            t = normalise_study(json.loads(line))
            out[("ctgov_json", t.trial_id)] = t
    for f in sorted((folder / "ctgov_legacy").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(f.read_text(encoding="utf-8-sig"))):
            t = normalise_legacy_row(row)
            out[("ctgov_legacy_csv", t.trial_id)] = t
    with open(folder / "ctgov_flat" / "car_t_trials_labelled_subset.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            t = normalise_flat_row(row)
            out[("ctgov_flat_csv", t.trial_id)] = t
    for rec in json.loads((folder / "cris" / "cris_list_api_20260203_subset.json").read_text()):
        t = normalise_cris(rec)
        out[("cris_json", t.trial_id)] = t
    with open(
        folder / "ictrp" / "ictrp_main_sample_processed.csv", newline="", encoding="utf-8-sig"
    ) as fh:
        for row in csv.DictReader(fh):
            t = normalise_ictrp(row)
            raw = row.get("TrialID", "")
            out[("ictrp_csv", raw)] = t
    return out


@dataclass
class Evaluation:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    label_agreement: int = 0
    family_checked: int = 0
    family_agreement: int = 0
    origin_checked: int = 0
    origin_agreement: int = 0
    false_positives: list[tuple[str, str, list[dict[str, str]]]] = field(default_factory=list)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    other_disagreements: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(folder: Path) -> Evaluation:
    trials = load_fixture_trials(folder)
    ev = Evaluation()
    with open(folder / "labelled_trials.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            t = trials.get((row["source"], row["trial_id"]))
            if t is None:
                raise KeyError(f"labelled trial {row['trial_id']} ({row['source']}) has no record")
            apply(t)
            ev.n += 1
            gold = row["gold_label"]
            pred = t.label
            if gold == pred:
                ev.label_agreement += 1
            elif gold != "cell_therapy" and pred != "cell_therapy":
                ev.other_disagreements.append((row["trial_id"], gold, pred))
            if gold == "cell_therapy" and pred == "cell_therapy":
                ev.tp += 1
                if row["gold_family"]:
                    ev.family_checked += 1
                    ev.family_agreement += row["gold_family"] == t.cell_family
                if row["gold_origin"]:
                    ev.origin_checked += 1
                    ev.origin_agreement += row["gold_origin"] == t.origin
            elif pred == "cell_therapy":
                ev.fp += 1
                ev.false_positives.append((row["trial_id"], t.title, t.evidence))
            elif gold == "cell_therapy":
                ev.fn += 1
                ev.false_negatives.append((row["trial_id"], t.title))
            else:
                ev.tn += 1
    return ev
