"""The held-out set: what it holds, and the classifier's figures on it pinned (a regression fails).

The figures are floors at the level reached (see ``benchmarks/TRIALS.md``). Half B's failures
are reported as totals only: its records are never read while tuning.
"""

from __future__ import annotations

import csv
import hashlib

import pytest

from ctatlas.trials.evaluate import (
    evaluate,
    evaluate_heldout,
    evaluate_tuning,
    load_fixture_trials,
    load_heldout,
)

from .conftest import FIX

HARD = {"acell", "lab", "mobil", "drug", "cond", "cytokine"}


def _labels() -> list[dict[str, str]]:
    with open(FIX / "heldout" / "heldout_labels.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_held_out_set_is_what_the_issue_asks_for():
    rows = _labels()
    assert len(rows) >= 300
    negatives = [r for r in rows if r["gold_label"] != "cell_therapy"]
    assert sum(r["hard_class"] in HARD for r in negatives) >= 100
    positives = [r for r in rows if r["gold_label"] == "cell_therapy"]
    assert sum(r["gold_family"] != "CAR_T" for r in positives) >= 60
    # Korean / Japanese products named only by a code are among them
    assert sum(r["hard_class"] == "coded" for r in positives) >= 30
    assert {r["form"] for r in rows} == {"ctgov_legacy_csv", "ctgov_flat_csv", "ictrp_csv"}
    # each label is one of the classifier's, families and origins only on cell therapies
    for r in rows:
        assert r["gold_label"] in {
            "cell_therapy", "acellular_cell_derived", "hsct_procedure", "not_cell"
        }, r
        if r["gold_label"] != "cell_therapy":
            assert not r["gold_family"] and not r["gold_origin"], r


def test_no_held_out_study_is_in_the_development_set():
    dev = load_fixture_trials(FIX)
    dev_ids = {k[1] for k in dev} | {t.trial_id for t in dev.values()}
    for t in dev.values():
        dev_ids.update(t.secondary_ids or [])
    held = {r["trial_id"] for r in _labels()}
    assert len(held) == len(_labels())  # one row per study
    assert not held & dev_ids


def test_halves_are_split_by_a_hash_of_the_id():
    rows = _labels()
    for r in rows:
        even = hashlib.sha256(r["trial_id"].encode()).digest()[0] % 2 == 0
        assert r["half"] == ("A" if even else "B"), r["trial_id"]
    a = load_heldout(FIX, "A")
    b = load_heldout(FIX, "B")
    assert len(a) + len(b) == len(rows)
    assert 0.4 < len(a) / len(rows) < 0.6
    # every record is there and normalises to the labelled id
    assert all(r["trial_id"] == t.trial_id for r, t in a + b)


def test_a_bad_half_is_refused():
    with pytest.raises(ValueError, match="half must be"):
        evaluate_heldout(FIX, "C")


# Floors at the level reached, with the atlas's terms; raise them when the classifier improves
# (benchmarks/TRIALS.md). Origin agreement is against labels read from the record only: an
# origin the atlas supplies where the record says nothing (the label says unknown) is not
# counted against it; how many the atlas supplies is a floor of its own ("atlas"). The atlas
# grows (more programs, more codes): floors, not exact figures.
FLOORS = {
    # family 0.96 -> 0.94 at rules 16.15: agreement is unchanged (150), but two more true
    # positives are products whose rows name only a code (ADI-001 after "LD regimens", SC262
    # by its "cellular kinetics"), family "other" where the labels (from the literature) say
    # CAR_T: 150/156 -> 150/158
    "dev": {"precision": 0.99, "recall": 0.96, "family": 0.94, "origin": 0.58, "atlas": 27},
    "A": {"precision": 0.99, "recall": 0.96, "family": 0.99, "origin": 0.99, "atlas": 11},
    # half B is tuning data since its errors were read (rules 16.11 were written against them)
    "B": {"precision": 0.99, "recall": 0.99, "family": 0.97, "origin": 0.95, "atlas": 11},
    "tuning": {"precision": 0.98, "recall": 0.88, "family": 0.95, "origin": 0.93, "atlas": 8},
    "tuning2": {"precision": 0.99, "recall": 0.99, "family": 0.97, "origin": 0.0, "atlas": 20},
    "tuning3": {"precision": 0.99, "recall": 0.98, "family": 0.97, "origin": 0.95, "atlas": 11},
    # drawn from the export held-out set 2's part 1 came from; rules 16.12 were written against
    # it (its 3 false negatives name no cell in the row: benchmarks/TRIALS.md (n))
    "tuning4": {"precision": 0.99, "recall": 0.94, "family": 0.95, "origin": 0.94, "atlas": 0},
}


@pytest.mark.parametrize("name", ["dev", "A", "B", "tuning", "tuning2", "tuning3", "tuning4"])
def test_figures_hold(name, atlas_terms):
    if name == "dev":
        ev = evaluate(FIX, atlas_terms)
    elif name in ("tuning", "tuning2", "tuning3", "tuning4"):
        ev = evaluate_tuning(FIX, atlas_terms, name)
    else:
        ev = evaluate_heldout(FIX, name, atlas_terms)
    floor = FLOORS[name]
    totals = f"tp={ev.tp} fp={ev.fp} fn={ev.fn} tn={ev.tn}"
    # plain numbers: a failing assert must print totals only, never half B's records
    precision, recall = ev.precision, ev.recall
    assert precision >= floor["precision"], totals
    assert recall >= floor["recall"], totals
    family, family_checked = ev.family_agreement, ev.family_checked
    assert family >= floor["family"] * family_checked, f"{family}/{family_checked}"
    agreed = ev.origin_agreement + ev.origin_from_atlas_gold_unknown
    origin_checked, from_atlas = ev.origin_checked, ev.origin_from_atlas
    assert agreed >= floor["origin"] * origin_checked, f"{agreed}/{origin_checked}"
    assert from_atlas >= floor["atlas"], from_atlas


def test_the_atlas_codes_recognise_code_only_products_on_half_a(atlas_terms):
    """Code-only Korean and Japanese products of half A that the text rules miss."""
    without = evaluate_heldout(FIX, "A")
    with_codes = evaluate_heldout(FIX, "A", atlas_terms)
    assert with_codes.tp > without.tp and with_codes.fp <= without.fp
    missed = {tid for tid, _ in without.false_negatives}
    found = missed - {tid for tid, _ in with_codes.false_negatives}
    assert found  # e.g. CS20AT04 and EN001 trials
