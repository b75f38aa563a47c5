"""Rules 16.24: the classes of error held-out set 7 showed once the lead listed its 18 errors at
rules 16.23, after its final figure (0.969 / 0.953; ``benchmarks/TRIALS.md`` (z10)): each class
on the real set-7 row that showed it (``fixtures/trials/judge7``, spent in session 15), a row in
other words (written for the test) and guards (real rows of readable sets that must keep their
label). Every test of a class fails on rules 16.23; the guards pass on both. The code-only
misses (SBT777101 twice, CABA-201, PRG-1801) are not here: no readable source lets the
classifier know those codes (the floor, (z10)).
"""

from __future__ import annotations

import pytest

from ctatlas.trials.classify import classify
from ctatlas.trials.classify_given import (
    bridging_studied,
    drugs_or_samples_listed,
    regimen_studied,
)
from ctatlas.trials.wording_rule import AWAY, kept_by_rules

from .labelled_rows import keeps as _keeps
from .labelled_rows import rules as _rules
from .labelled_rows import study, trial


def _set7(trial_id: str):
    """(label row, record) of a study of held-out set 7 (spent in session 15)."""
    return study(trial_id, "heldout7")


def _other(trial_id: str):
    """(label row, record) of a study of another readable set."""
    return study(trial_id, "dev", "heldout", "heldout2", "heldout3", "heldout4A", "heldout4B",
                 "heldout5", "heldout6", "tuning", "tuning2", "tuning3", "tuning4", "tuning6")


def _is(trial_id: str, gold: str, atlas_terms, with_atlas: bool = True):
    row, t = _set7(trial_id)
    c = classify(t, terms=atlas_terms if with_atlas else None)
    assert row["gold_label"] == gold
    assert c.label == gold, c.evidence
    return row, c


# 1. A cell therapy the title names generically, and every listed intervention a drug by its
#    dosage form or class ("Tazemetostat Pill", "Diammonium glycyrrhizinate Capsules", "BTK
#    inhibitor", "PD-1 inhibitor"): the drug given to its recipients is studied (convention 1).
@pytest.mark.parametrize("with_atlas", [True, False])
@pytest.mark.parametrize("trial_id", ["NCT05934838", "NCT07616271", "NCT05871684"])
def test_only_drugs_listed_beside_a_generic_cell_therapy(trial_id, with_atlas, atlas_terms):
    _, c = _is(trial_id, "not_cell", atlas_terms, with_atlas)
    assert "negative.setting" in _rules(c)


def test_only_drugs_listed_in_other_words(atlas_terms):
    t = trial("Ibrutinib Tablets With CAR-T Cell Therapy in Mantle Cell Lymphoma",
              [("", "Ibrutinib Tablets")],
              "Patients receive ibrutinib before and after standard CAR-T cell infusion.")
    assert drugs_or_samples_listed(t)
    assert classify(t, terms=atlas_terms).label == "not_cell"


def test_a_name_that_shows_no_drug_is_never_counted_one(atlas_terms):
    # a development code, or a drug a flattened row lists without its type, may be the cells
    # or one regimen with them: the rules do not read it as a drug
    assert not drugs_or_samples_listed(trial("Study of SBT777101", [("", "SBT777101")]))
    assert not drugs_or_samples_listed(trial("x", [("", "Lenalidomide")]))
    assert not drugs_or_samples_listed(trial("x", [("", "Blood sampling")]))  # (no drug)
    assert not drugs_or_samples_listed(trial("x", [("BIOLOGICAL", "CD19 inhibitor cells")]))


@pytest.mark.parametrize("trial_id", ["NCT06458439", "NCT05510596", "NCT05281809"])
def test_only_drugs_listed_guards(trial_id, atlas_terms):
    """"Epcoritamab-CAR T Cells" with only epcoritamab listed (one regimen), MRI and tests of
    CAR-T recipients with ICANS (convention 2), local manufacture of CAR-T products given to
    patients: all stay cell therapies."""
    _keeps(*_other(trial_id), atlas_terms)


