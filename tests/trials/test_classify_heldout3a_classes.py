"""Rules 16.14: the classes of error half A of held-out set 3 showed once its errors were
listed (``benchmarks/TRIALS.md`` (r)), each on the real half-A rows that showed it
(``fixtures/trials/judge3``: rows of current ClinicalTrials.gov website CSV exports, loaded
with ``half="A"`` only: half B is never read here), with rows in other words for the same
class (real rows of other fixtures where they exist, else written for the test) and guards
that must keep their label. Every test of a class fails on rules 16.13; the guards pass on
both.
"""

from __future__ import annotations

import pytest

from ctatlas.trials.classify import classify
from ctatlas.trials.evaluate import evaluate_heldout3

from .conftest import FIX
from .labelled_rows import label as _label
from .labelled_rows import study, trial


def _half_a(trial_id: str):
    """(label row, record) of a study of held-out set 3's half A (tuned on since session 11)."""
    return study(trial_id, "heldout3A")


def _other(trial_id: str):
    """(label row, record) of a study of a tuning set or of spent held-out set 2."""
    return study(trial_id, "tuning", "tuning2", "tuning3", "tuning4", "tuning5", "heldout2")


def _t(title, interventions=(), summary="", study_type="interventional"):
    """A record in the current export's shape: a title, typed interventions, a summary."""
    return trial(title, interventions, summary, study_type)


# 1. Cells taken out of a graft are not cells given: "α/β+ T-lymphocyte Depleted Grafts",
#    "T Cell Receptor Alpha/Beta Depletion PBSC Transplantation", a "TCRαβ-depleted Progenitor
#    Cell Graft" whose planned memory-cell DLI is the transplant protocol's (tuning set 4's
#    convention), and the graft by its labelling name ("HPC(A) stem cell allograft").
@pytest.mark.parametrize("trial_id", ["NCT03615105", "NCT05735717", "NCT03849651"])
@pytest.mark.parametrize("with_atlas", [True, False])
def test_cells_depleted_from_a_graft_are_the_transplant(trial_id, with_atlas, atlas_terms):
    row, t = _half_a(trial_id)
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert (row["gold_label"], c.label) == ("hsct_procedure", "hsct_procedure"), c.evidence


@pytest.mark.parametrize("title, interventions", [
    ("Matched Unrelated Donor Transplant Using a T-Lymphocyte Depleted Graft",
     [("DRUG", "Busulfan"), ("PROCEDURE", "HPC(A) stem cell allograft")]),
    ("Gamma/Delta T Cell Receptor Depletion of Haploidentical Grafts",
     [("DRUG", "Fludarabine"), ("PROCEDURE", "HPC(A) stem cell allograft")]),
    ("MT2019-12 T Cell Receptor Alpha/Beta Depleted Haploidentical Transplant",
     [("DRUG", "Busulfan")]),
    ("Alpha/Beta T-Cell Depleted Peripheral Blood Stem Cell Graft in Children With Leukemia",
     [("DRUG", "Thiotepa"), ("DEVICE", "CliniMACS")]),
])
def test_a_depleted_graft_in_other_words_is_not_a_cell_therapy(
    title, interventions, atlas_terms
):
    assert _label(_t(title, interventions), atlas_terms) == "hsct_procedure"


@pytest.mark.parametrize("trial_id", [
    "NCT07087847",  # "Ex Vivo T-Cell-Depleted Haploidentical Transplantation Bridging With
    #                 Chimeric Antigen Receptor T-cell Therapy ..."
    "NCT07257419",  # "CD45RA-depleted CD19-CAR T Cell Consolidation After TCRαβ+/CD19 B
    #                 Cell-depleted Haploidentical Hematopoietic Cell Transplantation"
    "NCT01163201",  # "T-Regulatory Cell and CD3 Depleted Double Umbilical Cord Blood ..."
    "NCT01827579",  # "Infusion of Depleted T Cells Following Unrelated Donor SCT"
])
def test_cells_given_beside_a_depleted_graft_stay_a_cell_therapy(trial_id, atlas_terms):
    row, t = _other(trial_id)
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")


