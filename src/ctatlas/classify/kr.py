"""Korea: advanced biological products (ARBA Art. 2(5)) and the clinical research risk tiers.

Cells manipulated outside the body are cell therapy products, unless only minimally handled
(simple separation, washing, freezing, thawing); cells carrying introduced genetic material are
gene therapy products; a medical device combined with them makes an advanced combination
product. Cord blood, organs and tissue grafts that are not manufactured into medicines fall
under their own laws.
"""

from __future__ import annotations

import datetime as dt

from ctatlas.classify.base import Facts, Rule, StepTest, judge_manipulation, steps
from ctatlas.model import IntendedFunction, Manipulation, ProfileOrigin
from ctatlas.vocab import CellKind

CODE = "KR"
NOT_A_BIOLOGIC = "not_a_biologic_under_cell_therapy_definition"

#: Culture, expansion and selection (선별) are manipulation; simple separation, washing,
#: freezing and thawing are minimal. Other steps are not named.
MANIPULATION = StepTest(
    substantial=steps(
        "culture_expansion", "activation", "genetic_modification", "differentiation", "selection"
    ),
    minimal=steps(
        "separation",
        "centrifugation",
        "concentration",
        "washing",
        "freezing",
        "thawing",
        "filtration",
    ),
)

R_STEPS = Rule(
    "KR-MANIPULATION-STEPS",
    "processing steps read against the minimal-manipulation exclusion (simple separation, "
    "washing, freezing, thawing)",
    "mfds_biologics_regulation",
    "Art. 2 (definition of 세포치료제)",
)
R_GENE_VECTOR = Rule(
    "KR-ARBA-2-5-b-VECTOR",
    "genetic material for delivery into the body: a gene therapy product",
    "arba",
    "Art. 2(5)(b)",
)
R_GENE_CELLS = Rule(
    "KR-ARBA-2-5-b-CELLS",
    "cells carrying introduced or modified genetic material: a gene therapy product",
    "arba",
    "Art. 2(5)(b)",
)
R_NO_CELLS = Rule(
    "KR-SCOPE-CELL-FREE",
    "no living cells and no genetic material: outside the cell therapy definition",
    "arba",
    "Art. 2(5)",
)
R_MINIMAL = Rule(
    "KR-MINIMAL-EXCLUSION",
    "cells only minimally manipulated (simple separation, washing, freezing, thawing) keeping "
    "their biological characteristics are excluded from the cell therapy definition",
    "mfds_biologics_regulation",
    "Art. 2 (definition of 세포치료제, proviso)",
)
R_CORD_BLOOD = Rule(
    "KR-CORD-BLOOD-ACT",
    "cord blood for haematopoietic transplantation is governed by the Cord Blood Act",
    "cord_blood_act",
    "Art. 2",
)
R_ORGAN = Rule(
    "KR-ORGAN-ACT",
    "bone marrow and organ donation for transplantation are governed by the Organ Transplant Act",
    "organ_transplant_act",
    "Art. 4",
)
R_TISSUE = Rule(
    "KR-HUMAN-TISSUE-ACT",
    "non-viable human tissue grafts are governed by the Human Tissue Act",
    "human_tissue_act",
    "definitions",
)
R_CELL_THERAPY = Rule(
    "KR-ARBA-2-5-a",
    "living cells manipulated outside the body: a cell therapy product",
    "arba",
    "Art. 2(5)(a)",
)
R_TISSUE_ENGINEERED = Rule(
    "KR-ARBA-2-5-c",
    "engineered cells on a scaffold or matrix to regenerate, restore or replace tissue: a "
    "tissue-engineered product",
    "arba",
    "Art. 2(5)(c)",
)
R_COMBINATION = Rule(
    "KR-ARBA-2-5-d",
    "an advanced biological product combined with a medical device: an advanced combination "
    "product",
    "arba",
    "Art. 2(5)(d)",
)
R_RISK_OUT_MINIMAL = Rule(
    "KR-RESEARCH-SCOPE-MINIMAL",
    "minimally manipulated cells are excluded from advanced regenerative medicine",
    "arba",
    "Art. 2(1) proviso",
)
R_RISK_OUT_COSMETIC = Rule(
    "KR-RESEARCH-SCOPE-COSMETIC",
    "uninsured cosmetic or plastic surgery procedures are excluded from advanced regenerative "
    "medicine",
    "arba_decree",
    "Art. 2(2)",
)
R_RISK_HIGH = Rule(
    "KR-RESEARCH-HIGH",
    "gene therapy, pluripotent stem cells or animal cells: high-risk research (MFDS approval)",
    "arba",
    "Art. 2(3)(a); Art. 12(3)",
)
R_RISK_MEDIUM = Rule(
    "KR-RESEARCH-MEDIUM",
    "somatic (adult) stem cells manipulated outside the body: medium-risk research",
    "arba",
    "Art. 2(3)(b)",
)
R_RISK_HIGH_ALLOGENEIC = Rule(
    "KR-RESEARCH-HIGH-ALLOGENEIC",
    "another person's stem cells: high-risk research (as the deliberation committee has classed "
    "donor mesenchymal stem cells, 2025)",
    "arba",
    "Art. 2(3)(a)",
)
R_RISK_MEDIUM_SOMATIC = Rule(
    "KR-RESEARCH-MEDIUM-SOMATIC",
    "the patient's own somatic cells cultured or otherwise manipulated: medium-risk research "
    "(as the deliberation committee has classed cytokine-induced killer cells, antigen-specific "
    "T cells and monocyte-derived cells, 2025)",
    "arba",
    "Art. 2(3)(b)",
)
R_RISK_LOW_IMMUNE = Rule(
    "KR-RESEARCH-LOW-IMMUNE-2026",
    "the patient's own immune cells (such as NK cells) cultured and given back: low risk since "
    "the deliberation committee's resolution of 2026-06-25, so treatment plans need no prior "
    "clinical research",
    "arba",
    "Art. 2(3)(c)",
)
#: The day the committee lowered the patient's own cultured immune cells to low risk.
IMMUNE_LOWERED = dt.date(2026, 6, 25)
R_RISK_UNCERTAIN = Rule(
    "KR-RESEARCH-UNSETTLED",
    "manipulated somatic (non-stem) cells: medium or low risk under the Decree's criteria, "
    "which are not modelled here",
    "arba_decree",
    "risk criteria",
)