# 2. Only samples taken ("Bone marrow and blood sampling") to study a CAR-T on them in the
#    laboratory: not an observational study of the product's effects in its recipients
#    (convention 3).
@pytest.mark.parametrize("with_atlas", [True, False])
def test_samples_only_for_a_car_t_studied_in_the_laboratory(with_atlas, atlas_terms):
    _, c = _is("NCT07455500", "not_cell", atlas_terms, with_atlas)
    assert not any(r.startswith("cell.") for r in _rules(c))


# 3. Making a cell product without giving it (convention 4): "Production of Clinical-grade
#    ... CAR T Cells", only "peripheral blood" listed.
@pytest.mark.parametrize("with_atlas", [True, False])
def test_cells_produced_and_not_given_are_laboratory(with_atlas, atlas_terms):
    _, c = _is("NCT03624686", "not_cell", atlas_terms, with_atlas)
    assert "negative.laboratory" in _rules(c)


def test_cells_produced_and_not_given_in_other_words(atlas_terms):
    made = trial("Manufacturing of Autologous CAR-NK Cells From Patients With Lymphoma",
                 [("", "Leukapheresis")])
    assert classify(made, terms=atlas_terms).label == "not_cell"
    given = trial(made.title, [("", "Leukapheresis"), ("BIOLOGICAL", "Autologous CAR-NK cells")])
    assert classify(given, terms=atlas_terms).label == "cell_therapy"


# 4. A randomised study of a drug beside a named product the record calls standard care
#    ("Randomized Study of Pirtobrutinib and Brexucabtagene Autoleucel"), and a bridging therapy
#    whose efficacy the summary states as the question ("bridging therapy with Glofit-GemOx
#    followed by liso-cel"): the agent is studied (convention 1).
def test_a_randomised_agent_beside_a_named_product(atlas_terms):
    _, c = _is("NCT06553872", "not_cell", atlas_terms)
    assert "negative.setting" in _rules(c)


@pytest.mark.parametrize("with_atlas", [True, False])
def test_a_bridging_therapy_the_summary_studies(with_atlas, atlas_terms):
    _, c = _is("NCT07711483", "not_cell", atlas_terms, with_atlas)
    assert "negative.setting" in _rules(c)


def test_a_bridging_therapy_in_other_words():
    t = trial("Mosunetuzumab With Axi-Cel", [("", "Mosunetuzumab"), ("", "Axi-cel")],
              "This study evaluates the safety of bridging mosunetuzumab before axi-cel.")
    assert bridging_studied(t, ["Axi-cel"])
    assert not bridging_studied(t, ["Axi-cel", "Autologous CAR-T cells"])  # cells of its own


@pytest.mark.parametrize(
    "trial_id", ["NCT05583149", "NCT05860036", "NCT05257083", "NCT07093554"]
)
def test_randomised_and_bridging_guards(trial_id, atlas_terms):
    """Acalabrutinib + liso-cel (single arm), VRd followed by BCMA CAR-T and DVRd followed by
    cilta-cel against DVRd (the product is what is randomised) stay cell therapies;
    talquetamab bridging before cilta-cel stays not a cell therapy."""
    _keeps(*_other(trial_id), atlas_terms)


def test_a_single_arm_product_combination_of_set_7_stays(atlas_terms):
    _keeps(*_set7("NCT07194980"), atlas_terms)  # "Nemtabrutinib and Lisocabtagene Maraleucel"


# 5. A single-arm combination of a drug with a CAR-T studied as a whole (convention 1's
#    exception): "Zanubrutinib and Lisocabtagene Maraleucel" (a summary that says the drug
#    "works by preventing the action of" proteins asks no question of it), and "Zanubrutinib and
#    CAR T-cell Therapy" with both listed, which the wording model (p 0.00) may not take away.
@pytest.mark.parametrize("with_atlas", [True, False])
def test_a_drug_and_a_named_product_as_one_regimen(with_atlas, atlas_terms):
    _, c = _is("NCT05873712", "cell_therapy", atlas_terms, with_atlas)
    assert c.cell_family == "CAR_T"


