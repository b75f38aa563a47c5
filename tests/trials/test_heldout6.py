"""Held-out set 6 (issue 16, session 13): its loader, what the set holds and that it stands
apart.

The set (``judge6/``) was drawn while held-out set 5's errors were about to be read (spending
it) and rules 16.19 written against them, before any rule or model was written against it.
These tests never run the classifier on it and never show one of its label rows: they count
and compare ids (its figures are judged by ``benchmarks/trials_accuracy.py --heldout6``, totals
only). The loader's refusals are checked on small sets built here from other fixtures' real
rows.
"""

from __future__ import annotations

import collections
import json
import re

import pytest

from ctatlas.trials.evaluate import (
    HELDOUT4,
    HELDOUT5,
    HELDOUT6,
    TUNING_SETS,
    _heldout3_ids,
    _record_ids,
    load_heldout6,
    load_tuning,
)
from ctatlas.trials.wording_train import TRAINING_SETS, load_set

from .conftest import FIX
from .judged_sets import (
    HARD,
    checked_record_files,
    gold_rows,
    ids_of,
    part_ids,
    split_records,
)

JUDGE = FIX / HELDOUT6
README = JUDGE / "README.md"
# every record file of the set: the upstream header line it keeps, byte for byte, and the
# line ending of every record in it (part b adds its own files here)
RECORD_FILES = {
    # part a: the current website CSV export as galactic-streamhub's data/ctg-studies.csv
    # holds it (9 columns, CRLF) and the CAR-T monitor's flattened API v2 snapshot (LF)
    "a_ctgov_export_heme_rows.csv": (
        b"NCT Number,Study Title,Study URL,Study Status,Conditions,Interventions,"
        b"Sponsor,Collaborators,Study Type\r\n", b"\r\n"),
    "a_ctgov_flat_onc_car_t_monitor_rows.csv": (
        b"NCTId,BriefTitle,OverallStatus,Phase,Conditions,Interventions,StartDate,"
        b"LastUpdatePostDate,EnrollmentCount,Countries,BriefSummary,LeadSponsor,"
        b"LeadSponsorClass,MinAge,MaxAge,StdAges,PrimaryEndpoints,Branch,DiseaseCategory,"
        b"DiseaseEntity,DiseaseEntities,TrialDesign,LLMOverride,TargetCategory,TargetSource,"
        b"ProductType,ProductTypeSource,ProductName,AgeGroup,SponsorType,"
        b"ClassificationConfidence,StartYear,SnapshotDate\n", b"\n"),
    # part a: the legacy (pre-2023) search-results CSV of infection trials as
    # pepepancho19/bioestadistica keeps it (27 quoted columns, CRLF)
    "a_ctgov_legacy_infection_rows.csv": (
        b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Conditions",'
        b'"Interventions","Outcome Measures","Sponsor/Collaborators","Gender","Age","Phases",'
        b'"Enrollment","Funded Bys","Study Type","Study Designs","Other IDs","Start Date",'
        b'"Primary Completion Date","Completion Date","First Posted","Results First Posted",'
        b'"Last Update Posted","Locations","Study Documents","URL"\r\n', b"\r\n"),
}

# --------------------------------------------------------------------------- the loader


def test_it_is_not_a_tuning_set_and_the_model_trains_on_it_whole():
    # the tuning sets' loops (and the tests driven by TUNING_SETS) never reach it; since rules
    # 16.21 (spent in session 14) the wording model trains on it, whole, by its own name
    assert HELDOUT6 not in TUNING_SETS
    with pytest.raises(ValueError, match="tuning set must be one of"):
        load_tuning(FIX, HELDOUT6)
    assert [n for n in TRAINING_SETS if n.startswith(HELDOUT6)] == [HELDOUT6]
    assert [r["trial_id"] for r, _ in load_set(FIX, HELDOUT6)] == [
        r["trial_id"] for r, _ in load_heldout6(FIX)]


# --------------------------------------------------------------------------- the real set


@pytest.fixture(scope="module")
def loaded():
    return load_heldout6(FIX)


def test_every_record_is_kept_byte_for_byte_and_labelled(loaded):
    """Each record file is its upstream header line and the drawn rows, cut from the upstream
    file at record boundaries (line endings kept), each row a study of the gold files and each
    gold row's study in it once; and every record file's SHA-256 is the one the README gives,
    so that a changed byte shows."""
    by_file, record_files = checked_record_files(JUDGE)
    for p, data in record_files:
        if p.name not in RECORD_FILES:  # a part b file: its own test names its header
            continue
        header, ending = RECORD_FILES[p.name]
        lines = split_records(data)
        assert lines[0] == header, p.name
        assert all(ln.endswith(ending) for ln in lines), p.name
        if ending == b"\n":
            assert b"\r\n" not in data, p.name
        ids = ids_of(data)
        assert len(ids) == len(set(ids)) == len(by_file[p.name]), p.name
        assert set(ids) == by_file[p.name], p.name


def test_part_a_is_in_its_own_files_and_says_what_it_holds(loaded):
    """Part a (haematology, transplant, donor cells, oncology cell products) is read from its
    three record files only, and the README's summary of it gives its hard negatives and its
    cell therapies that are not CAR-T as counted here."""
    ids = part_ids(JUDGE, "gold_part_a.csv")
    rows = [r for r, _ in loaded if r["trial_id"] in ids]
    assert len(rows) == len(ids)
    assert {r["source_file"] for r in rows} == {n for n in RECORD_FILES if n.startswith("a_")}
    hard = sum(r["hard_class"] in HARD for r in rows)
    non_car_t = sum(r["gold_label"] == "cell_therapy" and r["gold_family"] != "CAR_T"
                    for r in rows)
    body = README.read_text(encoding="utf-8").split("## Part a", 1)[1].split("\n## ", 1)[0]
    assert f"**Hard negatives: {hard}**" in body
    assert f"of which **{non_car_t} are not in family `CAR_T`**" in body


