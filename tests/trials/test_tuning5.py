"""Tuning set 5 (issue 16, session 10): drawn from the current ClinicalTrials.gov CSV exports that
held-out set 3 (``judge3/``) came from, without any of its studies, labelled by one labeller
(``tuning5_labels_a.csv``) and read like tuning set 4.

These tests check that it loads, that its record files are the exports' own rows under the
exports' own header, what it holds (the README's table), that none of its studies is a study of
held-out set 3 (whose record files' ids only are read, never its gold files), and that the loader
refuses a study of held-out set 3 or of an earlier labelled set (the refusal tests build their
own small held-out set 3 in a temporary folder, with a gold file that cannot be read as labels,
and never read the real one's labels)."""

from __future__ import annotations

import collections
import csv
import re
import shutil

import pytest

from ctatlas.trials.evaluate import TUNING_SETS, load_tuning

from .conftest import FIX

LABELS = {"cell_therapy", "acellular_cell_derived", "hsct_procedure", "not_cell"}
CLASSES = {"acell", "lab", "mobil", "drug", "cond", "cytokine", "coded", "pos", "other"}
COLUMNS = ["trial_id", "form", "source_file", "gold_label", "gold_family", "gold_origin",
           "hard_class", "note"]
HEADER = "NCT Number,Study Title,"
FILES = {"urology": 2, "recent": 52, "phase1": 4, "mixed": 10, "alzheimer": 68}


