"""Rules 16.17: the classes of error half A of held-out set 4 showed once its errors were
listed (``benchmarks/TRIALS.md`` (x)), each on the real half-A row that showed it
(``fixtures/trials/judge4``: rows of a current ClinicalTrials.gov website CSV export and of a
CAR-T monitor's API v2 snapshot, loaded with ``half="A"``, spent in session 12; half B is never
loaded here), with a row in other words for the same class (written for the test) and guards
(real rows of other sets that must keep their label). Every test of a class fails on rules
16.16; the guards pass on both.
"""

from __future__ import annotations

import pytest

from ctatlas.trials.classify import classify

from .labelled_rows import keeps as _keeps
from .labelled_rows import label as _label
from .labelled_rows import study, trial


def _half_a(trial_id: str):
    """(label row, record) of a study of held-out set 4's half A (spent in session 12)."""
    return study(trial_id, "heldout4A")


def _other(trial_id: str):
    """(label row, record) of a study of the first held-out set, tuning set 6 or held-out
    set 2."""
    return study(trial_id, "tuning6", "heldout", "heldout2")


def _t(title, interventions=(), summary=""):
    """A record in the current export's shape: a title, typed interventions, a summary."""
    return trial(title, interventions, summary, "interventional")


# 1. A lymphoma of lymphocytes with the cells glossed or abbreviated inside its name:
#    "T-Cell (a Type of Immune Cell) Lymphoma" (the NCI's plain-language titles), "T Cell or
#    Natural Killer (NK) Cell Lymphoma". The population, not cells given.
@pytest.mark.parametrize(
    ("trial_id", "gold"), [("NCT04541017", "not_cell"), ("NCT01178658", "hsct_procedure")]
)
@pytest.mark.parametrize("with_atlas", [True, False])
def test_a_glossed_lymphoma_name_is_a_disease(trial_id, gold, with_atlas, atlas_terms):
    row, t = _half_a(trial_id)
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert (row["gold_label"], c.label) == (gold, gold), c.evidence


def test_a_glossed_lymphoma_name_in_other_words(atlas_terms):
    assert _label(_t(
        "Pembrolizumab in B-Cell (a Type of White Blood Cell) Lymphoma That Has Come Back",
        [("DRUG", "Pembrolizumab")],
    ), atlas_terms) == "not_cell"
    assert _label(_t(
        "Romidepsin for Natural Killer (NK) Cell Leukemia", [("DRUG", "Romidepsin")]
    ), atlas_terms) == "not_cell"


@pytest.mark.parametrize("trial_id", ["NCT05379647", "NCT01621477", "NCT05800405"])
def test_nk_cells_given_and_glossed_t_cells_keep_their_label(trial_id, atlas_terms):
    # "Natural Killer (NK) Cell Therapy for B-Cell Malignancies" (first held-out set) and
    # "... Donor Hematopoietic Stem Cell Plus Natural Killer (NK) Cell Transplant" (tuning set
    # 6) stay cell therapies; "a patient's T-cells (a type of immune system cell) are changed"
    # as the background of a study that gives none (first held-out set) stays not_cell
    row, t = _other(trial_id)
    _keeps(row, t, atlas_terms)


# 2. A graft named by its donor: "HLA Haploidentical Related Donor Stem Cell Grafts", the graft
#    listed as "Stem Cell Infusion" beside the conditioning, is the transplant.
@pytest.mark.parametrize("with_atlas", [True, False])
def test_a_donor_stem_cell_graft_is_the_transplant(with_atlas, atlas_terms):
    row, t = _half_a("NCT00368355")
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert (row["gold_label"], c.label) == ("hsct_procedure", "hsct_procedure"), c.evidence
    assert _label(_t(
        "Alemtuzumab Conditioning for Recipients of Matched Unrelated Donor Stem Cell Grafts",
        [("DRUG", "Alemtuzumab"), ("RADIATION", "Total Body Irradiation"),
         ("PROCEDURE", "Stem Cell Infusion")],
    ), atlas_terms) == "hsct_procedure"


@pytest.mark.parametrize("trial_id", ["NCT01827579", "NCT01621477"])
def test_cells_given_after_a_donor_graft_stay_a_cell_therapy(trial_id, atlas_terms):
    # "Infusion of Depleted T Cells Following Unrelated Donor Stem Cell Transplant" (held-out
    # set 2), NK cells with the graft (tuning set 6)
    row, t = _other(trial_id)
    _keeps(row, t, atlas_terms)


# 3. Cells a drug protects: trilaciclib "protects bone marrow by protecting hematopoietic stem
#    cells and progenitor cells (HSPCs)" gives no cells.
@pytest.mark.parametrize("with_atlas", [True, False])
def test_cells_a_drug_protects_are_not_given(with_atlas, atlas_terms):
    row, t = _half_a("NCT06955156")
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert (row["gold_label"], c.label) == ("not_cell", "not_cell"), c.evidence
    assert _label(_t(
        "Plinabulin With Docetaxel in Lung Cancer",
        [("DRUG", "Plinabulin")],
        "Plinabulin protects the marrow by protecting haematopoietic stem cells during "
        "chemotherapy, so fewer patients need growth factors.",
    ), atlas_terms) == "not_cell"


def test_hiv_protected_stem_cells_stay_a_cell_therapy(atlas_terms):
    # "Gene-Modified HIV-Protected Stem Cell Transplant" (held-out set 2): cells given
    row, t = _other("NCT02378922")
    _keeps(row, t, atlas_terms)


# 4. The participants' cells made into the product: "A sample of participants' T cells will
#    be sent to a laboratory, where the cells will be made into the study therapy, MCARH109
#    and MCARH125" (the codes name no cell).
@pytest.mark.parametrize("with_atlas", [True, False])
def test_participants_cells_made_into_the_product_are_a_cell_therapy(with_atlas, atlas_terms):
    row, t = _half_a("NCT05431608")
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert (row["gold_label"], c.label) == ("cell_therapy", "cell_therapy"), c.evidence
    assert _label(_t(
        "A Study of ABC-101 in People With Lymphoma",
        [("BIOLOGICAL", "ABC-101")],
        "A sample of patients' T cells will be sent to a laboratory, where the cells will be "
        "made into ABC-101. Participants will receive ABC-101 once.",
    ), atlas_terms) == "cell_therapy"


def test_participants_cells_sampled_and_not_made_into_anything_stay_not_cells(atlas_terms):
    # the same words without the making: cells sampled to be measured
    assert _label(_t(
        "A Study of Abemaciclib in People With Lymphoma",
        [("DRUG", "Abemaciclib")],
        "A sample of participants' T cells will be sent to a laboratory, where the cells will "
        "be counted. Participants will receive abemaciclib.",
    ), atlas_terms) == "not_cell"


@pytest.mark.parametrize("trial_id", ["NCT02744287", "NCT05800405"])
def test_participants_t_cells_keep_their_label(trial_id, atlas_terms):
    # "Participants' T cells are modified to recognize ... PSCA" (tuning set 6) stays a cell
    # therapy; a study that only explains CAR T cells made from "a patient's T-cells" stays
    # not_cell (first held-out set)
    row, t = _other(trial_id)
    _keeps(row, t, atlas_terms)
