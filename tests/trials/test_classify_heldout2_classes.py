"""Rules 16.13: the classes of error held-out set 2 showed once it was spent
(``benchmarks/TRIALS.md`` (p)), each on the real rows that showed it
(``fixtures/trials/heldout2``: legacy search-export rows of a "B-cell lymphoma" search and one
flattened MSC row; title and typed interventions only), with rows written for the test in
other words for the same class and guards that must keep their label. Every test of a class
fails on rules 16.12; the guards pass on both.
"""

from __future__ import annotations

import pytest

from ctatlas.trials.classify import classify

from .labelled_rows import study
from .labelled_rows import trial as _t


def _record(trial_id: str):
    """(label row, record) of a held-out set 2 study (the set is spent: see the module doc)."""
    return study(trial_id, "heldout2")


# 1. "cART" is combination antiretroviral therapy, not a CAR-T: written so ("R-EPOCH and
#    cART"), or as "CART" in a record that speaks of antiretroviral therapy.
def test_combination_antiretroviral_therapy_is_not_car_t(atlas_terms):
    row, t = _record("NCT00799136")
    assert row["gold_label"] == "not_cell"
    assert classify(t, terms=atlas_terms).label == "not_cell"
    written = _t("Antiretroviral Therapy Plus Chemotherapy for HIV-Associated Lymphoma",
                 [("DRUG", "CART"), ("DRUG", "rituximab")])
    assert classify(written, terms=atlas_terms).label == "not_cell"


@pytest.mark.parametrize("title, names", [
    ("CART-19 Cells for Relapsed Lymphoma", ["CART-19 cells"]),
    ("CART Cells Targeting CD19 in Leukemia", ["CART cells"]),
])
def test_cart_written_as_a_car_t_stays_one(title, names, atlas_terms):
    c = classify(_t(title, [("BIOLOGICAL", n) for n in names]), terms=atlas_terms)
    assert (c.label, c.cell_family) == ("cell_therapy", "CAR_T"), c.evidence


# 2. A prior cell therapy named in a drug study's title in one name split by a participle
#    ("Relapsing After Anti-CD19 Chimeric Antigen Receptor Modified T Cell Therapy"): the
#    negation of the first part holds for the whole name.
def test_a_prior_car_t_named_in_two_parts_is_the_setting(atlas_terms):
    row, t = _record("NCT02650999")
    assert row["gold_label"] == "not_cell"
    assert classify(t, terms=atlas_terms).label == "not_cell"


def test_a_car_t_named_in_two_parts_is_the_product(atlas_terms):
    t = _t("CD19 Chimeric Antigen Receptor Modified T Cell Therapy for Relapsed Lymphoma",
           [("BIOLOGICAL", "CD19 CAR modified T cells")])
    c = classify(t, terms=atlas_terms)
    assert (c.label, c.cell_family) == ("cell_therapy", "CAR_T"), c.evidence


# 3. The disease state a transplant came before, and the patients not eligible for one:
#    "DLBCL Relapsed/Refractory Stem Cell Transfusion (ASCT) or Not Eligible for ASCT".
def test_relapsed_after_or_not_eligible_for_a_transplant_is_the_population(atlas_terms):
    row, t = _record("NCT01523834")
    assert row["gold_label"] == "not_cell"
    assert classify(t, terms=atlas_terms).label == "not_cell"


# 4. What a drug is studied for its effect on, several words after "on": "Impact of
#    Semaglutide on CD34+ EPC and Fat Derived MSC" (cells measured, not given).
def test_cells_a_drug_acts_on_are_measured(atlas_terms):
    row, t = _record("NCT04126603")
    assert row["gold_label"] == "not_cell"
    assert classify(t, terms=atlas_terms).label == "not_cell"


def test_the_impact_of_cells_given_stays_a_cell_therapy(atlas_terms):
    t = _t("Impact of Mesenchymal Stem Cells on Steroid-Refractory Acute GVHD",
           [("BIOLOGICAL", "mesenchymal stem cells")])
    assert classify(t, terms=atlas_terms).label == "cell_therapy"