def test_depleted_donor_cells_studied_on_their_own_stay_a_cell_therapy(atlas_terms):
    t = _t("CD45RA-Depleted Memory T Cells for Viral Infections After Transplant",
           [("BIOLOGICAL", "CD45RA-depleted donor lymphocyte infusion")])
    assert _label(t, atlas_terms) == "cell_therapy"
    t = _t("Lymphodepleting Chemotherapy Followed by CD19 CAR T Cells in Lymphoma",
           [("BIOLOGICAL", "CD19 CAR T cells"), ("DRUG", "Fludarabine")])
    assert _label(t, atlas_terms) == "cell_therapy"


# 2. A transplant with its regimen in the title, written "Total-Body Irradiation" or with the
#    conditioning agents after the transplant ("Cord Blood Transplant, Cyclophosphamide,
#    Fludarabine, and Total-Body Irradiation"): the summary's "healthy stem cells from a donor
#    are infused" describes the transplant's graft.
_BOILERPLATE = (
    "Giving busulfan and fludarabine before a donor cord blood transplant helps stop the "
    "patient's immune system from rejecting the donor's stem cells. When the healthy stem cells "
    "from a donor are infused into the patient they may help the patient's bone marrow make "
    "blood cells."
)


def test_a_transplants_summary_with_its_regimen_after_it_is_the_transplant(atlas_terms):
    row, t = _half_a("NCT06013423")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("hsct_procedure", "hsct_procedure")
    written = _t(
        "Cord Blood Transplant, Busulfan, and Fludarabine in Treating Patients With Leukemia",
        [("PROCEDURE", "Umbilical Cord Blood Transplantation"), ("DRUG", "Busulfan"),
         ("DRUG", "Fludarabine"), ("OTHER", "Laboratory Biomarker Analysis")],
        summary=_BOILERPLATE,
    )
    assert _label(written, atlas_terms) == "hsct_procedure"


# 3. Every intervention takes samples and the title neither gives cells nor follows up people
#    given them ("AML Cell Immunotherapy Using Chimeric Antigen Receptor T-cells", "Sample
#    collection"): samples to develop a cell therapy are not the cell therapy.
def test_samples_taken_to_develop_a_cell_therapy_are_not_one(atlas_terms):
    row, t = _half_a("NCT04169022")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("not_cell", "not_cell")
    written = _t("Natural Killer Cell Immunotherapy for Ovarian Cancer",
                 [("OTHER", "Blood samples"), ("PROCEDURE", "Tumour biopsy")],
                 summary="Samples are collected to develop an NK cell therapy.")
    assert _label(written, atlas_terms) == "not_cell"


def test_cells_given_from_an_aspirate_or_followed_up_stay_a_cell_therapy(atlas_terms):
    # "... Treatment of Osteonecrosis of the Femoral Head by the Administration of Autologous
    # Mesenchymal Stem Cells", "bone marrow aspirate" the only intervention
    row, t = _other("NCT01700920")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")
    t = _t("Long-term Follow-up of Patients Treated With CD19 CAR T Cells",
           [("OTHER", "Blood sampling")])
    assert _label(t, atlas_terms) == "cell_therapy"
    t = _t("Infusion of Autologous NK Cells in Solid Tumours", [("OTHER", "Blood samples")])
    assert _label(t, atlas_terms) == "cell_therapy"


# 4. Cells measured, not given: a study that gives nothing and names cells as what a protein
#    is measured on ("Vista Protein Expression of Monocyte and T Cell Subsets").
def test_cells_a_protein_is_measured_on_are_not_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT06957145")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("not_cell", "not_cell")
    for title in ("CTLA-4 Protein Expression in T Cell Subsets of Patients With Psoriasis",
                  "Regulatory T Cell Subsets in Children With Type 1 Diabetes"):
        assert _label(_t(title, study_type="observational"), atlas_terms) == "not_cell", title


def test_an_observational_study_of_people_given_car_t_stays_a_cell_therapy(atlas_terms):
    row, t = _other("NCT05784415")  # "... People Living With HIV Treated With CD19-directed
    # CAR T Cell", observational
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")