def classify(facts: Facts) -> None:
    d = facts.decision
    d.extra = {"clinical_research_risk": None}
    origin = facts.get("origin")
    if origin is None and facts.get("viable_cells") is not True:
        # only "no cells" changes the category; living cells are cells whoever the donor is
        origin = facts.need("origin", "whose cells are they (or none for a cell-free product)?")
    if origin is ProfileOrigin.none:
        gm = facts.need("genetically_modified", "is the product genetic material (a vector)?")
        if gm:
            d.category = "gene_therapy_product"
            d.fire(R_GENE_VECTOR)
            _risk_in_scope(facts, in_scope=True)
            d.open_pathways(["standard", "conditional"])
        else:
            d.category = NOT_A_BIOLOGIC
            d.fire(R_NO_CELLS)
            d.extra["clinical_research_risk"] = "out_of_scope"
        return
    manipulated = _manipulated(facts)
    if not manipulated:
        _outside(facts)
        return
    facts.need("genetically_modified", "do the cells carry introduced genetic material?")
    if _device(facts):
        d.category = "advanced_combination_product"
        d.fire(R_COMBINATION)
    elif facts.get("genetically_modified"):
        d.category = "gene_therapy_product"
        d.fire(R_GENE_CELLS)
    elif facts.get("combined_with_device_or_drug") and _structural(facts):
        d.category = "tissue_engineered_product"
        d.fire(R_TISSUE_ENGINEERED)
    else:
        d.category = "cell_therapy_product"
        d.fire(R_CELL_THERAPY)
        if facts.get("intended_function") is IntendedFunction.structural_repair:
            d.alternative(
                "tissue_engineered_product",
                "engineering cells to regenerate or replace tissue also fits the "
                "tissue-engineered definition; MFDS has licensed cultured chondrocytes and "
                "keratinocyte sheets as cell therapy products",
                "MFDS's classification of the product at licensing",
            )
    d.open_pathways(["standard", "conditional"])
    _risk_in_scope(facts, in_scope=True)


def _manipulated(facts: Facts) -> bool:
    if facts.get("genetically_modified"):
        return True
    manipulation = judge_manipulation(
        facts, MANIPULATION, R_STEPS, "minimal-manipulation exclusion"
    )
    if manipulation is None:
        facts.stop_if_missing()
    return manipulation is Manipulation.more_than_minimal


def _device(facts: Facts) -> bool:
    combined = facts.need(
        "combined_with_device_or_drug", "is it combined with a scaffold, matrix or device?"
    )
    if not combined:
        return False
    return bool(
        facts.need("integral_medical_device", "is the non-cellular part itself a medical device?")
    )


