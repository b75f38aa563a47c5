"""The current ClinicalTrials.gov website CSV export (``ctg-studies.csv``, "NCT Number",
"Study Title", "Study URL" …), on real rows of two exports: one with all 30 columns (2023,
``beta.`` study URLs) and one downloaded with 11 of them (2024: no summary, phase, dates or
sites; CRLF line ends)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from ctatlas.trials import classify as cl
from ctatlas.trials.classify import apply
from ctatlas.trials.ctgov import normalise_csv_export_row, normalise_study
from ctatlas.trials.fastre import without_literal_tests
from ctatlas.trials.ingest import ingest
from ctatlas.trials.prefilter import without_prefilters
from ctatlas.trials.sources import Problem, count_hint, iter_items
from ctatlas.trials.store import TrialStore

from .conftest import FIX

HERE = FIX / "ctgov_csv_export"
FULL = HERE / "ai-hack_SearchResults_rows.csv"  # 10 rows, 30 columns
PART = HERE / "take-home_ctg-studies_rows.csv"  # 5 rows, 11 columns


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return {r["NCT Number"]: r for r in csv.DictReader(fh)}


def _trial(path: Path, nct: str):
    return normalise_csv_export_row(_rows(path)[nct])


def test_a_car_t_row_is_read_field_by_field():
    t = _trial(FULL, "NCT03373071")
    assert t.trial_id == "NCT03373071" and (t.source, t.registry) == ("ctgov", "ctgov")
    assert t.title.startswith("Anti-CD19 CAR T Cells in Pediatric Patients")
    assert t.summary.startswith("The primary objective of this phase I study")
    assert t.phases == ["1", "2"]  # PHASE1|PHASE2
    assert t.status == "active_not_recruiting"
    assert t.study_type == "interventional"
    assert t.start_date == "2017-12-23"
    assert t.last_updated == "2022-03-10"
    assert t.countries == ["IT"]
    assert t.sponsor == "Bambino Gesù Hospital and Research Institute"
    assert t.sponsor_class == "academic"  # Funder Type OTHER, an academic name
    assert t.conditions == ["CD19-ALL", "CD19-LNH"]
    assert t.interventions == [
        {"type": "BIOLOGICAL", "name": "CD19-CAR T cell", "description": "", "other_names": []}
    ]
    # the canonical study page, not the export's retired beta. host
    assert _rows(FULL)["NCT03373071"]["Study URL"].startswith("https://beta.")
    assert t.url == "https://clinicaltrials.gov/study/NCT03373071"
    apply(t)
    assert (t.label, t.cell_family) == ("cell_therapy", "CAR_T")


def test_types_ids_dates_and_quoted_cells():
    sv = _trial(FULL, "NCT05857371")
    assert [(i["type"], i["name"]) for i in sv.interventions] == [
        ("PROCEDURE", "lipoaspiration"),
        ("PROCEDURE", "urethrotomy"),
        ("DRUG", "autologous ADSVF administration"),
    ]
    # Other IDs "RCAPHM18_0020_1|2022-002175-11": the EudraCT number is a registry id
    assert sv.secondary_ids == ["EUCTR2022-002175-11"]
    assert sv.start_date == "2023-09" and sv.countries == []  # a month only; no sites yet
    spray = _trial(FULL, "NCT05843071")  # a summary over many lines, with doubled quotes
    assert '"NASAL SPRAYS"' in spray.summary and "\n\nDry nose" in spray.summary
    assert spray.title.startswith('PMCF Study to Evaluate Performance and Safety of "NASAL')
    assert (spray.sponsor_class, spray.phases) == ("industry", ["na"])
    bare = _trial(FULL, "NCT01307371")  # no interventions, no phase: empty, not made up
    assert (bare.interventions, bare.phases, bare.study_type) == ([], [], "observational")
    combo = _trial(FULL, "NCT03345771")
    assert [i["type"] for i in combo.interventions] == ["COMBINATION_PRODUCT", "DEVICE"]
    assert (combo.phases, combo.countries) == (["3"], ["US"])
    early = _trial(FULL, "NCT03224871")  # EARLY_PHASE1; a radiation arm
    assert early.phases == ["early_1"] and early.status == "completed"
    assert early.interventions[-1]["type"] == "RADIATION"
    # a name holding a colon keeps it; an unknown prefix is not taken for a type
    row = dict(_rows(PART)["NCT06623396"], Interventions="OTHER: ARM 2: Placebo|Cells: x")
    assert [(i["type"], i["name"]) for i in normalise_csv_export_row(row).interventions] == [
        ("OTHER", "ARM 2: Placebo"),
        ("", "Cells: x"),
    ]


def test_an_export_without_some_columns_reads_them_as_empty():
    t = _trial(PART, "NCT06623396")
    assert not {"Brief Summary", "Phases", "Start Date", "Locations"} & set(
        _rows(PART)["NCT06623396"]
    )
    assert (t.summary, t.phases, t.start_date, t.countries) == ("", [], None, [])
    assert t.title == "A Study of Mesothelin-Targeted CAR T-Cell Therapy in People With " \
        "Esophagogastric Cancer"
    assert t.interventions[0]["name"] == "M28z1XXPD1DNR CAR"
    assert (t.status, t.study_type) == ("recruiting", "interventional")
    assert t.sponsor_class == "academic"  # no Funder Type column: from the name
    apply(t)
    assert (t.label, t.cell_family) == ("cell_therapy", "CAR_T")
    # a sponsor's name is no intervention: "Intra-Cellular Therapies, Inc." tests a drug
    drug = _trial(PART, "NCT06627413")
    apply(drug)
    assert (drug.label, drug.sponsor_class) == ("not_cell", "industry")
    minimal = normalise_csv_export_row({"NCT Number": "NCT06623396", "Study Title": t.title})
    assert (minimal.trial_id, minimal.title, minimal.status) == ("NCT06623396", t.title, "unknown")


def test_the_same_study_from_its_api_v2_record_and_from_the_export_agrees():
    api = normalise_study(json.loads((FIX / "ctgov" / "NCT03630471.json").read_text()))
    row = _trial(FULL, "NCT03630471")
    same = (
        "trial_id", "secondary_ids", "title", "summary", "phases", "status", "study_type",
        "start_date", "countries", "sponsor", "sponsor_class", "conditions", "last_updated",
        "url",
    )
    assert {k: getattr(row, k) for k in same} == {k: getattr(api, k) for k in same}
    assert [(i["type"], i["name"]) for i in row.interventions] == [
        (i["type"], i["name"]) for i in api.interventions
    ]
    apply(api)
    apply(row)
    assert (row.label, row.cell_class, row.cell_family) == (
        api.label, api.cell_class, api.cell_family,
    ) == ("not_cell", None, None)


def test_labels_of_the_rows():
    got = {}
    for path in (FULL, PART):
        for nct, r in _rows(path).items():
            t = normalise_csv_export_row(r)
            apply(t)
            got[nct] = t.label
    assert got == {
        "NCT03373071": "cell_therapy",
        "NCT05018871": "cell_therapy",
        "NCT05857371": "cell_therapy",
        "NCT00750971": "hsct_procedure",
        "NCT05843071": "not_cell",
        "NCT01125371": "not_cell",
        "NCT01307371": "cell_therapy",  # "Cell Therapy in Diabetic Patients With STEMI"
        "NCT03224871": "not_cell",  # intralesional IL-2 with radiotherapy
        "NCT03345771": "not_cell",
        "NCT03630471": "not_cell",
        "NCT06623396": "cell_therapy",
        "NCT06626633": "not_cell",  # a drug in AML
        "NCT06627413": "not_cell",
        "NCT06624293": "not_cell",
        "NCT06620627": "not_cell",  # sample collection, no intervention
    }


def test_the_prefilters_let_every_row_through_as_without_them(atlas_terms):
    trials = [normalise_csv_export_row(r) for p in (FULL, PART) for r in _rows(p).values()]

    def answer(t):
        c = cl.classify(t, terms=atlas_terms)
        return (c.label, c.cell_class, c.cell_family, c.stem_type, c.origin, c.evidence)

    fast = [answer(t) for t in trials]
    with without_prefilters(), without_literal_tests():
        slow = [answer(t) for t in trials]
    assert fast == slow
    assert sum(a[0] == "cell_therapy" for a in fast) == 5


def test_the_header_picks_the_form_and_extra_underscore_columns_pass(tmp_path):
    items = list(iter_items([FULL, PART]))
    assert not [i for i in items if isinstance(i, Problem)]
    assert len(items) == 15 and {(i.source, i.encoding) for i in items} == {("ctgov", "row")}
    # a fixture's own column ("_search_file") rides along and changes nothing
    text = FULL.read_text(encoding="utf-8")
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\n")
    for n, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        w.writerow([*row, "_search_file" if n == 0 else "ai-hack SearchResults.csv"])
    extra = tmp_path / "with_extra.csv"
    extra.write_text(out.getvalue(), encoding="utf-8")
    a = TrialStore(f"sqlite:///{tmp_path / 'a.sqlite'}")
    b = TrialStore(f"sqlite:///{tmp_path / 'b.sqlite'}")
    try:
        assert ingest([FULL], a).inserted == ingest([extra], b).inserted == 10
        assert list(a.query(label=None)) == list(b.query(label=None))
    finally:
        a.close()
        b.close()


def test_a_header_only_file_is_no_study_and_no_problem(tmp_path, store):
    only = tmp_path / "ctg-studies.csv"
    only.write_text(FULL.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert list(iter_items([only])) == []
    s = ingest([only], store)
    assert (s.records, s.problems, store.count()) == (0, [], 0)


@pytest.mark.parametrize("drop", ["Study Title", "NCT Number"])
def test_a_missing_required_column_names_the_file_and_the_column(tmp_path, store, drop):
    with open(FULL, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    bad = tmp_path / "ctg-studies.csv"
    with open(bad, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, [c for c in rows[0] if c != drop])
        w.writeheader()
        w.writerows([{k: v for k, v in r.items() if k != drop} for r in rows])
    got = list(iter_items([bad]))
    assert len(got) == 1 and isinstance(got[0], Problem)
    assert got[0].name == str(bad)
    assert f"required column(s): {drop}" in got[0].reason
    s = ingest([bad], store)
    assert s.records == 0 and store.count() == 0
    assert s.problems == [{"name": str(bad), "reason": got[0].reason}]


def test_a_header_of_no_known_form_still_gets_the_old_error(tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("Study,Heading\nx,y\n", encoding="utf-8")
    (got,) = list(iter_items([odd]))
    assert isinstance(got, Problem) and "neither ICTRP (TrialID) nor" in got.reason


def test_ingest_a_file_a_folder_and_a_zip_on_sqlite(tmp_path):
    folder = TrialStore(f"sqlite:///{tmp_path / 'folder.sqlite'}")
    zipped = TrialStore(f"sqlite:///{tmp_path / 'zip.sqlite'}")
    z = tmp_path / "exports.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(FULL, "downloads/ctg-studies.csv")
        zf.writestr("downloads/ctg-studies-2.csv", PART.read_bytes(), zipfile.ZIP_STORED)
    assert count_hint([z]) is None  # rows are not counted before they are read
    try:
        s = ingest([HERE], folder)
        assert (s.records, s.inserted, s.problems) == (15, 15, [])
        assert ingest([HERE], folder).unchanged == 15
        sz = ingest([z], zipped)
        assert (sz.records, sz.problems) == (15, [])
        key = ("trial_id", "label", "cell_family", "phases", "countries", "start_date")
        assert [{k: r[k] for k in key} for r in folder.query(label=None)] == [
            {k: r[k] for k in key} for r in zipped.query(label=None)
        ]
        cell = {r["trial_id"] for r in folder.query(label="cell_therapy")}
        assert len(cell) == 5 and {"NCT03373071", "NCT06623396"} <= cell
        assert [r["trial_id"] for r in folder.query(label="cell_therapy", country="GR")] == [
            "NCT05018871"
        ]
        # the raw layer keeps the row as read
        raw = json.loads(folder.raw("ctgov", "NCT06623396"))
        assert raw == _rows(PART)["NCT06623396"]
    finally:
        folder.close()
        zipped.close()


def test_a_broken_zipped_csv_is_named_and_the_rest_is_read(tmp_path, store):
    z = tmp_path / "mixed.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/odd.csv", "Study,Heading\nx,y\n")
        zf.write(PART, "b/ctg-studies.csv")
    s = ingest([z], store)
    assert s.records == 5 and store.count() == 5
    assert len(s.problems) == 1 and s.problems[0]["name"] == f"{z}!a/odd.csv"
    assert "neither ICTRP (TrialID) nor" in s.problems[0]["reason"]


def test_a_zipped_csv_bomb_is_refused_by_name_and_the_rest_is_read(tmp_path, store):
    z = tmp_path / "bomb.zip"
    header = FULL.read_text(encoding="utf-8").splitlines()[0]
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.csv", header + "\n" + "NCT00000000," + "x" * (40 << 20) + "\n")
        zf.write(PART, "ctg-studies.csv")
    s = ingest([z], store)
    assert s.records == 5 and store.count() == 5
    assert len(s.problems) == 1 and s.problems[0]["name"] == f"{z}!bomb.csv"
    assert s.problems[0]["reason"].startswith("refused: ")


@pytest.mark.postgres
def test_ingest_on_postgres(tmp_path, pg_url, empty_trials):
    # the test database's trials schema, dropped first (tests/conftest.py)
    s = TrialStore(empty_trials.url(pg_url, tmp_path))
    try:
        assert ingest([FULL, PART], s).inserted == 15
        assert ingest([FULL, PART], s).unchanged == 15
        msc = {r["trial_id"] for r in s.query(family="MSC")}
        assert msc == {"NCT05018871"}
        (row,) = [r for r in s.query(label=None) if r["trial_id"] == "NCT05857371"]
        assert (row["start_date"], row["status"]) == ("2023-09", "not_yet_recruiting")
    finally:
        s.close()


def test_the_cli_ingests_the_export_and_relabels_it_from_the_stored_rows(tmp_path):
    from typer.testing import CliRunner

    from ctatlas.cli import app

    atlas = Path(__file__).resolve().parents[1] / "fixtures" / "data"
    db = str(tmp_path / "trials.sqlite")
    runner = CliRunner()
    r = runner.invoke(app, ["--data", str(atlas), "trials", "ingest", str(FULL), str(PART),
                            "--db", db])
    assert r.exit_code == 0, r.output
    assert "15 records: 15 new" in r.output and "cell_therapy 5" in r.output
    # `trials link` reads each stored row back as the ingest read it: nothing changes
    r = runner.invoke(app, ["--data", str(atlas), "trials", "link", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    assert (summary["records"], summary["relabelled"], summary["changed"]) == (15, 0, 0)
    assert summary["problems"] == []
