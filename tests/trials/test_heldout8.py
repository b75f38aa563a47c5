"""Held-out set 8 (issue 16, session 15): its loader, what the set holds and that it stands
apart.

The set (``judge8/``) was drawn after held-out set 7's errors were read (spending it) and
before rules 16.24, written against them, landed: no rule and no model was written against it.
These tests never run the classifier on it and never show one of its label rows: they count and
compare ids and bytes (its figures are judged by ``benchmarks/trials_accuracy.py --heldout8``,
totals only). What every judged set must hold (the loader's refusals, well-formed labels, how
far it is from the floors) is in ``test_judged_sets.py``. Part b (engineer ``h8b``) landed after
part a: the tests of the whole set read both gold files.
"""

from __future__ import annotations

import collections
import csv
import io

import pytest

from ctatlas.trials.evaluate import (
    HELDOUT4,
    HELDOUT5,
    HELDOUT6,
    HELDOUT7,
    HELDOUT8,
    JUDGED_SETS,
    TUNING_SETS,
    _heldout3_ids,
    _record_ids,
    load_heldout8,
    load_tuning,
)
from ctatlas.trials.wording_train import TRAINING_SETS, load_set, load_training

from .conftest import FIX
from .judged_sets import HARD, checked_record_files, ids_of, part_ids, split_records

JUDGE = FIX / HELDOUT8
README = JUDGE / "README.md"
# part a's record files: the upstream header line each keeps, byte for byte, the line ending
# of every record in it, and how its records are cut from the file
PART_A_FILES = {
    # the current website CSV export as galactic-streamhub's data/ctg-studies.csv holds it
    # (9 columns, CRLF; records cut at newlines outside quotes)
    "a_ctgov_export_heme_rows.csv": (
        b"NCT Number,Study Title,Study URL,Study Status,Conditions,Interventions,"
        b"Sponsor,Collaborators,Study Type\r\n", b"\r\n", "quoted"),
    # the CAR-T monitor's flattened API v2 snapshot (LF; summaries span lines inside quotes)
    "a_ctgov_flat_onc_car_t_monitor_rows.csv": (
        b"NCTId,BriefTitle,OverallStatus,Phase,Conditions,Interventions,StartDate,"
        b"LastUpdatePostDate,EnrollmentCount,Countries,BriefSummary,LeadSponsor,"
        b"LeadSponsorClass,MinAge,MaxAge,StdAges,PrimaryEndpoints,Branch,DiseaseCategory,"
        b"DiseaseEntity,DiseaseEntities,TrialDesign,LLMOverride,TargetCategory,TargetSource,"
        b"ProductType,ProductTypeSource,ProductName,AgeGroup,SponsorType,"
        b"ClassificationConfidence,StartYear,SnapshotDate\n", b"\n", "quoted"),
    # the rheumatology CAR-T monitor's flattened API v2 snapshot (its own columns, LF)
    "a_ctgov_flat_rheum_car_t_monitor_rows.csv": (
        b"NCTId,BriefTitle,OverallStatus,Phase,Conditions,Interventions,StartDate,"
        b"LastUpdatePostDate,EnrollmentCount,EnrollmentType,Countries,BriefSummary,LeadSponsor,"
        b"LeadSponsorClass,MinAge,MaxAge,StdAges,PrimaryEndpoints,DiseaseEntities,TrialDesign,"
        b"DiseaseEntity,LLMOverride,TargetCategory,TargetSource,ProductType,ProductTypeSource,"
        b"ClassificationConfidence,SponsorType,AgeGroup,ProductName,StartYear,SnapshotDate\n",
        b"\n", "quoted"),
    # the legacy (2018) search-results CSV of B-cell lymphoma studies as BassKot/CT_Gov_B-Cell
    # keeps it (27 quoted columns, LF): one record a line, and one upstream record holds a
    # stray quote (``"Expanded Access":Treatment IND/Protocol"``), so it is cut by lines
    "a_ctgov_legacy_b_cell_rows.csv": (
        b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Conditions",'
        b'"Interventions","Outcome Measures","Sponsor/Collaborators","Gender","Age","Phases",'
        b'"Enrollment","Funded Bys","Study Type","Study Designs","Other IDs","Start Date",'
        b'"Primary Completion Date","Completion Date","First Posted","Results First Posted",'
        b'"Last Update Posted","Locations","Study Documents","URL"\n', b"\n", "lines"),
    # the monitors' earliest snapshots (draws 7 and 8): their own headers, fewer derived
    # columns than the last snapshots' (LF)
    "a_ctgov_flat_onc_car_t_monitor_0424_rows.csv": (
        b"NCTId,BriefTitle,OverallStatus,Phase,Conditions,Interventions,StartDate,"
        b"LastUpdatePostDate,EnrollmentCount,Countries,BriefSummary,LeadSponsor,"
        b"LeadSponsorClass,MinAge,MaxAge,StdAges,PrimaryEndpoints,Branch,DiseaseCategory,"
        b"DiseaseEntity,DiseaseEntities,TrialDesign,LLMOverride,TargetCategory,ProductType,"
        b"ProductTypeSource,ProductName,AgeGroup,SponsorType,ClassificationConfidence,StartYear,"
        b"SnapshotDate,TargetSource\n", b"\n", "quoted"),
    "a_ctgov_flat_rheum_car_t_monitor_0425_rows.csv": (
        b"NCTId,BriefTitle,OverallStatus,Phase,Conditions,Interventions,StartDate,"
        b"LastUpdatePostDate,EnrollmentCount,Countries,BriefSummary,LeadSponsor,"
        b"LeadSponsorClass,MinAge,MaxAge,StdAges,PrimaryEndpoints,DiseaseEntities,TrialDesign,"
        b"DiseaseEntity,LLMOverride,TargetCategory,TargetSource,ProductType,ProductTypeSource,"
        b"ClassificationConfidence,SponsorType,AgeGroup,ProductName,StartYear,SnapshotDate\n",
        b"\n", "quoted"),
    # a legacy search export of jesnyder/mapClinical's MSC search files (draw 9; 27 quoted
    # columns, CRLF, records cut at newlines outside quotes)
    "a_ctgov_legacy_msc_gvhd_rows.csv": (
        b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Conditions",'
        b'"Interventions","Outcome Measures","Sponsor/Collaborators","Gender","Age","Phases",'
        b'"Enrollment","Funded Bys","Study Type","Study Designs","Other IDs","Start Date",'
        b'"Primary Completion Date","Completion Date","First Posted","Results First Posted",'
        b'"Last Update Posted","Locations","Study Documents","URL"\r\n', b"\r\n", "quoted"),
    # the ten-column B-cell export (Danko711/Clinical-Trial-Classification, draw 10): the legacy
    # export's own ten quoted columns, CRLF, one record a line
    "a_ctgov_legacy_b_cell_10col_rows.csv": (
        b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Interventions",'
        b'"Phases","Results First Posted","URL"\r\n', b"\r\n", "quoted"),
}


