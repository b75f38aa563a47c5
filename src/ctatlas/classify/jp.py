"""Japan: the PMD Act's regenerative medical products and the ASRM's risk classes.

Two questions, two laws. Is the product a regenerative medical product (PMD Act Art. 2(9)), and
of which class (Cabinet Order, Appended Table 2)? And if a medical institution gave it as
regenerative medicine, which ASRM class would the technique be (Class I is the highest risk)?
"""

from __future__ import annotations

from ctatlas.classify.base import (
    Facts,
    Rule,
    StepTest,
    Undecided,
    judge_manipulation,
    steps,
)
from ctatlas.model import IntendedFunction, Manipulation, ProfileOrigin
from ctatlas.vocab import CellKind

CODE = "JP"
CELL_PROCESSED = "regenerative_medical_product_cell_processed"
GENE_THERAPY = "regenerative_medical_product_gene_therapy"
NOT_RMP = "not_regenerative_medical_product"

#: The MHLW notices: culture, activation, differentiation and genetic engineering are processing;
#: separation, mincing, isolation, antibiotics, washing, gamma sterilisation, freezing and
#: thawing are not. Enzymatic digestion and lyophilisation are not named either way.
PROCESSING = StepTest(
    substantial=steps("culture_expansion", "activation", "genetic_modification", "differentiation"),
    minimal=steps(
        "cutting",
        "grinding",
        "shaping",
        "separation",
        "selection",
        "centrifugation",
        "concentration",
        "filtration",
        "soaking_in_antibiotics",
        "washing",
        "sterilisation",
        "irradiation",
        "freezing",
        "thawing",
    ),
)