def test_the_set_stands_apart_from_every_other_set(loaded):
    """No study of this set is in held-out set 5, 4 or 3 (their record files' ids; their gold
    files are not read here) or a tuning set (the loader compares every earlier set; this
    checks it did)."""
    mine = {t.trial_id for _, t in loaded}
    mine |= {s for _, t in loaded for s in (t.secondary_ids or [])}
    assert not mine & _record_ids(FIX / HELDOUT5, "gold_part")
    assert not mine & _record_ids(FIX / HELDOUT4, "gold_part")
    assert not mine & _heldout3_ids(FIX)
    for name in TUNING_SETS:
        assert not mine & {t.trial_id for _, t in load_tuning(FIX, name)}, name


# part b's record files: for each CSV its upstream header line and the line ending of every
# record; the CRIS list is a JSON array of the upstream objects cut byte for byte (two-space
# indent, LF, no final newline, as upstream)
PART_B_FILES = {
    # the legacy (pre-2023) search-results CSV of the search "mesenchymal stem OR mesenchymal
    # stromal" as jesnyder/mapClinical keeps it (27 quoted columns, CRLF)
    "b_msc_legacy_rows.csv": (
        b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Conditions",'
        b'"Interventions","Outcome Measures","Sponsor/Collaborators","Gender","Age","Phases",'
        b'"Enrollment","Funded Bys","Study Type","Study Designs","Other IDs","Start Date",'
        b'"Primary Completion Date","Completion Date","First Posted","Results First Posted",'
        b'"Last Update Posted","Locations","Study Documents","URL"\r\n', b"\r\n"),
    # the current website export of COVID-19 studies (11 columns, LF)
    "b_covid_export_rows.csv": (
        b"NCT Number,Study Title,Study URL,Study Status,Conditions,Interventions,Sponsor,"
        b"Collaborators,Sex,Age,Study Type\n", b"\n"),
    # the current website export of pragmatic trials with the brief summary (22 columns, LF;
    # summaries span lines inside quotes)
    "b_pragmatic_export_rows.csv": (
        b"NCT Number,Study Title,Study Status,Brief Summary,Study Results,Conditions,"
        b"Interventions,Primary Outcome Measures,Sex,Age,Phases,Enrollment,Funder Type,"
        b"Study Type,Study Design,Start Date,Primary Completion Date,Completion Date,"
        b"First Posted,Results First Posted,Last Update Posted,Locations\n", b"\n"),
}
PART_B_CRIS = "b_cris_list_rows.json"


def test_part_b_records_keep_their_upstream_form(loaded):
    """Part b's CSV files are their upstream header and rows with the upstream line ends; the
    CRIS file is a JSON array of whole upstream objects; each holds exactly the gold file's
    studies of it, once."""
    by_file = collections.defaultdict(set)
    for r in gold_rows(JUDGE):
        by_file[r["source_file"]].add(r["trial_id"])
    for name, (header, ending) in PART_B_FILES.items():
        data = (JUDGE / name).read_bytes()
        lines = split_records(data)
        assert lines[0] == header, name
        assert all(ln.endswith(ending) for ln in lines), name
        if ending == b"\n":
            assert b"\r\n" not in data, name
        ids = ids_of(data)
        assert len(ids) == len(set(ids)) == len(by_file[name]) > 0, name
        assert set(ids) == by_file[name], name
    data = (JUDGE / PART_B_CRIS).read_bytes()
    assert data.startswith(b"[\n  {\n") and data.endswith(b"\n  }\n]"), PART_B_CRIS
    assert b"\r" not in data
    objects = re.findall(rb"(?ms)^  \{\n.*?^  \}", data)
    assert data == b"[\n" + b",\n".join(objects) + b"\n]"
    ids = [json.loads(o)["trial_id"] for o in objects]
    assert len(ids) == len(set(ids)) == len(by_file[PART_B_CRIS]) > 0
    assert set(ids) == by_file[PART_B_CRIS]


def test_part_b_is_what_the_brief_asks_of_it(loaded):
    """Part b (everything but haematology and oncology) is read from its four record files
    only, holds at least 50 hard negatives and 30 cell therapies that are not CAR-T, and the
    README's summary of it gives both as counted here."""
    ids = part_ids(JUDGE, "gold_part_b.csv")
    rows = [r for r, _ in loaded if r["trial_id"] in ids]
    assert len(rows) == len(ids)
    assert {r["source_file"] for r in rows} == set(PART_B_FILES) | {PART_B_CRIS}
    hard = sum(r["hard_class"] in HARD for r in rows)
    non_car_t = sum(r["gold_label"] == "cell_therapy" and r["gold_family"] != "CAR_T"
                    for r in rows)
    assert hard >= 50
    assert non_car_t >= 30
    body = README.read_text(encoding="utf-8").split("## Part b", 1)[1].split("\n## ", 1)[0]
    assert f"**Hard negatives: {hard}**" in body
    assert f"**Positives: {non_car_t} `cell_therapy`, none CAR-T**" in body
    assert sum(r["gold_family"] == "CAR_T" for r in rows) == 0