# --------------------------------------------------------------------------- the loader


def test_it_is_neither_a_tuning_set_nor_a_training_set(tmp_path):
    # the tuning sets' loops (and the tests driven by TUNING_SETS) never reach it, the wording
    # model's training lists do not name it, and the trainer refuses it by name (whole or a
    # part) before any file is opened
    assert HELDOUT8 not in TUNING_SETS
    with pytest.raises(ValueError, match="tuning set must be one of"):
        load_tuning(FIX, HELDOUT8)
    assert not [n for n in TRAINING_SETS if n.startswith(HELDOUT8)]
    for name in (HELDOUT8, f"{HELDOUT8}_a"):
        with pytest.raises(ValueError, match=rf"training set '{name}' refused: held-out set"):
            load_set(tmp_path / "nowhere", name)
        with pytest.raises(ValueError, match="refused"):
            load_training(tmp_path / "nowhere", ["development", name])
    # it is the last of the judged sets, so every earlier one is kept apart from it
    assert JUDGED_SETS[-1] == HELDOUT8


# --------------------------------------------------------------------------- the real set


@pytest.fixture(scope="module")
def loaded():
    return load_heldout8(FIX)


def _records(name: str, data: bytes) -> list[bytes]:
    """The file's records, its header first, cut as the file's table entry says."""
    if PART_A_FILES.get(name, (b"", b"", "quoted"))[2] == "lines":
        return data.splitlines(keepends=True)
    return split_records(data)


def test_every_record_is_kept_byte_for_byte_and_labelled(loaded):
    """Each record file is its upstream header line and the drawn rows, cut from the upstream
    file at record boundaries (line endings kept), each row a study of the gold files and each
    gold row's study in it once; and every record file's SHA-256 is the one the README gives,
    so that a changed byte shows."""
    by_file, record_files = checked_record_files(JUDGE)
    for p, data in record_files:
        if p.name not in PART_A_FILES:  # a part b file: its own test names its header
            continue
        header, ending, _ = PART_A_FILES[p.name]
        lines = _records(p.name, data)
        assert lines[0] == header, p.name
        assert all(ln.endswith(ending) for ln in lines), p.name
        if ending == b"\n":
            assert b"\r\n" not in data, p.name
        # every cut record is one CSV record of the file's columns
        parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(parsed) == len(lines), p.name
        assert len({len(row) for row in parsed}) == 1, p.name
        ids = ids_of(data)
        assert len(ids) == len(set(ids)) == len(by_file[p.name]), p.name
        assert set(ids) == by_file[p.name], p.name


