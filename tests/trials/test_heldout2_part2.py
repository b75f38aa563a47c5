"""Held-out set 2, part 2 (issue 16, session 8): cell-therapy positives that are not CAR-T, with
the ordinary negatives of the same draw, labelled and committed before any rule change.

These tests only read the records and the labels; they never run the classifier (the set is
measured once, by totals, when the next rule change is judged)."""

from __future__ import annotations

import csv
import re

from ctatlas.trials.ctgov import normalise_flat_row, normalise_legacy_row
from ctatlas.trials.evaluate import load_fixture_trials, load_heldout, load_tuning
from ctatlas.trials.record import CELL_FAMILIES, ORIGINS

from .conftest import FIX

PART2 = FIX / "heldout2"
LABELS = ("cell_therapy", "acellular_cell_derived", "hsct_procedure", "not_cell")
HARD = {"coded", "pos", "acell", "lab", "mobil", "drug", "cond", "cytokine", "other"}
# the part's record files, by the form their rows are in
FILES = {
    "ctgov_legacy_csv": ("part2_ctgov_legacy_rows.csv", normalise_legacy_row),
    "ctgov_flat_csv": ("part2_car_t_monitor_rows.csv", normalise_flat_row),
}


def _labels() -> list[dict[str, str]]:
    with open(PART2 / "labels_part2.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _records() -> dict[tuple[str, str], tuple[dict[str, str], object]]:
    out = {}
    for form, (name, normalise) in FILES.items():
        with open(PART2 / name, newline="", encoding="utf-8") as fh:
            for raw in csv.DictReader(fh):
                t = normalise(raw)
                assert (form, t.trial_id) not in out, t.trial_id
                out[(form, t.trial_id)] = (raw, t)
    return out


def test_part2_holds_what_the_issue_asks_for():
    rows = _labels()
    assert len(rows) >= 140
    assert len({r["trial_id"] for r in rows}) == len(rows)
    positives = [r for r in rows if r["gold_label"] == "cell_therapy"]
    not_car_t = [r for r in positives if r["gold_family"] != "CAR_T"]
    assert len(not_car_t) >= 80
    assert sum(r["hard_class"] == "coded" for r in positives) >= 15
    for r in rows:
        assert r["gold_label"] in LABELS, r
        assert r["hard_class"] in HARD, r
        assert r["note"], r
        if r["gold_label"] == "cell_therapy":
            assert r["gold_family"] in ("", *CELL_FAMILIES), r
            assert r["gold_origin"] in ("", *ORIGINS), r
        else:
            assert not r["gold_family"] and not r["gold_origin"], r


def test_every_label_has_exactly_one_record_and_every_record_a_label():
    rows = _labels()
    records = _records()
    assert {(r["form"], r["trial_id"]) for r in rows} == set(records)
    for r in rows:
        raw, t = records[(r["form"], r["trial_id"])]
        assert t.title, r["trial_id"]
        # the label names where the row came from: the legacy row's search export, or the monitor
        where = raw["_search_file"] if r["form"] == "ctgov_legacy_csv" else raw["_monitor"]
        assert r["source_file"] == where, r["trial_id"]


def _ids(trials) -> set[str]:
    out: set[str] = set()
    for t in trials:
        out.add(t.trial_id)
        out.update(t.secondary_ids or [])
    return out


def test_no_part2_study_is_in_any_earlier_labelled_set():
    dev = load_fixture_trials(FIX)
    other = {k[1] for k in dev} | _ids(dev.values())
    other |= _ids(t for _, t in load_heldout(FIX))
    for name in ("tuning", "tuning2", "tuning3"):
        other |= _ids(t for _, t in load_tuning(FIX, name))
    for (_, trial_id), (raw, t) in _records().items():
        assert trial_id not in other, trial_id
        # a legacy row's other ids may name another registry's copy of the same study
        secondary = set(re.findall(r"NCT\d{8}", raw.get("Other IDs", "")))
        secondary.update(t.secondary_ids or [])
        assert not secondary & other, trial_id