def _structural(facts: Facts) -> bool:
    function = facts.need("intended_function", "is it for structural repair or for treatment?")
    return function in (IntendedFunction.structural_repair, IntendedFunction.cosmetic_augmentation)


def _outside(facts: Facts) -> None:
    d = facts.decision
    d.category = NOT_A_BIOLOGIC
    d.fire(R_MINIMAL)
    d.extra["clinical_research_risk"] = "out_of_scope"
    d.fire(R_RISK_OUT_MINIMAL)
    function = facts.get("intended_function")
    if function is IntendedFunction.hematopoietic_reconstitution:
        d.fire(R_CORD_BLOOD)
        d.fire(R_ORGAN)
        return
    if facts.get("viable_cells") is False:
        d.fire(R_TISSUE)
        return
    d.alternative(
        "low",
        "the deliberation committee has reviewed a plan using only separated cells (the "
        "patient's own bone-marrow mononuclear cells for cardiomyopathy, 2025) as low-risk "
        "research, so separated cells used for a new purpose may be within the Act",
        "the Enforcement Decree's low-risk criteria for minimally manipulated cells",
        field="clinical_research_risk",
    )
    d.alternative(
        "cell_therapy_product",
        "the exclusion is framed for a physician's minimal handling within surgery or treatment "
        "at a medical institution; minimally handled cells made and distributed as a product may "
        "still be reviewed as a cell therapy product",
        "whether the cells are handled only within the treating medical institution",
    )


def _risk_in_scope(facts: Facts, in_scope: bool) -> None:
    d = facts.decision
    p = facts.profile
    cosmetic = p.cosmetic_purpose
    if cosmetic is None:
        facts.record("cosmetic_purpose", "is it a cosmetic use (excluded from the research rules)?")
        d.extra["clinical_research_risk"] = "uncertain"
        return
    if cosmetic:
        d.fire(R_RISK_OUT_COSMETIC)
        d.extra["clinical_research_risk"] = "out_of_scope"
        return
    if p.genetically_modified or p.pluripotent or p.origin is ProfileOrigin.xenogeneic:
        d.fire(R_RISK_HIGH)
        d.extra["clinical_research_risk"] = "high"
        return
    if p.origin is None:
        facts.record("origin", "are they animal cells (high risk)?")
        d.extra["clinical_research_risk"] = "uncertain"
        return
    if p.stem_cell is None or p.pluripotent is None:
        name = "stem_cell" if p.stem_cell is None else "pluripotent"
        facts.record(name, "which cells (pluripotent, adult stem, somatic) set the risk tier")
        d.extra["clinical_research_risk"] = "uncertain"
        return
    if p.stem_cell and p.origin is ProfileOrigin.allogeneic:
        d.fire(R_RISK_HIGH_ALLOGENEIC)
        d.extra["clinical_research_risk"] = "high"
        d.alternative(
            "medium",
            "the Act names somatic stem cells as medium risk; the committee's high rating of "
            "donor mesenchymal stem cells (cord-blood cells with a cartilage matrix, 2025-10-23; "
            "umbilical-cord cells, 2025-11-20) may rest on the plan rather than on the donor",
            "the Enforcement Decree's risk criteria for allogeneic stem cells",
            field="clinical_research_risk",
        )
        return
    if p.stem_cell:
        d.fire(R_RISK_MEDIUM)
        d.extra["clinical_research_risk"] = "medium"
        return
    if (
        p.origin is ProfileOrigin.autologous
        and p.cell_kind is CellKind.immune_cells
        and p.manipulation is Manipulation.more_than_minimal
        and facts.as_of >= IMMUNE_LOWERED
    ):
        d.fire(R_RISK_LOW_IMMUNE)
        d.extra["clinical_research_risk"] = "low"
        d.alternative(
            "medium",
            "before 2026-06-25 the committee classed the patient's own cultured immune cells "
            "(cytokine-induced killer cells, antigen-specific T cells) as medium risk",
            "the date of the deliberation",
            field="clinical_research_risk",
        )
        return
    if p.origin is ProfileOrigin.autologous:
        d.fire(R_RISK_MEDIUM_SOMATIC)
        d.extra["clinical_research_risk"] = "medium"
        d.alternative(
            "low",
            "since 2026-06-25 the patient's own immune cells (such as NK cells) cultured and "
            "given back are low risk by the committee's resolution, so treatment plans need "
            "no prior clinical research",
            "whether the cells are the patient's own cultured immune cells",
            field="clinical_research_risk",
        )
        return
    d.fire(R_RISK_UNCERTAIN)
    d.extra["clinical_research_risk"] = "uncertain"