R_GENE = Rule(
    "JP-PMD-2-9-ii",
    "contains genes to be introduced into cells and expressed in the body: a gene therapy product",
    "pmd_act",
    "Art. 2(9)(ii)",
)
R_NO_CELLS_NO_GENE = Rule(
    "JP-PMD-2-9-scope",
    "neither processed cells nor a gene for expression in the body: not a regenerative medical "
    "product",
    "pmd_act",
    "Art. 2(9)",
)
R_STEPS = Rule(
    "JP-PROCESSING-STEPS",
    "processing steps read against MHLW's definition of processing",
    "mhlw_processing_notice",
    "definition of 加工",
)
R_GM_IS_PROCESSING = Rule(
    "JP-PROCESSING-GENETIC",
    "genetic modification of cells is processing (genetic engineering)",
    "mhlw_processing_notice",
    "definition of 加工",
)
R_COMBINED_IS_PROCESSING = Rule(
    "JP-PROCESSING-COMBINATION",
    "combining cells with non-cellular components is processing",
    "mhlw_processing_notice",
    "definition of 加工",
)
R_MORE_THAN_MINIMAL = Rule(
    "JP-PROCESSING-CULTURE",
    "cultured or otherwise more than minimally handled cells are processed cells",
    "mhlw_processing_notice",
    "definition of 加工",
)
R_MINIMAL_NON_HOMOLOGOUS = Rule(
    "JP-PROCESSING-DIFFERENT-FUNCTION",
    "minimal handling counts as processing when the cells are used for a structure or function "
    "different from their original one",
    "mhlw_processing_notice",
    "definition of 加工 (proviso)",
)
R_STEM_PREPARED = Rule(
    "JP-ASRM-SOMATIC-STEM",
    "somatic stem cells taken and prepared for use are within the ASRM even when only separated "
    "(Class II names human somatic stem cells without requiring culture)",
    "asrm_ordinance",
    "Art. 3",
)
R_MINIMAL_HOMOLOGOUS = Rule(
    "JP-NOT-PROCESSED",
    "only separated, washed, frozen or similarly handled cells used for their original "
    "function are not processed: not a regenerative medical product",
    "mhlw_processing_notice",
    "definition of 加工",
)
R_CELL_PROCESSED = Rule(
    "JP-PMD-2-9-i",
    "processed human or animal cells for repair/reconstruction or for treating disease: a "
    "regenerative medical product",
    "pmd_act",
    "Art. 2(9)(i)",
)
R_CLASS_ANIMAL = Rule(
    "JP-CLASS-ANIMAL",
    "animal cells: animal cell processed product",
    "pmd_act_cabinet_order",
    "Appended Table 2, item 2",
)
R_CLASS_ES_IPS = Rule(
    "JP-CLASS-ES-IPS",
    "derived from ES or iPS cells: human ES/iPS cell processed product",
    "pmd_act_cabinet_order",
    "Appended Table 2, item 1",
)
R_CLASS_SOMATIC_STEM = Rule(
    "JP-CLASS-SOMATIC-STEM",
    "somatic stem cells: human somatic stem cell processed product",
    "pmd_act_cabinet_order",
    "Appended Table 2, item 1",
)
R_CLASS_SOMATIC = Rule(
    "JP-CLASS-SOMATIC",
    "somatic (non-stem) cells, gene-modified or not: human somatic cell processed product",
    "pmd_act_cabinet_order",
    "Appended Table 2, item 1",
)
R_CLASS_GENE = Rule(
    "JP-CLASS-GENE",
    "in vivo gene product: gene therapy product class",
    "pmd_act_cabinet_order",
    "Appended Table 2, item 3",
)
R_ASRM_EXCLUDED = Rule(
    "JP-ASRM-EXCLUDED",
    "haematopoietic stem cell transplantation, transfusion and assisted reproduction are "
    "excluded from the ASRM by Cabinet Order",
    "asrm_cabinet_order",
    "Art. 1",
)
R_HSCT_ACT = Rule(
    "JP-HSCT-ACT",
    "cells for haematopoietic stem cell transplantation are governed by the HSCT Act",
    "hsct_act",
    "Art. 2",
)
R_PLATELETS_PROCESSED = Rule(
    "JP-ASRM-PLATELETS",
    "platelet-rich plasma and similar platelet concentrates are cell-processed products within "
    "the ASRM (MHLW's Q&A on the Act): their class then follows the site, Class III where "
    "platelets do their own work, Class II where they do not",
    "asrm",
    "Art. 2(4)",
)
R_ASRM_NOT_APPLICABLE = Rule(
    "JP-ASRM-SCOPE",
    "no processed cells and no nucleic acid for in vivo gene transfer: outside the ASRM",
    "asrm",
    "Art. 2",
)
R_ASRM_I = Rule(
    "JP-ASRM-CLASS-I",
    "ES/iPS cells, gene-introduced cells, animal cells or another person's cells: Class I",
    "asrm_ordinance",
    "Art. 2",
)
R_ASRM_II = Rule(
    "JP-ASRM-CLASS-II",
    "the patient's own somatic stem cells, or processed cells not used homologously: Class II",
    "asrm_ordinance",
    "Art. 3",
)
R_ASRM_III = Rule(
    "JP-ASRM-CLASS-III",
    "the patient's own processed somatic cells used for their original function: Class III",
    "asrm",
    "Art. 2(7)",
)
R_ASRM_III_STEM_UNCULTURED = Rule(
    "JP-ASRM-CLASS-III-UNCULTURED-STEM",
    "the patient's own stem-cell-containing cells, separated without culture and used for the "
    "function of the tissue they came from: filed and accepted as Class III in practice",
    "asrm",
    "Art. 2(7)",
)
R_ASRM_II_CULTURED = Rule(
    "JP-ASRM-CLASS-II-CULTURED",
    "cultured cells used to rebuild, repair or form the body's structure or function: Class II",
    "asrm_ordinance",
    "Art. 3",
)
R_ASRM_GENE = Rule(
    "JP-ASRM-NUCLEIC-ACID",
    "in vivo gene therapy with specified nucleic acids is within the ASRM since 2025-05-31",
    "asrm",
    "Art. 2 (as amended by Act No. 51 of 2024)",
)


def classify(facts: Facts) -> None:
    d = facts.decision
    d.extra = {"product_class": None, "asrm_risk_class": None}
    origin = facts.need("origin", "whose cells are they (or none for a cell-free product)?")
    if origin is ProfileOrigin.none:
        _cell_free(facts)
        return
    processed = _processed(facts)
    if not processed:
        d.category = NOT_RMP
        d.extra["asrm_risk_class"] = _asrm_excluded_or(facts, "not_applicable")
        if d.extra["asrm_risk_class"] == "not_applicable":
            d.alternative(
                "III",
                "MHLW treats some minimally handled preparations used homologously (e.g. "
                "platelet-rich plasma applied to the skin) as Class III regenerative medicine",
                "whether a certified committee treats the preparation as processed cells",
                field="asrm_risk_class",
            )
        return
    d.category = CELL_PROCESSED
    d.fire(R_CELL_PROCESSED)
    d.open_pathways(["standard", "conditional_time_limited"])
    try:
        d.extra["product_class"] = _product_class(facts)
    except Undecided:
        d.extra["product_class"] = None  # the category stands; the class waits for an answer
    d.extra["asrm_risk_class"] = _asrm_excluded_or(facts, None) or _asrm_class(facts)


