"""The classifier: targets on the frozen labelled set, and hard negatives one by one."""

from __future__ import annotations

import pytest

from ctatlas.trials.classify import classify
from ctatlas.trials.evaluate import evaluate
from ctatlas.trials.record import Trial

from .conftest import FIX


def test_precision_and_recall_targets_on_the_labelled_set():
    ev = evaluate(FIX)
    assert ev.n >= 200
    assert ev.tp + ev.fn >= 100
    assert ev.precision >= 0.95, ev.false_positives
    assert ev.recall >= 0.90, ev.false_negatives


def _t(title, interventions=(), summary="", **kw):
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id="NCT00000000",
        title=title,
        summary=summary,
        interventions=[
            {"type": t, "name": n, "description": d, "other_names": []} for t, n, d in interventions
        ],
        **kw,
    )


@pytest.mark.parametrize(
    ("trial", "label"),
    [
        (
            _t(
                "Safety Evaluation Study for Patients With Aggressive NK-cell Leukemia",
                [("DRUG", "PPMX-T003", "")],
            ),
            "not_cell",
        ),
        (
            _t("Plerixafor for stem cell mobilization in myeloma", [("DRUG", "Plerixafor", "")]),
            "not_cell",
        ),
        (
            _t(
                "MSC-derived exosomes for ARDS",
                [("BIOLOGICAL", "Exosomes derived from mesenchymal stem cells", "")],
            ),
            "acellular_cell_derived",
        ),
        (
            _t(
                "Platelet-rich plasma injection for knee osteoarthritis",
                [("BIOLOGICAL", "PRP", "")],
            ),
            "acellular_cell_derived",
        ),
        (
            _t(
                "Metoprolol for CRS in Patients Treated With Chimeric Antigen Receptor T Cells",
                [("DRUG", "Metoprolol", "")],
            ),
            "not_cell",
        ),
        (
            _t(
                "In Vivo CAR-T for Refractory Lupus",
                [("GENETIC", "XYZ-101 injection", "")],
                "XYZ-101 is a lentiviral vector that generates CAR-T cells in vivo.",
            ),
            "not_cell",
        ),
        (
            _t(
                "Iberdomide Maintenance Following Autologous Stem Cell Transplant",
                [("DRUG", "Iberdomide", ""), ("DRUG", "Lenalidomide", "")],
            ),
            "not_cell",
        ),
        (
            _t(
                "Reduced-intensity conditioning before allogeneic stem cell transplantation",
                [("DRUG", "Fludarabine", ""), ("DRUG", "Busulfan", "")],
            ),
            "hsct_procedure",
        ),
        (_t("Etoposide (ETO-Cell) plus cisplatin", [("DRUG", "ETO-Cell", "")]), "not_cell"),
        (
            _t(
                "Faecal microbiota transplantation for NASH",
                [("OTHER", "Fecal Microbiota Transplantation", "")],
            ),
            "not_cell",
        ),
        (
            _t(
                "Odronextamab, a CD20xCD3 bispecific T-cell engager", [("DRUG", "Odronextamab", "")]
            ),
            "not_cell",
        ),
    ],
)
def test_hard_negatives(trial, label):
    assert classify(trial).label == label


def test_cell_therapy_attributes_and_evidence():
    c = classify(
        _t(
            "Autologous adipose-derived mesenchymal stem cells for knee OA",
            [("BIOLOGICAL", "JointStem", "autologous adipose MSCs 1x10^8 cells")],
        )
    )
    assert c.label == "cell_therapy"
    assert (c.cell_family, c.cell_class, c.stem_type, c.origin) == (
        "MSC",
        "stem",
        "MSC",
        "autologous",
    )
    assert c.evidence and {"field", "text", "rule"} <= set(c.evidence[0])
    assert c.evidence[0]["field"].startswith("interventions")

    car = classify(_t("Allogeneic CD19 CAR-NK cells", [("BIOLOGICAL", "CAR-NK cells", "")]))
    assert (car.cell_family, car.cell_class, car.origin) == ("CAR_NK", "somatic", "allogeneic")
    unknown = classify(_t("CD19 CAR-T in lymphoma", [("BIOLOGICAL", "CAR-T cells", "")]))
    assert unknown.origin == "unknown"  # the record does not say


def test_known_products_can_be_switched_off():
    from ctatlas.trials.atlas_terms import cell_terms

    terms = cell_terms(
        [{"slug": "idecabtagene-vicleucel", "name": "idecabtagene vicleucel", "codes": ["bb2121"],
          "modality": "gene_modified_cell", "stem_type": "not_applicable",
          "cell_type": "BCMA-directed CAR T cells", "genetically_modified": True}]
    )
    t = _t("A Study of bb2121 in Multiple Myeloma", [("BIOLOGICAL", "bb2121", "")])
    assert classify(t, terms=terms).label == "cell_therapy"
    assert classify(t, terms=terms).evidence[0]["rule"] == "cell.known_product.CAR_T"
    assert classify(t, terms=terms).cell_family == "CAR_T"
    assert classify(t, known_products=False, terms=terms).label == "not_cell"
    assert classify(t).label == "not_cell"  # no atlas: the text rules alone
