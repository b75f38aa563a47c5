"""Held-out set 5 (issue 16, session 13): its loader, what the set holds and that it stands
apart.

The set (``judge5/``) was drawn while half B of held-out set 4 was the only unspent judge left,
before any rule or model was written against it. These tests never run the classifier on it
and never show one of its label rows: they count and compare ids (its figures are judged by
``benchmarks/trials_accuracy.py --heldout5``, totals only). The loader's refusals are checked on
small sets built here from other fixtures' real rows.
"""

from __future__ import annotations

import pytest

from ctatlas.trials.evaluate import (
    HELDOUT4,
    HELDOUT5,
    TUNING_SETS,
    _heldout3_ids,
    _record_ids,
    load_heldout5,
    load_tuning,
)

from .conftest import FIX
from .judged_sets import (
    HARD,
    checked_record_files,
    ids_of,
    part_ids,
    split_records,
)

JUDGE = FIX / HELDOUT5
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
    # part b: the legacy (pre-2023) search-results CSV of the search "mesenchymal stem OR
    # mesenchymal stromal" as jesnyder/mapClinical keeps it (27 quoted columns, CRLF); the
    # current export of Alzheimer's studies (9 columns, CRLF); the current export of pragmatic
    # trials with the brief summary (22 columns, LF; summaries span lines inside quotes)
    "b_msc_legacy_rows.csv": (
        b'"Rank","NCT Number","Title","Acronym","Status","Study Results","Conditions",'
        b'"Interventions","Outcome Measures","Sponsor/Collaborators","Gender","Age","Phases",'
        b'"Enrollment","Funded Bys","Study Type","Study Designs","Other IDs","Start Date",'
        b'"Primary Completion Date","Completion Date","First Posted","Results First Posted",'
        b'"Last Update Posted","Locations","Study Documents","URL"\r\n', b"\r\n"),
    "b_alzheimer_export_rows.csv": (
        b"NCT Number,Study Title,Study URL,Study Status,Conditions,Interventions,"
        b"Sponsor,Collaborators,Study Type\r\n", b"\r\n"),
    "b_pragmatic_export_rows.csv": (
        b"NCT Number,Study Title,Study Status,Brief Summary,Study Results,Conditions,"
        b"Interventions,Primary Outcome Measures,Sex,Age,Phases,Enrollment,Funder Type,"
        b"Study Type,Study Design,Start Date,Primary Completion Date,Completion Date,"
        b"First Posted,Results First Posted,Last Update Posted,Locations\n", b"\n"),
}


# --------------------------------------------------------------------------- the loader


def test_it_is_not_a_tuning_set():
    # the tuning sets' loops (and the tests driven by TUNING_SETS) never reach it
    assert HELDOUT5 not in TUNING_SETS
    with pytest.raises(ValueError, match="tuning set must be one of"):
        load_tuning(FIX, HELDOUT5)


# --------------------------------------------------------------------------- the real set


@pytest.fixture(scope="module")
def loaded():
    return load_heldout5(FIX)


def test_every_record_is_kept_byte_for_byte_and_labelled(loaded):
    """Each record file is its upstream header line and the drawn rows, cut from the upstream
    file at record boundaries (line endings kept), each row a study of the gold files and each
    gold row's study in it once; and every record file's SHA-256 is the one the README gives,
    so that a changed byte shows."""
    by_file, record_files = checked_record_files(JUDGE)
    for p, data in record_files:
        header, ending = RECORD_FILES[p.name]
        lines = split_records(data)
        assert lines[0] == header, p.name
        assert all(ln.endswith(ending) for ln in lines), p.name
        if ending == b"\n":
            assert b"\r\n" not in data, p.name
        ids = ids_of(data)
        assert len(ids) == len(set(ids)) == len(by_file[p.name]), p.name
        assert set(ids) == by_file[p.name], p.name


def test_part_b_is_what_the_brief_asks_of_it(loaded):
    """Part b (everything but haematology and oncology) holds at least 50 hard negatives and
    30 cell therapies that are not CAR-T; every study is in one of its three record files."""
    ids = part_ids(JUDGE, "gold_part_b.csv")
    rows = [r for r, _ in loaded if r["trial_id"] in ids]
    assert len(rows) == len(ids)
    assert {r["source_file"] for r in rows} == {n for n in RECORD_FILES if n.startswith("b_")}
    assert sum(r["hard_class"] in HARD for r in rows) >= 50
    positives = [r for r in rows if r["gold_label"] == "cell_therapy"]
    assert sum(r["gold_family"] != "CAR_T" for r in positives) >= 30


def test_the_set_stands_apart_from_every_other_set(loaded):
    """No study of this set is in held-out set 4 or 3 (their record files' ids; their gold
    files are not read here) or a tuning set (the loader compares every earlier set; this
    checks it did)."""
    mine = {t.trial_id for _, t in loaded}
    mine |= {s for _, t in loaded for s in (t.secondary_ids or [])}
    assert not mine & _record_ids(FIX / HELDOUT4, "gold_part")
    assert not mine & _heldout3_ids(FIX)
    for name in TUNING_SETS:
        assert not mine & {t.trial_id for _, t in load_tuning(FIX, name)}, name


