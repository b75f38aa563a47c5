"""Tuning set 4 (issue 16, session 9): drawn from the legacy B-cell lymphoma export that held-out
set 2's part 1 came from, labelled in parts by two labellers (``tuning4_labels_a.csv``,
``tuning4_labels_b.csv``), and read like held-out set 2 (each row's record found by form and id
among the folder's record files).

These tests check that it loads, what part a holds, and that the loader refuses a study labelled
twice, a study without its record, and a study of the development set, an earlier labelled set
or held-out set 2 (compared by id only; the refusal tests build their own small held-out set 2 in
a temporary folder and never read the real one's records or labels)."""

from __future__ import annotations

import collections
import csv
import io
import json
import shutil

import pytest

from ctatlas.trials.evaluate import TUNING_SETS, load_tuning

from .conftest import FIX

LABELS = {"cell_therapy", "acellular_cell_derived", "hsct_procedure", "not_cell"}
CLASSES = {"acell", "lab", "mobil", "drug", "cond", "cytokine", "coded", "pos", "other"}
COLUMNS = ["trial_id", "form", "source_file", "gold_label", "gold_family", "gold_origin",
           "hard_class", "note"]


def _rows(name: str) -> list[dict[str, str]]:
    with open(FIX / "tuning4" / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def loaded():
    return load_tuning(FIX, "tuning4")


def test_every_label_of_every_part_has_its_record(loaded):
    assert "tuning4" in TUNING_SETS
    parts = sorted((FIX / "tuning4").glob("tuning4_labels*.csv"))
    assert "tuning4_labels_a.csv" in {p.name for p in parts}
    rows = [r for p in parts for r in _rows(p.name)]
    assert [r["trial_id"] for r, _ in loaded] == [r["trial_id"] for r in rows]
    assert all(r["trial_id"] == t.trial_id for r, t in loaded)
    for r, t in loaded:
        assert r["form"] == "ctgov_legacy_csv", r
        assert r["gold_label"] in LABELS, r
        assert r["hard_class"] in CLASSES, r
        assert r["note"], r
        if r["gold_label"] == "cell_therapy":
            assert r["gold_origin"] in {"autologous", "allogeneic", "mixed", "unknown"}, r
        else:
            assert not r["gold_family"] and not r["gold_origin"], r
        assert t.title, r


@pytest.mark.parametrize("part", ["a", "b"])
def test_each_part_is_the_exports_own_lines(part: str):
    """A part's record file holds the export's lines verbatim under its header: the legacy
    export's ten columns, ``Rank`` unquoted, one line a study, in the order of its label rows."""
    text = (FIX / "tuning4" / f"ctgov_legacy_rows_{part}.csv").read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == ('"Rank","NCT Number","Title","Acronym","Status","Study Results",'
                        '"Interventions","Phases","Results First Posted","URL"')
    assert lines[-1] == ""
    body = lines[1:-1]
    ids = [next(csv.reader([line]))[1] for line in body]
    labels = _rows(f"tuning4_labels_{part}.csv")
    assert ids == [r["trial_id"] for r in labels]
    assert all(line.split(",", 1)[0].isdigit() for line in body)
    assert {r["source_file"] for r in labels} == {f"ctgov_legacy_rows_{part}.csv"}


def test_part_a_holds_what_its_readme_counts():
    count = collections.Counter((r["gold_label"], r["hard_class"])
                                for r in _rows("tuning4_labels_a.csv"))
    assert count == {
        ("cell_therapy", "pos"): 26,
        ("cell_therapy", "coded"): 2,
        ("hsct_procedure", "cond"): 60,
        ("not_cell", "drug"): 22,
        ("not_cell", "cytokine"): 20,
        ("not_cell", "lab"): 9,
        ("not_cell", "mobil"): 3,
        ("not_cell", "other"): 55,
    }


def test_part_b_holds_what_its_readme_counts():
    rows = _rows("tuning4_labels_b.csv")
    count = collections.Counter((r["gold_label"], r["hard_class"]) for r in rows)
    assert count == {
        ("cell_therapy", "pos"): 23,
        ("cell_therapy", "coded"): 5,
        ("hsct_procedure", "cond"): 63,
        ("not_cell", "drug"): 13,
        ("not_cell", "cytokine"): 9,
        ("not_cell", "mobil"): 1,
        ("not_cell", "lab"): 14,
        ("not_cell", "other"): 68,
    }
    cells = [r for r in rows if r["gold_label"] == "cell_therapy"]
    assert collections.Counter(r["gold_origin"] for r in cells) == {
        "autologous": 5, "allogeneic": 9, "mixed": 1, "unknown": 13}
    assert collections.Counter(r["gold_family"] for r in cells) == {
        "CAR_T": 12, "NK": 5, "T_cell_other": 5, "HSC": 4, "": 2}


def _root(tmp_path, labels: list[list[str]], records: dict[str, str] | None = None,
          judged: dict[str, str] | None = None):
    """A fixtures root beside the real one: every folder but tuning4 and heldout2 linked; a
    tuning4 with part a's record file and the given label rows; a small held-out set 2 of the
    given files (never the real one)."""
    root = tmp_path / "trials"
    root.mkdir(parents=True)
    for p in FIX.iterdir():
        if p.name not in ("tuning4", "heldout2"):
            (root / p.name).symlink_to(p)
    (root / "tuning4").mkdir()
    shutil.copy(FIX / "tuning4" / "ctgov_legacy_rows_a.csv", root / "tuning4")
    for name, text in (records or {}).items():
        (root / "tuning4" / name).write_text(text, encoding="utf-8")
    with open(root / "tuning4" / "tuning4_labels_a.csv", "w", newline="",
              encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(labels)
    (root / "heldout2").mkdir()
    for name, text in (judged or {}).items():
        (root / "heldout2" / name).write_text(text, encoding="utf-8")
    return root


def _label(i: int = 0) -> list[str]:
    return list(_rows("tuning4_labels_a.csv")[i].values())


def _line(i: int = 0) -> tuple[str, str]:
    lines = (FIX / "tuning4" / "ctgov_legacy_rows_a.csv").read_text(encoding="utf-8").split("\n")
    return lines[0], lines[1 + i]


def test_a_small_set_loads(tmp_path):
    root = _root(tmp_path, [_label(0), _label(1)])
    got = load_tuning(root, "tuning4")
    assert [t.trial_id for _, t in got] == [_label(0)[0], _label(1)[0]]


def test_a_study_labelled_twice_is_refused(tmp_path):
    root = _root(tmp_path, [_label(0), _label(1), _label(0)])
    twice = (rf"tuning4_labels_a.csv line 4: trial_id {_label(0)[0]} is labelled twice "
             r"\(also in tuning4_labels_a.csv line 2\)")
    with pytest.raises(ValueError, match=twice):
        load_tuning(root, "tuning4")
    # across the two labellers' parts
    root = _root(tmp_path / "b", [_label(0)])
    with open(root / "tuning4" / "tuning4_labels_b.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerow(_label(0))
    with pytest.raises(ValueError, match=r"tuning4_labels_b.csv line 2: trial_id \S+ is labelled "
                                         r"twice \(also in tuning4_labels_a.csv line 2\)"):
        load_tuning(root, "tuning4")


def test_a_study_without_its_record_is_refused(tmp_path):
    root = _root(tmp_path, [_label(0), ["NCT99999999", *_label(0)[1:]]])
    with pytest.raises(ValueError, match="tuning4_labels_a.csv line 3: trial_id NCT99999999 has "
                                         "no ctgov_legacy_csv record"):
        load_tuning(root, "tuning4")


def _earlier_legacy_row(folder: str, labels: str, records: str) -> tuple[list[str], str]:
    """A label row of an earlier set, and its record line, as a part of tuning set 4 would
    hold them (the record under its own export's header)."""
    with open(FIX / folder / labels, newline="", encoding="utf-8") as fh:
        old = next(r for r in csv.DictReader(fh) if r["form"] == "ctgov_legacy_csv")
    with open(FIX / folder / records, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        record = next(r for r in reader if r["NCT Number"] == old["trial_id"])
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(record), lineterminator="\n")
    w.writeheader()
    w.writerow(record)
    row = [old["trial_id"], "ctgov_legacy_csv", "old_rows.csv", old["gold_label"],
           old["gold_family"], old["gold_origin"], old["hard_class"], old["note"]]
    return row, out.getvalue()


@pytest.mark.parametrize("folder, labels, records", [
    ("tuning3", "tuning3_labels.csv", "ctgov_legacy_mesenchymal_rows.csv"),
    ("heldout", "heldout_labels.csv", "ctgov_legacy_mesenchymal_rows.csv"),
])
def test_a_study_of_an_earlier_set_is_refused(tmp_path, folder, labels, records):
    row, text = _earlier_legacy_row(folder, labels, records)
    root = _root(tmp_path, [_label(0), row], records={"old_rows.csv": text})
    with pytest.raises(ValueError, match=f"tuning4_labels_a.csv line 3: trial_id {row[0]} is "
                                         "already in an earlier labelled set"):
        load_tuning(root, "tuning4")


def test_a_study_of_the_development_set_is_refused(tmp_path):
    # a real API v2 study of the development set, labelled into tuning set 4
    study = json.loads((FIX / "ctgov" / "NCT03630471.json").read_text())
    nct = study["protocolSection"]["identificationModule"]["nctId"]
    root = _root(tmp_path, [[nct, "ctgov_json", "dev.json", "not_cell", "", "", "other", "x"]],
                 records={"dev.json": json.dumps(study)})
    with pytest.raises(ValueError, match=f"line 2: trial_id {nct} is already in an earlier"):
        load_tuning(root, "tuning4")


def test_a_study_of_held_out_set_2_is_refused_by_id_or_secondary_id(tmp_path):
    header, line = _line(0)
    nct = _label(0)[0]
    # by id: the same study's record in the judged set
    root = _root(tmp_path, [_label(1), _label(0)],
                 judged={"judged_rows.csv": f"{header}\n{line}\n"})
    with pytest.raises(ValueError, match=rf"tuning4_labels_a.csv line 3: trial_id {nct} is in "
                                         rf"held-out set 2 \(the judged set\) \({nct}\); ids "
                                         "compared only"):
        load_tuning(root, "tuning4")
    # by secondary id: a judged API v2 record (a real one, given the tuning study's id as a
    # secondary id) shares an id with the tuning study
    study = json.loads((FIX / "ctgov" / "NCT03630471.json").read_text())
    ident = study["protocolSection"]["identificationModule"]
    ident["secondaryIdInfos"] = [*(ident.get("secondaryIdInfos") or []), {"id": nct}]
    root = _root(tmp_path / "b", [_label(0)], judged={"judged.json": json.dumps(study)})
    with pytest.raises(ValueError, match=rf"line 2: trial_id {nct} is in held-out set 2"):
        load_tuning(root, "tuning4")
    # the loader reads the judged set's record files only: its labels are not needed
    assert not list((root / "heldout2").glob("labels_part*.csv"))