# 5. Wharton's jelly that names no cells is a tissue product (this set's convention; no earlier
#    set labels the jelly without its cells): "Umbilical cord-derived Wharton's Jelly" beside a
#    device. Its stromal cells named stay MSCs.
def test_whartons_jelly_without_cells_is_not_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT04424394")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("not_cell", "not_cell")
    written = _t("Wharton's Jelly Injection for Knee Osteoarthritis",
                 [("BIOLOGICAL", "Wharton's jelly allograft")])
    assert _label(written, atlas_terms) == "not_cell"


@pytest.mark.parametrize("trial_id", ["NCT02963727", "NCT04651855", "NCT04313322", "NCT03406585"])
def test_whartons_jelly_cells_stay_mscs(trial_id, atlas_terms):
    row, t = _other(trial_id)
    c = classify(t, terms=atlas_terms)
    assert (row["gold_label"], c.label, c.cell_family) == ("cell_therapy", "cell_therapy", "MSC")


# 6. A coded product listed as "<name> Cells Product" ("LCAR-AMDR Cells Product").
def test_a_coded_cells_product_is_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT05654779")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")
    written = _t("Anti-GPC3 HEPA-TX Cells Product in Hepatocellular Carcinoma",
                 [("BIOLOGICAL", "HEPA-TX Cells Product")])
    assert _label(written, atlas_terms) == "cell_therapy"


def test_a_red_cell_transfusion_stays_not_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT04920045")  # "Red blood cell transfusion" strategies
    assert (row["gold_label"], _label(t, atlas_terms)) == ("not_cell", "not_cell")


# 7. CAR codes with digits before "CAR" and the target after it ("TT52CAR19", "PBLTT52CAR19").
def test_a_car_code_with_digits_before_car_is_a_car_t(atlas_terms):
    row, t = _half_a("NCT04557436")
    c = classify(t, terms=atlas_terms)
    assert (row["gold_label"], c.label, c.cell_family) == ("cell_therapy", "cell_therapy", "CAR_T")
    c = classify(_t("UCL3CAR19 in Children With Leukaemia", [("BIOLOGICAL", "UCL3CAR19")]),
                 terms=atlas_terms)
    assert (c.label, c.cell_family) == ("cell_therapy", "CAR_T")
    scale = _t("SCAR20 Scar Assessment Scale in Burns", [("OTHER", "SCAR20 questionnaire")])
    assert _label(scale, atlas_terms) == "not_cell"


# 8. A donor graft made as a product ("Engineered Donor Graft (Orca Q)", "Engineered Donor
#    Grafts (OrcaGraft/Orca-Q)"): this set's convention; a graft only selected stays a graft.
@pytest.mark.parametrize("trial_id", ["NCT05322850", "NCT03802695"])
def test_an_engineered_donor_graft_is_a_cell_therapy(trial_id, atlas_terms):
    row, t = _half_a(trial_id)
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")


def test_an_engineered_graft_in_other_words_and_a_selected_one(atlas_terms):
    written = _t("Engineered Donor Graft in Older Adults With AML", [("BIOLOGICAL", "PRG-101")])
    assert _label(written, atlas_terms) == "cell_therapy"
    selected = _t("Haploidentical Transplant With a CD34-Selected Graft",
                  [("DEVICE", "CliniMACS CD34 selection"), ("DRUG", "Busulfan")])
    assert _label(selected, atlas_terms) == "hsct_procedure"


# 9. Cells named by the tissue they come from ("Injection of adipose derived cells into penis").
def test_cells_named_by_their_tissue_are_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT03518333")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")
    for title, name in (
        ("Knee Injection Study in Osteoarthritis",
         "Injection of placenta-derived cells into the knee"),
        ("Intradiscal Injection for Back Pain", "Injection of tissue derived cells into the disc"),
    ):
        written = _t(title, [("BIOLOGICAL", name), ("OTHER", "saline")])
        assert _label(written, atlas_terms) == "cell_therapy", name