def _rows() -> list[dict[str, str]]:
    with open(FIX / "tuning5" / "tuning5_labels_a.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def loaded():
    return load_tuning(FIX, "tuning5")


def test_every_label_has_its_record_of_the_current_export(loaded):
    assert "tuning5" in TUNING_SETS
    rows = _rows()
    assert [r["trial_id"] for r, _ in loaded] == [r["trial_id"] for r in rows]
    for r, t in loaded:
        assert r["trial_id"] == t.trial_id
        assert r["form"] == "ctgov_export_csv", r
        assert r["gold_label"] in LABELS, r
        assert r["hard_class"] in CLASSES, r
        assert r["note"].endswith(("draw 1", "draw 2")), r
        if r["gold_label"] == "cell_therapy":
            assert r["gold_origin"] in {"autologous", "allogeneic", "mixed", "unknown"}, r
        else:
            assert not r["gold_family"] and not r["gold_origin"], r
        assert t.title, r


def test_record_files_are_the_exports_rows_under_their_own_header(loaded):
    by_file = collections.Counter(r["source_file"] for r, _ in loaded)
    assert by_file == {f"ctgov_export_{n}_rows.csv": k for n, k in FILES.items()}
    for name in by_file:
        text = (FIX / "tuning5" / name).read_text(encoding="utf-8")
        assert text.startswith(HEADER), name
        with open(FIX / "tuning5" / name, newline="", encoding="utf-8") as fh:
            assert len(list(csv.DictReader(fh))) == by_file[name], name


def test_no_study_of_held_out_set_3_or_of_any_other_set():
    # held-out set 3 by its record files' ids only (its gold files are not opened here)
    judged = set()
    for p in (FIX / "judge3").glob("ctgov_export_*_rows.csv"):
        judged |= set(re.findall(r"NCT\d{8}", p.read_text(encoding="utf-8")))
    assert len(judged) > 500
    ids = {r["trial_id"] for r in _rows()}
    assert len(ids) == 136
    assert not ids & judged
    # nor any other file under tests/ (the draw's rule): the ids appear only in tuning5/
    others = set()
    for p in FIX.parent.parent.rglob("*"):
        if p.is_file() and "tuning5" not in p.parts and p.suffix in {".csv", ".json", ".py",
                                                                     ".jsonl", ".md", ".xml"}:
            others |= set(re.findall(r"NCT\d{8}", p.read_text(encoding="utf-8", errors="ignore")))
    assert not ids & others


def test_what_it_holds():
    rows = _rows()
    got = collections.Counter((r["gold_label"], r["hard_class"]) for r in rows)
    assert got == {
        ("cell_therapy", "pos"): 12, ("cell_therapy", "coded"): 3,
        ("acellular_cell_derived", "acell"): 2, ("not_cell", "cytokine"): 2,
        ("not_cell", "lab"): 27, ("not_cell", "other"): 90,
    }
    assert collections.Counter(r["note"][-6:] for r in rows) == {"draw 1": 120, "draw 2": 16}
    cells = [r for r in rows if r["gold_label"] == "cell_therapy"]
    assert collections.Counter(r["gold_family"] for r in cells) == {
        "": 5, "MSC": 4, "SVF_or_BMMNC": 3, "T_cell_other": 2, "HSC": 1}
    assert collections.Counter(r["gold_origin"] for r in cells) == {
        "unknown": 7, "autologous": 5, "allogeneic": 3}
    assert sum("arguable" in r["note"] for r in rows) == 7


def _root(tmp_path, labels: list[list[str]], judged_from: str | None = None):
    """A fixtures root beside the real one: every folder but tuning5 and judge3 linked; a
    tuning5 with the real record files and the given label rows; a small held-out set 3 whose
    record file is a copy of one of tuning5's (``judged_from``) and whose gold file is not CSV
    labels at all (a loader that read it would fail on it)."""
    root = tmp_path / "trials"
    root.mkdir(parents=True)
    for p in FIX.iterdir():
        if p.name not in ("tuning5", "judge3"):
            (root / p.name).symlink_to(p)
    (root / "tuning5").mkdir()
    for p in (FIX / "tuning5").glob("ctgov_export_*_rows.csv"):
        shutil.copy(p, root / "tuning5")
    with open(root / "tuning5" / "tuning5_labels_a.csv", "w", newline="",
              encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(labels)
    (root / "judge3").mkdir()
    (root / "judge3" / "gold_part1.csv").write_text("not labels\x00\n", encoding="utf-8")
    if judged_from:
        shutil.copy(FIX / "tuning5" / judged_from, root / "judge3")
    return root


def _label(source: str) -> list[str]:
    return list(next(r for r in _rows() if r["source_file"] == source).values())


def test_a_small_set_loads_without_reading_held_out_set_3s_gold_file(tmp_path):
    a, b = _label("ctgov_export_phase1_rows.csv"), _label("ctgov_export_urology_rows.csv")
    root = _root(tmp_path, [a, b], judged_from="ctgov_export_mixed_rows.csv")
    assert [t.trial_id for _, t in load_tuning(root, "tuning5")] == [a[0], b[0]]


def test_a_study_of_held_out_set_3_is_refused_by_id(tmp_path):
    a, b = _label("ctgov_export_phase1_rows.csv"), _label("ctgov_export_mixed_rows.csv")
    root = _root(tmp_path, [a, b], judged_from="ctgov_export_mixed_rows.csv")
    with pytest.raises(ValueError, match=rf"tuning5_labels_a.csv line 3: trial_id {b[0]} is in "
                                         r"held-out set 3 \(the judged set\) .*ids compared only"):
        load_tuning(root, "tuning5")


def test_a_study_of_an_earlier_set_is_refused(tmp_path):
    # a tuning set 4 study given a record in tuning5's folder
    with open(FIX / "tuning4" / "tuning4_labels_a.csv", newline="", encoding="utf-8") as fh:
        earlier = next(csv.DictReader(fh))["trial_id"]
    a = _label("ctgov_export_phase1_rows.csv")
    root = _root(tmp_path, [a, [earlier, *a[1:]]])
    path = root / "tuning5" / "ctgov_export_phase1_rows.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.split("\n") if line.startswith(a[0] + ","))
    path.write_text(text + row.replace(a[0], earlier) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"line 3: trial_id {earlier} is already in an "
                                         r"earlier labelled set"):
        load_tuning(root, "tuning5")