def _cell_free(facts: Facts) -> None:
    d = facts.decision
    gm = facts.need("genetically_modified", "does the product contain a gene for expression?")
    if not gm:
        d.category = NOT_RMP
        d.fire(R_NO_CELLS_NO_GENE)
        d.extra["asrm_risk_class"] = "not_applicable"
        d.fire(R_ASRM_NOT_APPLICABLE)
        return
    d.category = GENE_THERAPY
    d.fire(R_GENE)
    d.extra["product_class"] = "gene_therapy"
    d.fire(R_CLASS_GENE)
    d.open_pathways(["standard", "conditional_time_limited"])
    d.extra["asrm_risk_class"] = "I"
    d.fire(
        R_ASRM_GENE,
        "in vivo gene therapy given by a clinic is within the ASRM since "
        "2025-05-31; recorded as Class I (the Ordinance's class for nucleic acids is not "
        "modelled)",
    )
    d.alternative(
        "II",
        "the 2025 Ordinance may place some nucleic-acid techniques in Class II",
        "the ASRM Enforcement Ordinance's classification of specified nucleic acids",
        field="asrm_risk_class",
    )


def _processed(facts: Facts) -> bool:
    """Are the cells 'cultured or otherwise processed' in the MHLW notices' sense?"""
    d = facts.decision
    if facts.get("genetically_modified"):
        d.fire(R_GM_IS_PROCESSING)
        return True
    if facts.get("combined_with_device_or_drug"):
        d.fire(R_COMBINED_IS_PROCESSING)
        return True
    manipulation = judge_manipulation(facts, PROCESSING, R_STEPS, "MHLW notion of processing")
    if facts.get("cell_kind") is CellKind.platelets:
        d.missing = [m for m in d.missing if m["attribute"] != "manipulation"]
        d.fire(R_PLATELETS_PROCESSED)
        return True
    if manipulation is Manipulation.more_than_minimal:
        d.fire(R_MORE_THAN_MINIMAL)
        return True
    if manipulation is None:
        # Unknown manipulation: a known non-homologous use would settle it either way.
        if facts.get("homologous_use") is False:
            d.fire(R_MINIMAL_NON_HOMOLOGOUS)
            return True
        if _stem_prepared(facts):
            return True
        facts.stop_if_missing()
    elif facts.get("homologous_use") is not False and _stem_prepared(facts):
        return True
    homologous = facts.need(
        "homologous_use", "are the minimally handled cells used for their original function?"
    )
    if not homologous:
        d.fire(R_MINIMAL_NON_HOMOLOGOUS)
        d.alternative(
            NOT_RMP,
            "the different-function proviso is stated in the ASRM notice; a product reviewed "
            "under the PMD Act might be treated as unprocessed cells",
            "a PMDA classification consultation for the product",
        )
        return True
    # Minimal handling excludes genetic modification; a combination would still be processing.
    facts.need(
        "combined_with_device_or_drug", "are the cells combined with a non-cellular component?"
    )
    d.fire(R_MINIMAL_HOMOLOGOUS)
    return False


def _stem_prepared(facts: Facts) -> bool:
    """Somatic stem cells prepared for use (not for blood-forming transplants) are in the ASRM."""
    if not facts.get("stem_cell") or facts.get("pluripotent") is True:
        return False
    if facts.get("intended_function") is IntendedFunction.hematopoietic_reconstitution:
        return False
    d = facts.decision
    d.missing = [m for m in d.missing if m["attribute"] != "manipulation"]
    d.fire(R_STEM_PREPARED)
    return True


def _product_class(facts: Facts) -> str:
    d = facts.decision
    if facts.get("origin") is ProfileOrigin.xenogeneic:
        d.fire(R_CLASS_ANIMAL)
        return "animal_cell_processed"
    pluripotent = facts.want("pluripotent", "are the cells derived from ES or iPS cells?")
    if pluripotent is None and facts.get("stem_cell") is None:
        facts.want("stem_cell", "are the cells somatic stem/progenitor cells?")
    facts.stop_if_missing()
    if pluripotent:
        d.fire(R_CLASS_ES_IPS)
        return "human_es_ips_cell_processed"
    if facts.need("stem_cell", "are the cells somatic stem/progenitor cells?"):
        d.fire(R_CLASS_SOMATIC_STEM)
        return "human_somatic_stem_cell_processed"
    d.fire(R_CLASS_SOMATIC)
    return "human_somatic_cell_processed"