def test_part_a_is_in_its_own_files_and_says_what_it_holds(loaded):
    """Part a (haematology, oncology cell products, CAR-T and the studies around it) is read
    from its eight record files only, every note names one of its ten draws, and the README's
    summary of it gives its hard negatives and its cell therapies that are not CAR-T as counted
    here."""
    ids = part_ids(JUDGE, "gold_part_a.csv")
    rows = [r for r, _ in loaded if r["trial_id"] in ids]
    assert len(rows) == len(ids)
    assert {r["source_file"] for r in rows} == set(PART_A_FILES)
    assert {r["note"].rsplit("draw ", 1)[1] for r in rows} == {str(n) for n in range(1, 11)}
    hard = sum(r["hard_class"] in HARD for r in rows)
    non_car_t = sum(r["gold_label"] == "cell_therapy" and r["gold_family"] != "CAR_T"
                    for r in rows)
    body = README.read_text(encoding="utf-8").split("## Part a", 1)[1].split("\n## ", 1)[0]
    assert f"**Hard negatives: {hard}**" in body
    assert f"of which **{non_car_t} are not in family `CAR_T`**" in body


# part b's record files: the upstream header line each keeps, byte for byte, and the line
# ending of every record in it (records cut at newlines outside quotes)
_LEGACY_HEADER = (
    b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Conditions",'
    b'"Interventions","Outcome Measures","Sponsor/Collaborators","Gender","Age","Phases",'
    b'"Enrollment","Funded Bys","Study Type","Study Designs","Other IDs","Start Date",'
    b'"Primary Completion Date","Completion Date","First Posted","Results First Posted",'
    b'"Last Update Posted","Locations","Study Documents","URL"\r\n')
PART_B_FILES = {
    # the MSC search export (jesnyder/mapClinical) and the COVID-19 search export
    # (sametgumus212/coronavirus): legacy search-results CSVs, 27 quoted columns, CRLF
    "b_msc_legacy_rows.csv": (_LEGACY_HEADER, b"\r\n"),
    "b_covid_legacy_rows.csv": (_LEGACY_HEADER, b"\r\n"),
}


def test_part_b_is_in_its_own_files_kept_byte_for_byte(loaded):
    """Part b (everything but haematology and oncology) is read from its two record files only:
    each is its upstream header line and the drawn rows with their line endings, each row one
    record of the file's 27 columns, holding exactly the studies its gold rows name, each read
    as the legacy search-results form."""
    ids = part_ids(JUDGE, "gold_part_b.csv")
    rows = [r for r, _ in loaded if r["trial_id"] in ids]
    assert len(rows) == len(ids) > 0
    assert {r["form"] for r in rows} == {"ctgov_legacy_csv"}
    by_file = collections.defaultdict(set)
    for r in rows:
        by_file[r["source_file"]].add(r["trial_id"])
    assert set(by_file) == set(PART_B_FILES)
    for name, (header, ending) in PART_B_FILES.items():
        data = (JUDGE / name).read_bytes()
        lines = split_records(data)
        assert lines[0] == header, name
        assert all(ln.endswith(ending) for ln in lines), name
        parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(parsed) == len(lines), name
        assert {len(row) for row in parsed} == {27}, name
        found = ids_of(data)
        assert len(found) == len(set(found)) == len(by_file[name]), name
        assert set(found) == by_file[name], name


def test_part_b_says_what_it_holds(loaded):
    """Every note of part b names one of its five draws, and the README's summary of it gives
    its hard negatives and its cell therapies (none CAR-T) as counted here."""
    ids = part_ids(JUDGE, "gold_part_b.csv")
    rows = [r for r, _ in loaded if r["trial_id"] in ids]
    assert {r["note"].rsplit("draw ", 1)[1] for r in rows} == {"1", "2", "3", "4", "5"}
    hard = sum(r["hard_class"] in HARD for r in rows)
    cells = [r for r in rows if r["gold_label"] == "cell_therapy"]
    assert not [r for r in cells if r["gold_family"] == "CAR_T"]
    body = README.read_text(encoding="utf-8").split("## Part b", 1)[1].split("\n## ", 1)[0]
    assert f"**Hard negatives: {hard}**" in body
    assert f"**Positives: {len(cells)} `cell_therapy`, none CAR-T**" in body

def test_the_set_stands_apart_from_every_other_set(loaded):
    """No study of this set is in held-out set 7, 6, 5, 4 or 3 (their record files' ids; their
    gold files are not read here) or a tuning set (the loader compares every earlier set; this
    checks it did)."""
    mine = {t.trial_id for _, t in loaded}
    mine |= {s for _, t in loaded for s in (t.secondary_ids or [])}
    for name in (HELDOUT7, HELDOUT6, HELDOUT5, HELDOUT4):
        assert not mine & _record_ids(FIX / name, "gold_part"), name
    assert not mine & _heldout3_ids(FIX)
    for name in TUNING_SETS:
        assert not mine & {t.trial_id for _, t in load_tuning(FIX, name)}, name
