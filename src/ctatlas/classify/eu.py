"""European Union: advanced therapy medicinal products (Regulation 1394/2007).

Cells are "engineered" when substantially manipulated or not used for the same essential
function (Art. 2(1)(c)); engineered cells for tissue repair are a TEP, for pharmacological,
immunological or metabolic action an sCTMP (Directive 2001/83/EC Annex I Part IV); recombinant
nucleic acids make a GTMP, which takes precedence (Art. 2(5)); an integral medical device makes
a combined ATMP (Art. 2(1)(d)). Cells neither engineered nor gene-modified stay under the tissues
and cells rules (Directive 2004/23/EC; the SoHO Regulation from 2027).
"""

from __future__ import annotations

from ctatlas.classify.base import Facts, Rule, StepTest, judge_manipulation, steps
from ctatlas.model import IntendedFunction, Manipulation, ProfileOrigin

CODE = "EU"

#: Annex I lists the manipulations that are not substantial. Washing is read with them; enzymatic
#: digestion is not listed and CAT decides it case by case.
MANIPULATION = StepTest(
    substantial=steps("culture_expansion", "activation", "genetic_modification", "differentiation"),
    minimal=steps(
        "cutting",
        "grinding",
        "shaping",
        "centrifugation",
        "soaking_in_antibiotics",
        "sterilisation",
        "irradiation",
        "separation",
        "concentration",
        "selection",
        "filtration",
        "lyophilisation",
        "freezing",
        "washing",
    ),
)

R_STEPS = Rule(
    "EU-ANNEX-I-STEPS",
    "processing steps read against the non-substantial manipulations of Annex I",
    "reg_1394_2007",
    "Annex I",
)
R_GTMP_VECTOR = Rule(
    "EU-GTMP-VECTOR",
    "a recombinant nucleic acid administered to add, repair, replace or delete a genetic "
    "sequence: a gene therapy medicinal product",
    "dir_2001_83",
    "Annex I, Part IV, 2.1",
)
R_NO_CELLS = Rule(
    "EU-NOT-ATMP-CELL-FREE",
    "no cells, tissues or recombinant nucleic acid: not an ATMP",
    "reg_1394_2007",
    "Art. 2(1)(a)",
)
R_SUBSTANTIAL = Rule(
    "EU-ENGINEERED-MANIPULATION",
    "substantially manipulated cells or tissues are engineered",
    "reg_1394_2007",
    "Art. 2(1)(c)",
)
R_DIFFERENT_FUNCTION = Rule(
    "EU-ENGINEERED-FUNCTION",
    "cells or tissues not used for the same essential function(s) in recipient and donor are "
    "engineered, even if not substantially manipulated",
    "reg_1394_2007",
    "Art. 2(1)(c)",
)
R_NOT_ENGINEERED = Rule(
    "EU-NOT-ENGINEERED",
    "not substantially manipulated and used for the same essential function: not an ATMP; the "
    "tissues and cells rules apply (SoHO Regulation from 2027-08-07)",
    "dir_2004_23",
    "Art. 2",
)
R_SOHO = Rule(
    "EU-SOHO",
    "from 2027-08-07 substances of human origin outside the medicinal product rules fall under "
    "the SoHO Regulation",
    "soho_reg",
    "Art. 2",
)
R_GTMP_CELLS = Rule(
    "EU-GTMP-PRECEDENCE",
    "genetically modified cells: a product that may be an sCTMP or TEP and a GTMP is a GTMP",
    "reg_1394_2007",
    "Art. 2(5)",
)
R_COMBINED = Rule(
    "EU-COMBINED-ATMP",
    "incorporates a medical device as an integral part, with viable cells or tissues: a "
    "combined ATMP",
    "reg_1394_2007",
    "Art. 2(1)(d)",
)
R_TEP = Rule(
    "EU-TEP",
    "engineered cells to regenerate, repair or replace a human tissue: a tissue engineered "
    "product (a TEP takes precedence over an sCTMP, Art. 2(4))",
    "reg_1394_2007",
    "Art. 2(1)(b), 2(4)",
)
R_SCTMP = Rule(
    "EU-SCTMP",
    "engineered cells acting by pharmacological, immunological or metabolic action to treat, "
    "prevent or diagnose disease: a somatic cell therapy medicinal product",
    "dir_2001_83",
    "Annex I, Part IV, 2.2",
)
R_NON_VIABLE = Rule(
    "EU-NON-VIABLE",
    "exclusively non-viable cells not acting principally by pharmacological, immunological or "
    "metabolic action are excluded from the TEP definition",
    "reg_1394_2007",
    "Art. 2(1)(b)",
)
R_REPRODUCTIVE = Rule(
    "EU-REPRODUCTIVE",
    "reproductive cells for assisted reproduction fall under the tissues and cells rules",
    "dir_2004_23",
    "Art. 2",
)
R_HOSPITAL_EXEMPTION = Rule(
    "EU-HOSPITAL-EXEMPTION",
    "besides the centralised procedure, a custom-made ATMP may be used in a hospital under the "
    "national hospital exemption",
    "reg_1394_2007",
    "Art. 28(2)",
)