def _asrm_excluded_or(facts: Facts, otherwise: str | None) -> str | None:
    d = facts.decision
    function = facts.get("intended_function")
    if function in (IntendedFunction.hematopoietic_reconstitution, IntendedFunction.reproductive):
        d.fire(R_ASRM_EXCLUDED)
        if function is IntendedFunction.hematopoietic_reconstitution:
            d.fire(R_HSCT_ACT)
            if d.category == CELL_PROCESSED:
                d.alternative(
                    "II",
                    "the Cabinet Order excludes haematopoietic stem cell transplantation; "
                    "cultured or expanded cells may be reviewed as processed cells under the "
                    "ASRM instead",
                    "MHLW's reading of the exclusion for processed haematopoietic cells",
                    field="asrm_risk_class",
                )
        return "excluded_by_cabinet_order"
    if otherwise == "not_applicable":
        d.fire(R_ASRM_NOT_APPLICABLE)
    elif function is None and otherwise is None:
        facts.want(
            "intended_function",
            "is it for haematopoietic reconstitution or reproduction (excluded from the ASRM)?",
        )
    return otherwise


def _asrm_class(facts: Facts) -> str | None:
    d = facts.decision
    if facts.get("intended_function") is None:
        return None
    p = facts.profile
    reasons = []
    if p.pluripotent:
        reasons.append("ES/iPS-derived cells")
    if p.genetically_modified:
        reasons.append("gene-introduced cells")
    if p.origin is ProfileOrigin.xenogeneic:
        reasons.append("animal cells")
    if p.origin is ProfileOrigin.allogeneic:
        reasons.append("another person's cells")
    if reasons:
        d.fire(R_ASRM_I, f"{', '.join(reasons)}: Class I (highest risk)")
        return "I"
    for name, question in (
        ("pluripotent", "are the cells ES/iPS-derived (Class I)?"),
        ("genetically_modified", "are the cells gene-modified (Class I)?"),
        ("stem_cell", "are the cells stem cells (Class II)?"),
    ):
        if getattr(p, name) is None:
            facts.record(name, question)
            return None
    if p.stem_cell and p.manipulation is Manipulation.minimal and p.homologous_use is True:
        # e.g. fat grafts enriched with the patient's own separated adipose cells, selected
        # CD34+ cells transplanted back: the plans on record were filed and accepted as Class III
        d.fire(R_ASRM_III_STEM_UNCULTURED)
        d.alternative(
            "II",
            "the Ordinance puts somatic stem cells in Class II; a committee reading the "
            "separated cells as stem-cell processing would file the plan as Class II",
            "the certified committee's reading of the separated stem-cell fraction",
            field="asrm_risk_class",
        )
        return "III"
    if p.stem_cell:
        d.fire(R_ASRM_II, "the patient's own somatic stem cells: Class II")
        return "II"
    if p.manipulation is Manipulation.more_than_minimal and p.intended_function in (
        IntendedFunction.structural_repair,
        IntendedFunction.cosmetic_augmentation,
    ):
        d.fire(R_ASRM_II_CULTURED)
        return "II"
    homologous = p.homologous_use
    if homologous is None:
        if p.intended_function is IntendedFunction.structural_repair:
            facts.record("homologous_use", "are the cells used homologously (else Class II)?")
            return None
        # Cells given back to do what they did in the body (immune cells, dendritic cells,
        # platelets): the plans on record for these are Class III; a different function
        # makes it Class II.
        d.fire(R_ASRM_III, "the patient's own processed somatic cells, not for repair: Class III")
        d.alternative(
            "II",
            "if the cells are not used for the function they had where they were taken "
            "(e.g. platelet-rich plasma injected into a joint, blood cells grown to regrow "
            "hair), the plan is Class II",
            "whether the cells are used homologously (the MHLW risk-classification chart)",
            field="asrm_risk_class",
        )
        return "III"
    if not homologous:
        d.fire(R_ASRM_II, "processed cells not used homologously: Class II")
        return "II"
    d.fire(R_ASRM_III)
    return "III"