def test_patient_derived_cells_tested_in_a_laboratory_stay_not_a_cell_therapy(atlas_terms):
    t = _t("Drug Sensitivity of Patient-Derived Cells in AML",
           [("DIAGNOSTIC_TEST", "ex vivo drug sensitivity testing")])
    assert _label(t, atlas_terms) == "not_cell"


# 10. Cells whose genome was edited are a product, not a genome study ("Genome-edited
#     Hematopoietic Stem and Progenitor Cells").
def test_genome_edited_cells_are_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT04443907")
    c = classify(t, terms=atlas_terms)
    assert (row["gold_label"], c.label, c.cell_family) == ("cell_therapy", "cell_therapy", "HSC")
    written = _t("Genome-Edited Autologous CD34+ Cells in Transfusion-Dependent Thalassemia",
                 [("BIOLOGICAL", "BRL-101")])
    assert _label(written, atlas_terms) == "cell_therapy"
    study = _t("Whole Genome Sequencing of Leukemia Stem Cells", study_type="observational")
    assert _label(study, atlas_terms) == "not_cell"


# 11. A title that opens with the disease "treated with" the cells the record lists ("Brain
#     Stem Gliomas Treated With Adoptive Cellular Therapy During Focal Radiotherapy Recovery"):
#     the study's treatment, not the population; "patients treated with" stays the population.
def test_a_disease_treated_with_the_listed_cells_is_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT03396575")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")
    written = _t(
        "Recurrent Glioblastoma Treated With Autologous Dendritic Cells During Radiotherapy",
        [("BIOLOGICAL", "autologous dendritic cell vaccine"), ("RADIATION", "radiotherapy")],
    )
    assert _label(written, atlas_terms) == "cell_therapy"


@pytest.mark.parametrize("trial_id", ["NCT05176275", "NCT06392763", "NCT05199961"])
def test_patients_treated_with_a_cell_therapy_stay_the_population(trial_id, atlas_terms):
    # "PET / CT Imaging and Safety in Patients With Lymphoma Treated With CD19 Car-t Cells",
    # "Care Pathway and Associated Costs of Patients Treated With CAR T-cells ...", "Quality of
    # Life of Adults With Diffuse Large B-cell Lymphoma Treated With Tisagenlecleucel"
    row, t = _other(trial_id)
    assert (row["gold_label"], _label(t, atlas_terms)) == ("not_cell", "not_cell")


def test_a_drug_named_before_the_treated_disease_stays_the_study(atlas_terms):
    for title, other in (("Dasatinib for Lymphoma Treated With CD19 CAR T Cells", "dasatinib"),
                         ("Radiotherapy in Lymphoma Treated With CD19 CAR T Cells",
                          "radiotherapy")):
        t = _t(title, [("DRUG", other), ("BIOLOGICAL", "CD19 CAR T cells")])
        assert _label(t, atlas_terms) == "not_cell", title


# 12. Living cells in a capsule that release a factor ("Encapsulated Cell Biodelivery of Nerve
#     Growth Factor", the factor the only intervention listed).
def test_encapsulated_cells_are_a_cell_therapy(atlas_terms):
    row, t = _half_a("NCT01163825")
    assert (row["gold_label"], _label(t, atlas_terms)) == ("cell_therapy", "cell_therapy")
    written = _t("Encapsulated Cell Biodelivery of GDNF in Parkinson's Disease",
                 [("DRUG", "GDNF")])
    assert _label(written, atlas_terms) == "cell_therapy"
    drug = _t("Liposome-Encapsulated Doxorubicin in Breast Cancer",
              [("DRUG", "liposome-encapsulated doxorubicin")])
    assert _label(drug, atlas_terms) == "not_cell"


# The figure reached on half A (tuned on since session 11: not a judged figure; half B
# judges). A floor, as the other sets' (tests/trials/test_heldout.py): raise it only.
def test_half_a_figure_holds(atlas_terms):
    ev = evaluate_heldout3(FIX, atlas_terms, half="A")
    totals = f"tp={ev.tp} fp={ev.fp} fn={ev.fn} tn={ev.tn}"
    assert ev.fp <= 1 and ev.tp >= 70, totals