@pytest.mark.parametrize("with_atlas", [True, False])
def test_a_drug_and_a_generic_car_t_as_one_regimen_are_kept_from_the_model(
    with_atlas, atlas_terms
):
    _, c = _is("NCT05202782", "cell_therapy", atlas_terms, with_atlas)
    assert AWAY not in _rules(c)


def test_one_regimen_in_other_words():
    t = trial("Venetoclax Plus CAR-T Cell Therapy in Mantle Cell Lymphoma",
              [("", "CAR-T cell therapy"), ("", "Venetoclax")],
              "A single-arm phase 2 trial of venetoclax and CAR-T cell therapy.")
    assert regimen_studied(t, t.title)
    for summary in ("Patients are randomized to venetoclax or observation after CAR-T.",
                    "The dose of venetoclax is escalated.",
                    "Venetoclax is given with standard of care CAR-T cell therapy."):
        assert not regimen_studied(trial(t.title, [("", "CAR-T cell therapy"),
                                                   ("", "Venetoclax")], summary), t.title)
    assert not regimen_studied(trial(t.title, [("", "Venetoclax")], t.summary), t.title)


@pytest.mark.parametrize("trial_id", ["NCT05359211", "NCT06940297", "NCT05757219"])
def test_one_regimen_guards(trial_id, atlas_terms):
    """NKTR-255, dasatinib and quercetin, itacitinib given with standard CAR-T products stay
    not cell therapies (the first held-out set's labels)."""
    _keeps(*_other(trial_id), atlas_terms)


# 6. A product the atlas knows listed among the interventions (CC-97540, zolacabtagene
#    autoleucel's code): the wording model (p 0.02) may not take it away.
def test_a_known_product_listed_is_kept_from_the_model(atlas_terms):
    _, t = _set7("NCT07573332")
    c = classify(t, terms=atlas_terms)
    assert c.label == "cell_therapy" and AWAY not in _rules(c), c.evidence
    assert _rules(c)[0] == "cell.known_product.CAR_T"
    # the guard reads the atlas's evidence on an intervention, not on the title alone
    assert kept_by_rules(t, [{"field": "interventions[0]", "text": "CC-97540",
                              "rule": "cell.known_product.CAR_T"}])
    assert not kept_by_rules(t, [{"field": "title", "text": "CC-97540",
                                  "rule": "cell.known_product.CAR_T"}])


# 7. A product the record calls tissue-engineered (an advanced therapy class made of cells or
#    tissues), and a product's name glued to "Cell" that the title names too ("CardioCell").
@pytest.mark.parametrize("with_atlas", [True, False])
@pytest.mark.parametrize("trial_id", ["NCT05081921", "NCT03418233"])
def test_a_tissue_engineered_product_and_a_name_glued_to_cell(trial_id, with_atlas, atlas_terms):
    _, c = _is(trial_id, "cell_therapy", atlas_terms, with_atlas)
    assert c.cell_family == "other"


def test_a_name_glued_to_cell_in_other_words(atlas_terms):
    glued = trial("Regenerative Capacity of OsteoCell in Nonunion", [("DRUG", "OsteoCell")],
                  study_type="interventional")
    assert classify(glued, terms=atlas_terms).label == "cell_therapy"
    # "CellCept" opens with "Cell": a drug (mycophenolate)
    drug = trial("CellCept in Lupus Nephritis", [("DRUG", "CellCept")],
                 study_type="interventional")
    assert classify(drug, terms=atlas_terms).label == "not_cell"
    # a glued name the title does not name is not read
    unnamed = trial("Regenerative Capacity in Nonunion", [("DRUG", "OsteoCell")],
                    study_type="interventional")
    assert classify(unnamed, terms=atlas_terms, wording=False).label == "not_cell"


@pytest.mark.parametrize("trial_id", ["NCT03205670", "NCT03563495", "NCT04315987"])
def test_tissue_engineered_and_glued_guards(trial_id, atlas_terms):
    """Tissue-engineered constructs of buccal mucosa cells and for alveolar cleft repair, and
    NestaCell® mesenchymal stem cells, keep their labels."""
    _keeps(*_other(trial_id), atlas_terms)
