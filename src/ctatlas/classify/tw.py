"""Taiwan: regenerative medicine preparations (Regenerative Medicine Preparations Act, 2026).

A preparation containing genes, cells or their derivatives for human use is a regenerative
medicine preparation, a drug under the Pharmaceutical Affairs Act, in one of four classes: gene
therapy, cell therapy (cells processed and manufactured), tissue-engineered, or combined with
device-like structural material (Arts. 3-4). Transfusion, blood products, haematopoietic stem
cell transplantation and assisted reproduction are outside the Regenerative Medicine Act's
techniques (Art. 3); the tier module answers those.
"""

from __future__ import annotations

from ctatlas.classify.base import Facts, Rule, StepTest, judge_manipulation, steps
from ctatlas.model import IntendedFunction, Manipulation, ProfileOrigin

CODE = "TW"
PREPARATION = "regenerative_medicine_preparation"
NOT_PREPARATION = "not_regenerative_medicine_preparation"

#: The Act says "processed and manufactured" (加工製造) without listing steps; culture,
#: activation, differentiation and genetic modification are processing on any reading, and the
#: simple steps the Special Regulations' cell definition allowed are read as not processing.
PROCESSING = StepTest(
    substantial=steps("culture_expansion", "activation", "genetic_modification", "differentiation"),
    minimal=steps(
        "separation", "centrifugation", "concentration", "washing", "freezing", "thawing"
    ),
)

R_STEPS = Rule(
    "TW-PROCESSING-STEPS",
    "processing steps read against 'processed and manufactured' (加工製造)",
    "rmp_act",
    "Art. 4(2)",
)
R_SCOPE = Rule(
    "TW-RMP-3",
    "a preparation for human use containing genes, cells or their derivatives: a regenerative "
    "medicine preparation (a drug under the Pharmaceutical Affairs Act)",
    "rmp_act",
    "Art. 3",
)
R_NO_GENE_NO_CELL = Rule(
    "TW-RMP-3-SCOPE",
    "no genes and no cells: not a regenerative medicine preparation",
    "rmp_act",
    "Art. 3",
)
R_GENE = Rule(
    "TW-RMP-4-1",
    "recombinant genes put or infused into the body: a gene therapy preparation",
    "rmp_act",
    "Art. 4(1)",
)
R_CELL = Rule(
    "TW-RMP-4-2",
    "cells or their derivatives processed and manufactured: a cell therapy preparation",
    "rmp_act",
    "Art. 4(2)",
)
R_TISSUE = Rule(
    "TW-RMP-4-3",
    "processed or modified tissue or cells to repair, regenerate or replace tissue: a "
    "tissue-engineered preparation",
    "rmp_act",
    "Art. 4(3)",
)
R_COMBINED = Rule(
    "TW-RMP-4-4",
    "combined with structural material that is a medical device: a combined preparation",
    "rmp_act",
    "Art. 4(4)",
)
R_NOT_PROCESSED = Rule(
    "TW-NOT-PROCESSED",
    "cells only separated, washed, frozen or thawed are not 'processed and manufactured'",
    "rmp_act",
    "Art. 4(2)",
)


def classify(facts: Facts) -> None:
    d = facts.decision
    d.extra = {"preparation_class": None}
    origin = facts.need("origin", "whose cells are they (or none for a cell-free product)?")
    if origin is ProfileOrigin.none:
        if facts.need("genetically_modified", "does it carry recombinant genes?"):
            _preparation(facts, "gene_therapy", R_GENE)
        else:
            d.category = NOT_PREPARATION
            d.fire(R_NO_GENE_NO_CELL)
        return
    if facts.get("genetically_modified"):
        _preparation(facts, "gene_therapy", R_GENE)
        d.alternative(
            "cell_therapy",
            "cells modified outside the body are also 'cells processed and manufactured'; the "
            "Act does not say which class gene-modified cells fall in",
            "TFDA's classification of the preparation at licensing",
            field="preparation_class",
        )
        return
    manipulation = judge_manipulation(facts, PROCESSING, R_STEPS, "Act's notion of processing")
    if manipulation is None:
        facts.stop_if_missing()
    if manipulation is Manipulation.minimal:
        d.category = NOT_PREPARATION
        d.fire(R_NOT_PROCESSED)
        d.alternative(
            PREPARATION,
            "Art. 3 covers any preparation containing cells; only Art. 4(2)'s wording "
            "'processed and manufactured' suggests minimally handled cells fall outside",
            "TFDA's reading of Art. 3 for minimally handled cells",
        )
        return
    combined = facts.need(
        "combined_with_device_or_drug", "is it combined with a scaffold, matrix or device?"
    )
    if combined and facts.need(
        "integral_medical_device", "is the structural material itself a medical device?"
    ):
        _preparation(facts, "combined", R_COMBINED)
        return
    if facts.get("intended_function") in (
        IntendedFunction.structural_repair,
        IntendedFunction.cosmetic_augmentation,
    ):
        _preparation(facts, "tissue_engineered", R_TISSUE)
        if not combined:
            d.alternative(
                "cell_therapy",
                "cells given without a scaffold to repair tissue also fit the cell therapy class",
                "TFDA's classification of the preparation at licensing",
                field="preparation_class",
            )
        return
    _preparation(facts, "cell_therapy", R_CELL)


def _preparation(facts: Facts, klass: str, rule: Rule) -> None:
    d = facts.decision
    d.category = PREPARATION
    d.fire(R_SCOPE)
    d.fire(rule)
    d.extra["preparation_class"] = klass
    d.open_pathways(["standard", "conditional_time_limited"])