ATMP_PATHWAYS = ["standard", "conditional", "exceptional_circumstances"]


def classify(facts: Facts) -> None:
    d = facts.decision
    origin = facts.get("origin")
    if origin is None and facts.get("viable_cells") is None:
        # the ATMP definitions do not turn on whose cells they are, only on whether there are
        # cells (or tissue) at all: a known cell-based product needs no answer on origin
        origin = facts.need("origin", "whose cells are they (or none for a cell-free product)?")
    if origin is ProfileOrigin.none:
        if facts.need("genetically_modified", "is it a recombinant nucleic acid?"):
            d.category = "gtmp"
            d.fire(R_GTMP_VECTOR)
            _atmp(facts)
        else:
            d.category = "not_atmp"
            d.fire(R_NO_CELLS)
        return
    gm = facts.get("genetically_modified")
    if not gm and not _engineered(facts):
        d.category = "not_atmp"
        d.fire(R_NOT_ENGINEERED)
        d.fire(R_SOHO)
        return
    if gm is None:
        facts.need("genetically_modified", "are the cells genetically modified (GTMP)?")
    if _combined(facts):
        d.category = "combined_atmp"
        d.fire(R_COMBINED)
        _atmp(facts)
        return
    if gm:
        d.category = "gtmp"
        d.fire(R_GTMP_CELLS)
        structural = facts.get("intended_function") is IntendedFunction.structural_repair
        d.alternative(
            "tep" if structural else "sctmp",
            "a GTMP's effect must relate directly to the recombinant sequence or its "
            "expression product; cells whose introduced gene is only a safety switch or marker "
            "(e.g. a suicide gene) are classified by their cells instead",
            "whether the therapeutic effect relates directly to the introduced sequence "
            "(Directive 2001/83/EC Annex I Part IV 2.1(b))",
        )
        _atmp(facts)
        return
    metabolic = facts.get("depends_on_living_cell_metabolism")
    if facts.get("viable_cells") is False and metabolic is not True:
        d.category = "not_atmp"
        d.fire(R_NON_VIABLE)
        d.alternative(
            "tep",
            "if the non-viable cells act principally by pharmacological, immunological or "
            "metabolic action they stay within the TEP (or sCTMP) definition",
            "the principal mode of action of the non-viable cells (a CAT classification)",
        )
        return
    function = facts.need(
        "intended_function", "is it to repair/replace tissue or to treat disease?"
    )
    if function in (IntendedFunction.structural_repair, IntendedFunction.cosmetic_augmentation):
        d.category = "tep"
        d.fire(R_TEP)
    elif function is IntendedFunction.reproductive:
        d.category = "not_atmp"
        d.fire(R_REPRODUCTIVE)
        d.alternative(
            "sctmp",
            "engineered reproductive cells used to treat disease could be an sCTMP",
            "a CAT classification of the product",
        )
        return
    else:
        d.category = "sctmp"
        d.fire(R_SCTMP)
    _atmp(facts)


def _engineered(facts: Facts) -> bool:
    d = facts.decision
    manipulation = judge_manipulation(facts, MANIPULATION, R_STEPS, "Annex I list")
    if manipulation is Manipulation.more_than_minimal:
        d.fire(R_SUBSTANTIAL)
        return True
    homologous = facts.get("homologous_use")
    if homologous is False:
        d.missing = [m for m in d.missing if m["attribute"] != "manipulation"]
        d.fire(R_DIFFERENT_FUNCTION)
        return True
    facts.stop_if_missing()
    facts.need("homologous_use", "are the cells used for the same essential function?")
    return False


def _combined(facts: Facts) -> bool:
    combined = facts.need(
        "combined_with_device_or_drug", "is it combined with a scaffold, matrix or device?"
    )
    if not combined:
        return False
    return bool(
        facts.need(
            "integral_medical_device", "is a medical device incorporated as an integral part?"
        )
    )


def _atmp(facts: Facts) -> None:
    d = facts.decision
    d.open_pathways(ATMP_PATHWAYS)
    d.fire(R_HOSPITAL_EXEMPTION)