# 5. The graft of a standard transplant in the words of the registry's cancer vocabulary or
#    its abbreviations: "umbilical cord stem cells" in a "Pilot Study of Umbilical Cord Blood
#    Transplantation", "Umbilical cord blood cell infusion" in a "UCB Transplant ... Using a
#    Non Myeloablative Prep", "allogeneic cell transplantation" as the procedure of a "Donor
#    Stem Cell Transplant", "peripheral blood lymphocyte therapy" beside an allogeneic bone
#    marrow transplant and its regimen.
@pytest.mark.parametrize(
    "trial_id", ["NCT00514722", "NCT02722668", "NCT00053196", "NCT00003572"]
)
@pytest.mark.parametrize("with_atlas", [True, False])
def test_a_standard_transplants_graft_in_other_words_is_the_transplant(
    trial_id, with_atlas, atlas_terms
):
    row, t = _record(trial_id)
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert (row["gold_label"], c.label) == ("hsct_procedure", "hsct_procedure"), c.evidence


# 6. A drug given after a transplant the title names as the setting, with the transplant's
#    donor cells listed ("Ipilimumab After Allogeneic Stem Cell Transplant", "therapeutic
#    allogeneic lymphocytes"): the drug is studied.
def test_a_drug_after_a_transplant_with_its_donor_cells_listed_is_the_drug(atlas_terms):
    row, t = _record("NCT00060372")
    assert row["gold_label"] == "not_cell"
    assert classify(t, terms=atlas_terms).label == "not_cell"
    written = _t("Lenalidomide After Allogeneic Stem Cell Transplant in Treating Patients With "
                 "Myeloma", [("DRUG", "lenalidomide"), ("BIOLOGICAL", "donor lymphocytes")])
    assert classify(written, terms=atlas_terms).label == "not_cell"


def test_donor_lymphocytes_studied_after_a_transplant_stay_a_cell_therapy(atlas_terms):
    t = _t("Donor Lymphocyte Infusion After Allogeneic Stem Cell Transplant in Treating "
           "Patients With Relapsed Leukemia", [("BIOLOGICAL", "donor lymphocytes")])
    assert classify(t, terms=atlas_terms).label == "cell_therapy"


# 7. Cell therapies the rules missed: donor cells named "Allogeneic Cellular Therapy" with a
#    radiation regimen after them, marrow stem cells transplanted for liver failure (a tissue
#    to repair, like the other regenerative targets), and stem cells of the mouth by their
#    abbreviation given with a platelet-rich fibrin ("BFPSCs+ DFDBA+ PRF").
@pytest.mark.parametrize("trial_id", ["NCT00996359", "NCT01221454", "NCT02745379"])
def test_cell_therapies_in_words_the_rules_missed(trial_id, atlas_terms):
    row, t = _record(trial_id)
    assert row["gold_label"] == "cell_therapy"
    assert classify(t, terms=atlas_terms).label == "cell_therapy"


def test_a_marrow_transplant_for_leukaemia_stays_a_transplant(atlas_terms):
    t = _t("Allogeneic Bone Marrow Stem Cell Transplantation in Acute Leukemia With Liver "
           "Failure", [("PROCEDURE", "Allogeneic bone marrow stem cell transplantation")])
    assert classify(t, terms=atlas_terms, wording=False).label == "hsct_procedure"
    # Rules 16.18: this made-up record (a title and one intervention: the words of held-out
    # set 2's NCT01221454, marrow cells for liver failure, with "acute leukemia" added) reads
    # to the wording model like that cell therapy (p 0.98), and it overrides the rules. A bag
    # of words does not weigh "for leukaemia"; recorded in benchmarks/TRIALS.md (z2). No
    # override on the readable sets is of this kind (all 43 are right).
    c = classify(t, terms=atlas_terms)
    assert c.label == "cell_therapy" and c.evidence[0]["rule"] == "wording.to_cell"
